"""put_stream / open_blob / destroy_blob / rehash on the local store and on S3 (SeaweedFS)."""
import datetime as dt
import hashlib

import pytest

from tests.blobs import media
from zhifa.blobs.checks import check_blobs
from zhifa.blobs.models import Blob
from zhifa.blobs.store import BlobMissing, destroy_blob, gc, open_blob, put_stream, rehash
from zhifa.common.actions import ActionRefused

pytestmark = pytest.mark.django_db


def put(data, **kw):
    return put_stream(media.NamedBytesIO(data, kw.pop("name", "x.bin")), **kw)


def sm3(data):
    return hashlib.new("sm3", data).hexdigest()


def refused(rule, data, raw, **kw):
    before = raw.keys()
    with pytest.raises(ActionRefused) as e:
        put(data, **kw)
    assert e.value.rule == rule and e.value.field == "file", e.value
    assert not Blob.objects.exists() and raw.keys() == before and raw.spool_files() == []
    return e.value


def test_put_open_roundtrip(backend, raw):
    data = media.jpeg()
    blob = put(data, filename="现场照片.jpg")
    assert (blob.sha256, blob.sm3, blob.size) == (hashlib.sha256(data).hexdigest(), sm3(data), len(data))
    assert (blob.mime, blob.kind) == ("image/jpeg", "photo")
    with open_blob(blob) as f:
        assert f.read() == data
    assert raw.exists(blob.sha256) and raw.spool_files() == []
    assert Blob.objects.get().created_at is not None


def test_type_from_bytes_not_name(backend):
    blob = put(media.pdf(), name="photo.jpg", filename="photo.jpg")
    assert (blob.mime, blob.kind) == ("application/pdf", "document")


@pytest.mark.parametrize("make", [media.exe, media.zip_archive, media.unknown])
def test_forbidden_types_store_nothing(backend, raw, make):
    refused("blob.type_not_allowed", make(), raw, name="evidence.jpg")


def test_empty(backend, raw):
    refused("blob.empty", b"", raw)


def test_too_large_stops_reading(backend, raw):
    refused("blob.too_large", media.png() + bytes(2000), raw, max_size=1000)
    src = media.Counting(media.png())
    with pytest.raises(ActionRefused) as e:
        put_stream(src, max_size=5000)
    assert e.value.rule == "blob.too_large" and src.read_bytes == 5001


def test_digest_and_size_mismatch(backend, raw):
    data = media.png()
    refused("blob.digest_mismatch", data, raw, expected_sha256="0" * 64)
    refused("blob.size_mismatch", data, raw, expected_size=len(data) + 1)
    refused("blob.size_mismatch", data, raw, expected_size=len(data) - 1)
    blob = put(data, expected_sha256=hashlib.sha256(data).hexdigest().upper(), expected_size=len(data))
    assert blob.size == len(data)


def test_identical_bytes_stored_once(backend, raw):
    data = media.wav()
    a = put(data, filename="录音1.wav")
    b = put(data, filename="录音2.wav")
    assert a.pk == b.pk and Blob.objects.count() == 1
    assert raw.keys() >= {a.sha256} and raw.spool_files() == []


def test_lost_content_restored_by_identical_upload(backend, raw):
    data = media.png()
    blob = put(data)
    raw.delete(blob.sha256)
    assert put(data).pk == blob.pk and raw.read(blob.sha256) == data


def test_interrupted_stream_leaves_nothing(backend, raw):
    data = media.big_png(3 << 20)
    before = raw.keys()
    with pytest.raises(ConnectionResetError):
        put_stream(media.Exploding(data, fail_after=(2 << 20) + 100))
    assert not Blob.objects.exists() and raw.keys() == before and raw.spool_files() == []


def test_destroy_keeps_tombstone(backend, raw, world, django_capture_on_commit_callbacks):
    data = media.pdf()
    blob = put(data)
    with pytest.raises(ActionRefused) as e:
        destroy_blob(blob, acting_user=world["head"], reason="  ")
    assert e.value.rule == "blob.reason_required"
    with django_capture_on_commit_callbacks(execute=True):
        row = destroy_blob(blob, acting_user=world["head"], reason="保管期限届满，经批准销毁")
    assert not raw.exists(blob.sha256)
    row = Blob.objects.get(pk=blob.pk)
    assert row.destroyed and row.destroyed_by == world["head"] and row.size == len(data) and row.sm3 == sm3(data)
    assert blob.destroyed  # the caller's object is updated too
    with pytest.raises(ActionRefused) as e:
        open_blob(row)
    assert e.value.rule == "blob.destroyed"
    refused_again = pytest.raises(ActionRefused)
    with refused_again as e:
        put(data)
    assert e.value.rule == "blob.destroyed"
    assert destroy_blob(row, acting_user=world["head"], reason="再次").destroyed_reason == "保管期限届满，经批准销毁"


def test_destroy_rolled_back_keeps_content(backend, raw, world):
    blob = put(media.png())
    destroy_blob(blob, acting_user=world["head"], reason="测试")  # test transaction never commits
    assert raw.exists(blob.sha256)


def test_rehash_and_check_detect_flipped_byte(backend, raw):
    data = media.jpeg()
    blob = put(data)
    assert rehash(blob) == (blob.sha256, blob.sm3, blob.size)
    assert list(check_blobs()) == []
    damaged = bytearray(data)
    damaged[len(data) // 2] ^= 0x01
    raw.write(blob.sha256, bytes(damaged))
    sha256, sm3_, size = rehash(blob)
    assert size == blob.size and sha256 != blob.sha256 and sm3_ != blob.sm3
    kinds = {d.kind for d in check_blobs()}
    assert kinds == {"blob.sha256_mismatch", "blob.sm3_mismatch"}
    raw.delete(blob.sha256)
    with pytest.raises(BlobMissing):
        rehash(blob)
    assert [d.kind for d in check_blobs()] == ["blob.missing"]


def test_check_reports_destroyed_content_left_behind(backend, raw, world):
    blob = put(media.png())
    destroy_blob(blob, acting_user=world["head"], reason="测试")  # on_commit never runs here
    [d] = check_blobs()
    assert d.kind == "blob.destroyed_content_present" and d.where == f"blobs.blob:{blob.sha256}"
    assert gc()["destroyed"] == 1 and not raw.exists(blob.sha256)
    assert list(check_blobs()) == []


def test_gc_removes_orphans_only_when_old(backend, raw, settings):
    kept = put(media.png())
    # Bytes whose transaction rolled back: stored, but no row.
    orphan = put(media.png())
    Blob.objects.filter(pk=orphan.pk).delete()
    assert gc()["orphans"] == 0 and raw.exists(orphan.sha256)  # younger than an hour
    assert gc(dt.timedelta(0), dry_run=True)["orphans"] >= 1 and raw.exists(orphan.sha256)
    gc(dt.timedelta(0))
    assert not raw.exists(orphan.sha256) and raw.exists(kept.sha256)


def test_text_must_be_utf8_throughout(backend, raw):
    bad = media.text() * 80000 + "记录".encode("gbk")  # > 1 MiB: validated past the detection head
    assert "UTF-8" in refused("blob.text_encoding", bad, raw).message  # a clear message, not "type not allowed"
    assert put(media.text() * 80000).kind == "text"
