"""Shared machinery of action functions: refusals, serialisation and the change log.

Every action runs in one transaction, takes a keyword-only `acting_user`, checks its
preconditions (scope included) and writes a ChangeLog row. Views, API, commands and tests
call actions; they never save models directly.
"""
from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from zhifa.common.fields import BlindIndexField
from zhifa.common.models import ChangeLog
from zhifa.common.scope import can, can_on_entity
from zhifa.ledger.log import ledger_changes

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


class ActionRefused(Exception):
    """A precondition failed. `rule` is the rule's stable name; `message` is Chinese."""

    def __init__(self, rule: str, message: str, field: str | None = None) -> None:
        super().__init__(f"[{rule}] {message}")
        self.rule, self.message, self.field = rule, str(message), field


class OutOfScope(ActionRefused):
    def __init__(self, message="无权操作该记录（超出您的数据范围）"):
        super().__init__("scope", message)


def jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Plain-JSON picture of a row's concrete fields (FKs as ids, M2M as id lists)."""
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in getattr(obj, "changelog_exclude", ()) or isinstance(f, BlindIndexField):
            continue  # a blind index is derived from its (logged) source
        value = getattr(obj, f.attname)
        # Personal data (zhifa/common/fields.py): a keyed SM3 digest, never the plaintext.
        data[f.name] = f.change_log_value(value) if getattr(f, "encrypted", False) else jsonable(value)
    for f in obj._meta.many_to_many:
        if obj.pk:
            cached = obj.__dict__.get("_prefetched_objects_cache", {}).get(f.name)
            data[f.name] = sorted(o.pk for o in cached) if cached is not None else sorted(
                getattr(obj, f.name).values_list("pk", flat=True))
    return data


def log_change(obj: models.Model, action: str, *, acting_user: AbstractBaseUser | AnonymousUser | None,
               before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
               reason: str = "") -> ChangeLog:
    row = ChangeLog.objects.create(**_log_kwargs(obj, action, acting_user, before, after, reason))
    ledger_changes([(row, obj)])  # every change-log row is also a "change" entry in the ledger
    return row


def _log_kwargs(obj, action, acting_user, before, after, reason):
    return dict(
        user=acting_user if acting_user and acting_user.pk else None,
        user_name=(getattr(acting_user, "display_name", "") or getattr(acting_user, "username", ""))
        if acting_user else "系统",
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        reason=reason[:500],
    )


def bulk_log_created(objs: Iterable[models.Model], *, acting_user: AbstractBaseUser | AnonymousUser | None,
                     action: str = ChangeLog.Action.CREATE, reason: str = "") -> None:
    """Change-log rows for many freshly created rows in one INSERT (imports, seeding)."""
    objs = list(objs)
    rows = ChangeLog.objects.bulk_create(
        [ChangeLog(**_log_kwargs(o, action, acting_user, None, snapshot(o), reason)) for o in objs],
        batch_size=2000,
    )
    ledger_changes(zip(rows, objs))


def validate(obj, exclude=None):
    """full_clean, re-raised as ActionRefused naming the (Chinese) field label."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as e:
        raise as_refusal(obj, e) from e


def as_refusal(obj, e: ValidationError) -> ActionRefused:
    errors = getattr(e, "message_dict", None) or {"__all__": e.messages}
    field, msgs = next(iter(errors.items()))
    try:  # a blind index (a duplicate ID number) is reported on its source field
        f = obj._meta.get_field(field)
        if isinstance(f, BlindIndexField):
            errors = {f.source: msgs}
            field = f.source
    except Exception:  # noqa: BLE001 - non-field errors
        pass
    label = field
    try:
        label = str(obj._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 - non-field errors have no label
        label = ""
    text = f"{label}：{msgs[0]}" if label else msgs[0]
    r = ActionRefused("validation", text, field=None if field == "__all__" else field)
    r.errors = errors
    return r


def check_scope_new(user, model, entity, unit=None, action="change"):
    if not can_on_entity(user, action, model, entity, unit):
        raise OutOfScope()


def check_scope_each_owner(user, model, objs, owner=None, action="change"):
    """Bulk actions: scope-check each distinct (entity, unit) owning `objs`, once each."""
    owner = owner or owner_of
    checked = set()
    for o in objs:
        entity, unit = owner(o)
        key = (getattr(entity, "pk", None), getattr(unit, "pk", None))
        if key not in checked:
            check_scope_new(user, model, entity, unit, action)
            checked.add(key)


def check_scope(user, obj, action="change"):
    if not can(user, action, obj):
        raise OutOfScope()


def apply_fields(obj, data: dict, allowed: set[str] | None = None):
    for key, value in data.items():
        if allowed is not None and key not in allowed:
            raise ActionRefused("validation", f"不允许修改字段“{key}”", field=key)
        setattr(obj, key, value)


def create_row(model, data: dict, *, acting_user, entity, unit=None, reason="", action="change"):
    """Scope-check, validate, save and log a new row (callers wrap in a transaction)."""
    check_scope_new(acting_user, model, entity, unit, action)
    obj = model(**data)
    validate(obj)
    obj.save()
    log_change(obj, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(obj), reason=reason)
    return obj


def update_row(obj, data: dict, *, acting_user, allowed: set[str] | None = None, reason="",
               action="change", rescope=True):
    """Scope-check before and after (a row may not be moved out of one's scope), validate, log."""
    check_scope(acting_user, obj, action)
    before = snapshot(obj)
    apply_fields(obj, data, allowed)
    if rescope:
        entity, unit = owner_of(obj)
        check_scope_new(acting_user, type(obj), entity, unit, action)
    validate(obj)
    obj.save()
    after = snapshot(obj)
    if after != before:
        log_change(obj, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=after,
                   reason=reason)
    return obj


def delete_row(obj, *, acting_user, reason=""):
    check_scope(acting_user, obj, "change")
    before = snapshot(obj)
    pk = obj.pk
    try:
        obj.delete()
    except models.ProtectedError as e:
        raise ActionRefused("protected", "该记录已被其他记录引用，不能删除") from e
    obj.pk = pk
    log_change(obj, ChangeLog.Action.DELETE, acting_user=acting_user, before=before, reason=reason)


def owner_of(obj):
    """(entity, unit) that own a row, following the model's scope paths."""
    def follow(path):
        if path is None:
            return None
        cur = obj
        for part in [p for p in path.split("__") if p]:
            cur = getattr(cur, part, None)
            if cur is None:
                return None
        return cur

    entity = obj if getattr(type(obj), "scope_entity_path", None) == "" else follow(type(obj).scope_entity_path)
    return entity, follow(getattr(type(obj), "scope_unit_path", None))
