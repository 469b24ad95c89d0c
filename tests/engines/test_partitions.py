"""Issue 23, item 4: the ledger entries as a PostgreSQL partitioned table (`zhifa partition-ledger`,
zhifa/ledger/partitions.py), on a scratch database of the server at 127.0.0.1:5432.

The ledger's own migrations build the plain table; entries are appended through the application
(tests/engines/partition_probe.py), the table is converted with small partitions (50 entries), and
then: the same rows, root hash and proofs, `check_log` (what `zhifa verify` runs on the ledger)
clean before and after, EXPLAIN shows the application's seq lookups and ranges touching only their
partitions, the append-only triggers hold on the parent and on every partition, appends beyond the
last partition land in the DEFAULT partition and `maintain` moves them into a new one."""
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.engines import pgcluster

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("ZHIFA_PARTITION_TEST_SERVER", "postgresql://postgres@127.0.0.1:5432")
T = "ledger_ledgerentry"


def psql(url, sql, check=True):
    r = subprocess.run([str(pgcluster.PG_BIN / "psql"), url, "-XAtc", sql], capture_output=True, text=True,
                       timeout=120)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def _server_down() -> str | None:
    if not (pgcluster.PG_BIN / "psql").exists():
        return "psql absent (Debian postgresql-client-15)"
    r = subprocess.run([str(pgcluster.PG_BIN / "psql"), f"{SERVER}/postgres", "-XAtc", "SELECT 1"],
                       capture_output=True, timeout=30)
    return None if r.returncode == 0 else f"PostgreSQL unreachable at {SERVER}"


def test_command_refuses_sqlite_or_reports_status(db):
    """On SQLite (the default test database) the command says it is for PostgreSQL only."""
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="仅适用于 PostgreSQL"):
            call_command("partition-ledger", "status")
    else:
        from io import StringIO

        out = StringIO()
        call_command("partition-ledger", "status", stdout=out)
        assert "未分区" in out.getvalue()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    why = _server_down()
    if why:
        pytest.skip(why)
    db = f"zhifa_part_{secrets.token_hex(4)}"
    psql(f"{SERVER}/postgres", f"CREATE DATABASE {db} ENCODING 'UTF8' TEMPLATE template0")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER",
                        "ZHIFA_CACHE_URL", "ZHIFA_PGBOUNCER")}
    env.update(ZHIFA_DEMO="1", ZHIFA_DATA_DIR=str(tmp_path_factory.mktemp("part")), DATABASE_URL=f"{SERVER}/{db}",
               DJANGO_SETTINGS_MODULE="zhifa.settings")
    try:
        # the ledger's migrations and what they depend on (the plain table, its indexes and triggers)
        subprocess.run([sys.executable, "-m", "zhifa", "migrate", "ledger", "--noinput", "-v0"], env=env, cwd=ROOT,
                       check=True, timeout=900)
        yield {"url": f"{SERVER}/{db}", "env": env}
    finally:
        psql(f"{SERVER}/postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)", check=False)


def run(scratch, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], env=scratch["env"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def probe(scratch, *args) -> dict:
    r = run(scratch, "-m", "tests.engines.partition_probe", *args)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


pg = pytest.mark.skipif(_server_down() is not None, reason=_server_down() or "")


@pg
@pytest.mark.slow
def test_partitioned_ledger_keeps_every_query_and_prunes(scratch):
    url = scratch["url"]
    assert probe(scratch, "append", "130")["size"] == 130
    before = probe(scratch, "probe")
    assert before["discrepancies"] == [] and before["count"] == 130
    assert before["plans"]["point"] == [T]  # one plain table

    r = run(scratch, "-m", "zhifa", "partition-ledger", "convert", "--rows", "50", "--ahead", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "校验摘要" in r.stdout and "一致" in r.stdout
    assert psql(url, f"SELECT relkind FROM pg_class WHERE relname = '{T}'").stdout.strip() == "p"
    parts = psql(url, f"SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                      f"WHERE i.inhparent = '{T}'::regclass ORDER BY 1").stdout.split()
    assert parts == [f"{T}_default", f"{T}_p0000", f"{T}_p0001", f"{T}_p0002", f"{T}_p0003"]
    # Django's index and constraint names are kept (later migrations refer to them)
    names = set(psql(url, f"SELECT indexname FROM pg_indexes WHERE tablename = '{T}'").stdout.split())
    assert "ledger_subject_seq" in names and any(n.startswith(f"{T}_event_type") for n in names)
    assert psql(url, f"SELECT count(*) FROM pg_tables WHERE tablename = '{T}_unpartitioned'").stdout.strip() == "0"

    after = probe(scratch, "probe")
    assert after["discrepancies"] == []
    assert (after["count"], after["root"], after["rows"], after["proof_len"]) == \
        (before["count"], before["root"], before["rows"], before["proof_len"])
    plans = after["plans"]
    assert plans["point"] == [f"{T}_p0002"]         # seq 127
    assert plans["point_first"] == [f"{T}_p0000"]   # seq 2
    assert plans["range"] == [f"{T}_p0000", f"{T}_p0001"]  # 40 ≤ seq < 60
    assert plans["case_bounded"] == [f"{T}_p0000"]  # a case's entries below a tree size
    assert len(plans["all"]) == 5                   # no bound: every partition (incl. the default)

    # append-only on the parent and on each partition, TRUNCATE included
    for sql in (f"UPDATE {T} SET event_type = 'x' WHERE seq = 1", f"DELETE FROM {T}_p0001",
                f"TRUNCATE {T}_p0002", f"TRUNCATE {T}"):
        r = psql(url, sql, check=False)
        assert r.returncode != 0 and "append-only" in r.stderr, (sql, r.stderr)

    # past the last partition (200): the DEFAULT partition takes the entries, maintain moves them
    assert probe(scratch, "append", "100")["size"] == 230
    assert psql(url, f"SELECT count(*) FROM {T}_default").stdout.strip() == "30"
    r = run(scratch, "-m", "zhifa", "partition-ledger", "maintain", "--ahead", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "自默认分区移出 30 条" in r.stdout
    assert psql(url, f"SELECT count(*) FROM {T}_default").stdout.strip() == "0"
    assert psql(url, f"SELECT count(*) FROM {T}_p0004").stdout.strip() == "30"
    assert psql(url, f"SELECT count(*) FROM pg_class WHERE relname = '{T}_p0005'").stdout.strip() == "1"
    final = probe(scratch, "probe")
    assert final["discrepancies"] == [] and final["count"] == 230
    assert final["plans"]["point"] == [f"{T}_p0004"]  # seq 227
    # maintain again: nothing to do
    r = run(scratch, "-m", "zhifa", "partition-ledger", "maintain", "--ahead", "1")
    assert r.returncode == 0 and "新建分区 0 个，自默认分区移出 0 条" in r.stdout, r.stdout + r.stderr
