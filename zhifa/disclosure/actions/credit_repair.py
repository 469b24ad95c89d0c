"""信用修复 actions (市场监督管理行政处罚信息公示规定 Art. 14): staff register a request (for the
party or on their own initiative), the entity head approves or rejects it. Approval takes the entry
off every public page with an "expiry" ledger event (cause credit_repair), like do_withdraw.

Rules:
  repair.publication_state  only an entry that is public today can be repaired
  repair.applicant          a party's request names the applicant
  repair.reason             a reason of at least 4 characters
  repair.pending            one open request per entry
  repair.min_period         published at least `repair_min_months` (公示达到规定时限)
  repair.severe_penalty     no early stop after 停产停业, 吊销, 限制从业 … (Art. 14 para 3)
  repair.state              only a pending request is decided
  repair.approver_role      only the 行政机关负责人 approves or rejects (no administrator bypass)
  repair.conditions         all four conditions of Art. 14 (一)–(四) confirmed
  repair.repeat_offence     the party was penalised again in the same field after this decision
  repair.note               a rejection states its grounds
  repair.access_code        a portal request (and the status lookup) gives the access code of the decision's case
  repair.rate_limited       too many portal attempts from one address within an hour (ZHIFA_REPAIR_RATE)

The party may also apply itself on the public portal (do_submit_repair_online): the access code
printed on its documents proves it is the party; the same request rules apply; its contact is kept
for staff only.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.cases.models import Case, Party
from zhifa.common.actions import ActionRefused, check_scope, log_change, snapshot
from zhifa.common.fields import match
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.disclosure import expiry, public
from zhifa.disclosure.choices import SEVERE_PENALTIES
from zhifa.disclosure.models import CreditRepair, Publication
from zhifa.disclosure.pipeline import access_code_matches
from zhifa.legalcal.periods import shift_months

RepairState = CreditRepair.State
CONDITION_LABELS = {f: str(CreditRepair._meta.get_field(f).verbose_name) for f in CreditRepair.CONDITIONS}


def _public_today(pub, today) -> bool:
    return public.published(today).filter(pk=pub.pk).exists()


def earliest_repair_on(pub) -> dt.date | None:
    if not pub.published_on:
        return None
    return shift_months(pub.published_on, int(expiry.config()["repair_min_months"]))


def severe_kinds(pub) -> list[str]:
    return [SEVERE_PENALTIES[k] for k in (pub.case.penalty_kinds or []) if k in SEVERE_PENALTIES]


def repeat_offences(pub):
    """Later decided cases against the same party (ID number or credit code) in the same field."""
    ids = [(p.id_number, p.credit_code) for p in pub.case.parties.all()]
    who = Q()
    for id_number, credit_code in ids:
        if id_number:
            who |= match(Party, "id_number", id_number, "parties__")  # encrypted: its blind index
        if credit_code:
            who |= Q(parties__credit_code=credit_code)
    if not who:
        return Case.objects.none()
    return (Case.objects.filter(who, field=pub.case.field, decided_on__gt=pub.decided_on, no_penalty=False)
            .exclude(pk=pub.case_id).distinct())


def _check_public(pub, today):
    if not _public_today(pub, today):
        raise ActionRefused("repair.publication_state", "只有正在公示的执法决定才能申请信用修复（提前停止公示）",
                            "publication")


def _check_form(applicant_kind, applicant, reason):
    if applicant_kind not in CreditRepair.ApplicantKind.values:
        raise ActionRefused("validation", "申请方式：请选择当事人申请或执法机关依职权", "applicant_kind")
    if applicant_kind == CreditRepair.ApplicantKind.PARTY and not applicant:
        raise ActionRefused("repair.applicant", "申请人：当事人申请的须填写申请人", "applicant")
    if len(reason) < 4:
        raise ActionRefused("repair.reason", "申请理由：请填写信用修复的理由（至少4个字）", "reason")


def _check_eligible(pub, today):
    """One pending request, the minimum period, no severe penalty (shared by staff and portal)."""
    if pub.case_id is None:  # a permit decision (行政许可): no penalty to repair
        raise ActionRefused("repair.penalty_only", "信用修复仅适用于行政处罚决定的公示信息", "publication")
    if pub.credit_repairs.filter(state=RepairState.PENDING).exists():
        raise ActionRefused("repair.pending", "该公示信息已有待审批的信用修复申请", "publication")
    earliest = earliest_repair_on(pub)
    if earliest and today < earliest:
        raise ActionRefused("repair.min_period",
                            f"公示日期：公示未满规定时限，{earliest:%Y年%m月%d日}起方可申请提前停止公示", "published_on")
    if severe := severe_kinds(pub):
        raise ActionRefused("repair.severe_penalty",
                            f"处罚种类：受到{'、'.join(severe)}处罚的，不得提前停止公示", "penalty_kinds")


def do_request_repair(pub, *, acting_user, reason: str, applicant_kind: str = "party", applicant: str = "",
                      fulfilled=False, harm_removed=False, no_repeat=False, not_listed=False,
                      on: dt.date | None = None) -> CreditRepair:
    reason, applicant = (reason or "").strip(), (applicant or "").strip()
    today = on or timezone.localdate()
    with transaction.atomic():
        pub = Publication.objects.select_for_update(of=("self",)).select_related("case").get(pk=pub.pk)
        check_scope(acting_user, pub, "change")
        _check_public(pub, today)
        _check_form(applicant_kind, applicant, reason)
        _check_eligible(pub, today)
        repair = CreditRepair.objects.create(
            publication=pub, applicant_kind=applicant_kind, applicant=applicant[:200], reason=reason,
            fulfilled=bool(fulfilled), harm_removed=bool(harm_removed), no_repeat=bool(no_repeat),
            not_listed=bool(not_listed), requested_on=today, requested_by=acting_user)
        log_change(repair, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(repair),
                   reason=f"登记信用修复申请：{reason[:100]}")
    return repair


# ---- 网上申请: the party on the public portal, with the access code printed on its documents ----------
def _rate_key(client: str) -> str:
    return f"zhifa:repair-rate:{client or '-'}"


def _rate_check(client: str, *, count: bool = True):
    """ZHIFA_REPAIR_RATE (default 5) attempts per client address per hour: every submission that
    reaches the access-code check, and every status lookup with a wrong code (so the 8-character code
    cannot be guessed by trying)."""
    from zhifa.common import ratelimit  # atomic add + incr in the shared cache (issue 15)

    limit = int(getattr(settings, "ZHIFA_REPAIR_RATE", 5))
    allowed = ratelimit.hit(_rate_key(client), limit, 3600) if count else ratelimit.count(_rate_key(client)) < limit
    if not allowed:
        raise ActionRefused("repair.rate_limited", "提交过于频繁，请一小时后再试", "access_code")


def code_matches(pub, code: str) -> bool:
    return bool(code) and pub.case_id is not None and access_code_matches(pub.case, code)


def _check_code(pub, code):
    if not code_matches(pub, code):
        raise ActionRefused("repair.access_code",
                            "查询码：查询码与该行政处罚决定不符，请核对行政处罚决定书等文书上印制的查询码",
                            "access_code")


def do_submit_repair_online(pub, *, access_code: str, applicant: str, contact: str, reason: str,
                            fulfilled=False, harm_removed=False, no_repeat=False, not_listed=False,
                            client: str = "", acting_user=None, on: dt.date | None = None) -> CreditRepair:
    """The party applies on the portal (/gs/results/<id>/repair/). Same rules as a staff request; the
    declared conditions are the party's declaration, the head confirms them when approving."""
    reason, applicant = (reason or "").strip(), (applicant or "").strip()
    contact = (contact or "").strip()
    today = on or timezone.localdate()
    _check_form(CreditRepair.ApplicantKind.PARTY, applicant, reason)
    if len(contact) > 100:
        raise ActionRefused("validation", "联系方式：不超过100个字", "contact")
    if len(reason) > 2000:
        raise ActionRefused("repair.reason", "申请理由：不超过2000个字", "reason")
    _rate_check(client)
    with transaction.atomic():
        pub = Publication.objects.select_for_update(of=("self",)).select_related("case").get(pk=pub.pk)
        _check_code(pub, access_code)
        _check_public(pub, today)
        _check_eligible(pub, today)
        repair = CreditRepair.objects.create(
            publication=pub, applicant_kind=CreditRepair.ApplicantKind.PARTY, applicant=applicant[:200],
            reason=reason, channel=CreditRepair.Channel.PORTAL, contact=contact,
            fulfilled=bool(fulfilled), harm_removed=bool(harm_removed), no_repeat=bool(no_repeat),
            not_listed=bool(not_listed), requested_on=today,
            requested_by=acting_user if acting_user is not None and acting_user.pk else None)
        log_change(repair, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(repair),
                   reason=f"公示平台网上申请信用修复：{reason[:100]}")
    return repair


def online_status(pub, *, access_code: str, client: str = "") -> list[dict]:
    """What the party sees of its requests on this entry (any channel), after giving the code:
    state, dates and the head's note — never the contact nor who registered or decided."""
    _rate_check(client, count=False)
    if not code_matches(pub, access_code):
        _rate_check(client)
        _check_code(pub, access_code)
    return [{"state": r.state, "state_label": r.get_state_display(), "channel": r.get_channel_display(),
             "requested_on": r.requested_on, "decided_on": r.decided_on,
             "note": r.decision_note if r.state != RepairState.PENDING else ""}
            for r in pub.credit_repairs.order_by("-requested_on", "-id")]


def _locked(repair) -> CreditRepair:
    return CreditRepair.objects.select_for_update().select_related("publication").get(pk=repair.pk)


def _decide_checks(repair, acting_user):
    check_scope(acting_user, repair.publication, "change")
    if repair.state != RepairState.PENDING:
        raise ActionRefused("repair.state", f"该申请已{repair.get_state_display()}，不能重复审批", "state")
    if getattr(acting_user, "role", None) != Role.AGENCY_HEAD:
        raise ActionRefused("repair.approver_role", "审批人：信用修复申请须由行政机关负责人审批", "decided_by")


def do_approve_repair(repair, *, acting_user, note: str = "", on: dt.date | None = None) -> CreditRepair:
    """Approve: the entry leaves public view today (state expired, cause credit_repair)."""
    today = on or timezone.localdate()
    with transaction.atomic():
        repair = _locked(repair)
        _decide_checks(repair, acting_user)
        pub = Publication.objects.select_for_update(of=("self",)).select_related("case").get(pk=repair.publication_id)
        if not _public_today(pub, today):
            raise ActionRefused("repair.publication_state", "该公示信息已不在公示中，无需信用修复", "publication")
        missing = [f for f in CreditRepair.CONDITIONS if not getattr(repair, f)]
        if missing:
            raise ActionRefused("repair.conditions", f"申请条件：尚未确认“{CONDITION_LABELS[missing[0]]}”，不能批准",
                                missing[0])
        if again := repeat_offences(pub).first():
            raise ActionRefused("repair.repeat_offence",
                                f"申请条件：当事人于{again.decided_on:%Y年%m月%d日}因同类违法行为再次受到处罚"
                                f"（{again.decision_number or again.number}），不能批准", "no_repeat")
        before = snapshot(repair)
        repair.state, repair.decided_by, repair.decided_on = RepairState.APPROVED, acting_user, today
        repair.decision_note = (note or "").strip()[:500]
        repair.save()
        log_change(repair, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(repair),
                   reason="批准信用修复申请")
        expiry.take_down(pub, cause=Publication.ExpiryCause.CREDIT_REPAIR, on=today, acting_user=acting_user,
                         reason=f"信用修复获批，提前停止公示（申请第{repair.pk}号）")
    return repair


def do_reject_repair(repair, *, acting_user, note: str, on: dt.date | None = None) -> CreditRepair:
    note = (note or "").strip()
    with transaction.atomic():
        repair = _locked(repair)
        _decide_checks(repair, acting_user)
        if len(note) < 4:
            raise ActionRefused("repair.note", "审批意见：不予批准须说明理由（至少4个字）", "note")
        before = snapshot(repair)
        repair.state, repair.decided_by = RepairState.REJECTED, acting_user
        repair.decided_on, repair.decision_note = on or timezone.localdate(), note[:500]
        repair.save()
        log_change(repair, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(repair),
                   reason=f"不予批准信用修复申请：{note[:100]}")
    return repair


def pending_for(user):
    return (CreditRepair.objects.restrict(user, "view").filter(state=RepairState.PENDING)
            .select_related("publication", "publication__entity").order_by("requested_on", "id"))
