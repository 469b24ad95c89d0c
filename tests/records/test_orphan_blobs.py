"""Orphan evidence files (stored, then no record took them — the upload finished but the record write
failed): `zhifa verify` names each by its key, as a note within the grace period and a finding after
it; the scheduler's daily job collects them (row and bytes, ledgered); files records hold stay."""
import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.builders import case_at
from tests.records.conftest import add
from zhifa.blobs.models import Blob
from zhifa.blobs.orphans import collect
from zhifa.blobs.store import blob_store, put_stream
from zhifa.blobs.tasks import blobs_gc_task
from zhifa.blobs.uploads import append_chunk, finish_upload, start_upload
from zhifa.ledger import verify
from zhifa.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def test_orphans_are_noted_then_found_then_collected(cw, django_capture_on_commit_callbacks):
    case = case_at(cw, "investigating")
    held = add(cw, case).current.blob  # a record holds this one
    now = timezone.now()
    s = start_upload(cw["u1"], filename="现场.txt", size=12)
    append_chunk(s, 0, io.BytesIO("未被引用的证据文本".encode()[:12]), length=12)
    orphan = finish_upload(s)  # the upload completed; the record write never came
    assert orphan.pk != held.pk
    verify.discover()
    check = [c for c in verify.CHECKS if c.__name__ == "orphan_blobs"]
    [note] = list(verify.run(check, notes=True))
    assert note.kind == "blob.orphan_pending" and not note.failure and orphan.sha256 in note.where
    assert list(verify.run(check)) == []  # within the grace period: not a failure
    with time_machine.travel(now + dt.timedelta(hours=25), tick=False):
        [finding] = list(verify.run(check))
        assert finding.kind == "blob.orphan" and finding.where == f"blobs.blob:{orphan.sha256}"
        with django_capture_on_commit_callbacks(execute=True):
            out = blobs_gc_task.call(today="2026-12-08")  # what the scheduler runs daily
        assert out["orphans_collected"] == 1
        assert list(verify.run(check, notes=True)) == []
    assert not Blob.objects.filter(pk=orphan.pk).exists() and not blob_store().exists(orphan.sha256)
    assert Blob.objects.filter(pk=held.pk).exists() and blob_store().exists(held.sha256)
    entry = LedgerEntry.objects.filter(event_type="blob.orphan_collected").get()
    assert orphan.sha256 in entry.body
    # The same bytes may be uploaded again later (nothing was tombstoned).
    assert put_stream(io.BytesIO("未被引用的证据文本".encode()[:12])).pk == orphan.pk


def test_gc_command_collects_after_the_grace_period_only(cw, capsys, django_capture_on_commit_callbacks):
    blob = put_stream(io.BytesIO("孤立文件".encode()))
    call_command("blobs", "gc")
    assert Blob.objects.filter(pk=blob.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("blobs", "gc", "--orphan-hours", "0")
    assert "未被记录引用的文件 1 个" in capsys.readouterr().out
    assert not Blob.objects.filter(pk=blob.pk).exists()
    assert collect(dt.timedelta(0)) == {"orphans_collected": 0}
