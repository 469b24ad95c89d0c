"""Staff API of the publication pipeline (执法结果公示).

    GET  /disclosure/publications?state=      visible publications, nearest due date first
    GET  /disclosure/publications/{id}        with source text and proposed spans
    PUT  /disclosure/publications/{id}/spans  {spans: [{start, end, kind}]} (add/remove before approving)
    POST /disclosure/publications/{id}/approve
    POST /disclosure/publications/{id}/withdrawal-ground  {ground, occurred_on}
    POST /disclosure/publications/{id}/withdraw           {public_reason}
    GET  /disclosure/timeliness               on time / late / missing per entity

Refusals: {"rule", "message", "field"} with 409 (422 for "validation").
"""
import datetime as dt
from typing import Any, Optional

from ninja import Router, Schema

from zhifa.common.api.base import F, InSchema, actor, get_visible, responses, visible
from zhifa.disclosure import timeliness
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.choices import WITHDRAW_GROUNDS
from zhifa.disclosure.models import Publication

router = Router(tags=["执法结果公示"])


class PublicationOut(Schema):
    id: int
    state: str
    kind: str
    entity: int = F(..., "执法主体", alias="entity_id")
    decision_number: str
    decided_on: dt.date
    due_on: Optional[dt.date] = None
    due_pending_year: Optional[int] = F(None, "公示期限待定时：待录入节假日安排的年度")
    due_note: str = F("", "期限说明（待定时为“待定：需录入YYYY年节假日安排”）")
    hold_reason: str
    public_title: str
    public_body: str
    published_on: Optional[dt.date] = None
    ledger_seq: Optional[int] = None
    withdrawal_due_on: Optional[dt.date] = None
    withdrawal_due_pending_year: Optional[int] = F(None, "撤下期限待定时：待录入节假日安排的年度")
    withdrawal_reason: str
    withdrawn_on: Optional[dt.date] = None
    public_until: Optional[dt.date] = F(None, "公示截止日期")
    expired_on: Optional[dt.date] = F(None, "停止公示日期")
    expiry_cause: str = F("", "停止公示原因", "period（公示期满）| credit_repair（信用修复）")


class PublicationDetail(PublicationOut):
    source_text: str = F(..., "决定书原文（内部）")
    spans: list[dict[str, Any]] = F(..., "隐去内容")


class SpanIn(Schema):
    start: int
    end: int
    kind: str


class SpansIn(Schema):
    spans: list[SpanIn]


class GroundIn(Schema):
    ground: str = F(..., "撤下事由", "changed | revoked | illegal | void")
    occurred_on: dt.date = F(..., "发生日期")


class PublicationWithdrawIn(InSchema):
    public_reason: str = F(..., "公开的撤下理由", max_length=300)
    ground: str = F("", "法定事由", "; ".join(f"{k} {v}" for k, v in WITHDRAW_GROUNDS.items())
                    + "；不填则用已登记的撤下事由。须由行政机关负责人办理", max_length=20)


@router.get("/publications", operation_id="zhifa_apiv1_disclosure_publications", response=responses(list[PublicationOut]), summary="公示信息列表")
def publications(request, state: Optional[str] = None):
    qs = visible(Publication, request).order_by("due_on", "id")
    if state:
        qs = qs.filter(state=state)
    return list(qs[:500])


@router.get("/publications/{pk}", operation_id="zhifa_apiv1_disclosure_publication", response=responses(PublicationDetail), summary="公示信息详情")
def publication(request, pk: int):
    return get_visible(Publication, request, pk)


@router.put("/publications/{pk}/spans", operation_id="zhifa_apiv1_disclosure_set_spans", response=responses(PublicationDetail), summary="调整隐去内容")
def set_spans(request, pk: int, data: SpansIn):
    pub = get_visible(Publication, request, pk)
    return publication_actions.do_set_spans(pub, [s.dict() for s in data.spans], acting_user=actor(request))


@router.post("/publications/{pk}/approve", operation_id="zhifa_apiv1_disclosure_approve", response=responses(PublicationOut), summary="审核通过并公示")
def approve(request, pk: int):
    return publication_actions.do_approve(get_visible(Publication, request, pk), acting_user=actor(request))


@router.post("/publications/{pk}/withdrawal-ground", operation_id="zhifa_apiv1_disclosure_ground", response=responses(PublicationOut), summary="登记撤下事由")
def ground(request, pk: int, data: GroundIn):
    return publication_actions.do_flag_withdrawal(get_visible(Publication, request, pk), acting_user=actor(request),
                                                  ground=data.ground, occurred_on=data.occurred_on)


@router.post("/publications/{pk}/withdraw", operation_id="zhifa_apiv1_disclosure_withdraw", response=responses(PublicationOut), summary="撤下公示")
def withdraw(request, pk: int, data: PublicationWithdrawIn):
    return publication_actions.do_withdraw(get_visible(Publication, request, pk), acting_user=actor(request),
                                           public_reason=data.public_reason, ground=data.ground)


@router.get("/timeliness", operation_id="zhifa_apiv1_disclosure_timeliness_view", response=responses(list[dict[str, Any]]), summary="公示及时性（按执法主体）")
def timeliness_view(request):
    return timeliness.per_entity(visible(Publication, request))
