"""The state machines of every case kind, in one place.

A transition names its Chinese label, the states it leaves from ("" = creates the case), the
state it reaches (SAME = stays), who may do it (roles) and its guard rules (zhifa.cases.rules),
evaluated in order; the first that fails names the refusal. COMMON guards run first for every
transition unless the transition lists them in `skip`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from zhifa.cases.models import TERMINAL_STATES as _TERMINAL
from zhifa.cases.models import Kind
from zhifa.common.roles import Role

SAME = "="
OFFICER, UNIT_HEAD, HEAD, REVIEWER = Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER
HEADS = (UNIT_HEAD, HEAD)
ANYONE_IN_CASE = (OFFICER, UNIT_HEAD, HEAD)

# records.av_required (zhifa.records.rules): configured steps need an audio/video record first.
COMMON = ("case.date_valid", "case.not_suspended", "recusal.actor_not_recused", "case.actor_is_handler",
          "records.av_required")


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    guards: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()

    @property
    def all_guards(self) -> tuple[str, ...]:
        return tuple(g for g in COMMON if g not in self.skip) + self.guards


STATES = {
    Kind.PENALTY_GENERAL: {
        "registered": "案源登记", "filing_pending": "立案审批中", "filed": "已立案",
        "investigating": "调查取证", "proposed": "拟处理意见", "notified": "已事先告知",
        "hearing": "听证", "legal_review": "法制审核中", "reviewed": "法制审核通过",
        "collective_discussion": "已集体讨论", "decided": "已作出决定", "served": "已送达",
        "executing": "执行中", "closed": "已结案", "archived": "已归档",
        "not_filed": "不予立案", "revoked": "已撤销立案", "transferred": "已移送",
    },
    Kind.PENALTY_SIMPLE: {"decided": "已当场处罚", "recorded": "已备案", "archived": "已归档"},
    Kind.INSPECTION: {"planned": "待检查", "inspecting": "检查中", "result_recorded": "已记录检查结果",
                      "closed": "检查结束", "archived": "已归档"},
    Kind.COERCIVE: {"seizure_requested": "待负责人批准", "not_approved": "不予批准", "seized": "查封扣押中", "released": "已解除", "converted": "已转处罚案件",
                    "closed": "已结案", "archived": "已归档"},
}
TERMINAL_STATES = _TERMINAL  # declared with the model: its partial indexes are "open cases"

_PRE_FILING = ("registered", "filing_pending")
_PRE_DECISION = ("filed", "investigating", "proposed", "notified", "hearing", "legal_review", "reviewed",
                 "collective_discussion")
_ACTIVE = _PRE_FILING + _PRE_DECISION + ("decided", "served", "executing")
_DECIDABLE = ("proposed", "notified", "hearing", "reviewed", "collective_discussion")
_REVIEWER_GUARDS = ("review.assigned_reviewer", "review.reviewer_qualified", "review.reviewer_not_handler",
                    "review.packet_current", "review.checklist_complete")
_T = Transition

GENERAL = [
    _T("register", "案源登记", ("",), "registered", ANYONE_IN_CASE, ("officers.same_entity",),
       skip=("case.actor_is_handler",)),
    _T("assign_officers", "指派承办人员", _ACTIVE, SAME, HEADS,
       ("officers.same_entity", "recusal.not_reassigned"), skip=("case.not_suspended",)),
    _T("record_recusal", "作出回避决定", _ACTIVE, SAME, (HEAD,), ("recusal.officer_in_case",),
       skip=("case.not_suspended",)),
    _T("file_case", "提请立案", ("registered",), "filing_pending", (OFFICER,),
       ("officers.certificate_in_force", "officers.two_certified", "case.has_party", "case.power_item_published", "penalty.limitation")),
    _T("approve_filing", "批准立案", ("filing_pending",), "filed", HEADS, ("officers.certificate_in_force", "officers.two_certified",)),
    _T("not_file", "不予立案", _PRE_FILING, "not_filed", HEADS, ("case.reason_given",)),
    _T("extend_filing", "延长立案核查期限", _PRE_FILING, SAME, (HEAD,),
       ("case.reason_given", "filing.extend_once_before_due")),
    _T("start_investigation", "开始调查取证", ("filed",), "investigating", (OFFICER,),
       ("officers.certificate_in_force", "officers.two_certified",)),
    _T("propose", "提出拟处理意见", ("investigating", "proposed"), "proposed", (OFFICER,),
       ("officers.certificate_in_force", "officers.two_certified", "penalty.amounts_valid", "penalty.within_benchmark")),
    _T("serve_notice", "送达行政处罚事先告知书", ("proposed",), "notified", (OFFICER,),
       ("officers.certificate_in_force", "officers.two_certified", "notice.hearing_rights_included")),
    _T("record_statement", "记录陈述申辩", ("proposed", "notified", "hearing"), SAME, (OFFICER,)),
    _T("request_hearing", "当事人要求听证", ("notified",), "hearing", (OFFICER,),
       ("hearing.applicable", "hearing.request_window")),
    _T("waive_hearing", "当事人放弃听证", ("notified",), SAME, (OFFICER,), ("hearing.applicable",)),
    _T("schedule_hearing", "通知听证", ("hearing",), SAME, ANYONE_IN_CASE,
       ("hearing.chair_not_investigator", "hearing.notice_7wd")),
    _T("hold_hearing", "举行听证", ("hearing",), SAME, ANYONE_IN_CASE,
       ("hearing.notice_7wd", "hearing.chair_not_investigator")),
    _T("submit_legal_review", "提交法制审核", ("proposed", "notified", "hearing"), "legal_review", (OFFICER,),
       ("hearing.held_if_requested", "review.reviewer_qualified", "review.reviewer_not_handler",
        "review.packet_complete")),
    _T("review_pass", "法制审核同意", ("legal_review",), "reviewed", (REVIEWER,), _REVIEWER_GUARDS,
       skip=("case.actor_is_handler",)),
    _T("review_fail", "法制审核存在问题", ("legal_review",), "proposed", (REVIEWER,), _REVIEWER_GUARDS,
       skip=("case.actor_is_handler",)),
    _T("hold_collective_discussion", "集体讨论", _DECIDABLE, "collective_discussion", (HEAD,),
       ("hearing.held_if_requested", "discussion.objection_recorded", "discussion.record_complete")),
    _T("extend_decision_period", "延长办案期限", _PRE_DECISION, SAME, (HEAD,),
       ("extension.before_due", "extension.head_once_30", "extension.collective_needs_discussion")),
    _T("suspend", "中止案件调查", _PRE_DECISION, SAME, HEADS, ("case.reason_given",)),
    _T("resume", "恢复案件调查", _PRE_DECISION, SAME, HEADS, ("case.is_suspended",),
       skip=("case.not_suspended",)),
    _T("decide", "作出行政处罚决定", _DECIDABLE, "decided", (HEAD,),
       ("officers.certificate_in_force", "officers.two_certified", "notice.served", "statement.window_closed", "hearing.window_closed",
        "hearing.held_if_requested", "review.passed_if_required", "decision.not_handler_or_reviewer",
        "discussion.held_if_required", "discretion.discussion_if_far",
        "decision.within_period", "penalty.amounts_valid", "decision.matches_review",
        "penalty.not_heavier_than_notified")),
    _T("serve_decision", "送达行政处罚决定书", ("decided",), "served", (OFFICER,)),
    _T("record_payment", "登记缴纳罚款", ("served", "executing"), "executing", ANYONE_IN_CASE,
       ("payment.amount_valid", "payment.not_over")),
    _T("close", "结案", ("served", "executing"), "closed", HEADS, ("close.execution_done",)),
    _T("revoke", "撤销立案", _PRE_DECISION, "revoked", (HEAD,), ("case.reason_given",),
       skip=("case.not_suspended",)),
    _T("transfer", "移送", _PRE_FILING + _PRE_DECISION, "transferred", (HEAD,),
       ("case.reason_given", "transfer.receiver_given"), skip=("case.not_suspended",)),
    _T("archive", "归档", ("closed", "not_filed", "revoked", "transferred"), "archived", ANYONE_IN_CASE,
       ("archive.documents_complete",)),
]

SIMPLE = [
    _T("on_the_spot_penalty", "当场作出行政处罚决定", ("",), "decided", (OFFICER,),
       ("officers.same_entity", "officers.certificate_in_force", "officers.two_certified", "simple.within_limits"),
       skip=("case.actor_is_handler",)),
    _T("file_simple_record", "报所属行政机关备案", ("decided",), "recorded", ANYONE_IN_CASE),
    _T("archive", "归档", ("recorded",), "archived", ANYONE_IN_CASE),
]

INSPECTION = [
    _T("plan_inspection", "制定检查计划", ("",), "planned", ANYONE_IN_CASE, ("officers.same_entity",),
       skip=("case.actor_is_handler",)),
    _T("assign_officers", "指派承办人员", ("planned", "inspecting"), SAME, HEADS, ("officers.same_entity",)),
    _T("start_inspection", "实施检查", ("planned",), "inspecting", (OFFICER,), ("officers.certificate_in_force", "officers.two_certified",)),
    _T("record_inspection_result", "记录检查结果", ("inspecting",), "result_recorded", (OFFICER,),
       ("officers.certificate_in_force", "officers.two_certified",)),
    _T("open_penalty_case", "作为案源登记处罚案件", ("result_recorded",), SAME, (OFFICER,),
       ("inspection.problems_found",)),
    _T("close", "检查结束", ("result_recorded",), "closed", ANYONE_IN_CASE),
    _T("archive", "归档", ("closed",), "archived", ANYONE_IN_CASE, ("archive.documents_complete",)),
]

COERCIVE = [
    # 行政强制法 Art. 18 (一): the officers request, the agency head approves in their own queue
    # (the officer cannot name the head and mark the request approved).
    _T("seize", "提请查封、扣押", ("",), "seizure_requested", (OFFICER,),
       ("officers.same_entity", "officers.certificate_in_force", "officers.two_certified"), skip=("case.actor_is_handler",)),
    _T("approve_seizure", "批准查封、扣押", ("seizure_requested",), "seized", (HEAD,),
       ("seizure.head_approval", "officers.certificate_in_force", "officers.two_certified")),
    _T("refuse_seizure", "不予批准查封、扣押", ("seizure_requested",), "not_approved", (HEAD,),
       ("case.reason_given",)),
    _T("extend_seizure", "延长查封、扣押期限", ("seized",), SAME, (HEAD,),
       ("seizure.extend_once", "seizure.extend_before_expiry")),
    _T("release_seizure", "解除查封、扣押", ("seized",), "released", (OFFICER, HEAD)),
    _T("convert_seizure", "转为行政处罚案件", ("seized",), "converted", (OFFICER,)),
    _T("close", "结案", ("released", "converted"), "closed", ANYONE_IN_CASE),
    _T("archive", "归档", ("closed", "not_approved"), "archived", ANYONE_IN_CASE, ("archive.documents_complete",)),
]

MACHINES: dict[str, dict[str, Transition]] = {
    kind: {t.name: t for t in ts}
    for kind, ts in [(Kind.PENALTY_GENERAL, GENERAL), (Kind.PENALTY_SIMPLE, SIMPLE),
                     (Kind.INSPECTION, INSPECTION), (Kind.COERCIVE, COERCIVE)]
}


def transitions(kind: str) -> dict[str, Transition]:
    return MACHINES[kind]


def state_label(kind: str, state: str) -> str:
    return STATES.get(kind, {}).get(state, state or "新建")


def target_of(t: Transition, current: str) -> str:
    return current if t.target == SAME else t.target


@dataclass
class Offer:
    """What the UI may offer: a transition and, when blocked, the blocking rule."""

    name: str
    label: str
    allowed: bool
    rule: str = ""
    message: str = ""
    extra: dict = field(default_factory=dict)
