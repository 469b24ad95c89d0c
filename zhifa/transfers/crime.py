"""两法衔接: transfer of a suspected crime to public security under 《行政执法机关移送涉嫌犯罪案件的规定》
(国务院令第310号, 2020). Report by a team of ≥ 2 officers → the head approves or not within 3 working
days (Art. 5, legalcal PERIODS["crime_transfer_decision"]) → hand-over within 24 hours of approval
(Art. 5) with the Art. 6 materials, a copy to the procuratorate noted → the police receipt (Art. 7)
→ 立案 / 不予立案 with reasons (Art. 8) → the agency may ask for reconsideration within 3 days
(Art. 9) and suggest the procuratorate's supervision of the filing (立案监督).

Named rules:
  crime.case_open            the case is not finished
  crime.no_pending           one open crime transfer per case
  crime.team_two             the report is by at least 2 officers of the entity (Art. 5)
  crime.report_text          the written report is given
  crime.police_given         the public security organ is named
  crime.reported             only a reported transfer is decided
  crime.head_decides         only the entity's agency head decides and hands over (Art. 5)
  crime.refusal_reason       a refusal to transfer is recorded with its reasons (Art. 5)
  crime.approved             only an approved transfer is handed over
  crime.materials            the hand-over carries 移送书, 调查报告 and 涉案物品清单 (Art. 6)
  crime.handed_over          the receipt follows the hand-over
  crime.receipt_date         the receipt date is not before the hand-over nor in the future
  crime.received             the police outcome follows the receipt
  crime.outcome              the outcome is 立案 or 不予立案
  crime.not_filed_reason     不予立案 comes with the police's reasons (Art. 8)
  crime.reconsider_state     reconsideration is asked once, after 不予立案
  crime.reconsider_window    within 3 working days of the 不予立案 notice (Art. 9)
  crime.supervision_state    the procuratorate's supervision is suggested after 不予立案
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhifa.cases.machine import TERMINAL_STATES
from zhifa.common.actions import ActionRefused, check_scope, check_scope_new, snapshot
from zhifa.common.roles import Role
from zhifa.legalcal import pending, periods
from zhifa.transfers.actions import step
from zhifa.transfers.models import CrimeTransfer

CrimeState = CrimeTransfer.State
HANDOVER_HOURS = 24
RECONSIDER_WORKING_DAYS = 3
# Art. 6: (一)(二)(三) always; (四)(五) where they exist.
MATERIALS = {"transfer_letter": "涉嫌犯罪案件移送书", "investigation_report": "涉嫌犯罪案件情况的调查报告",
             "items_list": "涉案物品清单", "inspection_report": "有关检验报告或者鉴定结论",
             "other": "其他有关涉嫌犯罪的材料"}
REQUIRED_MATERIALS = ("transfer_letter", "investigation_report", "items_list")


def _text(v):
    return (v or "").strip()


def _today(on):
    return on or timezone.localdate()


def _lock(ct):
    return CrimeTransfer.objects.select_for_update().get(pk=ct.pk)


@transaction.atomic
def do_report_crime(case, *, acting_user, team, report_text: str, police_name: str, on=None) -> CrimeTransfer:
    """The team's written report (书面报告) to the head; opens the 3-working-day decision period."""
    check_scope(acting_user, case, "view")
    check_scope_new(acting_user, CrimeTransfer, case.entity, case.unit, "change")
    on = _today(on)
    if case.state in TERMINAL_STATES:
        raise ActionRefused("crime.case_open", "案件已办结或已移送，不能再报告移送涉嫌犯罪案件", "case")
    if CrimeTransfer.objects.filter(case=case, state__in=CrimeTransfer.OPEN_STATES).exists():
        raise ActionRefused("crime.no_pending", "本案已有正在办理的涉嫌犯罪案件移送", "case")
    team = {o.pk: o for o in team}.values()
    if len(team) < 2 or any(o.entity_id != case.entity_id or o.status != "active" for o in team):
        raise ActionRefused("crime.team_two", "专案组应由本机关2名以上在职执法人员组成（第五条）", "team")
    if not _text(report_text):
        raise ActionRefused("crime.report_text", "请填写移送涉嫌犯罪案件的书面报告（核实情况）", "report_text")
    if not _text(police_name):
        raise ActionRefused("crime.police_given", "请填写接收移送的公安机关（同级公安机关）", "police_name")
    due_on, pending_year = pending.split(periods.compute("crime_transfer_decision", on))
    ct = CrimeTransfer.objects.create(case=case, entity=case.entity, police_name=_text(police_name),
                                      report_text=_text(report_text), reported_on=on, reported_by=acting_user,
                                      decide_due_on=due_on, decide_due_pending_year=pending_year,
                                      decide_due_note=pending.label(pending_year) if pending_year else "")
    ct.team.set(list(team))
    step(ct, "crime.reported", acting_user=acting_user, case=case, reported_on=on,
         decide_due_on=ct.decide_due_on, team=sorted(o.pk for o in team))
    return ct


def _head(ct, user):
    check_scope(user, ct, "view")
    if user.role != Role.AGENCY_HEAD or user.entity_id != ct.entity_id:
        raise ActionRefused("crime.head_decides", "应由本机关正职负责人或者主持工作的负责人审批和移送（第五条）",
                            "decided_by")


@transaction.atomic
def do_decide_crime(ct: CrimeTransfer, *, acting_user, approve: bool, reason: str = "", on=None,
                    at: dt.datetime | None = None) -> CrimeTransfer:
    ct = _lock(ct)
    _head(ct, acting_user)
    if ct.state != CrimeState.REPORTED:
        raise ActionRefused("crime.reported", f"该移送当前状态为“{ct.get_state_display()}”，不能审批", "state")
    if not approve and not _text(reason):
        raise ActionRefused("crime.refusal_reason", "决定不批准移送的，应当将不予批准的理由记录在案（第五条）", "reason")
    at = at or timezone.now()
    on = _today(on) if on else timezone.localdate(at)
    before = snapshot(ct)
    ct.decided_on, ct.decided_at, ct.decided_by, ct.decision_reason = on, at, acting_user, _text(reason)
    # A late decision is still recorded — and flagged (the lapse itself raised an alert).
    ct.decided_late = bool(ct.decide_due_on and on > ct.decide_due_on)
    if approve:
        ct.state, ct.handover_due_at = CrimeState.APPROVED, at + dt.timedelta(hours=HANDOVER_HOURS)
    else:
        ct.state = CrimeState.NOT_APPROVED
    ct.save()
    step(ct, "crime.approved" if approve else "crime.not_approved", acting_user=acting_user, before=before,
         case=ct.case, reason=ct.decision_reason, decided_on=on, late=ct.decided_late,
         handover_due_at=ct.handover_due_at)
    return ct


@transaction.atomic
def do_hand_over_crime(ct: CrimeTransfer, *, acting_user, materials, procuratorate: str = "",
                       at: dt.datetime | None = None) -> CrimeTransfer:
    """移送: runs the case's own 移送 transition where the case's stage allows it (the hook then
    records the hand-over on this row); a case already decided keeps its state (Art. 11 (2))."""
    from zhifa.cases import actions as case_actions
    from zhifa.cases.machine import transitions

    ct = _lock(ct)
    _head(ct, acting_user)
    if ct.state != CrimeState.APPROVED:
        raise ActionRefused("crime.approved", f"该移送当前状态为“{ct.get_state_display()}”，须经负责人批准后移送",
                            "state")
    materials = [m for m in dict.fromkeys(materials or []) if m in MATERIALS]
    missing = [MATERIALS[m] for m in REQUIRED_MATERIALS if m not in materials]
    if missing:
        raise ActionRefused("crime.materials", f"移送材料缺少：{'、'.join(missing)}（第六条）", "materials")
    at = at or timezone.now()
    case = ct.case
    mark_handed_over(ct, acting_user, at)  # first: the case's hook then finds it handed over
    t = transitions(case.kind).get("transfer")
    if t is not None and case.state in t.sources:
        case_actions.do_transfer(case, transfer_kind="crime", transfer_to=ct.police_name, acting_user=acting_user,
                                 expected_version=case.version, on=timezone.localdate(at),
                                 reason=f"涉嫌犯罪，经负责人批准移送{ct.police_name}")
    before = snapshot(ct)
    ct.materials, ct.procuratorate_copy = materials, _text(procuratorate)
    ct.save()
    step(ct, "crime.materials", acting_user=acting_user, before=before, case=case, materials=materials,
         procuratorate_copy=ct.procuratorate_copy)
    return ct


def mark_handed_over(ct: CrimeTransfer, user, at: dt.datetime) -> CrimeTransfer:
    """The hand-over itself (from the case's 移送 transition or from do_hand_over_crime)."""
    before = snapshot(ct)
    ct.state, ct.handed_over_at, ct.handed_over_by = CrimeState.HANDED_OVER, at, user
    ct.handed_over_late = bool(ct.handover_due_at and at > ct.handover_due_at)
    ct.save()
    step(ct, "crime.handed_over", acting_user=user, before=before, case=ct.case, handed_over_at=at,
         late=ct.handed_over_late, police=ct.police_name)
    return ct


def on_case_transfer(case, user, police_name, reason, on) -> CrimeTransfer:
    """The case's 移送 (涉嫌犯罪) transition. From do_hand_over_crime the row is already handed over;
    done directly on the case page by the head, the head's act is the approval (of a pending
    report, or without one) and the hand-over, recorded so the receipt and outcome can follow."""
    now = timezone.now()
    ct = CrimeTransfer.objects.filter(case=case, state__in=(CrimeState.REPORTED, CrimeState.APPROVED, CrimeState.HANDED_OVER)).first()
    if ct is not None and ct.state == CrimeState.HANDED_OVER:
        return ct
    if ct is not None and ct.state == CrimeState.REPORTED:
        before = snapshot(ct)
        ct.state, ct.decided_on, ct.decided_at, ct.decided_by = CrimeState.APPROVED, on, now, user
        ct.decided_late = bool(ct.decide_due_on and on > ct.decide_due_on)
        ct.handover_due_at = now + dt.timedelta(hours=HANDOVER_HOURS)
        ct.save()
        step(ct, "crime.approved", acting_user=user, before=before, case=case, decided_on=on, direct=True)
    if ct is not None:
        return mark_handed_over(ct, user, now)
    ct = CrimeTransfer.objects.create(case=case, entity=case.entity, police_name=police_name,
                                      report_text=f"（负责人直接决定移送）{reason}", reported_on=on, reported_by=user,
                                      decide_due_on=on, decided_on=on, decided_at=now, decided_by=user,
                                      handover_due_at=now + dt.timedelta(hours=HANDOVER_HOURS),
                                      state=CrimeState.APPROVED)
    step(ct, "crime.approved", acting_user=user, case=case, reason=ct.report_text, decided_on=on, direct=True)
    return mark_handed_over(ct, user, now)


@transaction.atomic
def do_record_receipt(ct: CrimeTransfer, *, acting_user, received_on, receipt_number: str = "") -> CrimeTransfer:
    ct = _lock(ct)
    check_scope(acting_user, ct, "change")
    if ct.state != CrimeState.HANDED_OVER:
        raise ActionRefused("crime.handed_over", f"该移送当前状态为“{ct.get_state_display()}”，不能登记回执", "state")
    if received_on is None or received_on < timezone.localdate(ct.handed_over_at) or received_on > timezone.localdate():
        raise ActionRefused("crime.receipt_date", "回执签收日期不能早于移送日期，也不能晚于今天", "received_on")
    before = snapshot(ct)
    ct.state, ct.police_received_on, ct.receipt_number = CrimeState.RECEIVED, received_on, _text(receipt_number)
    ct.save()
    step(ct, "crime.received", acting_user=acting_user, before=before, case=ct.case, received_on=received_on,
         receipt_number=ct.receipt_number)
    return ct


@transaction.atomic
def do_record_outcome(ct: CrimeTransfer, *, acting_user, outcome: str, notice_on, reason: str = "") -> CrimeTransfer:
    """立案 or 不予立案 as notified in writing by the police (Art. 8), or after reconsideration (Art. 9)."""
    ct = _lock(ct)
    check_scope(acting_user, ct, "change")
    if ct.state not in (CrimeState.RECEIVED, CrimeState.RECONSIDERING):
        raise ActionRefused("crime.received", f"该移送当前状态为“{ct.get_state_display()}”，不能登记立案结果", "state")
    if outcome not in (CrimeState.FILED, CrimeState.NOT_FILED):
        raise ActionRefused("crime.outcome", "结果应为立案或不予立案", "outcome")
    if outcome == CrimeState.NOT_FILED and not _text(reason):
        raise ActionRefused("crime.not_filed_reason", "不予立案的，请登记公安机关说明的理由（第八条）", "reason")
    if notice_on is None or notice_on < ct.police_received_on or notice_on > timezone.localdate():
        raise ActionRefused("validation", "通知日期：不能早于公安机关接收日期，也不能晚于今天", "notice_on")
    before = snapshot(ct)
    ct.reconsidered = ct.reconsidered or ct.state == CrimeState.RECONSIDERING
    ct.state, ct.outcome_on, ct.outcome_reason = outcome, notice_on, _text(reason)
    ct.save()
    step(ct, f"crime.{outcome}", acting_user=acting_user, before=before, case=ct.case, notice_on=notice_on,
         reason=ct.outcome_reason, after_reconsideration=ct.reconsidered)
    return ct


def reconsider_due(ct) -> periods.Due | None:
    """The last day to ask for reconsideration (None before an outcome; pending on an unknown year)."""
    if ct.outcome_on is None:
        return None
    return periods.add_working_days(ct.outcome_on, RECONSIDER_WORKING_DAYS)


def reconsider_due_display(ct) -> str:
    due = reconsider_due(ct)
    return pending.show(*pending.split(due)) if due else ""


@transaction.atomic
def do_request_reconsideration(ct: CrimeTransfer, *, acting_user, reason: str, on=None) -> CrimeTransfer:
    ct = _lock(ct)
    check_scope(acting_user, ct, "change")
    if ct.state != CrimeState.NOT_FILED or ct.reconsidered:
        raise ActionRefused("crime.reconsider_state", "只能对公安机关不予立案的决定提请一次复议", "state")
    on = _today(on)
    due = reconsider_due(ct)
    # A window whose last day is pending (unknown year) cannot be shown to have passed: not refused.
    if due is None or (due.known and on > due.date):
        raise ActionRefused("crime.reconsider_window",
                            f"应当自接到不予立案通知书之日起3日内提请复议（第九条），期限为{reconsider_due_display(ct) or '—'}",
                            "on")
    if not _text(reason):
        raise ActionRefused("validation", "复议理由：请填写认为应当立案的理由", "reason")
    before = snapshot(ct)
    ct.state, ct.reconsideration_on, ct.reconsideration_reason = CrimeState.RECONSIDERING, on, _text(reason)
    ct.save()
    step(ct, "crime.reconsideration", acting_user=acting_user, before=before, case=ct.case, on=on,
         reason=ct.reconsideration_reason)
    return ct


@transaction.atomic
def do_suggest_procuratorate(ct: CrimeTransfer, *, acting_user, note: str, on=None) -> CrimeTransfer:
    ct = _lock(ct)
    check_scope(acting_user, ct, "change")
    if ct.state != CrimeState.NOT_FILED or ct.procuratorate_suggested_on:
        raise ActionRefused("crime.supervision_state", "公安机关不予立案后，方可建议人民检察院依法进行立案监督（一次）",
                            "state")
    if not _text(note):
        raise ActionRefused("validation", "立案监督建议：请填写建议内容及检察院名称", "note")
    before = snapshot(ct)
    ct.procuratorate_suggested_on, ct.procuratorate_note = _today(on), _text(note)
    ct.save()
    step(ct, "crime.procuratorate", acting_user=acting_user, before=before, case=ct.case, note=ct.procuratorate_note)
    return ct
