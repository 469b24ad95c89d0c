"""`zhifa verify`: a registry of checks, each yielding Discrepancy(kind, where, detail).

Other apps add theirs with `@verify.check` in a module `<app>/verify.py` (the command imports
that module of every installed app, as the admin does with admin.py), e.g. blob re-hashing or
record links. Checks stream: rows are read in chunks, never a whole table at once.

The ledger's own checks, one pass over entries (by seq) and stored nodes (by key) in lockstep:
  * entries:  seq contiguous 0..n-1 (nothing missing, nothing past the head), body parses, is
              canonical, its seq/type/subject/case equal the row's columns, SHA-256(0x00‖body)
              equals the stored leaf hash;
  * nodes:    every complete subtree present once (keys 0..2n-popcount(n)-1), each leaf node
              equals the hash recomputed from its body, each inner node equals
              SHA-256(0x01‖left‖right) of its stored children — so an edit is reported where it
              was made, not at every ancestor;
  * head:     size equals the number of entries; root equals the root recomputed from bodies and
              the root folded from the stored nodes;
  * tree heads: a trusted key's valid signature, and the signed root equals the root recomputed
              from the bodies at that size — rewriting entries *and* every hash after signing is
              caught here, as is truncation below a signed size;
  * subjects: for every subject, the row exists and its current fingerprint equals the one in
              its latest entry; every row of a registered model (log.register_subject) has one;
  * triggers: the append-only triggers are installed.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, Max, Min, OuterRef
from django.db.models.functions import Cast

from zhifa.ledger import merkle
from zhifa.ledger.pure import canonical_json, verify_tree_head

CHUNK = 10_000


@dataclass(frozen=True)
class Discrepancy:
    kind: str  # stable name, e.g. "ledger.leaf_hash"
    where: str  # table and key, e.g. "ledger_ledgerentry seq=42"
    detail: str  # expected vs found, in Chinese
    failure: bool = True  # False: a note (printed, not counted), e.g. an upload still within its grace period

    def __str__(self) -> str:
        return f"[{self.kind}] {self.where}：{self.detail}" if self.failure else f"（提示）[{self.kind}] {self.where}：{self.detail}"


CHECKS: list[Callable[[], Iterable[Discrepancy]]] = []
_Check = TypeVar("_Check", bound=Callable[[], Iterable[Discrepancy]])


def check(fn: _Check) -> _Check:
    """Register a check (a function yielding Discrepancy); idempotent on re-import."""
    key = (fn.__module__, fn.__qualname__)
    CHECKS[:] = [c for c in CHECKS if (c.__module__, c.__qualname__) != key]
    CHECKS.append(fn)
    return fn


def discover() -> None:
    from importlib import import_module

    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("verify")
    import_module("zhifa.ledger.drift")  # imports this module: registered here, not at its top
    import_module("zhifa.ledger.privileges")


def run(checks: Iterable[Callable[[], Iterable[Discrepancy]]] | None = None, *,
        notes: bool = False) -> Iterator[Discrepancy]:
    """Every failure of the checks (and their notes too with notes=True)."""
    from zhifa.common.datakeys import DataKeyError

    for fn in checks if checks is not None else list(CHECKS):
        try:
            yield from (d for d in fn() if notes or d.failure)
        except DataKeyError as e:  # personal data that does not decrypt: say so, run the other checks
            yield Discrepancy("common.data_key", f"{fn.__module__}.{fn.__qualname__}", f"检查中断：{e}")


def _hex(h: bytes | memoryview | None) -> str:
    return bytes(h).hex() if h is not None else "（无）"


# ---- the log, in one streaming pass -------------------------------------------------------------------

@check
def check_log() -> Iterator[Discrepancy]:
    from zhifa.ledger.models import LedgerEntry, LedgerHead, LedgerNode, TreeHead

    et, nt = LedgerEntry._meta.db_table, LedgerNode._meta.db_table
    head = LedgerHead.objects.filter(pk=1).first()
    stats = LedgerEntry.objects.aggregate(lo=Min("seq"), hi=Max("seq"))
    count = LedgerEntry.objects.count()
    head_size = head.size if head else 0
    if head is None and count:
        yield Discrepancy("ledger.head_missing", LedgerHead._meta.db_table, f"日志头缺失，而日志有 {count} 条")
    if stats["lo"] is not None and stats["lo"] < 0:
        yield Discrepancy("ledger.seq_negative", et, f"存在负序号 {stats['lo']}")
    n = max(head_size, (stats["hi"] + 1) if stats["hi"] is not None else 0)
    if count != head_size:
        yield Discrepancy("ledger.size", LedgerHead._meta.db_table,
                          f"日志头记录 {head_size} 条，实际 {count} 条（截断或未记入日志头的条目）")
    heads = list(TreeHead.objects.order_by("id").values_list(
        "id", "tree_size", "root_hash", "timestamp", "key_id", "public_key", "signature"))
    wanted = {h[1] for h in heads}
    recomputed_roots = {0: merkle.EMPTY_ROOT} if 0 in wanted else {}
    stored_stack: list[tuple[int, bytes]] = []
    fresh_stack: list[tuple[int, bytes]] = []  # from bodies only; None once a leaf is missing
    fresh_ok = True
    ct_label = _ct_labels()
    for s0 in range(0, n, CHUNK):
        s1 = min(n, s0 + CHUNK)
        rows = {r[0]: r for r in LedgerEntry.objects.filter(seq__gte=s0, seq__lt=s1).values_list(
            "seq", "body", "leaf_hash", "event_type", "subject_type_id", "subject_id", "case_id")}
        k0, k1 = merkle.node_count(s0), merkle.node_count(s1)
        stored = {k: bytes(h) for k, h in LedgerNode.objects.filter(key__gte=k0, key__lt=k1).values_list("key", "hash")}
        missing_from = None
        for j in range(s0, s1):
            row = rows.get(j)
            leaf: bytes | None = None
            if row is None:
                missing_from = j if missing_from is None else missing_from
            else:
                if missing_from is not None:
                    yield _gap(et, missing_from, j - 1)
                    missing_from = None
                leaf = yield from _check_entry(et, row, ct_label)
                if j >= head_size:
                    yield Discrepancy("ledger.beyond_head", f"{et} seq={j}", f"序号超出日志头记录的大小 {head_size}")
            if leaf is None:
                fresh_ok = False
            if fresh_ok:
                assert leaf is not None  # fresh_ok turned False at the first missing leaf
                merkle.push_leaf(fresh_stack, leaf)
                if j + 1 in wanted:
                    recomputed_roots[j + 1] = merkle.fold(fresh_stack)
            yield from _check_nodes(nt, j, leaf, stored, stored_stack)
        if missing_from is not None:
            yield _gap(et, missing_from, s1 - 1)
    extra = LedgerNode.objects.filter(models.Q(key__lt=0) | models.Q(key__gte=merkle.node_count(n)))
    for key in extra.values_list("key", flat=True)[:100]:
        yield Discrepancy("ledger.node_extra", f"{nt} key={key}", f"多余的节点（日志只有 {n} 条）")
    if head is not None:
        folded = merkle.fold(stored_stack)
        if n == head_size and folded.hex() != head.root:
            yield Discrepancy("ledger.head_root", LedgerHead._meta.db_table,
                              f"日志头根哈希 {head.root}，由存储节点得到 {folded.hex()}")
        if fresh_ok and n == head_size and merkle.fold(fresh_stack).hex() != head.root:
            yield Discrepancy("ledger.head_root_recomputed", LedgerHead._meta.db_table,
                              f"日志头根哈希 {head.root}，由条目内容重算得到 {merkle.fold(fresh_stack).hex()}")
    yield from _check_tree_heads(heads, recomputed_roots, n, fresh_ok)


def _gap(table: str, a: int, b: int) -> Discrepancy:
    where = f"{table} seq={a}" if a == b else f"{table} seq={a}..{b}"
    return Discrepancy("ledger.seq_missing", where, f"缺少 {b - a + 1} 条条目（序号应连续，删除或截断）")


def _check_entry(table: str, row: tuple[Any, ...],
                 ct_label: dict[int, str]) -> Generator[Discrepancy, None, bytes]:
    """Yields the entry's discrepancies; returns the leaf hash recomputed from its body."""
    seq, body, stored_leaf, event_type, ct_id, subject_id, case_id = row
    where = f"{table} seq={seq}"
    raw = body.encode("utf-8")
    leaf = merkle.leaf_hash(raw)
    if bytes(stored_leaf) != leaf:
        yield Discrepancy("ledger.leaf_hash", where, f"存储的叶哈希 {_hex(stored_leaf)}，由内容重算为 {leaf.hex()}")
    try:
        doc = json.loads(body)
    except ValueError:
        yield Discrepancy("ledger.body", where, "内容不是有效的JSON")
        return leaf
    if not isinstance(doc, dict):
        yield Discrepancy("ledger.body", where, "内容不是JSON对象")
        return leaf
    if canonical_json(doc) != raw:
        yield Discrepancy("ledger.body_canonical", where, "内容不是规范JSON（键序、空白或转义被改动）")
    subject = f"{ct_label.get(ct_id, ct_id)}:{subject_id}" if ct_id else None
    for key, found in (("seq", seq), ("type", event_type), ("subject", subject), ("case", case_id)):
        if doc.get(key) != found:
            yield Discrepancy("ledger.body_column", where,
                              f"内容中 {key} 为 {doc.get(key)!r}，数据列为 {found!r}")
    return leaf


def _check_nodes(table: str, j: int, leaf: bytes | None, stored: dict[int, bytes],
                 stack: list[tuple[int, bytes]]) -> Iterator[Discrepancy]:
    """Nodes that leaf j completes, in post-order: the leaf against its body, inner nodes against
    their stored children. A missing node is reported and replaced by the recomputed value."""
    key = merkle.node_count(j)
    h = stored.get(key)
    if h is None:
        yield Discrepancy("ledger.node_missing", f"{table} key={key}", f"缺少叶节点（第 {j} 条）")
        h = leaf if leaf is not None else bytes(32)
    elif leaf is not None and h != leaf:
        yield Discrepancy("ledger.node_leaf", f"{table} key={key}",
                          f"叶节点（第 {j} 条）存储为 {h.hex()}，由条目内容重算为 {leaf.hex()}")
    level = 0
    while stack and stack[-1][0] == level:
        _, left = stack.pop()
        expected = merkle.node_hash(left, h)
        level += 1
        key += 1
        h = stored.get(key)
        index = ((j + 1) >> level) - 1
        if h is None:
            yield Discrepancy("ledger.node_missing", f"{table} key={key}", f"缺少节点（层 {level}，序 {index}）")
            h = expected
        elif h != expected:
            yield Discrepancy("ledger.node_hash", f"{table} key={key}",
                              f"节点（层 {level}，序 {index}）存储为 {h.hex()}，由子节点重算为 {expected.hex()}")
    stack.append((level, h))


def _check_tree_heads(heads: Iterable[tuple[Any, ...]], roots: dict[int, bytes], n: int,
                      fresh_ok: bool) -> Iterator[Discrepancy]:
    from zhifa.ledger import signing
    from zhifa.ledger.models import TreeHead

    table = TreeHead._meta.db_table
    try:
        trusted = signing.trusted_keys()
    except (RuntimeError, OSError, ValueError) as e:  # a missing key must not hide the other findings
        yield Discrepancy("ledger.signing_key", "ZHIFA_LEDGER_KEY_FILE", f"签名密钥不可用：{e}")
        trusted = {}
    for pk, size, root_hex, ts, kid, pub, sig in heads:
        where = f"{table} id={pk} tree_size={size}"
        key = trusted.get(kid)
        if key is None or key != pub.lower():
            yield Discrepancy("ledger.tree_head_key", where, f"签名密钥 {kid} 不在可信密钥中")
        elif not verify_tree_head({"tree_size": size, "root_hash": root_hex, "timestamp": ts, "signature": sig}, key):
            yield Discrepancy("ledger.tree_head_signature", where, "签名无效（树头内容被改动或签名伪造）")
        if size > n:
            yield Discrepancy("ledger.tree_head_truncated", where, f"已签名的大小 {size} 超过现有日志 {n} 条（日志被截断）")
        elif size in roots and roots[size].hex() != root_hex:
            yield Discrepancy("ledger.tree_head_root", where,
                              f"签名的根哈希 {root_hex}，由条目内容重算为 {roots[size].hex()}")
        elif size not in roots and not fresh_ok:
            yield Discrepancy("ledger.tree_head_unchecked", where, "条目缺失，无法重算该大小的根哈希")


def _ct_labels() -> dict[int, str]:
    return {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}


# ---- subjects --------------------------------------------------------------------------------------

@check
def check_subjects() -> Iterator[Discrepancy]:
    """The latest entry of each subject carries the fingerprint the row has now."""
    from zhifa.ledger.models import LedgerEntry

    qs = (LedgerEntry.objects.filter(subject_type__isnull=False).order_by("subject_type_id", "subject_id", "seq")
          .values_list("subject_type_id", "subject_id", "seq", "body"))
    pending: dict[int, list[tuple[Any, ...]]] = {}
    last = None
    for row in qs.iterator(chunk_size=CHUNK):
        if last is not None and (row[0], row[1]) != (last[0], last[1]):
            yield from _queue(pending, last)
        last = row
    if last is not None:
        yield from _queue(pending, last)
    for ct_id in list(pending):
        yield from _flush(ct_id, pending.pop(ct_id))


def _queue(pending: dict[int, list[tuple[Any, ...]]], row: tuple[Any, ...]) -> Iterator[Discrepancy]:
    pending.setdefault(row[0], []).append(row)
    if len(pending[row[0]]) >= 2000:
        yield from _flush(row[0], pending.pop(row[0]))


def _flush(ct_id: int, rows: list[tuple[Any, ...]]) -> Iterator[Discrepancy]:
    from zhifa.ledger.fingerprints import fingerprint
    from zhifa.ledger.models import LedgerEntry

    table = LedgerEntry._meta.db_table
    ct = ContentType.objects.get_for_id(ct_id)
    model = ct.model_class()
    if model is None:
        for _, _sid, seq, _ in rows:
            yield Discrepancy("ledger.subject_model", f"{table} seq={seq}", f"对象类型 {ct.app_label}.{ct.model} 已不存在")
        return
    keys: dict[str, Any] = {}
    for r in rows:
        try:
            keys[r[1]] = model._meta.pk.to_python(r[1])
        except Exception:  # noqa: BLE001 - a malformed id names no row
            keys[r[1]] = None
    found = model._default_manager.in_bulk([k for k in keys.values() if k is not None])
    for _, sid, seq, body in rows:
        where = f"{table} seq={seq} → {ct.app_label}.{ct.model}:{sid}"
        obj = found.get(keys[sid])
        try:
            expected = json.loads(body).get("fingerprint")
        except (ValueError, AttributeError):
            continue  # reported by check_log
        if obj is None:
            yield Discrepancy("ledger.subject_missing", where, "日志记载的对象已不存在（被删除）")
        elif expected is not None and fingerprint(obj) != expected:
            yield Discrepancy("ledger.subject_changed", where,
                              f"对象指纹应为 {expected}，现为 {fingerprint(obj)}（对象在记入日志后被改动）")


def unnamed_pks(rows: models.QuerySet[Any], refs: models.QuerySet[Any], ref_field: str) -> Iterator[Any]:
    """The pks of `rows` (pk order, streamed) that no row of `refs` names in its string column
    `ref_field`: rows written without their log (here and in the row-drift check)."""
    named = refs.filter(**{ref_field: Cast(OuterRef("pk"), models.CharField())})
    unnamed = rows.annotate(_named=Exists(named)).filter(_named=False).order_by("pk")
    yield from unnamed.values_list("pk", flat=True).iterator(chunk_size=CHUNK)


@check
def check_registered_subjects() -> Iterator[Discrepancy]:
    from zhifa.ledger.log import SUBJECT_MODELS
    from zhifa.ledger.models import LedgerEntry

    for model in SUBJECT_MODELS:
        ct = ContentType.objects.get_for_model(model)
        for pk in unnamed_pks(model._default_manager.all(), LedgerEntry.objects.filter(subject_type=ct), "subject_id"):
            yield Discrepancy("ledger.subject_unlogged", f"{model._meta.db_table} pk={pk}",
                              f"{model._meta.verbose_name}没有对应的日志条目")


@check
def check_tables() -> Iterator[Discrepancy]:
    """Every table of the platform's models exists (a dropped table is named, not a traceback)."""
    from django.apps import apps
    from django.db import connection

    present = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model.__module__.startswith("zhifa.") and model._meta.managed and model._meta.db_table not in present:
            yield Discrepancy("verify.table_missing", model._meta.db_table,
                              f"{model._meta.verbose_name}的数据表不存在（被删除，或未运行 zhifa migrate）")


@check
def check_triggers() -> Iterator[Discrepancy]:
    from zhifa.ledger.appendonly import triggers_present
    from zhifa.ledger.models import LedgerEntry, LedgerNode, TreeHead

    for model in (LedgerEntry, LedgerNode, TreeHead):
        if not triggers_present(model._meta.db_table):
            yield Discrepancy("ledger.triggers", model._meta.db_table, "防篡改触发器缺失（表可被修改或删除）")
