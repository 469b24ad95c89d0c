"""The backup/restore drill (issue 15, item 5): seed an installation, sign its ledger, `zhifa backup`,
`zhifa restore` into another database and store, then `zhifa verify` is clean and every table has
the same number of rows. SQLite with the local store; PostgreSQL with the S3 store (SeaweedFS)."""
import json
import os
import sqlite3
import subprocess

import pytest

from tests.blobs.conftest import seaweedfs  # noqa: F401 - the session's S3 server
from tests.ops.conftest import ZHIFA

pytestmark = pytest.mark.slow
# The PostgreSQL drill runs in the suite's PostgreSQL run (make test-pg, .ci/run), next to its database;
# the SQLite drill in the SQLite run. Each seeds a county (~1–2 min).
SUITE_DB = os.environ.get("DATABASE_URL", "")
ON_PG = SUITE_DB.startswith("postgres")
PG_BASE, PG_NAME = SUITE_DB.rsplit("/", 1) if ON_PG else ("", "")


def zhifa(env, *args, check=True):
    r = subprocess.run([str(ZHIFA), *args], env=env, capture_output=True, text=True, timeout=900)
    if check:
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r


def demo_env(data, **extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "PYTEST_XDIST_WORKER") and not k.startswith("ZHIFA_")}
    env |= {"ZHIFA_DEMO": "1", "ZHIFA_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "zhifa.settings"}
    return env | extra


def seed(env):
    zhifa(env, "migrate", "--noinput", "-v0")
    zhifa(env, "seed", "--scale", "county")
    # The worker, as in production, renders what the seed queued (the PDFs, several per LibreOffice
    # run), so the backup holds generated PDFs too; then the queue is empty.
    zhifa(env, "db_worker", "--batch", "--no-startup-delay", "--queue-name", "default")
    zhifa(env, "ledger", "sign")


def sqlite_counts(path):
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


@pytest.mark.skipif(ON_PG, reason="the suite's PostgreSQL run does the PostgreSQL drill")
def test_drill_sqlite_local_store(tmp_path):
    src = demo_env(tmp_path / "a")
    seed(src)
    con = sqlite3.connect(tmp_path / "a" / "zhifa.sqlite3")
    try:  # the worker made the seed's PDFs
        assert con.execute("SELECT COUNT(*) FROM documents_generateddocument WHERE pdf_status = 'ready'").fetchone()[0] > 0
        assert con.execute("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'").fetchone()[0] == 0
    finally:
        con.close()
    zhifa(src, "backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["blobs"] > 0 and not manifest["private_key_included"]
    assert not (tmp_path / "backup" / "keys" / "ledger-key.pem").exists()

    # A damaged backup is refused before anything is restored.
    broken = tmp_path / "broken"
    subprocess.run(["cp", "-a", str(tmp_path / "backup"), str(broken)], check=True)
    victim = next((broken / "blobs").iterdir())
    victim.write_bytes(victim.read_bytes() + b"x")
    # The data key travels apart from the backup (docs/deploy.md §7d): the new site is given it.
    dst = demo_env(tmp_path / "c", ZHIFA_DATA_KEY_FILE=str(tmp_path / "a" / "keys" / "data-sm4.keys"))
    r = zhifa(dst, "restore", str(broken), check=False)
    assert r.returncode != 0 and "备份已损坏" in r.stderr and victim.name in r.stderr
    assert sqlite_counts(tmp_path / "c" / "zhifa.sqlite3") == {}

    # Restored elsewhere without the private key: the old tree heads verify once its public key is trusted.
    r = zhifa(dst, "restore", str(tmp_path / "backup"))
    assert "行数与备份一致" in r.stdout and "ZHIFA_LEDGER_TRUSTED_KEYS=" in r.stdout
    dst["ZHIFA_LEDGER_TRUSTED_KEYS"] = manifest["ledger_public_key"]
    r = zhifa(dst, "verify")
    assert "发现 0 处不一致" in r.stdout
    before, after = sqlite_counts(tmp_path / "a" / "zhifa.sqlite3"), sqlite_counts(tmp_path / "c" / "zhifa.sqlite3")
    assert before == after and sum(after.values()) > 1000
    assert sorted(p.name for p in (tmp_path / "c" / "blobs").rglob("*") if len(p.name) == 64) == \
        sorted(p.name for p in (tmp_path / "a" / "blobs").rglob("*") if len(p.name) == 64)
    # Refuses a database that is not empty.
    r = zhifa(dst, "restore", str(tmp_path / "backup"), check=False)
    assert r.returncode != 0 and "不是空库" in r.stderr


def _pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{PG_BASE}/postgres", connect_timeout=3).close()
        return True
    except Exception:  # noqa: BLE001
        return False


def _fresh_db(name):
    import psycopg

    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_BASE}/{name}"


def _drop_db(name):
    import psycopg

    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_counts(url):
    import psycopg

    with psycopg.connect(url) as con:
        tables = [r[0] for r in con.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.skipif(not ON_PG or not _pg_available(), reason="only in the suite's PostgreSQL run")
def test_drill_postgresql_s3_store(tmp_path, seaweedfs):  # noqa: F811
    s3 = {"ZHIFA_BLOB_BACKEND": "s3", "ZHIFA_S3_ENDPOINT_URL": seaweedfs["endpoint"],
          "ZHIFA_S3_ACCESS_KEY": seaweedfs["access_key"], "ZHIFA_S3_SECRET_KEY": seaweedfs["secret_key"]}
    names = (f"{PG_NAME}_drill_src", f"{PG_NAME}_drill_dst")
    try:
        src = demo_env(tmp_path / "a", DATABASE_URL=_fresh_db(names[0]), ZHIFA_S3_BUCKET="drill-src", **s3)
        seed(src)
        zhifa(src, "backup", str(tmp_path / "backup"), "--include-private-key")
        manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
        assert manifest["database"]["vendor"] == "postgresql" and manifest["blobs"] > 0
        dst = demo_env(tmp_path / "c", DATABASE_URL=_fresh_db(names[1]), ZHIFA_S3_BUCKET="drill-dst",
                       ZHIFA_DATA_KEY_FILE=str(tmp_path / "a" / "keys" / "data-sm4.keys"), **s3)
        r = zhifa(dst, "restore", str(tmp_path / "backup"))
        assert "行数与备份一致" in r.stdout and "ZHIFA_LEDGER_TRUSTED_KEYS" not in r.stdout
        assert "发现 0 处不一致" in zhifa(dst, "verify").stdout
        before, after = pg_counts(src["DATABASE_URL"]), pg_counts(dst["DATABASE_URL"])
        assert before == after and sum(after.values()) > 1000
    finally:
        for n in names:
            _drop_db(n)
