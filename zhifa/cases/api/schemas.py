"""Output schemas and list filters of the cases API (执法办案); routes in routes.py, inputs in
payloads.py. Resolvers never query per row: the querysets in routes.py prefetch what they read.
"""
import datetime as dt
from decimal import Decimal
from typing import Literal, Optional

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Schema

from zhifa.cases import machine
from zhifa.cases.actions import allowed_transitions
from zhifa.cases.models import CaseOfficer, Deadline, Kind, Party, PenaltyKind, Source
from zhifa.cases.rules_procedure import amount_owed
from zhifa.common.api.base import ENTITY_FIELD, F, Flag, ListFilter, actor, choices, choices_text
from zhifa.common.fields import match

KIND_TEXT = choices_text(Kind)
SOURCE_TEXT = choices_text(Source)
DEADLINE_STATE_TEXT = choices_text(Deadline.State)
ALL_STATES = tuple(dict.fromkeys(s for states in machine.STATES.values() for s in states))
STATE_TEXT = "；".join(f"{s} {label}" for s, label in {
    s: label for states in machine.STATES.values() for s, label in states.items()}.items())
OPEN_DEADLINES = (Deadline.State.RUNNING, Deadline.State.PAUSED)
PENDING_DEADLINES = OPEN_DEADLINES + (Deadline.State.BREACHED,)


def _today():
    return timezone.localdate()


_LABELS: dict = {}


def label(choices_cls, value) -> str:
    """Display text of a choice, cached (get_FOO_display costs a translation lookup per row)."""
    key = (choices_cls, value, get_language())
    if key not in _LABELS:
        _LABELS[key] = str(dict(choices_cls.choices).get(value, value))
    return _LABELS[key]


def _pending_deadlines(case):
    """Running/paused/breached periods, from the `pending_deadlines` prefetch when present."""
    rows = getattr(case, "pending_deadlines", None)
    if rows is None:
        rows = list(case.deadlines.filter(state__in=PENDING_DEADLINES))
    return rows


def next_deadline(case):
    running = [d for d in _pending_deadlines(case) if d.state == Deadline.State.RUNNING]
    known = sorted((d for d in running if d.known and d.due_on), key=lambda d: (d.due_on, d.pk))
    return known[0] if known else next((d for d in running if not d.known), None)


def is_overdue(case) -> bool:
    if case.state in machine.TERMINAL_STATES:
        return False
    today = _today()
    return any((d.state == Deadline.State.BREACHED and d.met_on is None)
               or (d.state == Deadline.State.RUNNING and d.known and d.due_on and d.due_on < today)
               for d in _pending_deadlines(case))


def overdue_q():
    """Open cases with a duty period past due (running and late, or marked breached, not done)."""
    today = _today()
    late = Deadline.objects.filter(Q(state=Deadline.State.RUNNING, known=True, due_on__lt=today)
                                   | Q(state=Deadline.State.BREACHED, met_on__isnull=True))
    return Q(pk__in=late.values("case_id")) & ~Q(state__in=machine.TERMINAL_STATES)


# ---- small parts -----------------------------------------------------------------------------
class DeadlineBrief(Schema):
    kind: str = F(..., "期限类别")
    label: str = F(..., "期限名称")
    due_on: Optional[dt.date] = F(None, "届满日", "日历未知时为空")
    known: bool = F(..., "日历已知", "false 表示期限涉及尚未录入节假日安排的年度，届满日待定")
    pending_year: Optional[int] = F(None, "待录入年度", "届满日待定时，需录入节假日安排的年度；录入后自动计算")
    due_display: str = F("", "届满日（显示）", "如 2027-01-08，或“待定：需录入2027年节假日安排”")

    @staticmethod
    def resolve_pending_year(obj):
        return obj.unknown_year


class DeadlineOut(DeadlineBrief):
    id: int = F(..., "编号")
    basis: str = F(..., "依据")
    started_on: dt.date = F(..., "起算日", "起算日当日不计入")
    base_days: int = F(..., "法定期限（日）")
    working_days: bool = F(..., "按工作日计算")
    state: str = F(..., "状态", DEADLINE_STATE_TEXT)
    state_display: str = F(..., "状态名称")
    reason: str = F(..., "说明", "日历未知时为无法计算的原因")
    extended_days: int = F(..., "延长天数")
    extension_ref: str = F(..., "延长批准")
    paused_days: int = F(..., "中止天数")
    met_on: Optional[dt.date] = F(None, "完成日期")
    days_left: Optional[int] = F(None, "剩余天数", "计时中且日历已知时，距届满日的自然日数（负数为已逾期）")

    @staticmethod
    def resolve_state_display(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_reason(obj):
        return obj.unknown_reason

    @staticmethod
    def resolve_days_left(obj):
        if obj.state != Deadline.State.RUNNING or not obj.known or obj.due_on is None:
            return None
        return (obj.due_on - _today()).days


class PartyOut(Schema):
    id: int = F(..., "编号")
    kind: str = F(..., "当事人类别", choices_text(Party.PartyKind))
    kind_display: str = F(..., "当事人类别名称")
    name: str = F(..., "姓名/名称")
    id_number: str = F(..., "身份证号")
    credit_code: str = F(..., "统一社会信用代码")
    legal_representative: str = F(..., "法定代表人/负责人")
    address: str = F(..., "住所/地址")
    phone: str = F(..., "联系电话")
    is_minor: bool = F(..., "未成年人")

    @staticmethod
    def resolve_kind_display(obj):
        return obj.get_kind_display()


class CaseOfficerOut(Schema):
    officer_id: int = F(..., "执法人员编号")
    name: str = F(..., "姓名")
    role: str = F(..., "承办角色", choices_text(CaseOfficer.OfficerRole))
    role_display: str = F(..., "承办角色名称")
    active: bool = F(..., "在办", "false 表示已退出本案（回避或调整）")
    assigned_on: dt.date = F(..., "指派日期")
    removed_on: Optional[dt.date] = F(None, "退出日期")

    @staticmethod
    def resolve_name(obj):
        return obj.officer.name

    @staticmethod
    def resolve_role_display(obj):
        return obj.get_role_display()


class EventOut(Schema):
    id: int = F(..., "编号")
    transition: str = F(..., "操作")
    label: str = F(..., "操作名称")
    from_state: str = F(..., "原状态")
    from_state_label: str = F(..., "原状态名称")
    to_state: str = F(..., "新状态")
    to_state_label: str = F(..., "新状态名称")
    actor_id: Optional[int] = F(None, "操作人编号")
    actor_name: str = F(..., "操作人")
    on: dt.date = F(..., "办理日期")
    time: dt.datetime = F(..., "记录时间")
    reason: str = F(..., "理由/意见")
    payload: dict = F(..., "内容", "本环节填写的内容（人员、金额、日期等）")

    @staticmethod
    def resolve_from_state_label(obj):
        return machine.state_label(obj.case.kind, obj.from_state) if obj.from_state else ""

    @staticmethod
    def resolve_to_state_label(obj):
        return machine.state_label(obj.case.kind, obj.to_state)

    @staticmethod
    def resolve_actor_name(obj):
        return (obj.actor.display_name or obj.actor.username) if obj.actor_id else "系统"


class OfferOut(Schema):
    name: str = F(..., "环节", "POST /api/v1/cases/{id}/transitions/{name} 中的 name")
    label: str = F(..., "环节名称")
    allowed: bool = F(..., "现在可办理", "false 时 rule/message 说明阻止办理的规则")
    rule: str = F("", "阻止规则")
    message: str = F("", "阻止原因")


class ProcedureRecordOut(Schema):
    """Procedural records (回避、法制审核、集体讨论、延期、中止、查封扣押) in one shape."""

    kind: str = F(..., "类别", "recusal 回避；review 法制审核；discussion 集体讨论；extension 延长期限；"
                              "suspension 中止；seizure 查封扣押")
    on: Optional[dt.date] = F(None, "日期")
    summary: str = F(..., "摘要")
    data: dict = F(..., "内容")


# ---- cases -----------------------------------------------------------------------------------
class CaseOut(Schema):
    id: int = F(..., "编号")
    kind: str = F(..., "案件类别", KIND_TEXT)
    kind_display: str = F(..., "案件类别名称")
    state: str = F(..., "状态", STATE_TEXT)
    state_label: str = F(..., "状态名称")
    number: str = F(..., "案件编号", "立案（或检查、查封扣押、当场处罚）时编号")
    decision_number: str = F(..., "决定书文号")
    title: str = F(..., "案由")
    entity_id: int = F(..., "执法主体编号")
    entity_name: str = F(..., "执法主体")
    unit_id: Optional[int] = F(None, "承办机构编号")
    unit_name: Optional[str] = F(None, "承办机构")
    source: str = F(..., "案件来源", SOURCE_TEXT)
    registered_on: Optional[dt.date] = F(None, "登记日期")
    filed_on: Optional[dt.date] = F(None, "立案日期")
    decided_on: Optional[dt.date] = F(None, "决定日期")
    closed_on: Optional[dt.date] = F(None, "结案日期")
    last_action_on: Optional[dt.date] = F(None, "最近办理日期")
    suspended: bool = F(..., "中止中")
    version: int = F(..., "版本", "办理环节时作为 expected_version 提交，防止覆盖他人的修改")
    party_names: list[str] = F(..., "当事人")
    officer_names: list[str] = F(..., "承办人员", "在办人员，主办在前")
    next_deadline: Optional[DeadlineBrief] = F(None, "最近届满的期限", "计时中的期限里届满日最早的一个")
    overdue: bool = F(..., "已超期", "有法定期限已届满而未完成")

    @staticmethod
    def resolve_kind_display(obj):
        return label(Kind, obj.kind)

    @staticmethod
    def resolve_state_label(obj):
        return machine.state_label(obj.kind, obj.state)

    @staticmethod
    def resolve_entity_name(obj):
        return obj.entity.name

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_party_names(obj):
        names = getattr(obj, "party_names_", None)  # set for list pages by cases.attach_rows
        return names if names is not None else [p.name for p in obj.parties.all()]

    @staticmethod
    def resolve_officer_names(obj):
        names = getattr(obj, "officer_names_", None)
        if names is not None:
            return names
        rows = sorted((co for co in obj.officers.all() if co.active), key=lambda co: (co.role != "lead", co.pk))
        return [co.officer.name for co in rows]

    @staticmethod
    def resolve_next_deadline(obj):
        return next_deadline(obj)

    @staticmethod
    def resolve_overdue(obj):
        return is_overdue(obj)


class QueueItemOut(CaseOut):
    next_due: Optional[dt.date] = F(None, "最近届满日", "排序依据：计时中的期限里最早的届满日；无则排在最后")


class CaseDetailOut(CaseOut):
    source_display: str = F(..., "案件来源名称")
    source_detail: str = F(..., "来源说明")
    source_case_id: Optional[int] = F(None, "来源案件编号")
    field: str = F(..., "执法领域")
    violation_on: Optional[dt.date] = F(None, "违法行为发生（终了）日")
    violation_continuing: bool = F(..., "违法行为有连续或继续状态")
    harms_life_health_finance: bool = F(..., "涉及生命健康安全、金融安全且有危害后果")
    discovered_on: Optional[dt.date] = F(None, "发现日期")
    limitation_warning: str = F(..., "时效提示")
    limitation_reason: str = F(..., "超过时效仍予立案的理由")
    legal_basis: str = F(..., "法律依据")
    facts: str = F(..., "违法事实")
    penalty_kinds: list[str] = F(..., "处罚种类", choices_text(PenaltyKind))
    penalty_kinds_display: list[str] = F(..., "处罚种类名称")
    fine_amount: Optional[Decimal] = F(None, "罚款金额（元）")
    confiscation_amount: Optional[Decimal] = F(None, "没收金额（元）")
    no_penalty: bool = F(..., "不予行政处罚")
    illegal_gains: Optional[Decimal] = F(None, "违法所得（元）")
    discretion_level: str = F("", "裁量档位")
    discretion_reason: str = F("", "偏离裁量基准的理由")
    discretion_deviations: list = F([], "偏离裁量基准情况", "拟处理意见与裁量基准的逐项比对结果")
    proposed_on: Optional[dt.date] = F(None, "拟处理意见日期")
    rights_notice_served_on: Optional[dt.date] = F(None, "事先告知送达日期")
    notice_includes_hearing: bool = F(..., "告知听证权利")
    statement_received_on: Optional[dt.date] = F(None, "收到陈述申辩日期")
    statement_text: str = F(..., "陈述申辩意见")
    statement_waived: bool = F(..., "明确放弃陈述申辩")
    hearing_requested: bool = F(..., "要求听证")
    hearing_waived: bool = F(..., "放弃听证")
    hearing_scheduled_on: Optional[dt.date] = F(None, "听证举行日期")
    hearing_chair_id: Optional[int] = F(None, "听证主持人编号")
    hearing_held_on: Optional[dt.date] = F(None, "听证日期")
    major_public_interest: bool = F(..., "涉及重大公共利益")
    complex: bool = F(..., "情节复杂/疑难复杂")
    major_violation: bool = F(..., "重大违法行为")
    law_requires_review: bool = F(..., "法律法规规定应当法制审核")
    decided_by_id: Optional[int] = F(None, "决定人编号")
    served_on: Optional[dt.date] = F(None, "决定书送达日期")
    service_method: str = F(..., "送达方式")
    paid_amount: Decimal = F(..., "已缴罚款（元）")
    confiscation_paid: Decimal = F(..., "已缴没收违法所得（元）")
    paid_on: Optional[dt.date] = F(None, "缴纳日期")
    amount_owed: Decimal = F(..., "应缴金额（元）", "罚款加截至今日的加处罚款（每日3%，以罚款数额为限）")
    execution_note: str = F(..., "执行情况")
    archived_on: Optional[dt.date] = F(None, "归档日期")
    archive_note: str = F(..., "备考表")
    retention_period: str = F(..., "保管期限")
    exit_reason: str = F(..., "不予立案/撤销/移送理由")
    transfer_kind: str = F(..., "移送类别", "agency 移送有管辖权的行政机关；crime 涉嫌犯罪移送司法机关")
    transfer_to: str = F(..., "接收机关")
    inspection_result: str = F(..., "检查结果")
    problems_found: bool = F(..., "发现问题")
    created_by_id: Optional[int] = F(None, "登记人编号")
    created_at: dt.datetime = F(..., "创建时间")
    parties: list[PartyOut] = F(..., "当事人")
    officers: list[CaseOfficerOut] = F(..., "承办人员", "含已退出的人员（active=false）")
    power_items: list[dict] = F(..., "权责清单事项", "[{id, code, name}]")
    events: list[EventOut] = F(..., "办案记录（时间线）", "按办理顺序")
    deadlines: list[DeadlineOut] = F(..., "法定期限")
    records: list[ProcedureRecordOut] = F(..., "程序记录", "回避、法制审核、集体讨论、延期、中止、查封扣押")
    transitions: list[OfferOut] = F(..., "可办理的环节",
                                    "当前用户按角色可办理的下一环节；allowed=false 的给出阻止规则和原因")

    @staticmethod
    def resolve_source_display(obj):
        return obj.get_source_display()

    @staticmethod
    def resolve_penalty_kinds_display(obj):
        return [str(PenaltyKind(k).label) if k in PenaltyKind.values else k for k in obj.penalty_kinds or []]

    @staticmethod
    def resolve_amount_owed(obj):
        return amount_owed(obj, _today())

    @staticmethod
    def resolve_parties(obj):
        return obj.parties.all()

    @staticmethod
    def resolve_officers(obj):
        return sorted(obj.officers.all(), key=lambda co: (not co.active, co.role != "lead", co.pk))

    @staticmethod
    def resolve_power_items(obj):
        return [{"id": p.pk, "code": p.code, "name": p.name} for p in obj.power_items.all()]

    @staticmethod
    def resolve_events(obj):
        return obj.events.all()

    @staticmethod
    def resolve_deadlines(obj):
        return obj.deadlines.all()

    @staticmethod
    def resolve_records(obj):
        return procedural_records(obj)

    @staticmethod
    def resolve_transitions(obj, context):
        return machine_offers(obj, actor(context["request"]))


def machine_offers(case, user):
    return allowed_transitions(case, user)


def procedural_records(case) -> list[dict]:
    out = []
    for r in case.recusals.select_related("officer"):
        out.append({"kind": "recusal", "on": r.decided_on, "summary": f"{r.officer.name}：{r.get_decision_display()}",
                    "data": {"officer_id": r.officer_id, "decision": r.decision, "reason": r.reason,
                             "applied_by_party": r.applied_by_party}})
    for r in case.reviews.select_related("reviewer"):
        out.append({"kind": "review", "on": r.decided_on or r.submitted_on,
                    "summary": f"法制审核（{r.reviewer.display_name or r.reviewer.username}）："
                               f"{r.get_outcome_display() or '审核中'}",
                    "data": {"reviewer_id": r.reviewer_id, "outcome": r.outcome, "opinion": r.opinion,
                             "submitted_on": r.submitted_on}})
    for r in case.discussions.all():
        out.append({"kind": "discussion", "on": r.held_on, "summary": f"集体讨论：{r.conclusion[:60]}",
                    "data": {"participants": r.participants, "conclusion": r.conclusion}})
    for r in case.extensions.all():
        out.append({"kind": "extension", "on": r.approved_on, "summary": f"{r.get_kind_display()}延长{r.days}日",
                    "data": {"days": r.days, "kind": r.kind, "reason": r.reason}})
    for r in case.suspensions.all():
        out.append({"kind": "suspension", "on": r.from_date, "summary": f"中止{'至' + str(r.to_date) if r.to_date else '中'}",
                    "data": {"from_date": r.from_date, "to_date": r.to_date, "reason": r.reason}})
    for r in case.seizures.all():
        out.append({"kind": "seizure", "on": r.decided_on, "summary": f"{r.number} {r.get_measure_display()}",
                    "data": {"number": r.number, "measure": r.measure, "items": r.items,
                             "period_days": r.period_days, "extended_days": r.extended_days,
                             "released_on": r.released_on}})
    return sorted(out, key=lambda r: (r["on"] or dt.date.min))


# ---- list filters ------------------------------------------------------------------------------
def _officer_lookup(qs, officer_id):
    return qs.filter(pk__in=CaseOfficer.objects.filter(officer_id=officer_id, active=True).values("case_id"))


def _q_lookup(qs, text):
    parties = Party.objects.filter(Q(name__icontains=text) | Q(credit_code__iexact=text)
                                   | match(Party, "id_number", text))  # encrypted: its blind index
    return qs.filter(Q(title__icontains=text) | Q(number__icontains=text) | Q(decision_number__icontains=text)
                     | Q(pk__in=parties.values("case_id")))


def _due_within(qs, days):
    today = _today()
    due = Deadline.objects.filter(state=Deadline.State.RUNNING, known=True, due_on__gte=today,
                                  due_on__lte=today + dt.timedelta(days=days))
    return qs.filter(pk__in=due.values("case_id"))


class CaseFilter(ListFilter):
    q: Optional[str] = F(None, "关键词", "案由、案件编号、决定书文号、当事人名称；身份证号或信用代码须完整", max_length=100)
    kind: Optional[choices(Kind)] = F(None, "案件类别", KIND_TEXT)
    state: Optional[Literal[ALL_STATES]] = F(None, "状态", STATE_TEXT)
    entity: Optional[int] = ENTITY_FIELD
    unit: Optional[int] = F(None, "承办机构", "按承办机构（内设机构）编号筛选")
    officer: Optional[int] = F(None, "承办人员", "按在办执法人员编号筛选")
    open: Flag = F(None, "未办结", "1 只看未办结的案件；0 只看已办结（结案、归档、不予立案、撤销、移送、备案）的")
    overdue: Flag = F(None, "已超期", "1 只看有法定期限已届满而未完成的未办结案件；0 排除这些案件")
    due_within: Optional[int] = F(None, "几日内届满", "只看有计时中的期限在今天起若干自然日内届满的案件", ge=0, le=366)

    lookups = {
        "kind": "kind", "state": "state", "entity": "entity_id", "unit": "unit_id",
        "officer": _officer_lookup,
        "open": lambda qs, v: qs.exclude(state__in=machine.TERMINAL_STATES) if v
        else qs.filter(state__in=machine.TERMINAL_STATES),
        "overdue": lambda qs, v: qs.filter(overdue_q()) if v else qs.exclude(overdue_q()),
        "due_within": _due_within,
    }

    def apply(self, qs):
        text = (self.q or "").strip()
        if text:
            qs = _q_lookup(qs, text)
        return super().apply(qs)
