"""Database privileges on the log tables (PostgreSQL): the application's role may read and append,
never UPDATE, DELETE or TRUNCATE — in addition to the append-only triggers and the ledger's hashes.

Apps declare their log tables in their `verify.py`:

    from zhifa.ledger import privileges
    privileges.log_table("cases.caseevent", why="案件流转记录")

`zhifa migrate`, run by the owner role with ZHIFA_DB_APP_ROLE set (docs/deploy.md §3), revokes those
privileges from the application role after every migration (post_migrate); `zhifa verify` reports
`ledger.db_privileges` when the role it runs as still has any of them (a superuser has all).
On SQLite there are no roles: the file's permissions are the boundary (docs/deploy.md).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from zhifa.ledger.verify import Discrepancy, check

FORBIDDEN = ("UPDATE", "DELETE", "TRUNCATE")
# The ledger's own tables, and the change log every action writes (common is ground: declared here).
LOG_TABLES: dict[str, str] = {"ledger.ledgerentry": "日志条目", "ledger.ledgernode": "默克尔树节点",
                              "ledger.treehead": "签名树头", "common.changelog": "变更留痕"}


def log_table(label: str, *, why: str) -> None:
    """Declare `label` ("app.model") a log table: append-only for the application role."""
    LOG_TABLES[label.lower()] = why


def tables() -> list[str]:
    out = []
    for label in sorted(LOG_TABLES):
        try:
            out.append(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return out


def _quote(connection: Any, name: str) -> str:
    return str(connection.ops.quote_name(name))


def restrict_app_role(role: str, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """REVOKE UPDATE, DELETE, TRUNCATE on every log table from `role`; it keeps SELECT and INSERT."""
    from zhifa.ledger.verify import discover

    discover()  # every app's declarations
    connection = connections[using]
    done = []
    with connection.cursor() as c:
        for table in tables():
            c.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {_quote(connection, table)} FROM {_quote(connection, role)}")
            c.execute(f"GRANT SELECT, INSERT ON {_quote(connection, table)} TO {_quote(connection, role)}")
            done.append(table)
    return done


def after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate receiver (the ledger app's; runs once per `migrate`)."""
    role = getattr(settings, "ZHIFA_DB_APP_ROLE", "")
    connection = connections[using]
    if not role or connection.vendor != "postgresql":
        return
    with connection.cursor() as c:
        c.execute("SELECT current_user")
        if c.fetchone()[0] == role:
            return  # the application role cannot restrict itself; migrations belong to the owner
    restrict_app_role(role, using)


@check
def check_db_privileges() -> Iterator[Discrepancy]:
    """The role `zhifa verify` runs as (the application's) cannot UPDATE/DELETE/TRUNCATE a log table."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or not getattr(settings, "ZHIFA_CHECK_DB_PRIVILEGES", True):
        return
    with connection.cursor() as c:
        c.execute("SELECT current_user")
        user = c.fetchone()[0]
        for table in tables():
            held = []
            for privilege in FORBIDDEN:
                c.execute("SELECT has_table_privilege(current_user, %s, %s)", [table, privilege])
                if c.fetchone()[0]:
                    held.append(privilege)
            if held:
                yield Discrepancy("ledger.db_privileges", table,
                                  f"数据库角色 {user} 可对日志表执行 {'、'.join(held)}；应用角色只应有 SELECT、INSERT"
                                  "（以所有者角色运行迁移并设置 ZHIFA_DB_APP_ROLE，见 docs/deploy.md 第3节）")
