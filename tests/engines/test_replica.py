"""Issue 23, item 4: a real PostgreSQL streaming replica (Debian's binaries, pg_basebackup -R to another
port) behind the database router (zhifa/common/dbrouter.py). The portal reads from the replica, a
browser that wrote reads the primary, the lag shows on /readyz, and when the replica stops the portal
keeps serving from the primary."""
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.engines import pgcluster

ROOT = Path(__file__).resolve().parents[2]
_WHY_NOT = pgcluster.missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(_WHY_NOT is not None, reason=_WHY_NOT or "")]


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers or {})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r, body


def scans(server, table="disclosure_publication") -> int:
    return int(server.psql(f"SELECT COALESCE(seq_scan,0) + COALESCE(idx_scan,0) FROM pg_stat_user_tables"
                           f" WHERE relname = '{table}'") or 0)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    cluster = pgcluster.Cluster()
    data = tmp_path_factory.mktemp("replica")
    proc = None
    try:
        primary = cluster.start_primary()
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER", "ZHIFA_CACHE_URL")}
        env.update(ZHIFA_DEMO="1", ZHIFA_DATA_DIR=str(data), DATABASE_URL=primary.url(), ZHIFA_CONN_MAX_AGE="0",
                   DJANGO_SETTINGS_MODULE="zhifa.settings")
        subprocess.run([sys.executable, "-m", "zhifa", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT,
                       check=True, timeout=600)
        replica = cluster.add_replica()
        env.update(DATABASE_REPLICA_URL=replica.url(), ZHIFA_REPLICA_CHECK_SECONDS="0",
                   ZHIFA_REPLICA_MAX_LAG_SECONDS="30", ZHIFA_METRICS_TOKEN="t0ken")
        port = pgcluster.free_port()
        log = open(data / "server.log", "w")  # noqa: SIM115 - closed at teardown
        proc = subprocess.Popen([sys.executable, "-m", "zhifa", "runserver", "--noreload", "--skip-checks",
                                 f"127.0.0.1:{port}"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/healthz")[0].status == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, (data / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.3)
        yield cluster, port
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=30)
        cluster.close()


def wait_scans(server, above, timeout=10):
    """Statistics reach pg_stat_user_tables when a backend ends its transaction (or within a second)."""
    deadline = time.monotonic() + timeout
    while scans(server) <= above:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_portal_reads_the_replica_writes_pin_to_the_primary_and_a_stopped_replica_falls_back(stack):
    cluster, port = stack
    primary, replica = cluster.primary, cluster.replica
    # A write on the primary reaches the replica by streaming replication.
    primary.psql("CREATE TABLE zz_marker (note text); INSERT INTO zz_marker VALUES ('主库写入')")
    cluster.wait_replayed()
    assert replica.psql("SELECT note FROM zz_marker") == "主库写入"
    assert replica.psql("SELECT pg_is_in_recovery()") == "t"

    # The portal's home reads its publications on the replica, not on the primary.
    before_r, before_p = scans(replica), scans(primary)
    r, body = get(port, "/gs/")
    assert r.status == 200, body[:500]
    assert r.getheader("X-Zhifa-Read-DB") == "replica"
    assert wait_scans(replica, before_r), "the portal did not read the replica"
    time.sleep(1.5)
    assert scans(primary) == before_p, "the portal read the primary"

    # Read-your-writes: a browser that wrote in the last ZHIFA_REPLICA_PIN_SECONDS reads the primary.
    r, _ = get(port, "/gs/", headers={"Cookie": f"zhifa_wrote={time.time():.3f}"})
    assert r.status == 200 and r.getheader("X-Zhifa-Read-DB") == "default"
    # Staff pages never read the replica.
    r, _ = get(port, "/login/")
    assert r.getheader("X-Zhifa-Read-DB") == "default"

    # The lag is shown to the operator.
    r, body = get(port, "/readyz")
    check = next(c for c in json.loads(body)["checks"] if c["name"] == "replica")
    assert check["status"] == "ok" and check["lag_seconds"] is not None and check["lag_seconds"] <= 30
    r, body = get(port, "/metrics", headers={"Authorization": "Bearer t0ken"})
    assert r.status == 200 and b"zhifa_replica_up 1.0" in body and b"zhifa_replica_lag_seconds" in body

    # The replica stops: the portal keeps serving, from the primary; /readyz warns and stays 200.
    replica.stop()
    for _ in range(3):
        r, body = get(port, "/gs/")
        assert r.status == 200, body[:500]
        assert r.getheader("X-Zhifa-Read-DB") == "default"
    r, body = get(port, "/readyz")
    check = next(c for c in json.loads(body)["checks"] if c["name"] == "replica")
    assert check["status"] == "warn" and "不可达" in check["detail"]
    r, body = get(port, "/metrics", headers={"Authorization": "Bearer t0ken"})
    assert b"zhifa_replica_up 0.0" in body and b"zhifa_replica_lag_seconds -1.0" in body
