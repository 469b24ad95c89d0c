"""Bounded memory of put_stream; S3 multipart uploads interrupted half-way; concurrent puts."""
import hashlib
import threading
import tracemalloc

import pytest
from django.db import connection

from tests.blobs import media
from zhifa.blobs.models import Blob
from zhifa.blobs.store import blob_store, open_blob, put_stream, rehash


@pytest.mark.slow
@pytest.mark.django_db
def test_put_stream_memory_is_bounded(backend):
    """64 MB through put_stream with at most a few 1 MiB chunks alive (a property, not a timing)."""
    # Warm-up: the first S3 call loads botocore's service models (~12 MiB, once per process).
    put_stream(media.Generated(20 << 20))
    src = media.Generated(64 << 20)
    tracemalloc.start()
    try:
        blob = put_stream(src)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert blob.size == 64 << 20 and blob.kind == "photo"
    assert peak < 16 << 20, f"peak traced memory {peak / 2**20:.1f} MiB"
    assert rehash(blob) == (blob.sha256, blob.sm3, blob.size)


@pytest.mark.slow
@pytest.mark.django_db
def test_interrupted_multipart_upload_leaves_nothing(settings, seaweedfs, raw):
    from tests.blobs.conftest import use_s3

    use_s3(settings, seaweedfs)
    store = blob_store()
    data = media.big_png(40 << 20)  # three 16 MiB parts
    sha256 = hashlib.sha256(data).hexdigest()
    calls = []

    def fail_second_part(params, **kw):
        calls.append(params["PartNumber"])
        if len(calls) == 2:
            raise ConnectionResetError("对象存储连接中断")

    store.client.meta.events.register("before-parameter-build.s3.UploadPart", fail_second_part, unique_id="t-fail")
    try:
        with pytest.raises(Exception):
            put_stream(media.NamedBytesIO(data, "录像.mp4"))
    finally:
        store.client.meta.events.unregister("before-parameter-build.s3.UploadPart", unique_id="t-fail")
    assert len(calls) >= 2
    assert not raw.exists(sha256) and not Blob.objects.exists() and raw.spool_files() == []
    pending = store.client.list_multipart_uploads(Bucket=store.bucket, Prefix=store.key(sha256))
    assert pending.get("Uploads", []) == []
    # The same bytes go through once the store is reachable again, streamed back in full.
    blob = put_stream(media.NamedBytesIO(data, "录像.mp4"))
    with open_blob(blob) as f:
        assert hashlib.sha256(f.read()).hexdigest() == sha256


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_puts_make_one_row(backend):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers with a database lock; the race needs PostgreSQL")
    data = media.png()
    results, errors = [], []
    barrier = threading.Barrier(4)

    def worker():
        try:
            barrier.wait()
            results.append(put_stream(media.NamedBytesIO(data, "a.png")).pk)
        except Exception as e:  # noqa: BLE001 - any failure in a thread is collected and asserted on
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(results)) == 1 and Blob.objects.count() == 1
