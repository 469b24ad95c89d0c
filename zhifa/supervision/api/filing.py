"""重大行政处罚备案审查 over REST (zhifa.supervision.actions.filing).

    GET  /filings?state=&bureau=        visible filings (the deciding entity's; supervisors: their subtree)
    GET  /filings/{id}                  one filing
    POST /filings/{id}/file             {note}  the deciding agency files it with the bureau
    POST /filings/{id}/review           {checklist: {point: true|false}, opinion: record|problem, text,
                                         order_kind: rectify|suggestion, order_days}  the bureau reviews
    GET  /filings/periods               the caller's bureau's periods (and the checklist's points)
    PUT  /filings/periods               {filing_days, review_days}  the bureau sets them

Refusals: {"rule", "message", "field"} with 409 (422 for "validation"), 403 out of scope.
"""
import datetime as dt
from typing import Optional

from ninja import Field, Router, Schema

from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import F, InSchema, actor, get_visible, id_query, responses, visible
from zhifa.supervision.actions import filing as filing_actions
from zhifa.supervision.choices import FILING_CHECKLIST
from zhifa.supervision.models import MajorFiling

router = Router(tags=["重大行政处罚备案审查"])


class FilingOut(Schema):
    id: int
    case_id: int
    case_number: str
    entity_id: int
    bureau_id: Optional[int]
    decided_on: dt.date
    reasons: list[str]
    days: int
    due_on: Optional[dt.date]
    due_pending_year: Optional[int] = Field(None, description="期限待定时：待录入节假日安排的年度")
    due_display: str
    state: str
    state_label: str
    filed_on: Optional[dt.date]
    filed_late: bool
    filing_note: str
    review_due_on: Optional[dt.date]
    review_due_display: str
    reviewed_on: Optional[dt.date]
    checklist: dict
    opinion: str
    opinion_text: str
    order_id: Optional[int]


def _out(f: MajorFiling) -> dict:
    return {**{k: getattr(f, k) for k in ("id", "case_id", "entity_id", "bureau_id", "decided_on", "reasons", "days",
                                          "due_on", "due_pending_year", "due_display", "state", "filed_on",
                                          "filed_late", "filing_note", "review_due_on", "review_due_display",
                                          "reviewed_on", "checklist", "opinion", "opinion_text", "order_id")},
            "case_number": f.case.number, "state_label": f.get_state_display()}


class FileIn(InSchema):
    note: str = F("", "报送说明")


class ReviewIn(InSchema):
    checklist: dict[str, bool] = F(..., "审查要点", "每个要点：true 符合，false 不符合（要点见 GET /filings/periods）")
    opinion: str = F(..., "审查意见", "record（予以备案）或 problem（存在问题，责令纠正）")
    text: str = F("", "问题及纠正要求")
    order_kind: str = F("rectify", "纠正方式", "rectify（整改通知）或 suggestion（执法监督建议书）")
    order_days: int = F(15, "纠正期限（工作日）")


class PeriodsIn(InSchema):
    filing_days: int = F(..., "报送备案期限（工作日）")
    review_days: int = F(..., "备案审查期限（工作日）")


@router.get("", operation_id="zhifa_apiv1_filings", response=responses(list[FilingOut]), summary="重大行政处罚备案")
def filings(request, state: str = "", bureau: Optional[int] = id_query("备案机关")):
    qs = visible(MajorFiling, request).select_related("case")
    if state:
        qs = qs.filter(state=state)
    if bureau is not None:
        qs = qs.filter(bureau_id=bureau)
    return [_out(f) for f in qs[:1000]]


@router.get("/periods", operation_id="zhifa_apiv1_filing_periods", response=responses(dict), summary="备案审查期限及审查要点")
def periods(request):
    user = actor(request)
    bureau = user.entity if user.entity_id and user.entity.is_justice_bureau else None
    filing_days, review_days = filing_actions.periods_of(bureau)
    return {"bureau_id": bureau.pk if bureau else None, "filing_days": filing_days, "review_days": review_days,
            "checklist": [{"key": k, "label": str(label)} for k, label in FILING_CHECKLIST]}


@router.put("/periods", operation_id="zhifa_apiv1_filing_set_periods", response=responses(dict), summary="设定备案审查期限")
def set_periods(request, body: PeriodsIn):
    user = actor(request)
    if not (user.entity_id and user.entity.is_justice_bureau):
        raise ActionRefused("validation", "备案审查期限由司法行政机关设定", "bureau")
    row = filing_actions.do_set_filing_periods(user.entity, acting_user=user, filing_days=body.filing_days,
                                               review_days=body.review_days)
    return {"bureau_id": row.bureau_id, "filing_days": row.filing_days, "review_days": row.review_days}


@router.get("/{filing_id}", operation_id="zhifa_apiv1_filing", response=responses(FilingOut), summary="一件重大行政处罚备案")
def filing(request, filing_id: int):
    return _out(get_visible(MajorFiling, request, filing_id))


@router.post("/{filing_id}/file", operation_id="zhifa_apiv1_filing_file", response=responses(FilingOut), summary="报送备案")
def file_(request, filing_id: int, body: FileIn):
    f = get_visible(MajorFiling, request, filing_id)
    return _out(filing_actions.do_file_major(f, acting_user=actor(request), note=body.note))


@router.post("/{filing_id}/review", operation_id="zhifa_apiv1_filing_review", response=responses(FilingOut), summary="备案审查")
def review(request, filing_id: int, body: ReviewIn):
    f = get_visible(MajorFiling, request, filing_id)
    return _out(filing_actions.do_review_filing(f, acting_user=actor(request), checklist=body.checklist,
                                                opinion=body.opinion, text=body.text, order_kind=body.order_kind,
                                                order_days=body.order_days))
