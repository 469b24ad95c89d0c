"""Review actions: the only writers of this app's rows. Each runs in one transaction, takes
keyword-only acting_user and refuses with ActionRefused(rule, Chinese message, field).

The transitions (submit, review, discussion) go through the case engine so that the case's guards
— including this app's rules — run first and a refusal leaves nothing behind.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhifa.cases.actions.engine import apply_transition
from zhifa.cases.models import Case, LegalReview
from zhifa.cases.rules import handler_ids, user_officer
from zhifa.common.actions import ActionRefused, check_scope, check_scope_new, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.common.scope import can
from zhifa.review.catalogue import is_major, major_reasons
from zhifa.review.models import AdviserOpinion, CaseFlags, Catalogue, MajorFlag, Notice, Objection

CATALOGUE_FIELDS = ("fine_threshold_citizen", "fine_threshold_org", "revoke_licence", "suspend_or_close",
                    "hearing_held", "public_interest", "complex", "suspected_crime", "all_general", "review_days",
                    "note")


# ---- notices ------------------------------------------------------------------------------
def case_users(case, *, handlers=False, heads=False, reviewers=False):
    from zhifa.orgs.models import User

    users = []
    if handlers:
        users += list(User.objects.filter(officer__case_roles__case=case, officer__case_roles__active=True))
    roles = ([Role.AGENCY_HEAD] if heads else []) + ([Role.LEGAL_REVIEWER] if reviewers else [])
    if roles:
        users += list(User.objects.filter(entity_id=case.entity_id, role__in=roles, is_active=True))
    return list({u.pk: u for u in users}.values())


def notify(users, case, text, event="notice"):
    """站内提醒 (and e-mail/SMS by each user's preferences) through the one outbox (zhifa.notify)."""
    from zhifa.notify.outbox import post

    post(users, event, text, case=case)


def evaluate_major(case):
    """Flag the case when the catalogue (or the statute) marks its pending decision major; people are
    told once per catalogue version and set of reasons."""
    major, reasons, version = is_major(case)
    if not major:
        return None
    last = MajorFlag.objects.filter(case=case).order_by("-id").first()
    if last is not None and last.reasons == reasons and last.catalogue_version == version:
        return last
    flag = MajorFlag.objects.create(case=case, catalogue_version=version, reasons=reasons, state=case.state)
    adviser = "；建议征询法律顾问意见" if case.complex or "涉嫌犯罪" in reasons else ""
    notify(case_users(case, handlers=True, heads=True, reviewers=True), case,
           (f"案件“{case.title}”属于重大执法决定（{'、'.join(reasons)}），须经法制审核后方可作出决定{adviser}"
            if major_reasons(reasons) else f"案件“{case.title}”须经法制审核后方可作出决定（本机关一般程序处罚案件一律法制审核）"),
           event="review.major")
    return flag


@transaction.atomic
def do_mark_notices_read(user, ids=None):
    qs = Notice.objects.filter(user=user, read=False)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read=True)


# ---- catalogue ----------------------------------------------------------------------------
@transaction.atomic
def do_save_catalogue(entity, data: dict, *, acting_user) -> Catalogue:
    """A new version of the entity's catalogue (older versions stay; cases record the one applied)."""
    check_scope_new(acting_user, Catalogue, entity, None, "change")
    bad = set(data) - set(CATALOGUE_FIELDS)
    if bad:
        raise ActionRefused("validation", f"不允许填写字段“{sorted(bad)[0]}”", sorted(bad)[0])
    days = data.get("review_days", 10)
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise ActionRefused("review.catalogue_valid", "审核期限应为1至30个工作日", "review_days")
    for f in ("fine_threshold_citizen", "fine_threshold_org"):
        if data.get(f) is not None and data[f] <= 0:
            raise ActionRefused("review.catalogue_valid", "罚没款数额标准应大于零", f)
    from zhifa.orgs.models import Entity

    Entity.objects.select_for_update().filter(pk=entity.pk).first()
    last = Catalogue.objects.filter(entity=entity).order_by("-version").first()
    cat = Catalogue(entity=entity, version=(last.version if last else 0) + 1, created_by=acting_user, **data)
    cat.full_clean()
    cat.save()
    log_change(cat, ChangeLog.Action.CREATE, acting_user=acting_user, before=snapshot(last) if last else None,
               after=snapshot(cat), reason=f"法制审核目录清单第{cat.version}版" + (f"：{cat.note}" if cat.note else ""))
    return cat


# ---- the transitions ----------------------------------------------------------------------
def do_submit_packet(case, *, reviewer, packet: dict, acting_user, expected_version, correction_note="", on=None):
    """送审: a new packet version to `reviewer`; refused (review.packet_complete …) when incomplete."""
    packet = {k: (v or "") for k, v in packet.items()}
    return apply_transition(case, "submit_legal_review", acting_user=acting_user, expected_version=expected_version,
                            on=on, reviewer=reviewer, packet=packet, correction_note=correction_note)


def do_review(case, *, outcome, packet_version, checklist: dict, opinion, corrections="", acting_user,
              expected_version, on=None):
    """The reviewer's opinion on packet `packet_version`: outcome "agree" (同意) or "problems" (存在问题)."""
    if outcome not in ("agree", "problems"):
        raise ActionRefused("validation", "审核意见须为“同意”或“存在问题”", "outcome")
    return apply_transition(case, "review_pass" if outcome == "agree" else "review_fail", acting_user=acting_user,
                            expected_version=expected_version, on=on, reason=opinion, opinion=opinion,
                            packet_version=packet_version, checklist=checklist, corrections=corrections)


def do_hold_discussion(case, *, trigger, attendees: list[dict], minutes, conclusion, acting_user, expected_version,
                       on=None):
    """集体讨论 chaired by the acting agency head: attendees [{name, title, view}], minutes, conclusion."""
    names = "、".join((a.get("name") or "").strip() for a in attendees)
    return apply_transition(case, "hold_collective_discussion", acting_user=acting_user,
                            expected_version=expected_version, on=on, participants=names, conclusion=conclusion,
                            trigger=trigger, attendees=attendees, minutes=minutes)


# ---- objection, flags, adviser ------------------------------------------------------------
def _lock(case):
    return Case.objects.select_for_update().get(pk=case.pk)


def _is_handler(user, case):
    officer = user_officer(user)
    return officer is not None and officer.pk in handler_ids(case)


@transaction.atomic
def do_record_objection(review: LegalReview, *, text, acting_user, on=None) -> Objection:
    """The handler disagrees with the latest 存在问题 opinion (then the heads may discuss collectively)."""
    case = _lock(review.case)
    check_scope(acting_user, case, "view")
    if not _is_handler(acting_user, case):
        raise ActionRefused("review.objection_by_handler", "只有本案承办人员可以对审核意见提出异议")
    last = case.reviews.exclude(outcome="").order_by("id").last()
    if last is None or last.pk != review.pk or review.outcome != LegalReview.Outcome.PROBLEMS:
        raise ActionRefused("review.objection_latest", "只能对最近一次“存在问题”的审核意见提出异议", "review")
    if not (text or "").strip():
        raise ActionRefused("validation", "请填写异议理由", "text")
    obj = Objection.objects.create(review=review, text=text.strip(), raised_by=acting_user,
                                   raised_on=on or timezone.localdate())
    log_change(obj, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(obj), reason="对法制审核意见提出异议")
    notify(case_users(case, heads=True), case, f"案件“{case.title}”承办人对法制审核意见有异议，请提请集体讨论",
           event="review.objection")
    return obj


@transaction.atomic
def do_set_flags(case, *, suspected_crime: bool, social_risk: bool, acting_user) -> CaseFlags:
    case = _lock(case)
    check_scope(acting_user, case, "view")
    if not (_is_handler(acting_user, case) or can(acting_user, "change", case)):
        raise ActionRefused("review.flags_by_handler", "只有本案承办人员或负责人可以标记")
    flags, _created = CaseFlags.objects.get_or_create(case=case)
    before = snapshot(flags)
    flags.suspected_crime, flags.social_risk = bool(suspected_crime), bool(social_risk)
    flags.save()
    log_change(flags, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(flags),
               reason="标记法制审核情形")
    if case.state in ("proposed", "notified", "hearing"):
        evaluate_major(case)
    return flags


@transaction.atomic
def do_record_adviser_opinion(case, *, adviser, question, opinion, given_on, acting_user) -> AdviserOpinion:
    """法律顾问/公职律师 written opinion on a difficult case (attached to the case)."""
    case = _lock(case)
    check_scope(acting_user, case, "view")
    if not (_is_handler(acting_user, case) or can(acting_user, "change", case)
            or acting_user.role == Role.LEGAL_REVIEWER and acting_user.entity_id == case.entity_id):
        raise ActionRefused("review.adviser_by_case_staff", "只有本案承办人员、法制审核人员或负责人可以登记法律顾问意见")
    if adviser is None or adviser.entity_id != case.entity_id:
        raise ActionRefused("review.adviser_of_entity", "请选择本机关聘请的法律顾问或公职律师", "adviser")
    if not (question or "").strip() or not (opinion or "").strip():
        raise ActionRefused("validation", "请填写咨询事项和书面意见", "opinion")
    row = AdviserOpinion.objects.create(case=case, adviser=adviser, question=question.strip(),
                                        opinion=opinion.strip(), given_on=given_on, recorded_by=acting_user)
    log_change(row, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(row), reason="登记法律顾问意见")
    return row
