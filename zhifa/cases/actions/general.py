"""Public action API of the general procedure (一般程序): one function per transition.

Every function takes the case, `acting_user` and `expected_version` (the version the user saw)
and returns the updated case; a refusal raises ActionRefused(rule, message, field).
"""
from __future__ import annotations

from zhifa.cases.actions.engine import apply_transition, create_case
from zhifa.cases.models import Kind
from zhifa.common.actions import ActionRefused


def do_register_case(data: dict, *, acting_user, parties=(), officers=(), power_items=(), on=None, reason=""):
    """案源登记: a new general-procedure case with its parties, officers [(officer, role)], power items."""
    return create_case(Kind.PENALTY_GENERAL, "register", data, acting_user=acting_user, parties=parties,
                       officers=officers, power_items=power_items, on=on, reason=reason)


def do_assign_officers(case, officers=(), *, acting_user, expected_version, remove=(), on=None, reason=""):
    return apply_transition(case, "assign_officers", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, officers=list(officers), remove=list(remove))


def do_record_recusal(case, officer, *, decision, reason, acting_user, expected_version, applied_by_party=False,
                      on=None):
    """回避决定 by the agency head (Art. 43); an approved recusal removes the officer from the case."""
    return apply_transition(case, "record_recusal", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, officer=officer, decision=decision,
                            applied_by_party=applied_by_party)


def do_file_case(case, *, acting_user, expected_version, limitation_reason="", on=None, reason=""):
    """提请立案 (the officers' request; the limitation check of Art. 36 runs here)."""
    return apply_transition(case, "file_case", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, limitation_reason=limitation_reason)


def do_approve_filing(case, *, acting_user, expected_version, on=None, reason=""):
    """批准立案: case number, filing date and the 90-day decision period."""
    return apply_transition(case, "approve_filing", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason)


def do_not_file(case, *, reason, acting_user, expected_version, on=None):
    return apply_transition(case, "not_file", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason)


def do_extend_filing(case, *, reason, acting_user, expected_version, on=None):
    """The head extends the 15 working days to decide on filing by another 15, once, before they run
    out (《市场监督管理行政处罚程序规定》第十八条)."""
    return apply_transition(case, "extend_filing", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason)


def do_start_investigation(case, *, acting_user, expected_version, on=None, reason=""):
    return apply_transition(case, "start_investigation", acting_user=acting_user,
                            expected_version=expected_version, on=on, reason=reason)


def do_propose(case, *, penalty_kinds=(), fine_amount=None, confiscation_amount=None, no_penalty=False,
               acting_user, expected_version, on=None, reason="", **details):
    """拟处理意见; details may carry facts, legal_basis and the review/discussion flags."""
    allowed = {"facts", "legal_basis", "major_public_interest", "complex", "major_violation", "law_requires_review",
               "discretion_level", "discretion_reason", "illegal_gains"}
    if set(details) - allowed:
        raise ActionRefused("validation", f"不允许填写字段“{sorted(set(details) - allowed)[0]}”")
    return apply_transition(case, "propose", acting_user=acting_user, expected_version=expected_version, on=on,
                            reason=reason, penalty_kinds=list(penalty_kinds), fine_amount=fine_amount,
                            confiscation_amount=confiscation_amount, no_penalty=no_penalty, **details)


def do_serve_notice(case, *, acting_user, expected_version, includes_hearing_rights=None, on=None, reason=""):
    """事先告知书 served on `on` (Art. 44); hearing rights are included whenever Art. 63 applies."""
    return apply_transition(case, "serve_notice", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, includes_hearing_rights=includes_hearing_rights)


def do_record_statement(case, *, text="", waived=False, acting_user, expected_version, on=None, reason=""):
    """陈述申辩 received, or the party's express waiver (Art. 62)."""
    return apply_transition(case, "record_statement", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, text=text, waived=waived)


def do_request_hearing(case, *, acting_user, expected_version, on=None, reason=""):
    return apply_transition(case, "request_hearing", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason)


def do_waive_hearing(case, *, acting_user, expected_version, on=None, reason=""):
    return apply_transition(case, "waive_hearing", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason)


def do_schedule_hearing(case, *, hearing_on, chair, acting_user, expected_version, on=None, reason=""):
    """听证通知 sent on `on` for a hearing on `hearing_on`, chaired by `chair` (an Officer)."""
    return apply_transition(case, "schedule_hearing", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, hearing_on=hearing_on, chair=chair)


def do_hold_hearing(case, *, record="", acting_user, expected_version, on=None, reason=""):
    return apply_transition(case, "hold_hearing", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, record=record)


def do_submit_legal_review(case, *, reviewer, acting_user, expected_version, on=None, reason=""):
    """Submit to `reviewer` (a User who is a legal-reviewer officer and not a handler)."""
    return apply_transition(case, "submit_legal_review", acting_user=acting_user,
                            expected_version=expected_version, on=on, reason=reason, reviewer=reviewer)


def do_record_legal_review(case, *, outcome, opinion, acting_user, expected_version, on=None):
    """法制审核意见: 'agree' → reviewed; 'problems' → back to 拟处理意见."""
    if outcome not in ("agree", "problems"):
        raise ActionRefused("validation", "审核意见须为“同意”或“存在问题”", "outcome")
    return apply_transition(case, "review_pass" if outcome == "agree" else "review_fail", acting_user=acting_user,
                            expected_version=expected_version, on=on, reason=opinion, opinion=opinion)


def do_hold_collective_discussion(case, *, participants, conclusion, acting_user, expected_version, on=None,
                                  reason=""):
    """集体讨论, chaired by the acting agency head (Art. 57 ¶2)."""
    return apply_transition(case, "hold_collective_discussion", acting_user=acting_user,
                            expected_version=expected_version, on=on, reason=reason,
                            participants=participants, conclusion=conclusion)


def do_extend_decision_period(case, *, days, kind, reason, acting_user, expected_version, on=None):
    """kind 'head' (once, ≤ 30 days) or 'collective' (after a collective discussion)."""
    return apply_transition(case, "extend_decision_period", acting_user=acting_user,
                            expected_version=expected_version, on=on, reason=reason, days=days, kind=kind)


def do_suspend(case, *, reason, acting_user, expected_version, on=None):
    return apply_transition(case, "suspend", acting_user=acting_user, expected_version=expected_version, on=on,
                            reason=reason)


def do_resume(case, *, acting_user, expected_version, on=None, reason=""):
    return apply_transition(case, "resume", acting_user=acting_user, expected_version=expected_version, on=on,
                            reason=reason)


def do_decide(case, *, acting_user, expected_version, on=None, reason="", **penalty):
    """行政处罚决定 by the agency head; `penalty` may lighten the notified penalty (never heavier)."""
    return apply_transition(case, "decide", acting_user=acting_user, expected_version=expected_version, on=on,
                            reason=reason, **penalty)


def do_serve_decision(case, *, method="直接送达", acting_user, expected_version, on=None, reason=""):
    return apply_transition(case, "serve_decision", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, method=method)


def do_record_payment(case, *, amount, item="fine", acting_user, expected_version, on=None, reason=""):
    """A payment to the treasury: `item` 'fine' (罚款, with any surcharge) or 'confiscation' (没收违法所得);
    more than the item's outstanding amount is refused (payment.not_over)."""
    return apply_transition(case, "record_payment", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, amount=amount, item=item)


def do_close(case, *, acting_user, expected_version, execution_note="", on=None, reason=""):
    return apply_transition(case, "close", acting_user=acting_user, expected_version=expected_version, on=on,
                            reason=reason, execution_note=execution_note)


def do_archive(case, *, acting_user, expected_version, archive_note="", retention_period="", on=None, reason=""):
    """归档 with the 备考表 note and the 保管期限 (default per case kind, settings.ZHIFA_ARCHIVE_RETENTION)."""
    return apply_transition(case, "archive", acting_user=acting_user, expected_version=expected_version, on=on,
                            reason=reason, archive_note=archive_note, retention_period=retention_period)


def do_revoke(case, *, reason, acting_user, expected_version, on=None):
    return apply_transition(case, "revoke", acting_user=acting_user, expected_version=expected_version, on=on,
                            reason=reason)


def do_transfer(case, *, transfer_kind, transfer_to, reason, acting_user, expected_version, on=None):
    """移送: transfer_kind 'agency' (another competent agency) or 'crime' (public security, Art. 27)."""
    return apply_transition(case, "transfer", acting_user=acting_user, expected_version=expected_version, on=on,
                            reason=reason, transfer_kind=transfer_kind, transfer_to=transfer_to)
