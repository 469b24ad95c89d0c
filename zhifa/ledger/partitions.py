"""Declarative partitioning of the ledger's entries on PostgreSQL (issue 23, item 4): `zhifa partition-ledger`.

The ledger is the largest append-only table (one entry per action, forever). Converted, its table
`ledger_ledgerentry` is a PostgreSQL partitioned table, `PARTITION BY RANGE (seq)`: the leaf index,
which is the primary key and only ever grows, so the primary key and every query stay as they are
(Django sees the same table name, columns, indexes and constraint names). Why `seq` and not the year
of `created_at`: a unique key of a partitioned table must contain the partition key, so a partition
by time would need a primary key of (seq, created_at), which the model and the other tables'
references do not have; a range of `seq` is a range of time anyway (entries are appended in order).
Partitions hold `--rows` entries each (default 10 000 000), named `ledger_ledgerentry_p<n>`.

Safety:
* PostgreSQL only; SQLite keeps its single table (the models and migrations are unchanged).
* `convert` runs in one transaction holding an ACCESS EXCLUSIVE lock: it renames the old table (and
  its indexes and constraints), creates the partitioned table with the original names, copies every
  row, checks the count and a digest of all leaf hashes, installs the append-only triggers (on the
  parent, cloned to each partition, plus the TRUNCATE trigger on every partition) and drops the old
  table. Any failure rolls everything back. Appends wait for the lock; run it in a maintenance window.
* A DEFAULT partition catches any entry beyond the last range, so an append never fails because
  maintenance was late; `maintain` (daily, like `refresh_deadlines`) keeps `--ahead` empty
  partitions above the highest entry and moves any rows found in the default partition into proper
  ones (the one place that deletes from the ledger's storage: inside one transaction, copied first).
* `status` prints the partitions and their row counts; `zhifa verify` is unchanged (same rows).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from zhifa.ledger.appendonly import install_sql

TABLE = "ledger_ledgerentry"
DEFAULT_ROWS = 10_000_000


class PartitionError(Exception):
    pass


@dataclass
class Partition:
    name: str
    lo: int | None  # None: the DEFAULT partition; 0 also for the first one (MINVALUE)
    hi: int | None
    rows: int


def _fetch(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as c:
        c.execute(sql, params)
        return list(c.fetchall())


def _exec(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as c:
        c.execute(sql, params)


def _require_pg() -> None:
    if connection.vendor != "postgresql":
        raise PartitionError("分区仅适用于 PostgreSQL（SQLite 保持单表，无需处理）")


def is_partitioned() -> bool:
    _require_pg()
    rows = _fetch("SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(%s)", [TABLE])
    return bool(rows) and rows[0][0] == "p"


def partitions() -> list[Partition]:
    """The partitions in order of their range (the DEFAULT partition last), with row counts."""
    _require_pg()
    out = []
    for name, bound in _fetch(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)", [TABLE]):
        rows = _fetch(f'SELECT count(*) FROM "{name}"')[0][0]
        if bound == "DEFAULT":
            out.append(Partition(name, None, None, rows))
        else:  # FOR VALUES FROM (MINVALUE) TO ('10000000'), FROM ('10000000') TO ('20000000')
            lo_text, hi_text = (x.strip(" ()'") for x in bound.split("FROM", 1)[1].split("TO"))
            out.append(Partition(name, 0 if lo_text == "MINVALUE" else int(lo_text), int(hi_text), rows))
    return sorted(out, key=lambda p: (p.lo is None, p.lo or 0))


def _digest(table: str) -> tuple[int, str]:
    """Row count and SHA-256 over every (seq, leaf hash) in order: the copy must match the original."""
    h = hashlib.sha256()
    n = 0
    with connection.cursor() as c:
        c.execute(f'SELECT seq, leaf_hash FROM "{table}" ORDER BY seq')
        while True:
            chunk = c.fetchmany(10000)
            if not chunk:
                break
            for seq, leaf in chunk:
                h.update(seq.to_bytes(8, "big") + bytes(leaf))
                n += 1
    return n, h.hexdigest()


def _partition_name(k: int) -> str:
    return f"{TABLE}_p{k:04d}"


def _create_partition(k: int, rows_per: int) -> str:
    name = _partition_name(k)
    # the first from MINVALUE: a query bounded only above (seq < n) then never needs the DEFAULT partition
    lo = "MINVALUE" if k == 0 else str(k * rows_per)
    _exec(f'CREATE TABLE "{name}" PARTITION OF "{TABLE}" FOR VALUES FROM ({lo}) TO ({(k + 1) * rows_per})')
    _protect(name)
    return name


def _protect(partition: str) -> None:
    """TRUNCATE of one partition is refused too (the row triggers are cloned from the parent)."""
    _exec(f'DROP TRIGGER IF EXISTS "{partition}_no_truncate" ON "{partition}"')
    _exec(f'CREATE TRIGGER "{partition}_no_truncate" BEFORE TRUNCATE ON "{partition}" FOR EACH STATEMENT '
          f"EXECUTE FUNCTION zhifa_append_only()")


def _max_seq() -> int:
    return int(_fetch(f'SELECT coalesce(max(seq), -1) FROM "{TABLE}"')[0][0])


@transaction.atomic
def convert(rows_per: int = DEFAULT_ROWS, ahead: int = 1) -> dict[str, Any]:
    """Turn the plain table into a partitioned one (see the module's docstring)."""
    _require_pg()
    if rows_per < 1:
        raise PartitionError("每个分区的条目数须为正整数")
    if is_partitioned():
        raise PartitionError(f"{TABLE} 已是分区表")
    referencing = _fetch("SELECT conname, conrelid::regclass::text FROM pg_constraint "
                         "WHERE confrelid = to_regclass(%s) AND contype = 'f'", [TABLE])
    if referencing:
        raise PartitionError("有外键引用日志条目表，拒绝转换：" + ", ".join(f"{t}.{n}" for n, t in referencing))
    _exec(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
    before = _digest(TABLE)
    old = f"{TABLE}_unpartitioned"
    # the definitions to re-create under their own names (Django's migrations refer to them)
    constraints = _fetch("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                         "WHERE conrelid = to_regclass(%s) ORDER BY contype = 'p' DESC, conname", [TABLE])
    indexes = _fetch("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.schemaname = "
                     "current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
                     "AND c.conrelid = to_regclass(%s))", [TABLE, TABLE])
    _exec(f'ALTER TABLE "{TABLE}" RENAME TO "{old}"')
    for k, (name, _def) in enumerate(constraints):
        _exec(f'ALTER TABLE "{old}" RENAME CONSTRAINT "{name}" TO "zhifa_up_c{k}"')
    for k, (name, _def) in enumerate(indexes):
        _exec(f'ALTER INDEX "{name}" RENAME TO "zhifa_up_i{k}"')
    _exec(f'CREATE TABLE "{TABLE}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMMENTS) '
          "PARTITION BY RANGE (seq)")
    for name, definition in constraints:
        _exec(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" {definition}')
    for _name, definition in indexes:  # read before the rename: the original index and table names
        _exec(definition)
    last = max(before[0] and _fetch(f'SELECT max(seq) FROM "{old}"')[0][0], 0)
    top = last // rows_per + ahead
    created = [_create_partition(k, rows_per) for k in range(top + 1)]
    _exec(f'CREATE TABLE "{TABLE}_default" PARTITION OF "{TABLE}" DEFAULT')
    for sql in install_sql("postgresql", TABLE):
        _exec(sql)
    _protect(f"{TABLE}_default")
    _exec(f'INSERT INTO "{TABLE}" SELECT * FROM "{old}" ORDER BY seq')
    after = _digest(TABLE)
    if after != before:
        raise PartitionError(f"复制后校验不一致：{before} ≠ {after}")
    _exec(f'DROP TABLE "{old}"')
    _exec(f'ANALYZE "{TABLE}"')
    return {"rows": before[0], "digest": before[1], "partitions": created, "rows_per_partition": rows_per}


@transaction.atomic
def maintain(ahead: int = 1) -> dict[str, Any]:
    """Keep `ahead` empty partitions above the highest entry; move rows out of the DEFAULT partition."""
    _require_pg()
    if not is_partitioned():
        raise PartitionError(f"{TABLE} 不是分区表（先运行 zhifa partition-ledger convert）")
    parts = partitions()
    ranged = [p for p in parts if p.lo is not None]
    if not ranged:
        raise PartitionError("没有按范围的分区")
    rows_per = ranged[0].hi - ranged[0].lo  # type: ignore[operator]
    _exec(f'LOCK TABLE "{TABLE}" IN SHARE ROW EXCLUSIVE MODE')  # appends wait; reads go on
    default = f"{TABLE}_default"
    in_default = _fetch(f'SELECT count(*), max(seq) FROM "{default}"')[0]
    top = max(_max_seq(), 0) // rows_per + ahead
    have = {p.lo // rows_per for p in ranged}  # type: ignore[operator]
    created, moved = [], 0
    if in_default[0]:
        _exec(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{default}"')
        for k in range(top + 1):
            if k not in have:
                created.append(_create_partition(k, rows_per))
        _exec(f'INSERT INTO "{TABLE}" SELECT * FROM "{default}" ORDER BY seq')
        moved = in_default[0]
        _exec("SET LOCAL zhifa.ledger_unlocked = 'on'")
        _exec(f'TRUNCATE "{default}"')
        _exec("SET LOCAL zhifa.ledger_unlocked = 'off'")
        _exec(f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{default}" DEFAULT')
    else:
        for k in range(top + 1):
            if k not in have:
                created.append(_create_partition(k, rows_per))
    return {"created": created, "moved_from_default": moved, "rows_per_partition": rows_per}
