"""执法记录仪 large files from the device, chunked and resumable (issue 20): each chunk carries its
SHA-256 and a corrupted one is not kept; a dropped connection resumes from the server's count; the
whole file's SHA-256 is checked before the file is accepted; the record is made exactly once."""
import datetime as dt
import hashlib
import json
import uuid

import pytest

from tests import factories
from tests.api.conftest import ApiClient
from zhifa.ledger.models import LedgerEntry
from zhifa.records.models import RecorderUpload, RecordItem

pytestmark = pytest.mark.django_db
CHUNK = 64 * 1024


@pytest.fixture
def cw(shared_cw):
    return shared_cw


@pytest.fixture(scope="module")
def clip():
    from zhifa.records.demo import recording

    data = recording(16.0, 3)
    assert len(data) > 2 * CHUNK
    return data


def chunks(data):
    return [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)]


def put(api, uid, index, chunk, digest=None):
    return api.client.put(f"/api/v1/recorder-uploads/{uid}/chunks/{index}", chunk,
                          content_type="application/octet-stream",
                          headers={"Chunk-SHA256": digest or hashlib.sha256(chunk).hexdigest()})


def start(api, case, cw, data, **kw):
    body = {"client_uuid": str(kw.pop("client_uuid", uuid.uuid4())), "case": case.pk,
            "filename": "20260302_093000_DSJ0001.WAV", "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "chunk_size": CHUNK, "device": "DSJ-A8 0001",
            "collectors": [cw["h1"].pk], **kw}
    return body, api.post("/recorder-uploads", body)


def test_chunks_resume_and_the_file_is_registered_once(cw, clip):
    case = factories.case(cw)
    api = ApiClient(cw["u1"])
    body, r = start(api, case, cw, clip)
    assert r.status_code == 201, r.content
    uid, parts = r.json()["id"], chunks(clip)
    assert r.json()["chunk_count"] == len(parts) and r.json()["received_chunks"] == 0
    assert put(api, uid, 0, parts[0]).status_code == 200
    # The connection drops after chunk 1 arrived but before its answer: the page restarts, starts the
    # same file again (same device id) and learns where the server stands.
    assert put(api, uid, 1, parts[1]).status_code == 200
    again = api.post("/recorder-uploads", body)
    assert again.status_code == 200 and again.json()["received_chunks"] == 2
    assert again.json()["chunk_hashes"] == [hashlib.sha256(p).hexdigest() for p in parts[:2]]
    # A lost answer resent: acknowledged, not written twice.
    assert put(api, uid, 1, parts[1]).status_code == 200
    # A chunk cut short by the connection, and one whose bytes were damaged: not kept.
    short = put(api, uid, 2, parts[2][:100], hashlib.sha256(parts[2]).hexdigest())
    assert short.json()["rule"] == "records.chunk_size", short.content
    damaged = bytes([parts[2][0] ^ 1]) + parts[2][1:]
    bad = put(api, uid, 2, damaged, hashlib.sha256(parts[2]).hexdigest())
    assert bad.status_code in (409, 422) and bad.json()["rule"] == "records.chunk_hash"
    ahead = put(api, uid, 3, parts[3]) if len(parts) > 3 else None
    if ahead is not None:
        assert ahead.json()["rule"] == "records.chunk_order" and "第2块" in ahead.json()["message"]
    early = api.post(f"/recorder-uploads/{uid}/complete", {})
    assert early.json()["rule"] == "upload.incomplete"
    for i in range(2, len(parts)):
        assert put(api, uid, i, parts[i]).status_code == 200
    assert api.get(f"/recorder-uploads/{uid}").json()["offset"] == len(clip)
    done = api.post(f"/recorder-uploads/{uid}/complete", {})
    assert done.status_code == 201, done.content
    replay = api.post(f"/recorder-uploads/{uid}/complete", {})
    assert replay.status_code == 200 and replay.json()["id"] == done.json()["id"]
    item = RecordItem.objects.select_related("current").get(case=case)
    assert item.current.blob_id == body["sha256"] and str(item.client_uuid) == body["client_uuid"]
    assert item.current.captured_at == dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)  # from the file name
    up = RecorderUpload.objects.get()
    assert up.state == "complete" and up.record_id == item.pk
    data = json.loads(LedgerEntry.objects.get(event_type="record.recorder_upload").body)["data"]
    assert data["sha256"] == body["sha256"] and data["chunks"] == len(parts)
    assert LedgerEntry.objects.filter(event_type="record.added", subject_id=str(item.pk)).count() == 1
    closed = put(api, uid, 0, parts[0])
    assert closed.json()["rule"] == "records.upload_closed"
    # The same file chosen again under a new device id: answered complete at once, nothing new.
    _b, twice = start(api, case, cw, clip)
    assert twice.status_code == 200 and twice.json()["state"] == "complete" and twice.json()["record"] == item.pk
    assert RecordItem.objects.filter(case=case).count() == 1


def test_a_file_whose_whole_digest_does_not_match_is_refused(cw, clip):
    case = factories.case(cw)
    api = ApiClient(cw["u1"])
    other = hashlib.sha256(clip + b"x").hexdigest()
    _body, r = start(api, case, cw, clip, sha256=other)
    uid = r.json()["id"]
    for i, part in enumerate(chunks(clip)):
        assert put(api, uid, i, part).status_code == 200  # each chunk matches its own digest
    done = api.post(f"/recorder-uploads/{uid}/complete", {})
    assert done.status_code in (409, 422) and done.json()["rule"] == "blob.digest_mismatch", done.content
    assert not RecordItem.objects.filter(case=case).exists()
    up = RecorderUpload.objects.get(pk=uid)
    assert up.state == "refused" and up.error
    assert api.post(f"/recorder-uploads/{uid}/complete", {}).json()["rule"] == "records.upload_closed"


def test_a_device_id_is_not_reused_and_uploads_are_private(cw, clip):
    case = factories.case(cw)
    api = ApiClient(cw["u1"])
    body, r = start(api, case, cw, clip)
    assert r.status_code == 201
    reused = api.post("/recorder-uploads", {**body, "size": len(clip) - 1})
    assert reused.json()["rule"] == "records.upload_reused"
    assert ApiClient(cw["u2"]).get(f"/recorder-uploads/{body['client_uuid']}").status_code == 404
    tiny = api.post("/recorder-uploads", {**body, "client_uuid": str(uuid.uuid4()), "chunk_size": 10})
    assert tiny.json()["rule"] == "validation" and tiny.json()["field"] == "chunk_size"


def test_zhifa_verify_is_clean_after_a_chunked_upload_and_an_offline_signature_and_print(cw, clip, settings, tmp_path):
    from tests.ledger.test_verify import run_verify
    from tests.records.test_field_offline_sign import _sign_body
    from tests.records.test_field_sign import record
    from zhifa.documents.field import text_sha256

    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "documents", "base_url": None}}}
    case = factories.case(cw)
    api = ApiClient(cw["u1"])
    _body, r = start(api, case, cw, clip)
    uid = r.json()["id"]
    for i, part in enumerate(chunks(clip)):
        assert put(api, uid, i, part).status_code == 200
    assert api.post(f"/recorder-uploads/{uid}/complete", {}).status_code == 201
    _case, doc = record(cw)
    assert api.post(f"/documents/{doc.pk}/prints", {"client_uuid": str(uuid.uuid4()), "source": "device",
                                                    "content_sha256": text_sha256(doc)}).status_code == 201
    assert api.post(f"/documents/{doc.pk}/signature", _sign_body(doc)).status_code == 201
    code, out = run_verify()
    assert code == 0, out
