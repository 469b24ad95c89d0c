"""`zhifa blobs gc` and `zhifa blobs check` on the local store."""
import io
import os
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.blobs import media
from zhifa.blobs.models import Blob
from zhifa.blobs.store import blob_store, put_stream

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("blobs", *args, stdout=out)
    return out.getvalue()


def age(path, hours):
    t = time.time() - hours * 3600
    os.utime(path, (t, t))


def test_gc_keeps_young_orphans_and_live_blobs(data_dir):
    store = blob_store()
    live = put_stream(io.BytesIO(media.png()))
    old = put_stream(io.BytesIO(media.png()))
    young = put_stream(io.BytesIO(media.png()))
    Blob.objects.filter(pk__in=[old.pk, young.pk]).delete()  # as if their transactions rolled back
    for b in (live, old):
        age(store.path(b.sha256), 2)
    spool = store.tmp / "spool-crashed"
    spool.write_bytes(b"partial")
    age(spool, 2)
    assert "将清理" in run("gc", "--dry-run") and store.exists(old.sha256)
    out = run("gc")
    assert "孤立内容 1 个" in out and "临时文件/未完成的分段上传 1 个" in out
    assert store.exists(live.sha256) and store.exists(young.sha256) and not store.exists(old.sha256)
    assert not spool.exists()


def test_check_command(data_dir):
    blob = put_stream(io.BytesIO(media.jpeg()))
    assert "核对无误" in run("check")
    path = blob_store().path(blob.sha256)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(CommandError, match="发现 3 处不符"):
        run("check")


def test_local_files_read_only_and_sharded(data_dir):
    blob = put_stream(io.BytesIO(media.png()))
    path = data_dir / "blobs" / blob.sha256[:2] / blob.sha256[2:4] / blob.sha256
    assert path.is_file() and (path.stat().st_mode & 0o222) == 0  # no write bit for anyone
