"""执法指挥 over REST (zhifa.dispatch).

    GET  /dispatch/tasks?state=&mine=true              visible tasks (mine: assigned to me)
    POST /dispatch/tasks                               {title, assignee, limit_unit, limit_amount, source_kind,
                                                        source_id, instructions, place, region, latitude, longitude}
    GET  /dispatch/tasks/{id}                          with its reports (timeline)
    POST /dispatch/tasks/{id}/accept                   {}
    POST /dispatch/tasks/{id}/arrive                   {latitude, longitude, accuracy, place, source, note}
    POST /dispatch/tasks/{id}/location                 {latitude, longitude, accuracy, place, source, note}
    POST /dispatch/tasks/{id}/finish                   {result, latitude, longitude, accuracy, place, source}
    POST /dispatch/tasks/{id}/return                   {reason}
    POST /dispatch/tasks/{id}/reassign                 {assignee, reason}
    GET  /dispatch/map                                 GeoJSON FeatureCollection: region outlines and task points

Refusals: {"rule", "message", "field"} with 409 (422 for "validation"), 403 out of scope.
"""
import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from zhifa.common.api.base import F, InSchema, actor, get_visible, responses, visible
from zhifa.dispatch import actions
from zhifa.dispatch.choices import OPEN_STATES, OVERDUE_COLOUR, STATE_COLOURS
from zhifa.dispatch.models import DispatchTask, RegionOutline, TaskReport

router = Router(tags=["执法指挥"])


class DispatchReportOut(Schema):
    id: int
    kind: str
    at: dt.datetime
    by_id: Optional[int]
    to_user_id: Optional[int]
    latitude: Optional[Decimal]
    longitude: Optional[Decimal]
    accuracy_m: Optional[int]
    location_source: str
    place: str
    note: str


class DispatchTaskOut(Schema):
    id: int
    number: str
    entity_id: int
    unit_id: Optional[int]
    title: str
    instructions: str
    source_kind: str
    source_model: str
    source_id: str
    source_label: str
    place: str
    region_id: Optional[int]
    latitude: Optional[Decimal]
    longitude: Optional[Decimal]
    assignee_id: int
    dispatched_by_id: int
    dispatched_at: dt.datetime
    limit_unit: str
    limit_amount: int
    due_at: Optional[dt.datetime]
    due_pending_year: Optional[int]
    overdue: bool
    state: str
    state_label: str
    accepted_at: Optional[dt.datetime]
    arrived_at: Optional[dt.datetime]
    finished_at: Optional[dt.datetime]
    returned_at: Optional[dt.datetime]
    result: str
    reported_latitude: Optional[Decimal]
    reported_longitude: Optional[Decimal]
    reported_place: str
    reported_at: Optional[dt.datetime]
    escalation_level: int
    escalated_to_id: Optional[int]
    escalated_at: Optional[dt.datetime]

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_overdue(obj):
        return obj.overdue_at(timezone.now())

    @staticmethod
    def resolve_source_model(obj):
        return f"{obj.source_type.app_label}.{obj.source_type.model}" if obj.source_type_id else ""


class DispatchTaskDetailOut(DispatchTaskOut):
    reports: list[DispatchReportOut]

    @staticmethod
    def resolve_reports(obj):
        return list(TaskReport.objects.filter(task=obj))


class DispatchTaskIn(InSchema):
    title: str = F(..., "任务名称")
    assignee: int = F(..., "承办人员（用户编号）")
    limit_unit: str = F("hours", "时限单位：hours 小时 / working_days 工作日")
    limit_amount: int = F(..., "处置时限")
    source_kind: str = F("text", "任务来源：complaint / alert / draw / campaign / text")
    source_id: str = F("", "来源编号")
    instructions: str = F("", "任务要求")
    place: str = F("", "任务地点")
    region: Optional[int] = F(None, "所在区划编号")
    latitude: Optional[str] = F(None, "任务地点纬度")
    longitude: Optional[str] = F(None, "任务地点经度")


class DispatchPositionIn(InSchema):
    latitude: Optional[str] = F(None, "纬度")
    longitude: Optional[str] = F(None, "经度")
    accuracy: Optional[str] = F(None, "定位精度（米）")
    place: str = F("", "位置说明")
    source: str = F("", "位置来源：gps 手机定位 / manual 手工填写")
    note: str = F("", "说明")


class DispatchFinishIn(InSchema):
    result: str = F(..., "处置结果")
    latitude: Optional[str] = F(None, "纬度")
    longitude: Optional[str] = F(None, "经度")
    accuracy: Optional[str] = F(None, "定位精度（米）")
    place: str = F("", "位置说明")
    source: str = F("", "位置来源")


class DispatchReturnIn(InSchema):
    reason: str = F(..., "退回理由")


class DispatchReassignIn(InSchema):
    assignee: int = F(..., "改派给（用户编号）")
    reason: str = F("", "说明")


def _task(request, task_id):
    return get_visible(DispatchTask, request, task_id)


@router.get("/tasks", response=responses(list[DispatchTaskOut]), operation_id="zhifa_dispatch_list", summary="指挥调度任务")
def task_list(request, state: str = "", mine: bool = False):
    qs = visible(DispatchTask, request)
    if state:
        qs = qs.filter(state=state)
    if mine:
        qs = qs.filter(assignee=actor(request))
    return list(qs.select_related("source_type")[:1000])


@router.post("/tasks", response=responses(DispatchTaskDetailOut, 201), operation_id="zhifa_dispatch_create", summary="派发任务")
def dispatch(request, body: DispatchTaskIn):
    data = {k: v for k, v in body.dict().items() if v is not None}
    return Status(201, actions.do_dispatch(data, acting_user=actor(request)))


@router.get("/tasks/{task_id}", response=responses(DispatchTaskDetailOut), operation_id="zhifa_dispatch_detail", summary="任务详情")
def task_detail(request, task_id: int):
    return _task(request, task_id)


@router.post("/tasks/{task_id}/accept", response=responses(DispatchTaskDetailOut), operation_id="zhifa_dispatch_accept", summary="接收任务")
def accept(request, task_id: int):
    return actions.do_accept(_task(request, task_id), acting_user=actor(request))


@router.post("/tasks/{task_id}/arrive", response=responses(DispatchTaskDetailOut), operation_id="zhifa_dispatch_arrive", summary="到场报告")
def arrive(request, task_id: int, body: DispatchPositionIn):
    return actions.do_arrive(_task(request, task_id), acting_user=actor(request), **body.dict())


@router.post("/tasks/{task_id}/location", response=responses(DispatchTaskDetailOut), operation_id="zhifa_dispatch_location", summary="位置报告")
def location(request, task_id: int, body: DispatchPositionIn):
    return actions.do_report_location(_task(request, task_id), acting_user=actor(request), **body.dict())


@router.post("/tasks/{task_id}/finish", response=responses(DispatchTaskDetailOut), operation_id="zhifa_dispatch_finish", summary="处置完毕")
def finish(request, task_id: int, body: DispatchFinishIn):
    return actions.do_finish(_task(request, task_id), acting_user=actor(request), **body.dict())


@router.post("/tasks/{task_id}/return", response=responses(DispatchTaskDetailOut), operation_id="zhifa_dispatch_return", summary="退回任务")
def return_task(request, task_id: int, body: DispatchReturnIn):
    return actions.do_return(_task(request, task_id), acting_user=actor(request), reason=body.reason)


@router.post("/tasks/{task_id}/reassign", response=responses(DispatchTaskDetailOut), operation_id="zhifa_dispatch_reassign", summary="改派任务")
def reassign(request, task_id: int, body: DispatchReassignIn):
    return actions.do_reassign(_task(request, task_id), acting_user=actor(request), assignee=body.assignee,
                               reason=body.reason)


@router.get("/map", response=responses(dict[str, Any]), operation_id="zhifa_dispatch_map", summary="任务地图（GeoJSON）")
def task_map(request):
    """The desk's map as GeoJSON: the outlines of the user's entity's region and below, and the open
    tasks at their reported position (else their place), with their state and colour."""
    user, now = actor(request), timezone.now()
    outlines = RegionOutline.objects.select_related("region")
    if user.entity_id:
        outlines = outlines.filter(region__path__startswith=user.entity.region.path)
    features: list[dict[str, Any]] = [
        {"type": "Feature", "geometry": o.geometry,
         "properties": {"kind": "region", "code": o.region.code, "name": o.region.name, "source": o.source}}
        for o in outlines]
    for t in visible(DispatchTask, request).filter(state__in=OPEN_STATES):
        lat = t.reported_latitude if t.reported_latitude is not None else t.latitude
        lon = t.reported_longitude if t.reported_longitude is not None else t.longitude
        if lat is None:
            continue
        overdue = t.overdue_at(now)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                         "properties": {"kind": "task", "id": t.pk, "number": t.number, "title": t.title,
                                        "state": t.state, "overdue": overdue,
                                        "colour": OVERDUE_COLOUR if overdue else STATE_COLOURS[t.state]}})
    return {"type": "FeatureCollection", "features": features}
