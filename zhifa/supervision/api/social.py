"""社会监督员 and their leads over REST (zhifa.supervision.actions.social).

Supervisors (scope: the registry of their bureau and the bureaus below):
    GET  /social/supervisors?state=            registry
    POST /social/supervisors                   appoint (the caller's own justice bureau)
    GET  /social/supervisors/{id}              with the personal feedback link (for the appointing bureau)
    POST /social/supervisors/{id}/end          {reason}
    POST /social/supervisors/{id}/renew-link   a new link; the old one stops working
    GET  /social/leads?state=                  lead queue
    GET  /social/leads/{id}
    POST /social/leads/{id}/convert            {to: complaint|alert|order|close, entity, note, order_kind, days}
The social supervisor (no account; the token of their personal link):
    GET  /social/feedback/{token}              their leads and what became of them
    POST /social/feedback/{token}              {content, entity, case_ref}
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import F, InSchema, actor, get_visible, responses, visible
from zhifa.common.scope import can
from zhifa.orgs.models import Entity, Region
from zhifa.supervision.actions import social
from zhifa.supervision.models import SocialSupervisor, SupervisionLead

router = Router(tags=["社会监督员"])


class SocialSupervisorOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    workplace: str
    contact: str
    bureau_id: int
    region_id: int
    entity_ids: list[int]
    appointed_on: dt.date
    term_ends_on: dt.date
    state: str
    ended_on: Optional[dt.date]
    end_reason: str
    feedback_token: Optional[str]


def _sup(request, s):
    manage = can(actor(request), "change", s) and s.state == SocialSupervisor.State.ACTIVE
    return {**{f: getattr(s, f) for f in ("id", "name", "kind", "workplace", "contact", "bureau_id", "region_id",
                                          "appointed_on", "term_ends_on", "state", "ended_on", "end_reason")},
            "kind_label": s.get_kind_display(), "entity_ids": sorted(s.entities.values_list("pk", flat=True)),
            "feedback_token": social.token_for(s) if manage else None}


@router.get("/supervisors", operation_id="zhifa_apiv1_social_supervisors", response=responses(list[SocialSupervisorOut]), summary="社会监督员名册")
def supervisors(request, state: str = ""):
    qs = visible(SocialSupervisor, request)
    if state:
        qs = qs.filter(state=state)
    return [_sup(request, s) for s in qs[:1000]]


class SocialAppointIn(InSchema):
    name: str = F(..., "姓名", max_length=50)
    kind: str = F(..., "身份类别", "citizen|lawyer|journalist|npc|cppcc|expert|enterprise|other")
    appointed_on: dt.date = F(..., "聘任日期")
    term_ends_on: dt.date = F(..., "任期届满")
    region: Optional[int] = F(None, "监督区域", "默认为聘任机关所在区划")
    entities: list[int] = F([], "重点监督主体")
    workplace: str = F("", "工作单位", max_length=120)
    contact: str = F("", "联系方式（不公开）", max_length=100)


@router.post("/supervisors", operation_id="zhifa_apiv1_social_appoint", response=responses(SocialSupervisorOut, 201), summary="聘任社会监督员")
def appoint(request, body: SocialAppointIn):
    region = None
    if body.region is not None:
        region = Region.objects.filter(pk=body.region).first() if 0 < body.region < 2**63 else None
        if region is None:
            raise ActionRefused("validation", "监督区域不存在", "region")
    entities = list(visible(Entity, request).filter(pk__in=[i for i in body.entities if 0 < i < 2**63]))
    if len(entities) != len(set(body.entities)):
        raise ActionRefused("validation", "重点监督主体不存在或不在您的数据范围内", "entities")
    s = social.do_appoint_supervisor(acting_user=actor(request), name=body.name, kind=body.kind,
                                appointed_on=body.appointed_on, term_ends_on=body.term_ends_on, region=region,
                                entities=entities, workplace=body.workplace, contact=body.contact)
    return Status(201, _sup(request, s))


@router.get("/supervisors/{sid}", operation_id="zhifa_apiv1_social_supervisor", response=responses(SocialSupervisorOut), summary="社会监督员详情")
def supervisor(request, sid: int):
    return _sup(request, get_visible(SocialSupervisor, request, sid))


class SocialEndIn(InSchema):
    reason: str = F(..., "解聘原因", max_length=200)


@router.post("/supervisors/{sid}/end", operation_id="zhifa_apiv1_social_end", response=responses(SocialSupervisorOut), summary="解聘")
def end(request, sid: int, body: SocialEndIn):
    s = social.do_end_supervisor(get_visible(SocialSupervisor, request, sid), acting_user=actor(request), reason=body.reason)
    return _sup(request, s)


@router.post("/supervisors/{sid}/renew-link", operation_id="zhifa_apiv1_social_renew", response=responses(SocialSupervisorOut), summary="更换个人反馈链接")
def renew(request, sid: int):
    return _sup(request, social.do_renew_link(get_visible(SocialSupervisor, request, sid), acting_user=actor(request)))


class SocialLeadOut(Schema):
    id: int
    supervisor_id: int
    bureau_id: int
    entity_id: Optional[int]
    content: str
    case_ref: str
    received_on: dt.date
    state: str
    state_label: str
    complaint_id: Optional[int]
    alert_id: Optional[int]
    order_id: Optional[int]
    note: str
    handled_on: Optional[dt.date]


def _lead(lead):
    return {**{f: getattr(lead, f) for f in ("id", "supervisor_id", "bureau_id", "entity_id", "content", "case_ref",
                                             "received_on", "state", "complaint_id", "alert_id", "order_id", "note",
                                             "handled_on")},
            "state_label": lead.get_state_display()}


@router.get("/leads", operation_id="zhifa_apiv1_social_leads", response=responses(list[SocialLeadOut]), summary="监督线索")
def leads(request, state: str = ""):
    qs = visible(SupervisionLead, request)
    if state:
        qs = qs.filter(state=state)
    return [_lead(x) for x in qs[:1000]]


@router.get("/leads/{lead_id}", operation_id="zhifa_apiv1_social_lead", response=responses(SocialLeadOut), summary="监督线索详情")
def lead(request, lead_id: int):
    return _lead(get_visible(SupervisionLead, request, lead_id))


class SocialLeadConvertIn(InSchema):
    to: str = F(..., "处理方式", "complaint（转投诉办理）| alert（转预警）| order（发督办）| close（办结）")
    entity: Optional[int] = F(None, "涉及执法主体", "不填则取线索所选")
    note: str = F("", "处理说明 / 督办要求", max_length=2000)
    order_kind: str = F("duban", "督办类别", "duban | rectify")
    days: int = F(10, "督办期限（工作日）")
    complaint_kind: str = F("complaint", "投诉类别", "complaint | consult")


@router.post("/leads/{lead_id}/convert", operation_id="zhifa_apiv1_social_convert", response=responses(SocialLeadOut), summary="处理线索")
def convert(request, lead_id: int, body: SocialLeadConvertIn):
    x = get_visible(SupervisionLead, request, lead_id)
    entity = None
    if body.entity is not None:
        entity = visible(Entity, request).filter(pk=body.entity).first() if 0 < body.entity < 2**63 else None
        if entity is None:
            raise ActionRefused("lead.entity_in_scope", "涉及的执法主体不在您的监督区域内", "entity")
    return _lead(social.do_convert_lead(x, acting_user=actor(request), to=body.to, entity=entity, note=body.note,
                                   order_kind=body.order_kind, days=body.days, complaint_kind=body.complaint_kind))


class SocialFeedbackIn(InSchema):
    content: str = F(..., "反映内容", "10至2000字", max_length=2000)
    entity: Optional[int] = F(None, "涉及执法部门")
    case_ref: str = F("", "涉及案件或事项", max_length=100)


def _own(token):
    s = social.supervisor_for_token(token[:80])
    if s is None:
        raise Http404("反馈链接无效")
    return s


@router.get("/feedback/{token}", operation_id="zhifa_apiv1_social_my_leads", response=responses(dict), auth=None, summary="社会监督员：我反映的问题")
def my_leads(request, token: str):
    s = _own(token)
    return {"name": s.name, "bureau": s.bureau.name, "serving": s.is_serving(timezone.localdate()),
            "entities": [{"id": e.pk, "name": e.name} for e in social.watched_entities(s)[:500]],
            "leads": [{"id": x.pk, "received_on": x.received_on.isoformat(), "content": x.content,
                       "state": x.get_state_display(), "outcome": social.outcome(x)}
                      for x in s.leads.order_by("-received_on", "-id")[:100]]}


@router.post("/feedback/{token}", operation_id="zhifa_apiv1_social_submit", response=responses(dict, 201), auth=None, summary="社会监督员：提交反馈")
def submit(request, token: str, body: SocialFeedbackIn):
    s = _own(token)
    entity = None
    if body.entity is not None:
        entity = social.watched_entities(s).filter(pk=body.entity).first() if 0 < body.entity < 2**63 else None
        if entity is None:
            raise ActionRefused("lead.entity_in_scope", "所选执法部门不在您的监督范围内", "entity")
    x = social.do_submit_lead(token, content=body.content, entity=entity, case_ref=body.case_ref)
    return Status(201, {"id": x.pk, "received_on": x.received_on.isoformat(), "state": x.get_state_display()})
