"""Append-only tables: database triggers that refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL).

Reusable by any app: in a migration, `AppendOnly("ModelName")` installs the triggers on that
model's table (reverse: drops them). Note for SQLite: a later migration that makes Django
rebuild the table (most AlterField/RemoveField) drops its triggers with the old table — add
another `AppendOnly` after such an operation; `zhifa verify` reports missing triggers.

The only way past the triggers is `ledger_unlocked()`: tests that tamper on purpose and the test
runner's flushes between transactional tests.
  SQLite      the trigger calls zhifa_ledger_unlocked(), a Python function this module registers
              on every connection the application opens; the sqlite3 shell does not have it, so
              there the statement fails too.
  PostgreSQL  the trigger function raises unless current_setting('zhifa.ledger_unlocked') is
              'on', which ledger_unlocked() sets with SET LOCAL inside its own transaction.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState

_lock = threading.Lock()
_unlocked = 0  # a process-wide count: the live-server thread of browser tests shares it


def _is_unlocked() -> int:
    return 1 if _unlocked > 0 else 0


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver (connected in LedgerConfig.ready)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("zhifa_ledger_unlocked", 0, _is_unlocked)


@contextmanager
def ledger_unlocked(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let UPDATE/DELETE/TRUNCATE through the append-only triggers inside this block (one
    transaction). Never used by the application itself."""
    global _unlocked
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            _set_pg(connection, "on")
        with _lock:
            _unlocked += 1
        try:
            yield
            # SET LOCAL lasts to the end of the *transaction*: inside a caller's transaction it
            # would outlive this block (releasing a savepoint keeps it; rolling back undoes it).
            if connection.vendor == "postgresql":
                _set_pg(connection, "off")
        finally:
            with _lock:
                _unlocked -= 1


def _set_pg(connection: BaseDatabaseWrapper, value: str) -> None:
    with connection.cursor() as c:
        c.execute(f"SET LOCAL zhifa.ledger_unlocked = '{value}'")


# ---- SQL ------------------------------------------------------------------------------------------

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION zhifa_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('zhifa.ledger_unlocked', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP;
END
$$
"""


def _names(table: str) -> dict[str, str]:
    return {"table": table, "upd": f"{table}_no_update", "del": f"{table}_no_delete",
            "trunc": f"{table}_no_truncate"}


def install_sql(vendor: str, table: str) -> list[str]:
    n = _names(table)
    if vendor == "sqlite":
        body = f"WHEN NOT zhifa_ledger_unlocked() BEGIN SELECT RAISE(ABORT, 'ledger is append-only: {table}'); END"
        return [f'CREATE TRIGGER IF NOT EXISTS "{n["upd"]}" BEFORE UPDATE ON "{table}" FOR EACH ROW {body}',
                f'CREATE TRIGGER IF NOT EXISTS "{n["del"]}" BEFORE DELETE ON "{table}" FOR EACH ROW {body}']
    if vendor == "postgresql":
        return [PG_FUNCTION,
                f'DROP TRIGGER IF EXISTS "{n["upd"]}" ON "{table}"',
                f'CREATE TRIGGER "{n["upd"]}" BEFORE UPDATE OR DELETE ON "{table}" FOR EACH ROW '
                f'EXECUTE FUNCTION zhifa_append_only()',
                f'DROP TRIGGER IF EXISTS "{n["trunc"]}" ON "{table}"',
                f'CREATE TRIGGER "{n["trunc"]}" BEFORE TRUNCATE ON "{table}" FOR EACH STATEMENT '
                f'EXECUTE FUNCTION zhifa_append_only()']
    raise NotImplementedError(f"append-only triggers for {vendor}")


def drop_sql(vendor: str, table: str) -> list[str]:
    n = _names(table)
    if vendor == "sqlite":
        return [f'DROP TRIGGER IF EXISTS "{n["upd"]}"', f'DROP TRIGGER IF EXISTS "{n["del"]}"']
    return [f'DROP TRIGGER IF EXISTS "{n["upd"]}" ON "{table}"', f'DROP TRIGGER IF EXISTS "{n["trunc"]}" ON "{table}"']


def triggers_present(table: str, using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    n = _names(table)
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            want = {n["upd"], n["del"]}
        else:
            c.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D'",
                      [f'"{table}"'])
            want = {n["upd"], n["trunc"]}
        return want <= {row[0] for row in c.fetchall()}


class AppendOnly(Operation):
    """Migration operation: make `model_name`'s table append-only."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[str], dict[str, Any]]:
        return self.__class__.__name__, [self.model_name], {}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def _table(self, app_label: str, state: ProjectState) -> str:
        table: str = state.apps.get_model(app_label, self.model_name)._meta.db_table
        return table

    def database_forwards(self, app_label: str, schema_editor: BaseDatabaseSchemaEditor,
                          from_state: ProjectState, to_state: ProjectState) -> None:
        for sql in install_sql(schema_editor.connection.vendor, self._table(app_label, to_state)):
            schema_editor.execute(sql, params=None)  # None: the PL/pgSQL body contains '%'

    def database_backwards(self, app_label: str, schema_editor: BaseDatabaseSchemaEditor,
                           from_state: ProjectState, to_state: ProjectState) -> None:
        for sql in drop_sql(schema_editor.connection.vendor, self._table(app_label, from_state)):
            schema_editor.execute(sql, params=None)

    def describe(self) -> str:
        return f"Make {self.model_name} append-only (refuse UPDATE/DELETE)"

    @property
    def migration_name_fragment(self) -> str:
        return f"append_only_{self.model_name.lower()}"
