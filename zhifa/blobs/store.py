"""The evidence store (contract in docs/records.md, section "blobs").

    put_stream(fileobj, …) -> Blob      stream in, hash (SHA-256 and SM3), detect, store once
    open_blob(blob)                     readable binary stream of the stored bytes
    blob_store()                        the configured backend
    destroy_blob(blob, acting_user=, reason=) -> Blob   tombstone; bytes removed on commit
    rehash(blob) -> (sha256, sm3, size)                  re-reads the stored bytes

put_stream reads 1 MiB at a time and never holds more than a few chunks: each chunk goes to a
SHA-256 thread and an SM3 thread (hashlib releases the GIL on large updates, so both digests
run in parallel with the read/write loop and the whole costs about one SM3 pass) and to a
spool file that the backend moves (local) or uploads (S3) once everything checked out.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import queue
import re
import threading

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.blobs.backends import BlobMissing, LocalBlobStore, S3BlobStore
from zhifa.blobs.detect import Utf8Check, detect
from zhifa.blobs.models import Blob
from zhifa.common.actions import ActionRefused

log = logging.getLogger(__name__)

CHUNK = 1 << 20
QUEUE_DEPTH = 4  # chunks waiting per hash thread: bounds memory at a few MiB
_HEX64 = re.compile(r"^[0-9a-f]{64}$")

__all__ = ["BlobMissing", "put_stream", "open_blob", "blob_store", "destroy_blob", "rehash", "gc"]


# ---- backend -----------------------------------------------------------------------------------
_s3_stores: dict[tuple, S3BlobStore] = {}


def blob_store():
    """The backend settings.ZHIFA_BLOB_BACKEND names ("local" or "s3"); read on every call so
    that tests and commands may switch settings."""
    spool_dir = settings.DATA_DIR / "blobs" / "tmp"
    if settings.ZHIFA_BLOB_BACKEND == "local":
        return LocalBlobStore(settings.DATA_DIR / "blobs")
    if settings.ZHIFA_BLOB_BACKEND != "s3":
        raise ValueError(f"ZHIFA_BLOB_BACKEND 应为 local 或 s3，而不是 {settings.ZHIFA_BLOB_BACKEND!r}")
    key = (settings.ZHIFA_S3_ENDPOINT_URL, settings.ZHIFA_S3_BUCKET, settings.ZHIFA_S3_ACCESS_KEY,
           settings.ZHIFA_S3_SECRET_KEY, settings.ZHIFA_S3_REGION, str(spool_dir))
    if key not in _s3_stores:  # boto3 clients are thread-safe and costly to build: one per config
        _s3_stores[key] = S3BlobStore(endpoint_url=key[0], bucket=key[1], access_key=key[2], secret_key=key[3],
                                      region=key[4], spool_dir=spool_dir)
    return _s3_stores[key]


# ---- hashing -----------------------------------------------------------------------------------
class _HashThread(threading.Thread):
    def __init__(self, algorithm: str):
        super().__init__(daemon=True, name=f"blob-{algorithm}")
        self.hash = hashlib.new(algorithm)
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUE_DEPTH)

    def run(self):
        update, get = self.hash.update, self.queue.get
        while (chunk := get()) is not None:
            update(chunk)


class DualHash:
    """SHA-256 and SM3 of a chunk stream, each in its own thread."""

    def __init__(self):
        self.threads = [_HashThread("sha256"), _HashThread("sm3")]
        for t in self.threads:
            t.start()

    def update(self, chunk: bytes):
        for t in self.threads:
            t.queue.put(chunk)  # blocks while the slower hash is QUEUE_DEPTH chunks behind

    def _stop(self):
        for t in self.threads:
            t.queue.put(None)
        for t in self.threads:
            t.join()

    def finish(self) -> tuple[str, str]:
        self._stop()
        return self.threads[0].hash.hexdigest(), self.threads[1].hash.hexdigest()

    def abort(self):
        if any(t.is_alive() for t in self.threads):
            self._stop()


def read_chunk(fileobj, n: int) -> bytes:
    """Up to n bytes; fewer only at the end of the stream (sockets and pipes return short reads)."""
    data = fileobj.read(n)
    if not data or len(data) == n:
        return data or b""
    parts, got = [data], len(data)
    while got < n:
        more = fileobj.read(n - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


# ---- put ---------------------------------------------------------------------------------------
def _refuse(rule, message):
    return ActionRefused(rule, message, field="file")


def put_stream(fileobj, *, max_size=None, expected_sha256=None, expected_size=None, allowed_kinds=None,
               filename="") -> Blob:
    """Store the bytes of `fileobj` (read to its end) and return their Blob (the existing one if
    identical bytes were stored before). Refusals and errors store nothing. `filename` is only
    used in messages: the type comes from the bytes. Call inside the caller's transaction."""
    limit = settings.ZHIFA_BLOB_MAX_SIZE if max_size is None else int(max_size)
    if expected_sha256:
        expected_sha256 = expected_sha256.strip().lower()
        if not _HEX64.match(expected_sha256):
            raise _refuse("blob.digest_mismatch", "声明的SHA-256摘要格式不正确（应为64位十六进制）")
    if expected_size is not None and expected_size > limit:
        raise _too_large(limit, filename)
    store = blob_store()
    spool = store.spool()
    hasher = None
    try:
        wanted = min(CHUNK, limit + 1)
        chunk = read_chunk(fileobj, wanted)
        if not chunk:
            raise _refuse("blob.empty", f"文件为空{_named(filename)}")
        if len(chunk) > limit:
            raise _too_large(limit, filename)
        mime, kind = detect(chunk, complete=len(chunk) < wanted, allowed_kinds=allowed_kinds)
        text = Utf8Check() if kind == Blob.Kind.TEXT else None
        hasher = DualHash()
        total = 0
        while chunk:
            total += len(chunk)
            if total > limit:
                raise _too_large(limit, filename)
            if expected_size is not None and total > expected_size:
                raise _size_mismatch(expected_size, total, more=True)
            hasher.update(chunk)
            if text:
                text.feed(chunk)
            spool.write(chunk)
            chunk = read_chunk(fileobj, min(CHUNK, limit - total + 1))  # +1: notice passing the limit
        if text:
            text.feed(b"", final=True)
        sha256, sm3 = hasher.finish()
        if expected_size is not None and total != expected_size:
            raise _size_mismatch(expected_size, total)
        if expected_sha256 and sha256 != expected_sha256:
            raise _refuse("blob.digest_mismatch", f"文件摘要不符{_named(filename)}：声明 SHA-256 为 "
                          f"{expected_sha256}，实际为 {sha256}（文件可能在传输中损坏，请重新上传）")
        return _commit(store, spool, sha256=sha256, sm3=sm3, size=total, mime=mime, kind=kind)
    except BaseException:
        if hasher is not None:
            hasher.abort()
        spool.discard()
        raise


def _named(filename):
    if not filename:
        return ""
    return f"（{filename if len(filename) <= 40 else filename[:40] + '…'}）"


FILENAME_CHARS, FILENAME_BYTES = 200, 255  # the records' column; what file systems accept when saved


def clean_filename(name: str) -> str:
    """The name an uploaded file is shown and downloaded under: no directories or control characters,
    at most 200 characters and 255 UTF-8 bytes (a Chinese name of 86 characters is already 258 bytes),
    shortened in the middle of the stem so the extension survives. The name is never a storage path."""
    name = "".join(ch for ch in (name or "").replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable()).strip()
    if len(name) <= FILENAME_CHARS and len(name.encode()) <= FILENAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 16:
        stem, ext = name, ""
    suffix = f"….{ext}" if ext else "…"
    while stem and (len(stem) + len(suffix) > FILENAME_CHARS or len((stem + suffix).encode()) > FILENAME_BYTES):
        stem = stem[:-1]
    return stem + suffix


def _too_large(limit, filename):
    return _refuse("blob.too_large", f"文件过大{_named(filename)}：最大允许 {human_size(limit)}")


def _size_mismatch(expected, got, more=False):
    got_text = f"超过 {got} 字节" if more else f"{got} 字节"
    return _refuse("blob.size_mismatch", f"文件大小不符：声明 {expected} 字节，实际 {got_text}")


def human_size(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}".replace(".0 ", " ")
    return f"{n} 字节"


def _commit(store, spool, **fields) -> Blob:
    sha256 = fields["sha256"]
    existing = Blob.objects.filter(pk=sha256).first()
    if existing is not None:
        if existing.destroyed:
            raise _refuse("blob.destroyed", "相同内容的文件已按规定销毁，不能再次存入")
        if store.exists(sha256):
            spool.discard()
            return existing
        log.warning("blob %s had lost its content; restored from a new upload", sha256)
    # Bytes first, then the row: a row never points at nothing. If the caller's transaction rolls
    # back, the bytes stay as an orphan until `zhifa blobs gc` removes them (after an hour).
    store.commit(spool, sha256)
    blob, _ = Blob.objects.get_or_create(sha256=sha256, defaults={k: v for k, v in fields.items() if k != "sha256"})
    return blob


# ---- read, destroy, rehash -----------------------------------------------------------------------
def open_blob(blob: Blob):
    """Readable binary stream of the stored bytes (a file, or S3's StreamingBody); use `with`."""
    if blob.destroyed:
        raise ActionRefused("blob.destroyed", f"文件已于 {timezone.localtime(blob.destroyed_at):%Y-%m-%d} 销毁",
                            field="file")
    return blob_store().open(blob.sha256)


def destroy_blob(blob: Blob, *, acting_user, reason: str) -> Blob:
    """Mark the blob destroyed (row kept: tombstone) and remove its bytes once the transaction
    commits — removing them earlier would lose evidence if the transaction rolled back. Whether
    destruction is allowed (retention, approval, other records sharing these bytes) is the
    caller's question. Destroying a destroyed blob changes nothing."""
    from zhifa.common.actions import log_change, snapshot
    from zhifa.common.models import ChangeLog

    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused("blob.reason_required", "销毁文件须填写理由", field="reason")
    with transaction.atomic():
        row = Blob.objects.select_for_update().get(pk=blob.pk)
        if row.destroyed:
            return row
        before = snapshot(row)
        row.destroyed_at = timezone.now()
        row.destroyed_reason = reason
        row.destroyed_by = acting_user if acting_user is not None and acting_user.pk else None
        row.save(update_fields=["destroyed_at", "destroyed_reason", "destroyed_by"])
        log_change(row, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(row),
                   reason=f"销毁文件：{reason}")
        sha256 = row.sha256
        transaction.on_commit(lambda: _remove_content(sha256), robust=True)
    for name in ("destroyed_at", "destroyed_reason", "destroyed_by_id"):
        setattr(blob, name, getattr(row, name))
    return row


def _remove_content(sha256: str):
    # If this fails, check_blobs() reports the leftover and `zhifa blobs gc` removes it.
    blob_store().delete(sha256)


def rehash(blob: Blob) -> tuple[str, str, int]:
    """(sha256, sm3, size) of the bytes actually stored (BlobMissing if there are none)."""
    hasher = DualHash()
    size = 0
    try:
        with blob_store().open(blob.sha256) as f:
            while chunk := read_chunk(f, CHUNK):
                size += len(chunk)
                hasher.update(chunk)
    except BaseException:
        hasher.abort()
        raise
    return (*hasher.finish(), size)


# ---- garbage collection ----------------------------------------------------------------------------
def gc(older_than: dt.timedelta = dt.timedelta(hours=1), *, dry_run=False) -> dict:
    """Remove stored content without a Blob row (a rolled-back transaction's bytes) once older
    than `older_than`, content of destroyed blobs whose removal failed, and stale spool files /
    unfinished multipart uploads."""
    store = blob_store()
    cutoff = dt.datetime.now(dt.UTC) - older_than
    out = {"orphans": 0, "destroyed": 0, "temp": 0}
    batch: list = []

    def flush():
        rows = dict(Blob.objects.filter(pk__in=[k for k, _ in batch]).values_list("pk", "destroyed_at"))
        for sha256, mtime in batch:
            if sha256 not in rows and mtime < cutoff:
                out["orphans"] += 1
            elif sha256 in rows and rows[sha256] is not None:
                out["destroyed"] += 1
            else:
                continue
            if not dry_run:
                store.delete(sha256)
        batch.clear()

    for item in store.entries():
        batch.append(item)
        if len(batch) >= 500:
            flush()
    flush()
    out["temp"] = store.gc_temp(cutoff, dry_run=dry_run)
    return out
