"""投诉举报 / 咨询 handling over REST (zhifa.disclosure.actions.complaints).

Staff (scope: supervisors their region, entity staff their entity):
    GET  /complaints?state=&source=&kind=&entity=&overdue=&q=&limit=&offset=
    POST /complaints                          staff entry (12345, 来信, 来访…); no entity → 待分派 (supervisors)
    GET  /complaints/{id}                     with the handling record
    POST /complaints/{id}/assign              {entity, reason}   分派 / 改派 (supervisor)
    POST /complaints/{id}/dispute             {reason}           管辖异议 (the entity's heads)
    POST /complaints/{id}/steps               {note}             办理记录
    POST /complaints/{id}/answer              {answer}           答复
Public (no account; the tracking code is the key):
    GET  /complaints/track/{code}             status, reply and the handling steps (no notes, no contact)
    POST /complaints/track/{code}/feedback    {satisfaction: satisfied|basic|dissatisfied, comment}
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import Status

from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import MAX_ID, F, InSchema, actor, get_visible, id_query, responses, visible
from zhifa.common.fields import match
from zhifa.disclosure import choices
from zhifa.disclosure.actions import complaints
from zhifa.disclosure.models import Complaint
from zhifa.orgs.models import Entity

router = Router(tags=["投诉举报办理"])


class ComplaintStepOut(Schema):
    kind: str
    kind_label: str
    entity_id: Optional[int]
    note: str
    on: dt.date
    by_id: Optional[int]
    by_name: str


class ComplaintHandlingOut(Schema):
    id: int
    tracking_code: str
    kind: str
    source: str
    source_label: str
    source_ref: str
    entity_id: int
    entity: str
    state: str
    state_label: str
    content: str
    complainant: str
    contact: str
    received_on: dt.date
    due_on: Optional[dt.date]
    due_pending_year: Optional[int] = None  # 期限待定时：待录入节假日安排的年度
    due_note: str = ""
    overdue: bool
    answer: str
    answered_on: Optional[dt.date]
    satisfaction: str
    feedback_comment: str
    steps: list[ComplaintStepOut] = []


def _out(c, steps=False):
    d = {f: getattr(c, f) for f in ("id", "tracking_code", "kind", "source", "source_ref", "entity_id", "state",
                                    "content", "complainant", "contact", "received_on", "due_on", "due_pending_year", "due_note", "answer",
                                    "answered_on", "satisfaction", "feedback_comment")}
    d.update(entity=c.entity.name, source_label=c.get_source_display(), state_label=c.get_state_display(),
             overdue=complaints.is_overdue(c, timezone.localdate()), steps=[])
    if steps:
        d["steps"] = [{"kind": s.kind, "kind_label": s.get_kind_display(), "entity_id": s.entity_id, "note": s.note,
                       "on": s.on, "by_id": s.by_id, "by_name": s.by_name} for s in c.steps.order_by("at", "id")]
    return d


@router.get("", operation_id="zhifa_apiv1_complaints_list_complaints", response=responses(dict), summary="投诉举报列表")
def list_complaints(request, state: str = "", source: str = "", kind: str = "",
                    entity: Optional[int] = id_query("执法主体"), overdue: bool = False, q: str = "",
                    limit: int = Query(100, title="条数", ge=1, le=500),
                    offset: int = Query(0, title="起始位置", ge=0, le=MAX_ID)):
    qs = visible(Complaint, request).select_related("entity")
    if state == "open":
        qs = qs.filter(state__in=choices.COMPLAINT_OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if source:
        qs = qs.filter(source=source)
    if kind:
        qs = qs.filter(kind=kind)
    if entity is not None:
        qs = qs.filter(entity_id=entity)
    if overdue:
        qs = qs.filter(pk__in=complaints.overdue(timezone.localdate()).values("pk"))
    if q.strip():
        qs = (qs.filter(content__icontains=q.strip()[:50]) | qs.filter(tracking_code__iexact=q.strip()[:16])
              | qs.filter(match(Complaint, "contact", q.strip()[:50])))  # a phone number: the contact's blind index
    qs = qs.order_by("state", "due_on", "id")
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return {"count": qs.count(), "items": [_out(c) for c in qs[offset:offset + limit]]}


class ComplaintRegisterIn(InSchema):
    kind: str = F(..., "类别", "consult（咨询）| complaint（投诉举报）")
    source: str = F(..., "来源", "12345 | letter（来信）| visit（来访）| social（社会监督员）| other")
    content: str = F(..., "内容", "10至2000字", max_length=2000)
    entity: Optional[int] = F(None, "办理主体", "不填则在本司法局待分派（仅执法监督人员）")
    source_ref: str = F("", "来源编号（如12345工单号）", max_length=60)
    complainant: str = F("", "投诉人（不公开）", max_length=50)
    contact: str = F("", "联系方式（不公开）", max_length=100)
    received_on: Optional[dt.date] = F(None, "收到日期", "默认今天")
    note: str = F("", "登记说明", max_length=500)


@router.post("", operation_id="zhifa_apiv1_complaints_register", response=responses(ComplaintHandlingOut, 201), summary="登记投诉举报（12345转办、来信、来访等）")
def register(request, body: ComplaintRegisterIn):
    entity = None
    if body.entity is not None:
        entity = visible(Entity, request).filter(pk=body.entity).first() if 0 < body.entity < 2**63 else None
        if entity is None:
            raise ActionRefused("validation", f"办理主体：编号为 {body.entity} 的记录不存在或不在您的数据范围内",
                                "entity")
    c = complaints.do_register_complaint(acting_user=actor(request), kind=body.kind, content=body.content, source=body.source,
                                entity=entity, source_ref=body.source_ref, complainant=body.complainant,
                                contact=body.contact, received_on=body.received_on, note=body.note)
    return Status(201, _out(c, steps=True))


@router.get("/track/{code}", operation_id="zhifa_apiv1_complaints_track", response=responses(dict), auth=None, summary="凭查询码查询办理情况（公众）")
def track(request, code: str):
    c = complaints.lookup(code[:16])
    if c is None:
        raise Http404("查询码不正确")
    return complaints.public_dict(c)


class ComplaintFeedbackIn(InSchema):
    satisfaction: str = F(..., "满意度", "satisfied（满意）| basic（基本满意）| dissatisfied（不满意）")
    comment: str = F("", "评价意见", max_length=500)


@router.post("/track/{code}/feedback", operation_id="zhifa_apiv1_complaints_feedback", response=responses(dict), auth=None, summary="凭查询码评价答复（公众）")
def feedback(request, code: str, body: ComplaintFeedbackIn):
    c = complaints.lookup(code[:16])
    if c is None:
        raise Http404("查询码不正确")
    return complaints.public_dict(complaints.do_give_feedback(c, satisfaction=body.satisfaction, comment=body.comment))


@router.get("/{complaint_id}", operation_id="zhifa_apiv1_complaints_detail", response=responses(ComplaintHandlingOut), summary="投诉举报详情（含办理记录）")
def detail(request, complaint_id: int):
    return _out(_c(request, complaint_id), steps=True)


class ComplaintAssignIn(InSchema):
    entity: int = F(..., "办理主体")
    reason: str = F("", "分派/改派理由", max_length=500)


class ComplaintDisputeIn(InSchema):
    reason: str = F(..., "管辖异议理由", max_length=500)


class ComplaintStepIn(InSchema):
    note: str = F(..., "办理情况", max_length=2000)


class ComplaintAnswerIn(InSchema):
    answer: str = F(..., "答复内容", max_length=5000)


def _c(request, pk):
    return get_visible(visible(Complaint, request).select_related("entity"), request, pk)


@router.post("/{complaint_id}/assign", operation_id="zhifa_apiv1_complaints_assign", response=responses(ComplaintHandlingOut), summary="分派或改派（执法监督人员）")
def assign(request, complaint_id: int, body: ComplaintAssignIn):
    c = _c(request, complaint_id)
    entity = visible(Entity, request).filter(pk=body.entity).first() if 0 < body.entity < 2**63 else None
    if entity is None:
        raise ActionRefused("complaint.assign_in_scope", "请选择您监督区域内的有效执法主体", "entity")
    return _out(complaints.do_assign_complaint(c, acting_user=actor(request), entity=entity, reason=body.reason), steps=True)


@router.post("/{complaint_id}/dispute", operation_id="zhifa_apiv1_complaints_dispute", response=responses(ComplaintHandlingOut), summary="提出管辖异议")
def dispute(request, complaint_id: int, body: ComplaintDisputeIn):
    return _out(complaints.do_dispute_jurisdiction(_c(request, complaint_id), acting_user=actor(request), reason=body.reason),
                steps=True)


@router.post("/{complaint_id}/steps", operation_id="zhifa_apiv1_complaints_add_step", response=responses(ComplaintHandlingOut, 201), summary="登记办理情况")
def add_step(request, complaint_id: int, body: ComplaintStepIn):
    c = _c(request, complaint_id)
    complaints.do_add_step(c, acting_user=actor(request), note=body.note)
    return Status(201, _out(_c(request, complaint_id), steps=True))


@router.post("/{complaint_id}/answer", operation_id="zhifa_apiv1_complaints_answer", response=responses(ComplaintHandlingOut), summary="答复投诉人")
def answer(request, complaint_id: int, body: ComplaintAnswerIn):
    return _out(complaints.do_answer_complaint(_c(request, complaint_id), acting_user=actor(request), answer=body.answer),
                steps=True)
