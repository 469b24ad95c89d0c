"""Resumable chunked uploads (large audio/video evidence over unreliable networks).

    start_upload(owner, filename=, size=, sha256=None) -> UploadSession
    append_chunk(session, offset, data, length=None) -> UploadSession
                                   offset must equal bytes received so far; data: bytes or a stream
    upload_status(session) -> {"offset", "size", "state"}
    finish_upload(session, allowed_kinds=None) -> Blob      size and digest checked, then put_stream
    abort_upload(session)
    gc_uploads(older_than=24 h)                             expire forgotten sessions

Partial bytes live in DATA_DIR/uploads/<uuid>; they become a Blob only when complete. Each
append locks the session row, so two clients sending the same chunk cannot interleave.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.blobs.models import UploadSession
from zhifa.blobs.store import clean_filename, human_size, put_stream
from zhifa.common.actions import ActionRefused

EXPIRY = dt.timedelta(hours=24)
# Refusals of the content itself: the session is aborted, since resending the same bytes cannot help.
FINAL_REFUSALS = {"blob.empty", "blob.type_not_allowed", "blob.digest_mismatch", "blob.size_mismatch",
                  "blob.too_large", "blob.destroyed"}
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


class OffsetMismatch(ActionRefused):
    """The client's offset is not where the server is; `expected` tells it where to resume."""

    def __init__(self, expected: int, got: int):
        super().__init__("upload.offset_mismatch",
                         f"上传位置不符：服务器已接收 {expected} 字节，本块从 {got} 字节开始；请从 {expected} 字节处继续上传",
                         field="offset")
        self.expected = expected


def uploads_dir() -> Path:
    return settings.DATA_DIR / "uploads"


def start_upload(owner, *, filename: str, size: int, sha256: str | None = None) -> UploadSession:
    filename = clean_filename(filename)
    if size is None or int(size) <= 0:
        raise ActionRefused("blob.empty", "文件为空，不能上传", field="size")
    if size > settings.ZHIFA_BLOB_MAX_SIZE:
        raise ActionRefused("blob.too_large", f"文件过大：最大允许 {human_size(settings.ZHIFA_BLOB_MAX_SIZE)}", field="size")
    if sha256 and not _HEX64.match(sha256.strip()):
        raise ActionRefused("validation", "SHA-256摘要格式不正确（应为64位十六进制）", field="sha256")
    session = UploadSession(owner=owner, filename=filename, size=int(size), sha256=(sha256 or "").strip().lower())
    path = uploads_dir() / str(session.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    session.temp_path = str(path)
    session.save()
    return session


def _locked(session) -> UploadSession:
    return UploadSession.objects.select_for_update().get(pk=session.pk)


def _require_open(s: UploadSession):
    if s.state != UploadSession.State.OPEN:
        raise ActionRefused("upload.not_open", f"该上传已{s.get_state_display()}，不能继续", field="state")


def append_chunk(session: UploadSession, offset: int, data, *, length: int | None = None) -> UploadSession:
    """Append `data` at `offset`. `data` is bytes, or a readable stream of `length` bytes: the API
    passes the request itself, so a chunk goes to disk in 1 MiB pieces and never sits in memory."""
    n = len(data) if length is None else int(length)
    with transaction.atomic():
        s = _locked(session)
        _require_open(s)
        if offset != s.received:
            raise OffsetMismatch(s.received, offset)
        if n <= 0:
            raise ActionRefused("upload.empty_chunk", "上传块为空", field="file")
        if n > settings.ZHIFA_UPLOAD_CHUNK_MAX:
            raise ActionRefused("upload.chunk_too_large",
                                f"上传块过大：每块最多 {human_size(settings.ZHIFA_UPLOAD_CHUNK_MAX)}", field="file")
        if s.received + n > s.size:
            raise ActionRefused("upload.beyond_size", f"上传内容超过声明的文件大小 {s.size} 字节", field="file")
        # r+b, seek, truncate: bytes beyond `received` (a crash, or a chunk cut short) are
        # overwritten, never counted.
        with open(s.temp_path, "r+b") as f:
            f.seek(offset)
            got = _write(f, data, n)
            if got != n:
                raise ActionRefused("upload.chunk_incomplete",
                                    f"上传块不完整：应为 {n} 字节，只收到 {got} 字节（连接可能中断），请重试", field="file")
            f.truncate()
            f.flush()
            os.fsync(f.fileno())  # what we acknowledge must survive a crash
        s.received = offset + n
        s.save(update_fields=["received", "updated_at"])
    session.received, session.updated_at = s.received, s.updated_at
    return s


def _write(f, data, n: int) -> int:
    if isinstance(data, (bytes, bytearray, memoryview)):
        f.write(data)
        return len(data)
    got = 0
    while got < n:
        piece = data.read(min(1 << 20, n - got))
        if not piece:
            break
        f.write(piece)
        got += len(piece)
    return got


def upload_status(session: UploadSession) -> dict:
    return {"offset": session.received, "size": session.size, "state": session.state}


def finish_upload(session: UploadSession, *, allowed_kinds=None) -> Blob:  # noqa: F821
    """Check size and declared digest, store the bytes through put_stream; idempotent. When the
    content itself is refused (type, digest, size) the session is aborted: resending cannot help."""
    try:
        with transaction.atomic():
            s = _locked(session)
            if s.state == UploadSession.State.COMPLETE and s.blob_id:
                return s.blob
            _require_open(s)
            if s.received != s.size:
                raise ActionRefused("upload.incomplete", f"上传尚未完成：已接收 {s.received} / {s.size} 字节",
                                    field="file")
            with open(s.temp_path, "rb") as f:
                blob = put_stream(f, expected_size=s.size, expected_sha256=s.sha256 or None,
                                  allowed_kinds=allowed_kinds, filename=s.filename)
            s.state, s.blob = UploadSession.State.COMPLETE, blob
            s.save(update_fields=["state", "blob", "updated_at"])
            path = s.temp_path
            transaction.on_commit(lambda: Path(path).unlink(missing_ok=True), robust=True)
    except ActionRefused as e:
        if e.rule in FINAL_REFUSALS:
            abort_upload(session)
        raise
    session.state, session.blob = s.state, blob
    return blob


def abort_upload(session: UploadSession) -> UploadSession:
    with transaction.atomic():
        s = _locked(session)
        if s.state == UploadSession.State.OPEN:
            s.state = UploadSession.State.ABORTED
            s.save(update_fields=["state", "updated_at"])
            path = s.temp_path
            transaction.on_commit(lambda: Path(path).unlink(missing_ok=True), robust=True)
    session.state = s.state
    return s


def gc_uploads(older_than: dt.timedelta = EXPIRY, *, dry_run=False) -> dict:
    """Abort open sessions untouched for `older_than`; remove partial files with no open session."""
    cutoff = timezone.now() - older_than
    stale = list(UploadSession.objects.filter(state=UploadSession.State.OPEN, updated_at__lt=cutoff))
    if not dry_run:
        for s in stale:
            abort_upload(s)
    files = 0
    directory = uploads_dir()
    if directory.is_dir():
        open_ids = {str(pk) for pk in UploadSession.objects.filter(state=UploadSession.State.OPEN)
                    .values_list("pk", flat=True)}
        for entry in os.scandir(directory):
            if not entry.is_file() or entry.name in open_ids:
                continue
            old = dt.datetime.fromtimestamp(entry.stat().st_mtime, dt.UTC) < cutoff
            if old or _is_finished(entry.name):
                files += 1
                if not dry_run:
                    Path(entry.path).unlink(missing_ok=True)
    return {"expired_sessions": len(stale), "files": files}


def _is_finished(name: str) -> bool:
    """A session that is no longer open (its file's on_commit removal did not run)."""
    try:
        pk = uuid.UUID(name)
    except ValueError:
        return False
    return UploadSession.objects.filter(pk=pk).exclude(state=UploadSession.State.OPEN).exists()
