"""Current rows against their ledgered change log (`zhifa verify`: ledger.row_drift and kin).

Every action writes a change-log row with the object's snapshot after the change, and every
change-log row is ledgered (its fingerprint is in the Merkle log, so `check_subjects` catches an
edited or deleted change-log row). What the history cannot show by itself is an edit of the
*current* row behind the application: a fine lowered in the database, a certificate set back to
valid. This check closes that gap: for every model that has change-log rows, each row's current
fields must equal the snapshot in its latest change-log row, and every row must have one.

Fields that legitimately change without a change-log row (derived caches, counters, timestamps
that housekeeping refreshes) are declared by the app that owns the model, in its `verify.py`:

    from zhifa.ledger import drift

    drift.exempt("supervision.alert", "last_seen", "holding", why="预警每日重算时刷新")

Models that are not change-logged at all (events, ledger tables, sessions …) are not checked
here; those with their own integrity checks say so in their app's verify module.

Streaming and memory-flat: change-log rows are read in (object, newest first) order per model,
in chunks; the rows they describe are fetched a chunk at a time.
"""
from __future__ import annotations

import decimal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from zhifa.common.actions import jsonable
from zhifa.common.models import ChangeLog
from zhifa.ledger.verify import CHUNK, Discrepancy, check, unnamed_pks

BATCH = 1000


@dataclass(frozen=True)
class Exemption:
    fields: frozenset[str]
    why: str


EXEMPT: dict[str, list[Exemption]] = {}
UNCHECKED: dict[str, str] = {}
UNLOGGED_OK: dict[str, tuple[Q, str]] = {}


def exempt(label: str, *fields: str, why: str) -> None:
    """Fields of `label` ("app.model") that change without a change-log row, with the reason."""
    EXEMPT.setdefault(label.lower(), []).append(Exemption(frozenset(fields), why))


def unchecked(label: str, *, why: str) -> None:
    """A change-logged model whose current rows are not compared (say why: e.g. verified otherwise)."""
    UNCHECKED[label.lower()] = why


def unlogged_ok(label: str, *, why: str, **lookups: Any) -> None:
    """Rows of `label` matching `lookups` may have no change-log row (reference data loaded at
    migrate time, say); their app checks them another way and says how in `why`."""
    UNLOGGED_OK[label.lower()] = (Q(**lookups), why)


def exempt_fields(label: str) -> set[str]:
    return {name for ex in EXEMPT.get(label.lower(), ()) for name in ex.fields}


def _same(field: models.Field[Any, Any], expected: Any, found: Any) -> bool:
    if getattr(field, "encrypted", False):  # personal data: the log holds a keyed digest (common/fields.py)
        return bool(field.same_as_logged(expected, found))  # type: ignore[attr-defined]
    if jsonable(found) == expected:
        return True
    if expected is None or found is None:
        return False
    if isinstance(found, models.fields.files.FieldFile):
        return (found.name or "") == expected or str(found) == str(expected)
    try:
        value = field.to_python(expected)
    except (ValidationError, TypeError, ValueError, decimal.InvalidOperation):
        return str(found) == str(expected)
    if isinstance(found, decimal.Decimal) and isinstance(value, (decimal.Decimal, int, float, str)):
        try:
            return decimal.Decimal(str(value)) == found
        except decimal.InvalidOperation:
            return False
    return bool(value == found)


def _show(value: Any) -> str:
    text = repr(jsonable(value)) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _compare(model: type[models.Model], obj: models.Model, after: dict[str, Any], skip: set[str],
             table: str) -> Iterator[Discrepancy]:
    excluded = set(getattr(obj, "changelog_exclude", ())) | skip
    for field in model._meta.concrete_fields:
        if field.name in excluded or field.name not in after or field.primary_key:
            continue  # fields added after the change-log row was written are not known to it
        found = getattr(obj, field.attname)
        if not _same(field, after[field.name], found):
            yield Discrepancy("ledger.row_drift", f"{table} pk={obj.pk}",
                              f"字段 {field.name}（{field.verbose_name}）应为 {_show(after[field.name])}，"
                              f"现为 {_show(found)}（库中现值与最近一次留痕记录不符）")
    for field in model._meta.many_to_many:
        if field.name in excluded or field.name not in after:
            continue
        current = sorted(jsonable(o.pk) for o in getattr(obj, field.name).all())
        expected = sorted(after[field.name] or [])
        if current != expected:
            yield Discrepancy("ledger.row_drift", f"{table} pk={obj.pk}",
                              f"关联 {field.name}（{field.verbose_name}）应为 {expected}，现为 {current}")


def _check_batch(model: type[models.Model], latest: list[tuple[str, int, str, Any]], skip: set[str]
                 ) -> Iterator[Discrepancy]:
    table = model._meta.db_table
    keys: dict[str, Any] = {}
    for object_id, *_rest in latest:
        try:
            keys[object_id] = model._meta.pk.to_python(object_id)
        except ValidationError:
            keys[object_id] = None
    qs = model._base_manager.all()
    m2m = [f.name for f in model._meta.many_to_many if f.name not in skip]
    if m2m:
        qs = qs.prefetch_related(*m2m)
    rows = qs.in_bulk([k for k in keys.values() if k is not None])
    for object_id, log_id, action, after in latest:
        obj = rows.get(keys[object_id])
        if action == ChangeLog.Action.DELETE:
            if obj is not None:
                yield Discrepancy("ledger.row_resurrected", f"{table} pk={object_id}",
                                  f"留痕记录 #{log_id} 载明已删除，库中却仍有此行")
            continue
        if obj is None:
            yield Discrepancy("ledger.row_missing", f"{table} pk={object_id}",
                              f"留痕记录 #{log_id} 之后此行已不存在（未经操作被删除）")
            continue
        if isinstance(after, dict):
            yield from _compare(model, obj, after, skip, table)


def model_drift(model: type[models.Model], ct: ContentType) -> Iterator[Discrepancy]:
    """Drift of one model's current rows against the latest change-log row of each."""
    skip = exempt_fields(ct.app_label + "." + ct.model)
    logs = (ChangeLog.objects.filter(content_type=ct).order_by("object_id", "-id")
            .values_list("object_id", "id", "action", "after"))
    batch: list[tuple[str, int, str, Any]] = []
    previous = None
    for object_id, log_id, action, after in logs.iterator(chunk_size=CHUNK):
        if object_id == previous:
            continue  # an older change of the same object
        previous = object_id
        batch.append((object_id, log_id, action, after))
        if len(batch) >= BATCH:
            yield from _check_batch(model, batch, skip)
            batch = []
    if batch:
        yield from _check_batch(model, batch, skip)
    rows = model._base_manager.all()
    allowed = UNLOGGED_OK.get(f"{ct.app_label}.{ct.model}")
    if allowed is not None:
        rows = rows.exclude(allowed[0])
    for pk in unnamed_pks(rows, ChangeLog.objects.filter(content_type=ct), "object_id"):
        yield Discrepancy("ledger.row_unlogged", f"{model._meta.db_table} pk={pk}",
                          f"{model._meta.verbose_name}没有任何留痕记录（未经操作写入）")


def logged_models() -> Iterable[tuple[type[models.Model], ContentType]]:
    ids = ChangeLog.objects.order_by().values_list("content_type", flat=True).distinct()
    for ct in ContentType.objects.filter(pk__in=list(ids)).order_by("app_label", "model"):
        model = ct.model_class()
        # The platform's own models; Django's (content types …) are never change-logged subjects.
        if model is not None and model.__module__.startswith("zhifa.") and f"{ct.app_label}.{ct.model}" not in UNCHECKED:
            yield model, ct


@check
def check_row_drift() -> Iterator[Discrepancy]:
    """Each change-logged row now equals the snapshot of its latest (ledgered) change-log row."""
    from django.db import connection

    present = set(connection.introspection.table_names())
    for model, ct in logged_models():
        if model._meta.db_table in present:  # a missing table is check_tables' finding
            yield from model_drift(model, ct)
