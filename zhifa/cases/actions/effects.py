"""What each transition changes, beyond state, version, timeline and change log (engine.py)."""
from __future__ import annotations

from zhifa.cases import deadlines
from zhifa.cases.actions.engine import effect
from zhifa.cases.models import (
    CaseOfficer,
    CollectiveDiscussion,
    Extension,
    Kind,
    LegalReview,
    Recusal,
    SimpleRecord,
    Suspension,
)
from zhifa.cases.numbering import next_number
from zhifa.cases.rules import hearing_triggers, limitation_warning
from zhifa.cases.rules_procedure import (
    PAYMENT_ITEMS,
    RETENTION_CHOICES,
    confiscation_owed,
    outstanding,
    retention_default,
)
from zhifa.common.actions import ActionRefused

GENERAL, SIMPLE, INSPECTION, COERCIVE = Kind.PENALTY_GENERAL, Kind.PENALTY_SIMPLE, Kind.INSPECTION, Kind.COERCIVE
PENALTY_FIELDS = ("penalty_kinds", "fine_amount", "confiscation_amount", "no_penalty")
FLAG_FIELDS = ("major_public_interest", "complex", "major_violation", "law_requires_review")


@effect(GENERAL, "assign_officers")
@effect(INSPECTION, "assign_officers")
def assign_officers(ctx):
    case, on = ctx.case, ctx.on
    for officer in ctx.payload.get("remove") or []:
        CaseOfficer.objects.filter(case=case, officer=officer, active=True).update(active=False, removed_on=on)
    for officer, role in ctx.payload.get("officers") or []:
        current = CaseOfficer.objects.filter(case=case, officer=officer, active=True).first()
        if current:
            current.role = role
            current.save()
        else:
            CaseOfficer.objects.create(case=case, officer=officer, role=role, assigned_on=on)


@effect(GENERAL, "record_recusal")
def record_recusal(ctx):
    p, case = ctx.payload, ctx.case
    if p.get("decision") not in ("approved", "refused") or not (p.get("reason") or "").strip():
        raise ActionRefused("validation", "请填写回避理由并作出准予或不予回避的决定", "decision")
    Recusal.objects.create(case=case, officer=p["officer"], reason=p["reason"], decided_by=ctx.user,
                           decision=p["decision"], decided_on=ctx.on,
                           applied_by_party=bool(p.get("applied_by_party")))
    if p["decision"] == "approved":
        CaseOfficer.objects.filter(case=case, officer=p["officer"], active=True).update(active=False, removed_on=ctx.on)
        if case.hearing_chair_id == p["officer"].pk:
            case.hearing_chair = None


@effect(GENERAL, "register")
def register(ctx):
    # The clue was found (发现线索) on the day the 案源 is registered: the head decides on filing
    # within 15 working days (市场监管 程序规定 第十八条), so 立案审批中 carries a due date.
    deadlines.open_deadline(ctx.case, "filing", ctx.on)


@effect(GENERAL, "file_case")
def file_case(ctx):
    if ctx.payload.get("limitation_reason"):
        ctx.case.limitation_reason = ctx.payload["limitation_reason"]
    ctx.case.limitation_warning = limitation_warning(ctx.case)[:300]


# 《市场监督管理行政处罚程序规定》第十八条: the head may extend the filing period once by 15 working days.
FILING_EXTENSION_DAYS = 15


@effect(GENERAL, "extend_filing")
def extend_filing(ctx):
    days = FILING_EXTENSION_DAYS
    dl = deadlines.extend(ctx.case, "filing", days, f"{ctx.on:%Y-%m-%d}负责人批准延长{days}个工作日")
    return {"due_on": dl.due_on if dl else None}


@effect(GENERAL, "approve_filing")
def approve_filing(ctx):
    case = ctx.case
    case.filed_on = ctx.on
    case.number = next_number(case.entity, "filing", ctx.on.year)
    deadlines.close_deadline(case, "filing", ctx.on)
    deadlines.open_deadline(case, "decision", ctx.on)
    return {"number": case.number}


@effect(GENERAL, "propose")
def propose(ctx):
    case, p = ctx.case, ctx.payload
    changed = any(getattr(case, f) != p[f] for f in PENALTY_FIELDS)
    for f in PENALTY_FIELDS:
        setattr(case, f, p[f])
    for f in FLAG_FIELDS + ("facts", "legal_basis"):
        if f in p:
            setattr(case, f, p[f])
    case.proposed_on = ctx.on
    for f in ("discretion_level", "discretion_reason", "illegal_gains", "discretion_deviations"):
        if f in p:
            setattr(case, f, p[f] if p[f] is not None else ("" if f != "illegal_gains" else None))
    if changed and case.rights_notice_served_on:
        # A changed proposal must be notified afresh (Arts. 44, 45).
        case.rights_notice_served_on = None
        case.notice_includes_hearing = case.statement_waived = case.hearing_waived = False
        case.statement_received_on = None
        deadlines.close_deadline(case, "statement_defence", ctx.on, cancel=True)
        deadlines.close_deadline(case, "hearing_request", ctx.on, cancel=True)


@effect(GENERAL, "serve_notice")
def serve_notice(ctx):
    case = ctx.case
    case.rights_notice_served_on = ctx.on
    case.notice_includes_hearing = bool(hearing_triggers(case)) or bool(ctx.payload.get("includes_hearing_rights"))
    deadlines.open_deadline(case, "statement_defence", ctx.on)
    if case.notice_includes_hearing:
        deadlines.open_deadline(case, "hearing_request", ctx.on)
    return {"hearing_rights": case.notice_includes_hearing}


@effect(GENERAL, "record_statement")
def record_statement(ctx):
    case, p = ctx.case, ctx.payload
    if p.get("waived"):
        case.statement_waived = True
    else:
        if not (p.get("text") or "").strip():
            raise ActionRefused("validation", "请填写当事人的陈述、申辩意见", "text")
        case.statement_received_on, case.statement_text = ctx.on, p["text"]
    deadlines.close_deadline(case, "statement_defence", ctx.on)


@effect(GENERAL, "request_hearing")
def request_hearing(ctx):
    ctx.case.hearing_requested, ctx.case.hearing_requested_on = True, ctx.on
    deadlines.close_deadline(ctx.case, "hearing_request", ctx.on)


@effect(GENERAL, "waive_hearing")
def waive_hearing(ctx):
    ctx.case.hearing_waived = True
    deadlines.close_deadline(ctx.case, "hearing_request", ctx.on)


@effect(GENERAL, "schedule_hearing")
def schedule_hearing(ctx):
    case = ctx.case
    case.hearing_notified_on, case.hearing_scheduled_on = ctx.on, ctx.payload["hearing_on"]
    case.hearing_chair = ctx.payload["chair"]


@effect(GENERAL, "hold_hearing")
def hold_hearing(ctx):
    ctx.case.hearing_held_on = ctx.on
    ctx.case.hearing_record = ctx.payload.get("record", "")
    deadlines.close_deadline(ctx.case, "statement_defence", ctx.on)  # heard at the hearing


@effect(GENERAL, "submit_legal_review")
def submit_legal_review(ctx):
    # The packet version and the reviewer's due date: zhifa/review/subscribers.py.
    LegalReview.objects.create(case=ctx.case, reviewer=ctx.payload["reviewer"], submitted_on=ctx.on)


@effect(GENERAL, "review_pass", "review_fail")
def record_review(ctx):
    opinion = ctx.payload.get("opinion") or ctx.payload.get("reason") or ""
    if not opinion.strip():
        raise ActionRefused("validation", "请填写书面审核意见", "opinion")
    review = ctx.case.reviews.filter(outcome="").last()
    review.outcome = LegalReview.Outcome.AGREE if ctx.transition.name == "review_pass" else LegalReview.Outcome.PROBLEMS
    review.opinion, review.decided_on = opinion, ctx.on
    review.save()  # the checklist opinion and the 法制审核意见书: zhifa/review/subscribers.py


@effect(GENERAL, "hold_collective_discussion")
def hold_discussion(ctx):
    p = ctx.payload
    if not (p.get("participants") or "").strip() or not (p.get("conclusion") or "").strip():
        raise ActionRefused("validation", "请填写参加人员和讨论结论", "conclusion")
    # The attendees' views and the minutes: zhifa/review/subscribers.py.
    CollectiveDiscussion.objects.create(case=ctx.case, chaired_by=ctx.user, participants=p["participants"],
                                        conclusion=p["conclusion"], held_on=ctx.on)


@effect(GENERAL, "extend_decision_period")
def extend_period(ctx):
    p = ctx.payload
    if not (p.get("reason") or "").strip():
        raise ActionRefused("validation", "请填写延长理由", "reason")
    discussion = ctx.case.discussions.filter(held_on__lte=ctx.on).last() if p["kind"] == "collective" else None
    ext = Extension.objects.create(case=ctx.case, days=p["days"], reason=p["reason"], approved_by=ctx.user,
                                   kind=p["kind"], discussion=discussion, approved_on=ctx.on)
    label = "负责人批准" if p["kind"] == "head" else "集体讨论决定"
    dl = deadlines.extend(ctx.case, "decision", p["days"], f"{ctx.on:%Y-%m-%d}{label}延长{p['days']}日（#{ext.pk}）")
    return {"due_on": dl.due_on if dl else None}


@effect(GENERAL, "suspend")
def suspend(ctx):
    Suspension.objects.create(case=ctx.case, from_date=ctx.on, reason=ctx.payload["reason"])
    ctx.case.suspended = True
    deadlines.pause(ctx.case, ctx.on)


@effect(GENERAL, "resume")
def resume(ctx):
    ctx.case.suspensions.filter(to_date__isnull=True).update(to_date=ctx.on)
    ctx.case.suspended = False
    deadlines.resume(ctx.case, ctx.on)


@effect(GENERAL, "decide")
def decide(ctx):
    case, p = ctx.case, ctx.payload
    for f in PENALTY_FIELDS:
        setattr(case, f, p[f])
    case.decided_on, case.decided_by = ctx.on, ctx.user
    case.decision_number = next_number(case.entity, "no_penalty" if case.no_penalty else "decision", ctx.on.year)
    deadlines.close_deadline(case, "decision", ctx.on)
    for kind in ("statement_defence", "hearing_request"):
        deadlines.close_deadline(case, kind, ctx.on, cancel=True)
    deadlines.open_deadline(case, "service", ctx.on)
    return {"decision_number": case.decision_number}


@effect(GENERAL, "serve_decision")
def serve_decision(ctx):
    case = ctx.case
    case.served_on, case.service_method = ctx.on, ctx.payload.get("method", "直接送达")
    deadlines.close_deadline(case, "service", ctx.on)
    if (case.fine_amount or confiscation_owed(case)) and not case.no_penalty:
        deadlines.open_deadline(case, "payment", ctx.on)


@effect(GENERAL, "record_payment")
def record_payment(ctx):
    case, item = ctx.case, ctx.payload["item"]
    if item == "confiscation":
        case.confiscation_paid += ctx.payload["amount"]
    else:
        case.paid_amount += ctx.payload["amount"]
    case.paid_on = ctx.on
    if not any(outstanding(case, ctx.on).values()):
        deadlines.close_deadline(case, "payment", ctx.on)
    return {"item_label": PAYMENT_ITEMS[item]}


@effect(GENERAL, "close")
@effect(INSPECTION, "close")
@effect(COERCIVE, "close")
def close(ctx):
    ctx.case.closed_on = ctx.on
    if ctx.payload.get("execution_note"):
        ctx.case.execution_note = ctx.payload["execution_note"]
    deadlines.close_all(ctx.case, ctx.on)


@effect(GENERAL, "not_file", "revoke", "transfer")
def exit_case(ctx):
    case, p = ctx.case, ctx.payload
    case.exit_reason = p["reason"]
    if ctx.transition.name == "transfer":
        case.transfer_kind, case.transfer_to = p["transfer_kind"], p["transfer_to"]
    if ctx.transition.name == "not_file":
        deadlines.close_deadline(case, "filing", ctx.on)  # 不予立案 is the decision on filing, in time or late
    deadlines.close_all(case, ctx.on)


@effect(GENERAL, "archive")
@effect(SIMPLE, "archive")
@effect(INSPECTION, "archive")
@effect(COERCIVE, "archive")
def archive(ctx):
    """备考表 (the archivist's note) and 保管期限 (given, else the kind's default)."""
    case, p = ctx.case, ctx.payload
    retention = p.get("retention_period") or retention_default(case.kind)
    if retention not in RETENTION_CHOICES:
        raise ActionRefused("validation", f"保管期限须为{'、'.join(RETENTION_CHOICES)}之一", "retention_period")
    case.archive_note = (p.get("archive_note") or "").strip()
    case.retention_period = retention
    case.archived_on = ctx.on
    return {"retention_period": retention}


# ---- simple procedure ---------------------------------------------------------------------
@effect(SIMPLE, "on_the_spot_penalty")
def on_the_spot(ctx):
    case, p = ctx.case, ctx.payload
    SimpleRecord.objects.create(case=case, decided_at_place=p.get("place") or "", decided_on=ctx.on,
                                party_refused_to_sign=bool(p.get("party_refused_to_sign")),
                                collected_on_spot=bool(p.get("collected_on_spot")))
    case.decided_on, case.decided_by = ctx.on, ctx.user
    case.decision_number = case.number = next_number(case.entity, "simple_decision", ctx.on.year)
    case.paid_amount = case.fine_amount or 0 if p.get("collected_on_spot") else 0
    return {"decision_number": case.decision_number}


@effect(SIMPLE, "file_simple_record")
def file_simple_record(ctx):
    ctx.case.simple.filed_on = ctx.on
    ctx.case.simple.save()
