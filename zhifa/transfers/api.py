"""移送 over REST (zhifa.transfers): between agencies with coordination, 两法衔接, discipline referrals.

    GET  /transfers/agency?box=in|out|coordination      visible transfers (the caller's entity's box)
    GET  /transfers/agency/{id}
    POST /transfers/agency/{id}/accept                  {note, open_case, lead, assist}  (the receiver's head)
    POST /transfers/agency/{id}/refuse                  {reason}
    POST /transfers/agency/{id}/dispute                 {reason}   (either end's head)
    POST /transfers/agency/{id}/coordinate              {entity, reason}   (supervisor of the common region)
    GET  /transfers/crime?state=                        两法衔接
    POST /transfers/crime                               {case, team: [officer ids], report_text, police_name}
    GET  /transfers/crime/{id}
    POST /transfers/crime/{id}/decide                   {approve, reason}
    POST /transfers/crime/{id}/handover                 {materials: [...], procuratorate}
    POST /transfers/crime/{id}/receipt                  {received_on, receipt_number}
    POST /transfers/crime/{id}/outcome                  {outcome: filed|not_filed, notice_on, reason}
    POST /transfers/crime/{id}/reconsider               {reason}
    POST /transfers/crime/{id}/procuratorate            {note}
    GET  /transfers/discipline                          (supervisors)
    POST /transfers/discipline                          {officer, facts, organ, case}
    POST /transfers/discipline/{id}/outcome             {outcome}

Refusals: {"rule", "message", "field"} with 409 (422 for "validation"), 403 out of scope.

Operation ids keep the names they were published under when this router lived in zhifa/apiv1/
(zhifa_apiv1_transfers_…): clients generated from the OpenAPI schema depend on them.
"""
import datetime as dt
from typing import Optional

from ninja import Router, Schema
from ninja.responses import Status

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import F, InSchema, actor, get_visible, responses, visible
from zhifa.orgs.models import Officer
from zhifa.transfers import actions as transfer_actions
from zhifa.transfers import crime
from zhifa.transfers.models import CaseTransfer, CrimeTransfer, DisciplineReferral

router = Router(tags=["案件移送与两法衔接"])


class TransferOut(Schema):
    id: int
    case_id: int
    from_entity_id: int
    to_entity_id: Optional[int]
    to_name: str
    reason: str
    sent_on: dt.date
    state: str
    state_label: str
    received_on: Optional[dt.date]
    receipt_note: str
    new_case_id: Optional[int]
    refusal_reason: str
    dispute_reason: str
    coordination_region_id: Optional[int]
    decided_entity_id: Optional[int]
    decision_reason: str
    decided_on: Optional[dt.date]

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()


class AcceptIn(InSchema):
    note: str = F("", "接收回执")
    open_case: bool = F(False, "同时登记为本机关的案件")
    lead: Optional[int] = F(None, "主办人员（执法人员编号）")
    assist: Optional[int] = F(None, "协办人员（执法人员编号）")


class ReasonIn(InSchema):
    reason: str = F(..., "理由")


class CoordinateIn(InSchema):
    entity: int = F(..., "确定的管辖机关（移送机关或接收机关的编号）")
    reason: str = F(..., "协调意见")


@router.get("/agency", response=responses(list[TransferOut]),
            operation_id="zhifa_apiv1_transfers_agency_list", summary="案件移送")
def agency_list(request, box: str = ""):
    user = actor(request)
    qs = visible(CaseTransfer, request)
    if box == "in":
        qs = qs.filter(to_entity_id=user.entity_id)
    elif box == "out":
        qs = qs.filter(from_entity_id=user.entity_id)
    elif box == "coordination":
        return [t for t in qs.filter(state__in=("refused", "disputed"))[:1000] if transfer_actions.may_coordinate(user, t)]
    return list(qs[:1000])


@router.get("/agency/{transfer_id}", response=responses(TransferOut),
            operation_id="zhifa_apiv1_transfers_agency_detail", summary="案件移送详情")
def agency_detail(request, transfer_id: int):
    return get_visible(CaseTransfer, request, transfer_id)


def _officer(t, pk, field):
    if pk is None:
        return None
    o = Officer.objects.filter(pk=pk, entity_id=t.to_entity_id).first()
    if o is None:
        raise ActionRefused("validation", f"{'主办' if field == 'lead' else '协办'}人员：不是接收机关的执法人员", field)
    return o


@router.post("/agency/{transfer_id}/accept", response=responses(TransferOut),
             operation_id="zhifa_apiv1_transfers_accept", summary="接收移送的案件")
def accept(request, transfer_id: int, body: AcceptIn):
    t = get_visible(CaseTransfer, request, transfer_id)
    officers = [(o, r) for o, r in ((_officer(t, body.lead, "lead"), "lead"),
                                    (_officer(t, body.assist, "assist"), "assist")) if o]
    return transfer_actions.do_accept_transfer(t, acting_user=actor(request), note=body.note, open_case=body.open_case,
                                officers=officers)


@router.post("/agency/{transfer_id}/refuse", response=responses(TransferOut),
             operation_id="zhifa_apiv1_transfers_refuse", summary="拒收（交司法行政机关协调）")
def refuse(request, transfer_id: int, body: ReasonIn):
    return transfer_actions.do_refuse_transfer(get_visible(CaseTransfer, request, transfer_id), acting_user=actor(request),
                                reason=body.reason)


@router.post("/agency/{transfer_id}/dispute", response=responses(TransferOut),
             operation_id="zhifa_apiv1_transfers_dispute", summary="提出管辖争议")
def dispute(request, transfer_id: int, body: ReasonIn):
    return transfer_actions.do_raise_dispute(get_visible(CaseTransfer, request, transfer_id), acting_user=actor(request),
                              reason=body.reason)


@router.post("/agency/{transfer_id}/coordinate", response=responses(TransferOut),
             operation_id="zhifa_apiv1_transfers_coordinate", summary="管辖协调决定")
def coordinate(request, transfer_id: int, body: CoordinateIn):
    t = get_visible(CaseTransfer, request, transfer_id)
    entity = {t.from_entity_id: t.from_entity, t.to_entity_id: t.to_entity}.get(body.entity)
    return transfer_actions.do_coordinate(t, acting_user=actor(request), entity=entity, reason=body.reason)


# ---- 两法衔接 ----------------------------------------------------------------------------------------

class CrimeOut(Schema):
    id: int
    case_id: int
    entity_id: int
    police_name: str
    state: str
    state_label: str
    team: list[int]
    report_text: str
    reported_on: dt.date
    decide_due_on: Optional[dt.date]
    decide_due_pending_year: Optional[int] = None  # 期限待定时：待录入节假日安排的年度
    decide_due_note: str = ""
    decided_on: Optional[dt.date]
    decided_at: Optional[dt.datetime]
    decision_reason: str
    decided_late: bool
    handover_due_at: Optional[dt.datetime]
    handed_over_at: Optional[dt.datetime]
    handed_over_late: bool
    materials: list[str]
    procuratorate_copy: str
    police_received_on: Optional[dt.date]
    receipt_number: str
    outcome_on: Optional[dt.date]
    outcome_reason: str
    reconsideration_on: Optional[dt.date]
    reconsidered: bool
    procuratorate_suggested_on: Optional[dt.date]
    procuratorate_note: str

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_team(obj):
        return sorted(obj.team.values_list("pk", flat=True))


class ReportIn(InSchema):
    case: int = F(..., "案件")
    team: list[int] = F(..., "专案组成员（执法人员编号，至少2名）")
    report_text: str = F(..., "书面报告")
    police_name: str = F(..., "接收的公安机关")


class DecideIn(InSchema):
    approve: bool = F(..., "是否批准移送")
    reason: str = F("", "审批意见（不批准的理由）")


class HandoverIn(InSchema):
    materials: list[str] = F(..., "移送材料", "transfer_letter 移送书、investigation_report 调查报告、items_list 涉案物品清单"
                                               "（必备），inspection_report 检验报告或鉴定结论、other 其他材料")
    procuratorate: str = F("", "抄送的人民检察院")


class ReceiptIn(InSchema):
    received_on: dt.date = F(..., "公安机关签收日期")
    receipt_number: str = F("", "回执编号")


class OutcomeIn(InSchema):
    outcome: str = F(..., "结果", "filed 立案；not_filed 不予立案")
    notice_on: dt.date = F(..., "书面通知日期")
    reason: str = F("", "不予立案理由")


class TransferNoteIn(InSchema):
    note: str = F(..., "立案监督建议")


@router.get("/crime", response=responses(list[CrimeOut]),
            operation_id="zhifa_apiv1_transfers_crime_list", summary="两法衔接：涉嫌犯罪案件移送")
def crime_list(request, state: str = ""):
    qs = visible(CrimeTransfer, request).prefetch_related("team")
    if state:
        qs = qs.filter(state=state)
    return list(qs[:1000])


@router.post("/crime", response=responses(CrimeOut, 201),
             operation_id="zhifa_apiv1_transfers_crime_report", summary="提出移送涉嫌犯罪案件的书面报告")
def crime_report(request, body: ReportIn):
    case = get_visible(Case, request, body.case)
    team = list(Officer.objects.filter(pk__in=body.team, entity_id=case.entity_id))
    if len(team) != len(set(body.team)):
        raise ActionRefused("crime.team_two", "专案组成员应为本机关的执法人员", "team")
    ct = crime.do_report_crime(case, acting_user=actor(request), team=team, report_text=body.report_text,
                           police_name=body.police_name)
    return Status(201, ct)


@router.get("/crime/{crime_id}", response=responses(CrimeOut),
            operation_id="zhifa_apiv1_transfers_crime_detail", summary="涉嫌犯罪案件移送详情")
def crime_detail(request, crime_id: int):
    return get_visible(CrimeTransfer, request, crime_id)


@router.post("/crime/{crime_id}/decide", response=responses(CrimeOut),
             operation_id="zhifa_apiv1_transfers_crime_decide", summary="负责人审批（3个工作日内）")
def crime_decide(request, crime_id: int, body: DecideIn):
    return crime.do_decide_crime(get_visible(CrimeTransfer, request, crime_id), acting_user=actor(request),
                             approve=body.approve, reason=body.reason)


@router.post("/crime/{crime_id}/handover", response=responses(CrimeOut),
             operation_id="zhifa_apiv1_transfers_crime_handover", summary="移送公安机关（批准后24小时内）")
def crime_handover(request, crime_id: int, body: HandoverIn):
    return crime.do_hand_over_crime(get_visible(CrimeTransfer, request, crime_id), acting_user=actor(request),
                                materials=body.materials, procuratorate=body.procuratorate)


@router.post("/crime/{crime_id}/receipt", response=responses(CrimeOut),
             operation_id="zhifa_apiv1_transfers_crime_receipt", summary="登记公安机关回执")
def crime_receipt(request, crime_id: int, body: ReceiptIn):
    return crime.do_record_receipt(get_visible(CrimeTransfer, request, crime_id), acting_user=actor(request),
                               received_on=body.received_on, receipt_number=body.receipt_number)


@router.post("/crime/{crime_id}/outcome", response=responses(CrimeOut),
             operation_id="zhifa_apiv1_transfers_crime_outcome", summary="登记立案或不予立案")
def crime_outcome(request, crime_id: int, body: OutcomeIn):
    return crime.do_record_outcome(get_visible(CrimeTransfer, request, crime_id), acting_user=actor(request),
                               outcome=body.outcome, notice_on=body.notice_on, reason=body.reason)


@router.post("/crime/{crime_id}/reconsider", response=responses(CrimeOut),
             operation_id="zhifa_apiv1_transfers_crime_reconsider", summary="提请公安机关复议")
def crime_reconsider(request, crime_id: int, body: ReasonIn):
    return crime.do_request_reconsideration(get_visible(CrimeTransfer, request, crime_id), acting_user=actor(request),
                                        reason=body.reason)


@router.post("/crime/{crime_id}/procuratorate", response=responses(CrimeOut),
             operation_id="zhifa_apiv1_transfers_crime_procuratorate", summary="建议人民检察院立案监督")
def crime_procuratorate(request, crime_id: int, body: TransferNoteIn):
    return crime.do_suggest_procuratorate(get_visible(CrimeTransfer, request, crime_id), acting_user=actor(request),
                                      note=body.note)


# ---- 纪检监察 ----------------------------------------------------------------------------------------

class ReferralOut(Schema):
    id: int
    officer_id: int
    entity_id: int
    case_id: Optional[int]
    organ: str
    facts: str
    referred_on: dt.date
    state: str
    outcome: str
    outcome_on: Optional[dt.date]


class ReferralIn(InSchema):
    officer: int = F(..., "涉及执法人员")
    facts: str = F(..., "问题事实")
    organ: str = F(..., "接收的纪检监察机关")
    case: Optional[int] = F(None, "相关案件")


class ReferralOutcomeIn(InSchema):
    outcome: str = F(..., "处理结果")


@router.get("/discipline", response=responses(list[ReferralOut]),
            operation_id="zhifa_apiv1_transfers_discipline_list", summary="违纪线索移送（执法监督人员）")
def discipline_list(request):
    return list(visible(DisciplineReferral, request)[:1000])


@router.post("/discipline", response=responses(ReferralOut, 201),
             operation_id="zhifa_apiv1_transfers_discipline_refer", summary="移送违纪线索")
def discipline_refer(request, body: ReferralIn):
    officer = get_visible(Officer, request, body.officer)
    case = get_visible(Case, request, body.case) if body.case else None
    return Status(201, transfer_actions.do_refer_discipline(acting_user=actor(request), officer=officer, facts=body.facts,
                                             organ=body.organ, case=case))


@router.post("/discipline/{referral_id}/outcome", response=responses(ReferralOut),
             operation_id="zhifa_apiv1_transfers_discipline_outcome", summary="记录处理结果")
def discipline_outcome(request, referral_id: int, body: ReferralOutcomeIn):
    return transfer_actions.do_record_discipline_outcome(get_visible(DisciplineReferral, request, referral_id),
                                          acting_user=actor(request), outcome=body.outcome)
