"""The ledger's public API (docs/records.md, "ledger").

    append(event_type, *, subject=None, actor=None, case=None, data=None) -> LedgerEntry
    append_many([(event_type, kwargs), ...]) -> list[LedgerEntry]
    fingerprint(obj) -> str
    register_subject(Model)
    root(tree_size=None) -> bytes
    inclusion_proof(index, tree_size=None) -> list[bytes]
    consistency_proof(old_size, new_size=None) -> list[bytes]
    sign_tree_head() -> TreeHead;  latest_tree_head() -> TreeHead | None

Appends run in the caller's transaction, so an entry commits or rolls back with the change it
records. They are serialised by the LedgerHead row lock (SELECT … FOR UPDATE on PostgreSQL; on
SQLite a no-op UPDATE, which takes the database's write lock): sequence numbers are gap-free.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone

from zhifa.ledger import merkle
from zhifa.ledger.fingerprints import fingerprint
from zhifa.ledger.models import LedgerEntry, LedgerHead, LedgerNode, TreeHead
from zhifa.ledger.pure import canonical_json, tree_head_message

if TYPE_CHECKING:
    from typing import TypeAlias

    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from zhifa.common.models import ChangeLog

    Actor: TypeAlias = AbstractBaseUser | AnonymousUser

__all__ = ["append", "append_many", "batched", "fingerprint", "register_subject", "root", "inclusion_proof",
           "consistency_proof", "sign_tree_head", "latest_tree_head", "LedgerRangeError", "SUBJECT_MODELS"]

MAX_DATA_BYTES = 64 * 1024
BATCH = 5000
SUBJECT_MODELS: list[type[models.Model]] = []


class LedgerRangeError(ValueError):
    """A size or index outside the log; `field` names the parameter (for the API's 422)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def register_subject(model: type[models.Model]) -> None:
    """Every row of `model` must have a ledger entry (checked by `zhifa verify`)."""
    if model not in SUBJECT_MODELS:
        SUBJECT_MODELS.append(model)


# ---- appending ------------------------------------------------------------------------------------

def append(event_type: str, *, subject: models.Model | None = None, actor: Actor | None = None,
           case: models.Model | int | None = None, data: dict[str, Any] | None = None) -> LedgerEntry:
    return append_many([(event_type, {"subject": subject, "actor": actor, "case": case, "data": data})])[0]


_batch = threading.local()


@contextmanager
def batched() -> Iterator[None]:
    """Appends made inside the block (by the action and everything it calls) are queued and
    written together, in their order, by one append_many when the block ends without an
    exception: one head lock, one frontier read, one head update per action instead of one per
    entry (issue 23). The block must run inside the caller's transaction; an exception discards
    the queue (the transaction rolls back anyway). Nested blocks join the outermost one.

    Everything an entry records (subject, fingerprint, actor, data) is taken at the append; only
    the sequence number, the time and the Merkle nodes are assigned at the flush. append() returns
    the entry object then, filled in at the flush."""
    if getattr(_batch, "queue", None) is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("ledger.batched 必须在调用方的事务（transaction.atomic）中使用")
    _batch.queue = []
    try:
        yield
        queue = _batch.queue
    finally:
        _batch.queue = None
    if queue:
        written = _append_prepared([prepared for _entry, prepared in queue])
        for placeholder, entry in zip((e for e, _p in queue), written):
            placeholder.__dict__.update(entry.__dict__)


def append_many(items: Iterable[tuple[str, dict[str, Any]]]) -> list[LedgerEntry]:
    if not connection.in_atomic_block:
        raise RuntimeError("ledger.append 必须在调用方的事务（transaction.atomic）中调用")
    prepared = [_prepare(event_type, **kwargs) for event_type, kwargs in items]
    queue = getattr(_batch, "queue", None)
    if queue is not None:
        placeholders = [LedgerEntry() for _p in prepared]
        queue.extend(zip(placeholders, prepared))
        return placeholders
    return _append_prepared(prepared)


def _append_prepared(items: list[dict[str, Any]]) -> list[LedgerEntry]:
    if not items:
        return []
    head = _lock_head()
    stack = _frontier(head.size)
    now = timezone.now()
    when = now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    next_key = merkle.node_count(head.size)
    entries: list[LedgerEntry] = []
    nodes: list[tuple[int, bytes]] = []

    def emit(_level: int, h: bytes) -> None:
        nonlocal next_key
        nodes.append((next_key, h))
        next_key += 1

    seq = head.size
    for prepared in items:
        entry = _entry(seq, now, when, prepared)
        merkle.push_leaf(stack, bytes(entry.leaf_hash), emit)  # bytes; the field's type allows memoryview
        entries.append(entry)
        seq += 1
    _insert(entries, nodes)
    for e in entries:  # they are rows now, as if bulk_create had saved them
        e._state.adding, e._state.db = False, connection.alias
    LedgerHead.objects.filter(pk=1).update(size=seq, root=merkle.fold(stack).hex(), updated_at=now)
    return entries


ENTRY_COLUMNS = ("seq", "body", "leaf_hash", "event_type", "subject_type_id", "subject_id", "case_id", "actor_id",
                 "created_at")


def _insert(entries: list[LedgerEntry], nodes: list[tuple[int, bytes]]) -> None:
    """Plain INSERTs of the new rows; on PostgreSQL through COPY, which is what makes seeding a
    million entries take a minute or two rather than several (bulk_create spends most of its time
    building and parsing one huge statement per batch)."""
    erows: list[tuple[Any, ...]]
    erows = [(e.seq, e.body, e.leaf_hash, e.event_type, e.subject_type_id, e.subject_id, e.case_id, e.actor_id,
              e.created_at) for e in entries]
    nrows = nodes
    et, nt = LedgerEntry._meta.db_table, LedgerNode._meta.db_table
    with connection.cursor() as c:
        if connection.vendor == "postgresql" and len(erows) > 20:
            raw = c.cursor
            with raw.copy(f'COPY "{et}" ({", ".join(ENTRY_COLUMNS)}) FROM STDIN') as copy:
                for row in erows:
                    copy.write_row(row)
            with raw.copy(f'COPY "{nt}" (key, hash) FROM STDIN') as copy:
                for row in nrows:
                    copy.write_row(row)
            return
        if connection.vendor == "sqlite":
            adapt = connection.ops.adapt_datetimefield_value
            erows = [(*row[:-1], adapt(row[-1])) for row in erows]
        marks = ", ".join(["%s"] * len(ENTRY_COLUMNS))
        for i in range(0, len(erows), BATCH):
            c.executemany(f'INSERT INTO "{et}" ({", ".join(ENTRY_COLUMNS)}) VALUES ({marks})', erows[i:i + BATCH])
        for i in range(0, len(nrows), BATCH):
            c.executemany(f'INSERT INTO "{nt}" (key, hash) VALUES (%s, %s)', nrows[i:i + BATCH])


def _prepare(event_type: str, subject: models.Model | None = None, actor: Actor | None = None,
             case: models.Model | int | None = None, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything an entry records except its sequence number and time (see batched)."""
    if not isinstance(event_type, str) or not 0 < len(event_type) <= 64:
        raise ValueError(f"事件类型无效：{event_type!r}")
    subject_type, subject_id, subject_label, fp = None, "", None, None
    if subject is not None:
        if subject.pk is None:
            raise ValueError("记入日志的对象必须已保存")
        subject_type = ContentType.objects.get_for_model(type(subject))
        subject_id = str(subject.pk)
        subject_label = f"{subject_type.app_label}.{subject_type.model}:{subject_id}"
        fp = fingerprint(subject)
    case_id: Any = getattr(case, "pk", case)
    if case_id is not None:
        case_id = int(case_id)
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    return {
        "type": event_type,
        "actor": {"id": actor_obj.pk, "name": getattr(actor_obj, "display_name", "") or actor_obj.get_username()}
        if actor_obj else None,
        "subject": subject_label, "fingerprint": fp, "case": case_id, "data": _plain(data or {}),
        "_subject_type_id": subject_type.pk if subject_type else None, "_subject_id": subject_id,
        "_actor_id": actor_obj.pk if actor_obj else None,
    }


def _entry(seq: int, now: dt.datetime, when: str, prepared: dict[str, Any]) -> LedgerEntry:
    p = prepared
    body = {"seq": seq, "type": p["type"], "time": when, "actor": p["actor"], "subject": p["subject"],
            "fingerprint": p["fingerprint"], "case": p["case"], "data": p["data"]}
    raw = canonical_json(body)
    if len(raw) > MAX_DATA_BYTES:
        raise ValueError(f"日志条目过大（{len(raw)} 字节）：data 应只含少量字段")
    return LedgerEntry(seq=seq, body=raw.decode("utf-8"), leaf_hash=merkle.leaf_hash(raw), event_type=p["type"],
                       subject_type_id=p["_subject_type_id"], subject_id=p["_subject_id"],
                       case_id=p["case"], actor_id=p["_actor_id"], created_at=now)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError("data 必须是 JSON 对象（dict）")

    def default(v: Any) -> Any:
        if isinstance(v, (dt.datetime, dt.date, dt.time)):
            return v.isoformat()
        if isinstance(v, (decimal.Decimal, uuid.UUID)):
            return str(v)
        if isinstance(v, models.Model):
            return v.pk
        if isinstance(v, (set, frozenset, tuple)):
            return sorted(v) if isinstance(v, (set, frozenset)) else list(v)
        raise TypeError(f"无法记入日志的值：{type(v).__name__}")

    plain: dict[str, Any] = json.loads(json.dumps(data, default=default, ensure_ascii=False))
    return plain


def _lock_head() -> LedgerHead:
    head: LedgerHead | None
    if connection.vendor == "sqlite":
        # SQLite has no row locks: a write takes the database's write lock until commit; the
        # no-op UPDATE returns the row, so taking the lock and reading the head is one statement.
        with connection.cursor() as c:
            c.execute(f'UPDATE "{LedgerHead._meta.db_table}" SET size = size WHERE id = 1 RETURNING size, root')
            row = c.fetchone()
        head = LedgerHead(pk=1, size=row[0], root=row[1]) if row else None
    else:
        if connection.vendor != "postgresql":
            LedgerHead.objects.filter(pk=1).update(size=F("size"))
        head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    if LedgerEntry.objects.exists():
        # A concurrent first append may have committed its head and entry since the read above.
        head = LedgerHead.objects.select_for_update().filter(pk=1).first()
        if head is not None:
            return head
        raise RuntimeError("日志头（LedgerHead）缺失而日志条目存在：请运行 zhifa verify 检查")
    try:
        with transaction.atomic():
            LedgerHead.objects.create(pk=1, size=0, root=merkle.EMPTY_ROOT.hex())
    except IntegrityError:
        pass  # another transaction created it first
    return LedgerHead.objects.select_for_update().get(pk=1)


def _frontier(size: int) -> list[tuple[int, bytes]]:
    nodes = merkle.frontier(size)
    hashes = _fetch([merkle.node_key(lv, i) for lv, i in nodes])
    return [(lv, hashes[merkle.node_key(lv, i)]) for lv, i in nodes]


def _fetch(keys: Iterable[int]) -> dict[int, bytes]:
    """Stored subtree hashes by key, in one query."""
    keys = set(keys)
    found = {k: bytes(h) for k, h in LedgerNode.objects.filter(key__in=keys).values_list("key", "hash")} if keys else {}
    missing = keys - found.keys()
    if missing:
        raise RuntimeError(f"默克尔树节点缺失：{sorted(missing)[:5]}（请运行 zhifa verify）")
    return found


# ---- reading --------------------------------------------------------------------------------------

def current_head() -> LedgerHead:
    head = LedgerHead.objects.filter(pk=1).first()
    return head or LedgerHead(size=0, root=merkle.EMPTY_ROOT.hex())


def size() -> int:
    return current_head().size


LABELS = {"seq": "序号", "tree_size": "树大小", "first": "旧树大小", "second": "新树大小"}


def _check_size(name: str, value: object, upper: int, lower: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lower <= value <= upper:
        if upper < lower:
            text = f"{LABELS[name]}（{name}）无效：日志为空"
        else:
            text = f"{LABELS[name]}（{name}）应为 {lower} 到 {upper} 之间的整数"
        raise LedgerRangeError(name, text)
    return value


def root(tree_size: int | None = None) -> bytes:
    head = current_head()
    if tree_size is None or tree_size == head.size:
        return bytes.fromhex(head.root)
    _check_size("tree_size", tree_size, head.size)
    if tree_size == 0:
        return merkle.EMPTY_ROOT
    return _ranges_hashes([(0, tree_size)])[0]


def _ranges_hashes(ranges: Iterable[tuple[int, int]]) -> list[bytes]:
    parts = [merkle.subtree_nodes(a, b) for a, b in ranges]
    hashes = _fetch(merkle.node_key(lv, i) for nodes in parts for lv, i in nodes)
    return [merkle.fold([(lv, hashes[merkle.node_key(lv, i)]) for lv, i in nodes]) for nodes in parts]


def inclusion_proof(index: int, tree_size: int | None = None) -> list[bytes]:
    head_size = current_head().size
    tree_size = head_size if tree_size is None else _check_size("tree_size", tree_size, head_size, 1)
    _check_size("seq", index, tree_size - 1)
    return _ranges_hashes(merkle.inclusion_ranges(index, tree_size))


def consistency_proof(old_size: int, new_size: int | None = None) -> list[bytes]:
    head_size = current_head().size
    new_size = head_size if new_size is None else _check_size("second", new_size, head_size, 1)
    _check_size("first", old_size, new_size, 1)
    return _ranges_hashes(merkle.consistency_ranges(old_size, new_size))


# ---- signed tree heads ------------------------------------------------------------------------------

def sign_tree_head() -> TreeHead:
    from zhifa.ledger import signing

    with transaction.atomic():
        head = current_head()
        timestamp = int(time.time() * 1000)
        message = tree_head_message(head.size, head.root, timestamp)
        return TreeHead.objects.create(tree_size=head.size, root_hash=head.root, timestamp=timestamp,
                                       key_id=signing.key_id(), public_key=signing.public_key_hex(),
                                       signature=signing.sign(message))


def latest_tree_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-id").first()


# ---- the change log's hook ------------------------------------------------------------------------

def ledger_changes(pairs: Iterable[tuple[ChangeLog, models.Model]]) -> None:
    """A "change" entry for each (ChangeLog row, changed object); called by common.actions."""
    items: list[tuple[str, dict[str, Any]]] = []
    for row, obj in pairs:
        case = obj.pk if obj._meta.label_lower == "cases.case" else getattr(obj, "case_id", None)
        items.append(("change", {"subject": row, "actor": row.user if row.user_id else None,
                                 "case": case if isinstance(case, int) else None,
                                 "data": {"action": row.action, "object": f"{obj._meta.label_lower}:{obj.pk}"}}))
    if connection.in_atomic_block:
        append_many(items)
    else:
        with transaction.atomic():
            append_many(items)
