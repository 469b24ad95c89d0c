"""重大执法决定法制审核 over REST (zhifa.review): queue, packets and diffs, submission, the
reviewer's checklist opinion, objection, collective discussion, catalogue, staffing.

    GET  /review/queue                        the caller's pending reviews, nearest due date first
    GET  /review/cases/{id}                   major?, reasons, catalogue version, gate, packets, opinions
    POST /review/cases/{id}/submit            {expected_version, reviewer, packet{…}, correction_note}
    POST /review/cases/{id}/opinion           {expected_version, packet_version, outcome, checklist, opinion, corrections}
    POST /review/cases/{id}/objection         {text}
    POST /review/cases/{id}/discussion        {expected_version, trigger, attendees[], minutes, conclusion}
    GET  /review/cases/{id}/diff/{version}    what changed from the previous packet version
    GET/POST /review/catalogue/{entity}       the entity's catalogue (POST: a new version)
    GET  /review/staffing                     reviewers ÷ officers per visible entity vs the floor

Refusals: {"rule", "message", "field"} with 409 (422 for rule "validation").

Operation ids keep the names they were published under when this router lived in zhifa/apiv1/
(zhifa_apiv1_review_…): clients generated from the OpenAPI schema depend on them.
"""
import datetime as dt
from decimal import Decimal
from typing import Optional

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import F, InSchema, actor, get_visible, responses, visible
from zhifa.orgs.models import Entity, User
from zhifa.review import actions as review_actions
from zhifa.review.catalogue import current_catalogue, is_major, packet_diff, staffing
from zhifa.review.gate import gate_refusal
from zhifa.review.models import Opinion, Packet
from zhifa.review.queue import reviewer_queue

router = Router(tags=["法制审核"])


class PacketIn(InSchema):
    draft_decision: str = F("", "拟作出的处理决定")
    facts: str = F("", "违法事实")
    evidence_list: str = F("", "证据清单")
    legal_basis: str = F("", "法律依据")
    discretion_reasoning: str = F("", "裁量理由")
    procedure_record: str = F("", "程序履行情况")


class SubmitIn(InSchema):
    expected_version: int = F(..., "案件版本")
    reviewer: int = F(..., "审核人员（用户编号）")
    packet: PacketIn = F(..., "送审材料")
    correction_note: str = F("", "补正说明")
    on: Optional[dt.date] = F(None, "办理日期")


class ReviewCheckIn(InSchema):
    status: str = F(..., "审核结论", "ok（符合）或 problem（存在问题）")
    note: str = F("", "问题说明")


class OpinionIn(InSchema):
    expected_version: int = F(..., "案件版本")
    packet_version: int = F(..., "送审材料版本")
    outcome: str = F(..., "审核意见", "agree（同意）或 problems（存在问题）")
    checklist: dict[str, ReviewCheckIn] = F(..., "审核事项", "subject/procedure/facts/law/powers/documents/crime")
    opinion: str = F(..., "审核意见")
    corrections: str = F("", "需补正或纠正的问题")
    on: Optional[dt.date] = F(None, "办理日期")


class ObjectionIn(InSchema):
    text: str = F(..., "异议理由")


class AttendeeIn(InSchema):
    name: str = F(..., "姓名")
    title: str = F("", "职务")
    view: str = F(..., "意见")


class DiscussionIn(InSchema):
    expected_version: int = F(..., "案件版本")
    trigger: str = F(..., "讨论事由", "disagreement / art57 / other")
    attendees: list[AttendeeIn] = F(..., "参加人员及意见")
    minutes: str = F(..., "讨论记录")
    conclusion: str = F(..., "讨论结论")
    on: Optional[dt.date] = F(None, "办理日期")


class CatalogueIn(InSchema):
    fine_threshold_citizen: Optional[Decimal] = F(None, "公民罚没款数额标准（元）")
    fine_threshold_org: Optional[Decimal] = F(None, "法人或其他组织罚没款数额标准（元）")
    revoke_licence: bool = F(True, "吊销许可证件、降低资质等级")
    suspend_or_close: bool = F(True, "责令停产停业、责令关闭、限制从业")
    hearing_held: bool = F(True, "经过听证程序")
    public_interest: bool = F(True, "涉及重大公共利益或社会稳定风险")
    complex: bool = F(True, "案情疑难复杂")
    suspected_crime: bool = F(True, "涉嫌犯罪")
    all_general: bool = F(False, "一般程序处罚案件一律法制审核")
    review_days: int = F(10, "审核期限（工作日）")
    note: str = F("", "修订说明")


class ReviewStatusOut(Schema):
    case_id: int = F(..., "案件编号")
    major: bool = F(..., "重大执法决定")
    reasons: list[str] = F(..., "情形")
    catalogue_version: Optional[int] = F(None, "目录清单版本")
    gate_open: bool = F(..., "可以作出决定（法制审核方面）")
    gate_message: str = F("", "未通过原因")
    packets: list[dict] = F(..., "送审材料各版本")
    opinions: list[dict] = F(..., "审核意见")


def _status(case) -> dict:
    major, reasons, version = is_major(case)
    gate = gate_refusal(case)
    packets = [{"version": p.version, "submitted_on": p.submitted_on, "review_id": p.review_id,
                "catalogue_version": p.catalogue_version, "major_reasons": p.major_reasons,
                **{f: getattr(p, f) for f in ("draft_decision", "facts", "evidence_list", "legal_basis",
                                              "discretion_reasoning", "procedure_record", "correction_note")}}
               for p in Packet.objects.filter(case=case).order_by("version")]
    opinions = [{"review_id": o.review_id, "packet_version": o.packet.version, "outcome": o.outcome,
                 "items": o.items, "opinion": o.opinion, "corrections": o.corrections, "decided_on": o.decided_on,
                 "document_id": o.document_id}
                for o in Opinion.objects.filter(review__case=case).select_related("packet").order_by("review_id")]
    return {"case_id": case.pk, "major": major, "reasons": reasons, "catalogue_version": version,
            "gate_open": gate is None, "gate_message": gate or "", "packets": packets, "opinions": opinions}


@router.get("/queue", response=responses(list[dict]), operation_id="zhifa_apiv1_review_queue", summary="我的待审核案件")
def queue(request):
    return [{"review_id": r["review"].pk, "case_id": r["case"].pk, "case": str(r["case"]),
             "packet_version": r["packet"].version if r["packet"] else None, "due_on": r["due_on"]}
            for r in reviewer_queue(actor(request))]


@router.get("/cases/{case_id}", response=responses(ReviewStatusOut),
            operation_id="zhifa_apiv1_review_case_status", summary="案件的法制审核情况")
def case_status(request, case_id: int):
    return _status(get_visible(Case, request, case_id))


@router.post("/cases/{case_id}/submit", response=responses(ReviewStatusOut),
             operation_id="zhifa_apiv1_review_submit", summary="提交法制审核（送审材料）")
def submit(request, case_id: int, body: SubmitIn):
    case = get_visible(Case, request, case_id)
    reviewer = User.objects.filter(pk=body.reviewer, entity_id=case.entity_id).first()
    review_actions.do_submit_packet(case, reviewer=reviewer, packet=body.packet.dict(), acting_user=actor(request),
                       expected_version=body.expected_version, correction_note=body.correction_note, on=body.on)
    return _status(case)


@router.post("/cases/{case_id}/opinion", response=responses(ReviewStatusOut),
             operation_id="zhifa_apiv1_review_opinion", summary="出具法制审核意见")
def opinion(request, case_id: int, body: OpinionIn):
    case = get_visible(Case, request, case_id)
    review_actions.do_review(case, outcome=body.outcome, packet_version=body.packet_version,
                checklist={k: c.dict() for k, c in body.checklist.items()}, opinion=body.opinion,
                corrections=body.corrections, acting_user=actor(request), expected_version=body.expected_version,
                on=body.on)
    return _status(case)


@router.post("/cases/{case_id}/objection", response=responses(ReviewStatusOut),
             operation_id="zhifa_apiv1_review_objection", summary="承办人对审核意见提出异议")
def objection(request, case_id: int, body: ObjectionIn):
    case = get_visible(Case, request, case_id)
    last = case.reviews.exclude(outcome="").order_by("id").last()
    if last is None:
        raise ActionRefused("review.objection_latest", "本案尚无审核意见")
    review_actions.do_record_objection(last, text=body.text, acting_user=actor(request))
    return _status(case)


@router.post("/cases/{case_id}/discussion", response=responses(ReviewStatusOut),
             operation_id="zhifa_apiv1_review_discussion", summary="集体讨论")
def discussion(request, case_id: int, body: DiscussionIn):
    case = get_visible(Case, request, case_id)
    review_actions.do_hold_discussion(case, trigger=body.trigger, attendees=[a.dict() for a in body.attendees],
                         minutes=body.minutes, conclusion=body.conclusion, acting_user=actor(request),
                         expected_version=body.expected_version, on=body.on)
    return _status(case)


@router.get("/cases/{case_id}/diff/{version}", response=responses(list[dict]),
            operation_id="zhifa_apiv1_review_diff", summary="送审材料与上一版相比的变化")
def diff(request, case_id: int, version: int):
    case = get_visible(Case, request, case_id)
    new = \
        Packet.objects.filter(case=case, version=version).first()
    if new is None:
        raise Http404("没有该版本的送审材料")
    old = Packet.objects.filter(case=case, version__lt=version).order_by("-version").first()
    return packet_diff(old, new)


def _catalogue_out(cat):
    if cat is None:
        return {}
    return {"version": cat.version, **{f: getattr(cat, f) for f in CatalogueIn.model_fields}}


@router.get("/catalogue/{entity_id}", response=responses(dict),
            operation_id="zhifa_apiv1_review_catalogue", summary="法制审核目录清单（当前版本）")
def catalogue(request, entity_id: int):
    entity = get_visible(Entity, request, entity_id)
    return _catalogue_out(current_catalogue(entity.pk))


@router.post("/catalogue/{entity_id}", response=responses(dict, 201),
             operation_id="zhifa_apiv1_review_save_catalogue", summary="修订法制审核目录清单（生成新版本）")
def save_catalogue(request, entity_id: int, body: CatalogueIn):
    entity = get_visible(Entity, request, entity_id)
    return Status(201, _catalogue_out(review_actions.do_save_catalogue(entity, body.dict(), acting_user=actor(request))))


@router.get("/staffing", response=responses(list[dict]),
            operation_id="zhifa_apiv1_review_staffing_list", summary="法制审核人员配备比例")
def staffing_list(request):
    out = []
    for e in visible(Entity, request).filter(is_justice_bureau=False).order_by("name"):
        s = staffing(e)
        out.append({"entity_id": e.pk, "entity": e.name, "officers": s["officers"], "reviewers": s["reviewers"],
                    "ratio": round(s["ratio"], 4), "floor": s["floor"], "below_floor": s["below_floor"],
                    "unqualified": [o.name for o in s["unqualified"]]})
    return out



