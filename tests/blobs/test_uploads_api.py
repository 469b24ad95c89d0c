"""Resumable chunked uploads through /api/v1/uploads as a logged-in user."""
import datetime as dt
import hashlib
import io
import os

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.blobs import media
from zhifa.blobs.models import Blob, UploadSession

pytestmark = pytest.mark.django_db

BASE = "/api/v1/uploads"


class Uploader:
    def __init__(self, user, csrf=False):
        self.client = Client(enforce_csrf_checks=csrf)
        self.client.force_login(user)

    def start(self, filename, size, sha256=None, **headers):
        body = {"filename": filename, "size": size}
        if sha256:
            body["sha256"] = sha256
        return self.client.post(BASE, body, content_type="application/json", headers=headers)

    def send(self, upload_id, offset, data):
        return self.client.patch(f"{BASE}/{upload_id}", data, content_type="application/octet-stream",
                                 headers={"Upload-Offset": str(offset)})

    def status(self, upload_id):
        return self.client.get(f"{BASE}/{upload_id}")

    def complete(self, upload_id):
        return self.client.post(f"{BASE}/{upload_id}/complete")

    def abort(self, upload_id):
        return self.client.delete(f"{BASE}/{upload_id}")


@pytest.fixture
def officer(world):
    return Uploader(world["officer"])


def test_chunked_upload_with_resume(officer, backend, settings):
    settings.ZHIFA_UPLOAD_CHUNK_MAX = 64 * 1024
    data = media.big_png(200_000)
    r = officer.start("执法记录仪.png", len(data), hashlib.sha256(data).hexdigest())
    assert r.status_code == 201, r.content
    up = r.json()
    assert up["offset"] == 0 and up["chunk_max"] == 64 * 1024 and up["state"] == "open"
    uid = up["id"]
    assert officer.send(uid, 0, data[:65536]).json() == {"offset": 65536}
    # The client lost the answer and resends from 0: refused with where to resume.
    r = officer.send(uid, 0, data[:65536])
    assert r.status_code == 409 and r.json()["rule"] == "upload.offset_mismatch"
    assert r.json()["offset"] == 65536 and r["Upload-Offset"] == "65536" and "65536" in r.json()["message"]
    # Too big a chunk, and beyond the declared size.
    r = officer.send(uid, 65536, data[65536:65536 + 65537])
    assert r.status_code == 409 and r.json()["rule"] == "upload.chunk_too_large"
    s = officer.status(uid).json()
    assert s == {"offset": 65536, "size": len(data), "state": "open", "chunk_max": 65536}
    offset = s["offset"]
    while offset < len(data):
        offset = officer.send(uid, offset, data[offset:offset + 65536]).json()["offset"]
    assert not Blob.objects.exists()  # nothing is a blob before completion
    r = officer.complete(uid)
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["sha256"] == hashlib.sha256(data).hexdigest() and out["size"] == len(data)
    assert (out["mime"], out["kind"], out["kind_display"]) == ("image/png", "photo", "照片")
    assert out["sm3"] == hashlib.new("sm3", data).hexdigest()
    assert officer.complete(uid).json() == out  # idempotent
    assert officer.status(uid).json()["state"] == "complete"
    assert officer.send(uid, len(data), b"x").json()["rule"] == "upload.not_open"


def test_incomplete_and_mismatch(officer, backend):
    data = media.png()
    uid = officer.start("a.png", len(data) + 5).json()["id"]
    officer.send(uid, 0, data)
    r = officer.complete(uid)
    assert r.status_code == 409 and r.json()["rule"] == "upload.incomplete"
    r = officer.send(uid, len(data), b"123456")
    assert r.status_code == 409 and r.json()["rule"] == "upload.beyond_size"
    # Declared digest wrong: refused at completion, session aborted, nothing stored.
    uid = officer.start("b.png", len(data), "ab" * 32).json()["id"]
    officer.send(uid, 0, data)
    r = officer.complete(uid)
    assert r.status_code == 409 and r.json()["rule"] == "blob.digest_mismatch" and r.json()["field"] == "file"
    assert officer.status(uid).json()["state"] == "aborted" and not Blob.objects.exists()


def test_type_refused_at_completion(officer):
    data = media.exe()
    uid = officer.start("photo.jpg", len(data)).json()["id"]
    officer.send(uid, 0, data)
    r = officer.complete(uid)
    assert r.status_code == 409 and r.json()["rule"] == "blob.type_not_allowed"
    assert "文件类型不允许" in r.json()["message"]


def test_start_validation(officer, settings):
    settings.ZHIFA_BLOB_MAX_SIZE = 1000
    assert officer.start("a.png", 0).json()["rule"] == "blob.empty"
    assert officer.start("a.png", 1001).json()["rule"] == "blob.too_large"
    r = officer.start("a.png", 10, "not-a-digest")
    assert r.status_code == 422 and r.json()["field"] == "sha256"
    r = officer.client.patch(f"{BASE}/{officer.start('a.png', 10).json()['id']}", b"x",
                             content_type="application/octet-stream")
    assert r.status_code == 422 and r.json()["field"] == "offset"


def test_abort_removes_partial_data(officer, data_dir, django_capture_on_commit_callbacks):
    data = media.png()
    uid = officer.start("a.png", len(data)).json()["id"]
    officer.send(uid, 0, data[:10])
    partial = data_dir / "uploads" / uid
    assert partial.read_bytes() == data[:10]
    with django_capture_on_commit_callbacks(execute=True):
        assert officer.abort(uid).status_code == 204
    assert not partial.exists() and officer.status(uid).json()["state"] == "aborted"
    assert officer.send(uid, 10, data[10:]).json()["rule"] == "upload.not_open"


def test_sessions_are_private(officer, world):
    uid = officer.start("a.png", 10).json()["id"]
    other = Uploader(world["head"])
    assert other.status(uid).status_code == 404
    assert other.send(uid, 0, b"0123456789").status_code == 404
    assert other.complete(uid).status_code == 404 and other.abort(uid).status_code == 404
    assert other.status("not-a-uuid").status_code == 404
    assert Client().get(f"{BASE}/{uid}").status_code == 401


def test_session_auth_needs_csrf(world):
    u = Uploader(world["officer"], csrf=True)
    assert u.start("a.png", 10).status_code == 403
    u.client.get("/")  # sets the CSRF cookie
    token = u.client.cookies["csrftoken"].value
    assert u.start("a.png", 10, **{"X-CSRFToken": token}).status_code == 201


def test_gc_expires_old_sessions(officer, data_dir):
    data = media.png()
    old = officer.start("old.png", len(data)).json()["id"]
    officer.send(old, 0, data[:20])
    fresh = officer.start("new.png", len(data)).json()["id"]
    UploadSession.objects.filter(pk=old).update(updated_at=timezone.now() - dt.timedelta(hours=25))
    stray = data_dir / "uploads" / "leftover"
    stray.write_bytes(b"x")
    os.utime(stray, (0, 0))
    out = io.StringIO()
    call_command("blobs", "gc", stdout=out)
    assert "过期上传会话 1 个" in out.getvalue()
    assert UploadSession.objects.get(pk=old).state == "aborted"
    assert not (data_dir / "uploads" / old).exists() and not stray.exists()
    assert (data_dir / "uploads" / fresh).exists() and UploadSession.objects.get(pk=fresh).state == "open"


def test_chunk_cut_short_is_not_counted(world, data_dir):
    from zhifa.blobs.uploads import append_chunk, start_upload
    from zhifa.common.actions import ActionRefused

    s = start_upload(world["officer"], filename="../../etc/录像.mp4", size=100)
    assert s.filename == "录像.mp4"
    with pytest.raises(ActionRefused) as e:  # the connection dropped after 10 of 50 bytes
        append_chunk(s, 0, io.BytesIO(b"x" * 10), length=50)
    assert e.value.rule == "upload.chunk_incomplete"
    s.refresh_from_db()
    assert s.received == 0
    append_chunk(s, 0, io.BytesIO(b"y" * 6), length=6)
    assert (data_dir / "uploads" / str(s.pk)).read_bytes() == b"y" * 6 and s.received == 6
