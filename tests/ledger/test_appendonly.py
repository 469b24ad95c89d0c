"""The database refuses UPDATE and DELETE on the ledger's tables, whoever asks."""
import sqlite3

import pytest
from django.db import DatabaseError, connection, transaction

from zhifa.common.actions import ActionRefused
from zhifa.ledger import log
from zhifa.ledger.appendonly import install_sql, ledger_unlocked, triggers_present
from zhifa.ledger.models import LedgerEntry, LedgerNode, TreeHead

pytestmark = pytest.mark.django_db

TABLES = [LedgerEntry._meta.db_table, LedgerNode._meta.db_table, TreeHead._meta.db_table]


@pytest.fixture
def filled():
    log.append_many([("test", {"data": {"i": i}}) for i in range(4)])
    log.sign_tree_head()


def refused(sql, params=()):
    with pytest.raises(DatabaseError) as e:
        with transaction.atomic(), connection.cursor() as c:
            c.execute(sql, params)
    assert "append-only" in str(e.value)


@pytest.mark.parametrize("table", TABLES)
def test_raw_update_and_delete_are_refused(filled, table):
    column = {"ledger_ledgerentry": "body", "ledger_ledgernode": "hash", "ledger_treehead": "signature"}[table]
    value = "'x'" if column != "hash" else {"postgresql": "'\\x00'::bytea"}.get(connection.vendor, "x'00'")
    refused(f"UPDATE {table} SET {column} = {value}")
    refused(f"DELETE FROM {table}")
    with connection.cursor() as c:
        c.execute(f"SELECT COUNT(*) FROM {table}")
        assert c.fetchone()[0] > 0


def test_orm_writes_are_refused_too(filled):
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(seq=0).update(event_type="x")
    # A delete is refused twice over: the audit-retention guard, then the database's trigger.
    with pytest.raises((DatabaseError, ActionRefused)), transaction.atomic():
        LedgerEntry.objects.get(seq=3).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute(f"DELETE FROM {LedgerEntry._meta.db_table} WHERE seq = 3")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused(filled):
    with connection.cursor() as c:  # fire the pending FK checks first, or PostgreSQL refuses for that
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table in TABLES:
        refused(f"TRUNCATE {table} CASCADE")


def test_unlocked_block_lets_changes_through_and_locks_again(filled):
    with ledger_unlocked(), connection.cursor() as c:
        c.execute("UPDATE ledger_ledgerentry SET event_type = 'edited' WHERE seq = 0")
        c.execute("DELETE FROM ledger_treehead")
    assert LedgerEntry.objects.get(seq=0).event_type == "edited" and not TreeHead.objects.exists()
    refused("UPDATE ledger_ledgerentry SET event_type = 'again' WHERE seq = 0")


def test_triggers_are_installed():
    assert all(triggers_present(t) for t in TABLES)


def test_sqlite_without_the_applications_function_fails_too():
    """The sqlite3 shell has no zhifa_ledger_unlocked(): the trigger errors, the row stays."""
    db = sqlite3.connect(":memory:")
    db.execute('CREATE TABLE "t" (a int)')
    db.execute("INSERT INTO t VALUES (1)")
    for sql in install_sql("sqlite", "t"):
        db.execute(sql)
    for sql in ("UPDATE t SET a = 2", "DELETE FROM t"):
        with pytest.raises(sqlite3.OperationalError, match="zhifa_ledger_unlocked"):
            db.execute(sql)
    assert db.execute("SELECT a FROM t").fetchall() == [(1,)]


def test_test_flushes_need_the_unlock(transactional_db):
    """What tests/conftest.py's hook does for every transactional test's teardown."""
    from django.core.management import call_command

    with transaction.atomic():
        log.append("test")
    with pytest.raises(Exception, match="flush|append-only"):
        call_command("flush", interactive=False, verbosity=0)
    assert LedgerEntry.objects.count() == 1
    with ledger_unlocked():
        call_command("flush", interactive=False, verbosity=0)
    assert not LedgerEntry.objects.exists()
