"""Dispatch a task, reassign it, and the assignee's reports (接收, 到场, 位置, 处置完毕, 退回)."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, OutOfScope, check_scope, check_scope_new, snapshot
from zhifa.common.roles import Role
from zhifa.common.scope import can_on_entity
from zhifa.dispatch import rules, sources
from zhifa.dispatch.actions.common import due_after, now_or, step, tell
from zhifa.dispatch.choices import LocationSource, ReportKind, SourceKind, TaskState
from zhifa.dispatch.models import DispatchTask, TaskReport

FIELDS = ("title", "instructions", "source_kind", "source_id", "place", "region", "latitude", "longitude",
          "assignee", "limit_unit", "limit_amount")


def _user(value):
    from zhifa.orgs.models import User

    if value is None or value == "":
        return None
    if isinstance(value, User):
        return value
    raw = str(value).strip()
    return User.objects.filter(pk=int(raw)).select_related("unit").first() if raw.isdigit() else None


def _region(value, entity):
    from zhifa.orgs.models import Region

    if value in (None, ""):
        return None
    if isinstance(value, Region):
        return value
    raw = str(value).strip()
    region = Region.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if region is None or not region.path.startswith(entity.region.path):
        raise ActionRefused("validation", "所在区划：应为本机关辖区内的区划", "region")
    return region


def _number(entity, at) -> str:
    day = timezone.localtime(at)
    prefix = f"ZH{entity.pk:04d}{day:%Y%m%d}"
    n = DispatchTask.objects.filter(number__startswith=prefix).count() + 1
    while DispatchTask.objects.filter(number=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


def _create_numbered(entity, at, fields) -> DispatchTask:
    """Create the task under the day's next number. Two heads dispatching at the same moment may pick the
    same number: the loser's insert fails on the unique number inside a savepoint and takes the next one."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return DispatchTask.objects.create(number=_number(entity, at), **fields)
        except IntegrityError:
            continue
    raise ActionRefused("dispatch.number_busy", "任务编号被同时占用，请稍后重试", "title")


def _report(task, kind, *, acting_user, at, to_user=None, latitude=None, longitude=None, accuracy=None,
            place="", source="", note="") -> TaskReport:
    has_pos = latitude is not None
    loc = source if source in LocationSource.values else (
        LocationSource.MANUAL if has_pos or place else LocationSource.NONE)
    report = TaskReport.objects.create(
        task=task, entity_id=task.entity_id, kind=kind, by=acting_user if acting_user and acting_user.pk else None,
        at=at, latitude=latitude, longitude=longitude, accuracy_m=accuracy, location_source=loc,
        place=(place or "").strip()[:200], note=(note or "").strip()[:500], to_user=to_user)
    return report


def _accuracy(value) -> int | None:
    try:
        n = int(float(str(value))) if value not in (None, "") else None
    except ValueError:
        raise ActionRefused("validation", "定位精度：请填写数字（米）", "accuracy") from None
    return n if n is None or n >= 0 else None


@transaction.atomic
def do_dispatch(data: dict, *, acting_user, entity=None, now=None, reason: str = "") -> DispatchTask:
    """派发: a unit head to the officers of the unit, the entity's head (the command desk) to any of its
    officers; the limit in hours, or in working days on the legal calendar."""
    entity = entity or acting_user.entity
    if entity is None or not can_on_entity(acting_user, "change", DispatchTask, entity,
                                           acting_user.unit if acting_user.role == Role.UNIT_HEAD else None):
        raise OutOfScope("只有本机关负责人（指挥中心）或承办机构负责人可以派发任务")
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ActionRefused("validation", f"不允许填写字段“{sorted(unknown)[0]}”", sorted(unknown)[0])
    title = rules.required(data.get("title", ""))
    unit, amount = rules.limit(str(data.get("limit_unit") or "hours"), data.get("limit_amount"))
    assignee = _user(data.get("assignee"))
    rules.assignee(assignee, entity=entity, dispatcher=acting_user)
    check_scope_new(acting_user, DispatchTask, entity, assignee.unit)
    kind = str(data.get("source_kind") or SourceKind.TEXT)
    source_type, source_id, source_label = sources.resolve(kind, data.get("source_id"), user=acting_user,
                                                           entity=entity)
    lat, lon = rules.location(data.get("latitude"), data.get("longitude"))
    at = now_or(now)
    due_at, pending_year = due_after(at, unit, amount)
    fields = dict(
        entity=entity, unit=assignee.unit, title=title,
        instructions=str(data.get("instructions") or "").strip(), source_kind=kind, source_type=source_type,
        source_id=source_id, source_label=source_label, place=str(data.get("place") or "").strip()[:200],
        region=_region(data.get("region"), entity), latitude=lat, longitude=lon, assignee=assignee,
        dispatched_by=acting_user, dispatched_at=at, limit_unit=unit, limit_amount=amount, due_at=due_at,
        due_pending_year=pending_year, next_escalation_at=due_at)
    task = _create_numbered(entity, at, fields)
    _report(task, ReportKind.DISPATCHED, acting_user=acting_user, at=at, to_user=assignee, note=title)
    step(task, "dispatch.dispatched", acting_user=acting_user, reason=reason or "派发任务", number=task.number,
         assignee=assignee.pk, source=kind, source_id=source_id, due_at=due_at, due_pending_year=pending_year)
    tell([assignee], f"新任务{task.number}：{title}（{task.limit_text()}内处置）", dedupe=f"dispatch.task:{task.pk}")
    return task


def _locked(task) -> DispatchTask:
    return DispatchTask.objects.select_for_update().select_related("assignee", "entity").get(pk=task.pk)


@transaction.atomic
def do_reassign(task: DispatchTask, *, acting_user, assignee, reason: str = "", now=None) -> DispatchTask:
    """改派: the task goes to another officer (or back to the same one after 退回), state 已派发, its
    limit and escalation starting again."""
    task = _locked(task)
    check_scope(acting_user, task, "change")
    user = _user(assignee)
    rules.reassign(task, user)
    rules.assignee(user, entity=task.entity, dispatcher=acting_user)
    check_scope_new(acting_user, DispatchTask, task.entity, user.unit)
    at = now_or(now)
    before = snapshot(task)
    due_at, pending_year = due_after(at, task.limit_unit, task.limit_amount)
    task.assignee, task.unit, task.state = user, user.unit, TaskState.DISPATCHED
    task.dispatched_at, task.due_at, task.due_pending_year, task.next_escalation_at = at, due_at, pending_year, due_at
    task.accepted_at = task.arrived_at = task.returned_at = task.escalated_at = None
    task.escalation_level, task.escalated_to, task.result = 0, None, ""
    task.save()
    _report(task, ReportKind.REASSIGNED, acting_user=acting_user, at=at, to_user=user, note=reason)
    step(task, "dispatch.reassigned", acting_user=acting_user, before=before, reason=reason or "改派任务",
         assignee=user.pk, due_at=due_at, due_pending_year=pending_year)
    tell([user], f"改派任务{task.number}：{task.title}（{task.limit_text()}内处置）")
    return task


def _progress(task, to, *, acting_user) -> DispatchTask:
    task = _locked(task)
    check_scope(acting_user, task, "report")
    rules.assignee_only(task, acting_user)
    rules.transition(task, to)
    return task


def _position(latitude, longitude, accuracy, place, *, required=False):
    lat, lon = rules.location(latitude, longitude, place, required=required)
    return lat, lon, _accuracy(accuracy) if lat is not None else None


def _save_position(task, at, lat, lon, place):
    if lat is not None:
        task.reported_latitude, task.reported_longitude = lat, lon
    if lat is not None or place:
        task.reported_place, task.reported_at = (place or "").strip()[:200], at


@transaction.atomic
def do_accept(task: DispatchTask, *, acting_user, note: str = "", now=None) -> DispatchTask:
    task = _progress(task, TaskState.ACCEPTED, acting_user=acting_user)
    at = now_or(now)
    before = snapshot(task)
    task.state, task.accepted_at = TaskState.ACCEPTED, at
    task.save()
    _report(task, ReportKind.ACCEPTED, acting_user=acting_user, at=at, note=note)
    step(task, "dispatch.accepted", acting_user=acting_user, before=before, reason="接收任务")
    return task


@transaction.atomic
def do_arrive(task: DispatchTask, *, acting_user, latitude=None, longitude=None, accuracy=None, place: str = "",
              source: str = "", note: str = "", now=None) -> DispatchTask:
    """到场: the officer's position from the phone (geolocation) or typed in, or a written place."""
    task = _progress(task, TaskState.ON_SITE, acting_user=acting_user)
    lat, lon, acc = _position(latitude, longitude, accuracy, place, required=True)
    at = now_or(now)
    before = snapshot(task)
    task.state, task.arrived_at = TaskState.ON_SITE, at
    _save_position(task, at, lat, lon, place)
    task.save()
    _report(task, ReportKind.ON_SITE, acting_user=acting_user, at=at, latitude=lat, longitude=lon, accuracy=acc,
            place=place, source=source, note=note)
    step(task, "dispatch.on_site", acting_user=acting_user, before=before, reason="到场报告",
         latitude=lat, longitude=lon, place=place)
    return task


@transaction.atomic
def do_report_location(task: DispatchTask, *, acting_user, latitude=None, longitude=None, accuracy=None,
                       place: str = "", source: str = "", note: str = "", now=None) -> DispatchTask:
    task = _locked(task)
    check_scope(acting_user, task, "report")
    rules.assignee_only(task, acting_user)
    if not task.is_open:
        raise ActionRefused("task.state", f"任务当前状态为“{task.get_state_display()}”，不能报告位置", "state")
    lat, lon, acc = _position(latitude, longitude, accuracy, place, required=True)
    at = now_or(now)
    before = snapshot(task)
    _save_position(task, at, lat, lon, place)
    task.save()
    _report(task, ReportKind.LOCATION, acting_user=acting_user, at=at, latitude=lat, longitude=lon, accuracy=acc,
            place=place, source=source, note=note)
    step(task, "dispatch.location", acting_user=acting_user, before=before, reason="位置报告",
         latitude=lat, longitude=lon, place=place)
    return task


@transaction.atomic
def do_finish(task: DispatchTask, *, acting_user, result: str, latitude=None, longitude=None, accuracy=None,
              place: str = "", source: str = "", now=None) -> DispatchTask:
    task = _progress(task, TaskState.DONE, acting_user=acting_user)
    text = rules.result(result, TaskState.DONE)
    lat, lon, acc = _position(latitude, longitude, accuracy, place)
    at = now_or(now)
    before = snapshot(task)
    task.state, task.finished_at, task.result, task.next_escalation_at = TaskState.DONE, at, text, None
    _save_position(task, at, lat, lon, place)
    task.save()
    _report(task, ReportKind.DONE, acting_user=acting_user, at=at, latitude=lat, longitude=lon, accuracy=acc,
            place=place, source=source, note=text)
    step(task, "dispatch.done", acting_user=acting_user, before=before, reason=text[:200],
         overdue=bool(task.due_at and at > task.due_at))
    return task


@transaction.atomic
def do_return(task: DispatchTask, *, acting_user, reason: str, now=None) -> DispatchTask:
    """退回: the assignee hands the task back (not theirs, cannot be done as asked); the dispatcher
    reassigns it."""
    task = _progress(task, TaskState.RETURNED, acting_user=acting_user)
    text = rules.result(reason, TaskState.RETURNED)
    at = now_or(now)
    before = snapshot(task)
    task.state, task.returned_at, task.result, task.next_escalation_at = TaskState.RETURNED, at, text, None
    task.save()
    _report(task, ReportKind.RETURNED, acting_user=acting_user, at=at, to_user=task.dispatched_by, note=text)
    step(task, "dispatch.returned", acting_user=acting_user, before=before, reason=text[:200])
    tell([task.dispatched_by], f"任务{task.number}被{acting_user}退回：{text[:100]}")
    return task
