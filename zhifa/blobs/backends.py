"""Where blob bytes live: a local directory or an S3-compatible bucket (SeaweedFS, MinIO, OSS…).

Both backends take the bytes from a local spool file that put_stream wrote while hashing, so a
blob only becomes visible under its SHA-256 once complete: locally by an atomic rename after
fsync, on S3 by completing a multipart upload (an interrupted upload is aborted, and was never
visible). Content is addressed by SHA-256 only; whether a blob *exists* is the database's call.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)

HEX = set("0123456789abcdef")


class BlobMissing(FileNotFoundError):
    """The stored content of a blob is not there (lost, or removed by destruction)."""


def is_digest(name: str) -> bool:
    return len(name) == 64 and set(name) <= HEX


class Spool:
    """A local temp file put_stream writes to; the backend then moves or uploads it.

    `writeback`: the file will be fsynced at the end. With much RAM the kernel would keep all of
    it dirty until then and write it in one go *after* hashing; asking for writeback every
    16 MiB (fadvise DONTNEED starts it asynchronously, and keeps evidence out of the page cache)
    overlaps the disk with the hashing instead."""

    WINDOW = 16 << 20

    def __init__(self, directory: Path, *, writeback=False):
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix="spool-")
        self.path = Path(name)
        self.file = os.fdopen(fd, "wb")
        self.writeback = writeback and hasattr(os, "posix_fadvise")
        self.written = self.kicked = 0

    def write(self, data):
        self.file.write(data)
        if self.writeback:
            self.written += len(data)
            if self.written - self.kicked >= self.WINDOW:
                self.file.flush()
                os.posix_fadvise(self.file.fileno(), self.kicked, self.written - self.kicked,
                                 os.POSIX_FADV_DONTNEED)
                self.kicked = self.written

    def close(self, *, sync=False):
        if self.file.closed:
            return
        self.file.flush()
        if sync:
            os.fsync(self.file.fileno())
        self.file.close()

    def discard(self):
        try:
            self.file.close()
        finally:
            self.path.unlink(missing_ok=True)


def _remove_stale(directory: Path, cutoff: dt.datetime, dry_run=False) -> int:
    """Spool/temp files a crashed process left behind."""
    n = 0
    if not directory.is_dir():
        return 0
    for entry in os.scandir(directory):
        if entry.is_file() and dt.datetime.fromtimestamp(entry.stat().st_mtime, dt.UTC) < cutoff:
            n += 1
            if not dry_run:
                Path(entry.path).unlink(missing_ok=True)
    return n


class LocalBlobStore:
    """DATA_DIR/blobs/ab/cd/<sha256>, read-only files; spool files in DATA_DIR/blobs/tmp (same
    filesystem, so the final rename is atomic)."""

    name = "local"

    def __init__(self, root: Path):
        self.root = Path(root)
        self.tmp = self.root / "tmp"

    def __repr__(self):
        return f"LocalBlobStore({self.root})"

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def spool(self) -> Spool:
        return Spool(self.tmp, writeback=True)

    def commit(self, spool: Spool, sha256: str):
        """fsync, make read-only, rename into place (replacing an identical file refreshes its
        mtime, which keeps `zhifa blobs gc` off content that is about to get its row)."""
        try:
            spool.close(sync=True)
            os.chmod(spool.path, 0o444)
            dest = self.path(sha256)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(spool.path, dest)
            _fsync_dir(dest.parent)
        finally:
            spool.discard()

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str):
        try:
            return open(self.path(sha256), "rb")
        except FileNotFoundError as e:
            raise BlobMissing(f"文件内容缺失：{sha256}") from e

    def delete(self, sha256: str):
        self.path(sha256).unlink(missing_ok=True)

    def entries(self):
        """(sha256, mtime) of every stored content."""
        if not self.root.is_dir():
            return
        for a in _subdirs(self.root):
            for b in _subdirs(Path(a.path)):
                for entry in os.scandir(b.path):
                    if entry.is_file() and is_digest(entry.name):
                        yield entry.name, dt.datetime.fromtimestamp(entry.stat().st_mtime, dt.UTC)

    def gc_temp(self, cutoff: dt.datetime, dry_run=False) -> int:
        return _remove_stale(self.tmp, cutoff, dry_run)


def _subdirs(path: Path):
    return [e for e in os.scandir(path) if e.is_dir() and len(e.name) == 2 and set(e.name) <= HEX]


def _fsync_dir(path: Path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class S3BlobStore:
    """Objects "sha256/<hex>" in one bucket (created if missing). The spool is uploaded with
    boto3's managed transfer: multipart above 16 MiB, parts streamed from the file (bounded
    memory); s3transfer aborts the multipart upload when a part fails, and so do we."""

    name = "s3"
    PREFIX = "sha256/"

    def __init__(self, *, endpoint_url, bucket, access_key, secret_key, region, spool_dir: Path):
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        self.bucket = bucket
        self.spool_dir = Path(spool_dir)
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url or None, aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None, region_name=region or None,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5, "mode": "standard"},
                          # Our own SHA-256/SM3 and rehash() vouch for the content; CRC32 on every
                          # byte again would only cost CPU (and not every S3 clone supports it).
                          request_checksum_calculation="when_required",
                          response_checksum_validation="when_required"))
        self.transfer = TransferConfig(multipart_threshold=16 << 20, multipart_chunksize=16 << 20,
                                       max_concurrency=4, use_threads=True)
        self._bucket_ready = False
        self._lock = threading.Lock()

    def __repr__(self):
        return f"S3BlobStore({self.client.meta.endpoint_url}/{self.bucket})"

    def key(self, sha256: str) -> str:
        return self.PREFIX + sha256

    def ensure_bucket(self):
        if self._bucket_ready:
            return
        from botocore.exceptions import ClientError

        with self._lock:
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except ClientError as e:
                if _status(e) != 404:
                    raise
                try:
                    self.client.create_bucket(Bucket=self.bucket)
                except ClientError as e2:  # created meanwhile by another process
                    if _code(e2) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise
            self._bucket_ready = True

    def spool(self) -> Spool:
        return Spool(self.spool_dir)

    def commit(self, spool: Spool, sha256: str):
        key = self.key(sha256)
        started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
        try:
            spool.close()
            self.ensure_bucket()
            self.client.upload_file(str(spool.path), self.bucket, key, Config=self.transfer)
        except BaseException:
            self._abort_uploads(key, since=started)
            raise
        finally:
            spool.discard()

    def _abort_uploads(self, key: str, since: dt.datetime | None = None) -> int:
        """Abort unfinished multipart uploads of `key` (started after `since`); never raises."""
        n = 0
        try:
            resp = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=key)
            for up in resp.get("Uploads", []):
                if up["Key"] == key and (since is None or up.get("Initiated", since) >= since):
                    self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=up["UploadId"])
                    n += 1
        except Exception:
            log.warning("abort of multipart uploads of %s failed", key, exc_info=True)
        return n

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        self.ensure_bucket()
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as e:
            if _status(e) == 404:
                return False
            raise
        return True

    def open(self, sha256: str):
        """The object's StreamingBody: read(n) streams from the network."""
        from botocore.exceptions import ClientError

        self.ensure_bucket()
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"]
        except ClientError as e:
            if _status(e) == 404 or _code(e) == "NoSuchKey":
                raise BlobMissing(f"文件内容缺失：{sha256}") from e
            raise

    def delete(self, sha256: str):
        self.ensure_bucket()
        self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    def entries(self):
        self.ensure_bucket()
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.PREFIX):
            for obj in page.get("Contents", []):
                name = obj["Key"][len(self.PREFIX):]
                if is_digest(name):
                    yield name, obj["LastModified"]

    def gc_temp(self, cutoff: dt.datetime, dry_run=False) -> int:
        """Stale spool files, and multipart uploads a crashed process never completed nor aborted."""
        n = _remove_stale(self.spool_dir, cutoff, dry_run)
        self.ensure_bucket()
        for page in self.client.get_paginator("list_multipart_uploads").paginate(Bucket=self.bucket,
                                                                               Prefix=self.PREFIX):
            for up in page.get("Uploads", []):
                if up["Initiated"] < cutoff:
                    n += 1
                    if not dry_run:
                        self.client.abort_multipart_upload(Bucket=self.bucket, Key=up["Key"],
                                                           UploadId=up["UploadId"])
        return n


def _status(e) -> int:
    return int(e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)


def _code(e) -> str:
    return str(e.response.get("Error", {}).get("Code", ""))
