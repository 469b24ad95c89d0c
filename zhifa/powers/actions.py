"""Versioned powers-list actions: draft → pending → published (confirmed by the same-level
justice bureau) → superseded by the next confirmed version. Rejected drafts can be edited."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import (
    ActionRefused,
    bulk_log_created,
    check_scope,
    create_row,
    log_change,
    snapshot,
    update_row,
)
from zhifa.common.models import ChangeLog
from zhifa.powers.models import Versioned, VersionStatus


@transaction.atomic
def do_create_versioned(model, data: dict, *, acting_user) -> Versioned:
    return create_row(model, data, acting_user=acting_user, entity=data.get("entity"), unit=data.get("unit"))


@transaction.atomic
def do_update_versioned(obj: Versioned, data: dict, *, acting_user, reason="") -> Versioned:
    """Edit a draft in place; editing a published version starts a new draft version."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if not obj.is_head:
        raise ActionRefused("powers.edit_head_only", "只能修改最新版本")
    allowed = set(obj.content_fields) | {"effective_from"}
    if obj.status == VersionStatus.PENDING:
        raise ActionRefused("powers.pending_locked", "已提交司法局确认，确认或退回前不能修改")
    if obj.is_editable:
        return update_row(obj, data, acting_user=acting_user, allowed=allowed, reason=reason)
    check_scope(acting_user, obj, "change")
    unknown = set(data) - allowed
    if unknown:
        raise ActionRefused("validation", f"不允许修改字段“{sorted(unknown)[0]}”", field=sorted(unknown)[0])
    # Published (or superseded head): copy into a new draft, keep the published one public.
    before = snapshot(obj)
    type(obj).objects.filter(pk=obj.pk).update(is_head=False)
    obj.is_head = False
    log_change(obj, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(obj),
               reason=f"第{obj.version + 1}版起草，本版不再是最新版本")
    data = {**{f: getattr(obj, f) for f in obj.content_fields}, **data,
            "lineage": obj.lineage, "version": obj.version + 1}
    data.setdefault("effective_from", timezone.localdate())
    return create_row(type(obj), data, acting_user=acting_user, entity=data.get("entity"),
                      unit=data.get("unit"), reason=reason or f"由第{obj.version}版修订")


def _transition(obj, to: str, *, acting_user, action: str, log_action: str, reason="", **extra):
    before = snapshot(obj)
    obj.status = to
    for k, v in extra.items():
        setattr(obj, k, v)
    obj.save()
    log_change(obj, log_action, acting_user=acting_user, before=before, after=snapshot(obj), reason=reason)
    return obj


@transaction.atomic
def do_submit_versioned(obj: Versioned, *, acting_user) -> Versioned:
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    check_scope(acting_user, obj, "change")
    if not obj.is_editable:
        raise ActionRefused("powers.submit_from_draft", "只有草稿或被退回的版本可以提交确认")
    return _transition(obj, VersionStatus.PENDING, acting_user=acting_user, action="change",
                       log_action=ChangeLog.Action.SUBMIT, submitted_at=timezone.now())


@transaction.atomic
def do_confirm_versioned(obj: Versioned, *, acting_user, note="") -> Versioned:
    """Rule powers.same_level_confirmation: only the same-level justice bureau publishes."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if not type(obj).objects.restrict(acting_user, "confirm").filter(pk=obj.pk).exists():
        raise ActionRefused("powers.same_level_confirmation",
                            "权责清单须经同级司法行政机关确认后方可公布，您无权确认该事项")
    if obj.status != VersionStatus.PENDING:
        raise ActionRefused("powers.confirm_pending_only", "只有待确认的版本可以确认")
    previous = type(obj).objects.filter(lineage=obj.lineage, status=VersionStatus.PUBLISHED).exclude(pk=obj.pk)
    for old in previous:
        _transition(old, VersionStatus.SUPERSEDED, acting_user=acting_user, action="confirm",
                    log_action=ChangeLog.Action.UPDATE, reason=f"被第{obj.version}版替代",
                    effective_to=obj.effective_from)
    return _transition(obj, VersionStatus.PUBLISHED, acting_user=acting_user, action="confirm",
                       log_action=ChangeLog.Action.CONFIRM, reason=note, confirmed_by=acting_user,
                       confirmed_at=timezone.now(), review_note=note[:500])


@transaction.atomic
def do_reject_versioned(obj: Versioned, *, acting_user, note: str) -> Versioned:
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if not type(obj).objects.restrict(acting_user, "confirm").filter(pk=obj.pk).exists():
        raise ActionRefused("powers.same_level_confirmation", "您无权审核该事项")
    if obj.status != VersionStatus.PENDING:
        raise ActionRefused("powers.confirm_pending_only", "只有待确认的版本可以退回")
    if not (note or "").strip():
        raise ActionRefused("powers.reject_needs_reason", "退回必须说明理由", field="review_note")
    return _transition(obj, VersionStatus.REJECTED, acting_user=acting_user, action="confirm",
                       log_action=ChangeLog.Action.REJECT, reason=note, review_note=note[:500])


@transaction.atomic
def do_discard_draft(obj: Versioned, *, acting_user):
    """Delete an unpublished draft; the previous version becomes the head again."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    check_scope(acting_user, obj, "change")
    if not obj.is_editable:
        raise ActionRefused("powers.discard_draft_only", "只有草稿或被退回的版本可以删除")
    before = snapshot(obj)
    pk = obj.pk
    obj.delete()
    obj.pk = pk
    prev = type(obj).objects.filter(lineage=obj.lineage).order_by("-version").first()
    log_change(obj, ChangeLog.Action.DELETE, acting_user=acting_user, before=before)
    if prev:
        prev_before = snapshot(prev)
        type(obj).objects.filter(pk=prev.pk).update(is_head=True)
        prev.is_head = True
        log_change(prev, ChangeLog.Action.UPDATE, acting_user=acting_user, before=prev_before, after=snapshot(prev),
                   reason=f"第{obj.version}版草稿已删除，本版恢复为最新版本")


@transaction.atomic
def do_bulk_create_versioned(model, objs: list, *, acting_user, reason="", publish_by=None):
    """Many new items at once (imports, seeding), each scope-checked and logged.

    With `publish_by` (a supervisor of the same region) they are confirmed in the same step,
    which the seeder uses to load an already-published list.
    """
    from zhifa.common.actions import check_scope_each_owner

    check_scope_each_owner(acting_user, model, objs,
                           lambda o: (o.entity, getattr(o, "unit", None)))
    if publish_by is not None:
        if any(o.entity.region_id != publish_by.entity.region_id for o in objs):
            raise ActionRefused("powers.same_level_confirmation", "权责清单须经同级司法行政机关确认")
        now = timezone.now()
        for o in objs:
            o.status, o.confirmed_by, o.confirmed_at = VersionStatus.PUBLISHED, publish_by, now
    model.objects.bulk_create(objs, batch_size=2000)
    bulk_log_created(objs, acting_user=acting_user, action=ChangeLog.Action.IMPORT, reason=reason)
    return objs
