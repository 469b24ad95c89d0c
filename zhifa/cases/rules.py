"""Statutory rules guarding the case transitions. Each rule is a named function of a Ctx that
raises ActionRefused(rule name, Chinese message) or returns; machine.py lists which transitions
evaluate which rules. In preview (allowed_transitions) rules that need the caller's input skip.

Discretion benchmarks (裁量基准) are deliberately not checked here (separate module).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from zhifa.cases.models import HEARING_KINDS, Case, CaseOfficer, Party, PenaltyKind, Recusal
from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role

RULES: dict = {}

SIMPLE_LIMIT_PERSON = Decimal("200")
SIMPLE_LIMIT_ORG = Decimal("3000")
SURCHARGE_RATE = Decimal("0.03")
MAX_AMOUNT = Decimal("1000000000000")


def rule(name):
    def register(fn):
        fn.rule_name = name
        RULES[name] = fn
        return fn
    return register


def refuse(name, message, field=None):
    raise ActionRefused(name, message, field)


@dataclass
class Ctx:
    case: Case
    user: object
    on: dt.date
    transition: object
    payload: dict
    preview: bool = False
    warnings: list = field(default_factory=list)

    def has(self, key):
        return key in self.payload and not self.preview


# ---- helpers shared with the actions ----------------------------------------------------
def user_officer(user):
    return getattr(user, "officer", None) if user is not None and user.pk else None


def _cached(case, key, read):
    """Read once per guard run (engine.officer_ids_cached), else every time."""
    cache = case.__dict__.get("_officer_ids_cache")
    if cache is None:
        return read()
    if key not in cache:
        cache[key] = read()
    return set(cache[key])


def handler_ids(case, *, ever=False) -> set[int]:
    if case.__dict__.get("_officer_ids_cache") is None:
        qs = CaseOfficer.objects.filter(case=case)
        if not ever:
            qs = qs.filter(active=True)
        return set(qs.values_list("officer_id", flat=True))
    rows = _cached(case, "officers", lambda: list(CaseOfficer.objects.filter(case=case)
                                                  .values_list("officer_id", "active")))
    return {oid for oid, active in rows if ever or active}


def recused_ids(case) -> set[int]:
    return _cached(case, "recused", lambda: set(Recusal.objects.filter(case=case, decision="approved")
                                                .values_list("officer_id", flat=True)))


def party_kinds(case) -> set[str]:
    return set(case.parties.values_list("kind", flat=True))


def hearing_thresholds(entity) -> dict[str, Decimal]:
    """较大数额 (Art. 63): the entity's own thresholds, else the national defaults in settings."""
    return {
        Party.PartyKind.PERSON: entity.hearing_threshold_citizen
        or Decimal(str(getattr(settings, "ZHIFA_HEARING_THRESHOLD_CITIZEN", "10000"))),
        Party.PartyKind.ORG: entity.hearing_threshold_org
        or Decimal(str(getattr(settings, "ZHIFA_HEARING_THRESHOLD_ORG", "100000"))),
    }


def hearing_triggers(case) -> list[str]:
    """Why the proposed penalty carries the right to a hearing (empty: it does not)."""
    reasons = []
    limits = hearing_thresholds(case.entity)
    for kind in party_kinds(case):
        limit = limits[kind]
        if case.fine_amount and case.fine_amount >= limit:
            reasons.append(f"罚款{case.fine_amount}元达到较大数额（{limit}元）")
        if case.confiscation_amount and case.confiscation_amount >= limit:
            reasons.append(f"没收{case.confiscation_amount}元达到较大数额（{limit}元）")
    reasons += [PenaltyKind(k).label for k in case.penalty_kinds or [] if k in HEARING_KINDS]
    return list(dict.fromkeys(str(r) for r in reasons))


def review_required(case) -> list[str]:
    """Art. 58 grounds for legal review (empty: not required)."""
    from zhifa.cases.models import CaseConfig

    grounds = []
    if case.hearing_held_on:
        grounds.append("经过听证程序")
    if case.major_public_interest:
        grounds.append("涉及重大公共利益")
    if case.complex:
        grounds.append("案件情况疑难复杂")
    if case.law_requires_review:
        grounds.append("法律法规规定应当法制审核")
    if CaseConfig.objects.filter(entity_id=case.entity_id, review_all_general=True).exists():
        grounds.append("本机关一般程序处罚案件一律法制审核")
    return grounds


def add_years(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def limitation_warning(case) -> str:
    """Art. 36: 2 years (5 with harm to life, health or financial safety) from the violation
    (or its end, when continuing) until it is discovered. Returns "" when within the period."""
    if not case.violation_on:
        return "未填写违法行为发生（终了）日期，无法核对追责时效"
    years = 5 if case.harms_life_health_finance else 2
    found = case.discovered_on or case.registered_on or timezone.localdate()
    if found > add_years(case.violation_on, years):
        return (f"违法行为发生（终了）于{case.violation_on:%Y-%m-%d}，至{found:%Y-%m-%d}发现已超过{years}年，"
                f"依《行政处罚法》第三十六条不再给予行政处罚")
    return ""


def surcharge(fine: Decimal, due: dt.date, on: dt.date) -> Decimal:
    """Art. 72 (一): 3 % of the fine for each day after `due`, capped at the fine."""
    if not fine or on <= due:
        return Decimal("0.00")
    return min(fine * SURCHARGE_RATE * (on - due).days, fine).quantize(Decimal("0.01"))


def periods():
    from zhifa.legalcal import periods as legal_periods

    return legal_periods


# ---- common rules -----------------------------------------------------------------------
@rule("case.date_valid")
def date_valid(ctx):
    if ctx.on > timezone.localdate():
        refuse("case.date_valid", "办理日期不能晚于今天", "on")
    if ctx.case.last_action_on and ctx.on < ctx.case.last_action_on:
        refuse("case.date_valid", f"办理日期不能早于上一环节的办理日期（{ctx.case.last_action_on:%Y-%m-%d}）", "on")


@rule("case.not_suspended")
def not_suspended(ctx):
    if ctx.case.suspended:
        refuse("case.not_suspended", "案件已中止，恢复后方可继续办理")


@rule("case.is_suspended")
def is_suspended(ctx):
    if not ctx.case.suspended:
        refuse("case.is_suspended", "案件未中止，无需恢复")


@rule("case.actor_is_handler")
def actor_is_handler(ctx):
    """An officer acts only on cases assigned to them."""
    if ctx.user.role != Role.OFFICER:
        return
    officer = user_officer(ctx.user)
    if officer is not None and ctx.transition.name == "hold_hearing" and officer.pk == ctx.case.hearing_chair_id:
        return  # the hearing chair conducts the hearing
    if officer is None or officer.pk not in handler_ids(ctx.case):
        refuse("case.actor_is_handler", "您不是本案的承办人员")


@rule("case.reason_given")
def reason_given(ctx):
    if not ctx.preview and not (ctx.payload.get("reason") or "").strip():
        refuse("case.reason_given", "请填写理由", "reason")


@rule("case.has_party")
def has_party(ctx):
    if not ctx.case.parties.exists():
        refuse("case.has_party", "请先登记当事人", "parties")


@rule("case.power_item_published")
def power_item_published(ctx):
    from zhifa.powers.models import VersionStatus

    items = list(ctx.case.power_items.all())
    if not items:
        refuse("case.power_item_published", "请选择本案适用的权责清单事项", "power_items")
    for item in items:
        if item.entity_id != ctx.case.entity_id or item.status != VersionStatus.PUBLISHED:
            refuse("case.power_item_published", f"权责清单事项“{item}”不是本机关已公布的现行事项", "power_items")


@rule("penalty.limitation")
def limitation(ctx):
    """Art. 36: beyond the limitation period a written reason is required to proceed."""
    warning = limitation_warning(ctx.case)
    if warning and "超过" in warning:
        reason = ctx.payload.get("limitation_reason") or ctx.case.limitation_reason
        if not ctx.preview and not (reason or "").strip():
            refuse("penalty.limitation", warning + "；如仍需立案（如违法行为有连续或继续状态），请书面说明理由",
                   "limitation_reason")
        ctx.warnings.append(warning)


# ---- officers (Arts. 42, 43) ------------------------------------------------------------
@rule("officers.same_entity")
def officers_same_entity(ctx):
    for officer, _role in ctx.payload.get("officers") or []:
        if officer.entity_id != ctx.case.entity_id:
            refuse("officers.same_entity", f"{officer.name}不是本机关的执法人员", "officers")


def certificate_rows(ctx) -> set[tuple]:
    """The certificates of the case's handlers and of the acting officer, read once per guard run (shared by
    officers.two_certified and officers.certificate_in_force): (officer id, officer status, certificate
    status, issued, expires, fields, number, status reason, status changed on)."""
    from zhifa.orgs.models import Certificate

    actor = user_officer(ctx.user)
    ids = handler_ids(ctx.case) | ({actor.pk} if actor is not None else set())
    return _cached(ctx.case, "certificates", lambda: list(
        Certificate.objects.filter(officer_id__in=ids).values_list(
            "officer_id", "officer__status", "status", "issued_on", "expires_on", "fields", "number", "status_reason",
            "status_changed_on")))


@rule("officers.two_certified")
def two_certified(ctx):
    """Art. 42: at least two officers holding a valid certificate for the field on the day."""
    from zhifa.orgs.models import Certificate, Officer

    ids = handler_ids(ctx.case) - recused_ids(ctx.case)
    field = ctx.case.field or ""
    ok = {oid for oid, o_status, status, issued, expires, fields, *_rest in certificate_rows(ctx)
          if oid in ids and o_status == Officer.Status.ACTIVE and status == Certificate.Status.VALID
          and issued <= ctx.on <= expires and field in fields}
    if len(ok) < 2:
        bad = Officer.objects.filter(pk__in=ids - ok).values_list("name", flat=True)
        extra = f"（{'、'.join(bad)}无{ctx.on:%Y-%m-%d}有效的“{ctx.case.field}”执法证）" if bad else ""
        refuse("officers.two_certified",
               f"执法人员不得少于两人，且均须持有有效执法证（《行政处罚法》第四十二条）{extra}", "officers")


@rule("officers.certificate_in_force")
def certificate_in_force(ctx):
    """An officer whose 执法证 for the case's field is suspended (暂扣) or withdrawn (注销/吊销) — and who holds
    no other certificate valid for it on the day — takes no enforcement step (issue 24 item 8; the same
    reading as Officer.barred_by, from the rows officers.two_certified reads)."""
    from zhifa.orgs.models import Certificate

    officer = user_officer(ctx.user) if ctx.user is not None and ctx.user.role == Role.OFFICER else None
    if officer is None:
        return
    field = ctx.case.field or ""
    mine = [r for r in certificate_rows(ctx) if r[0] == officer.pk and field in r[5]]
    if any(r[2] == Certificate.Status.VALID and r[3] <= ctx.on <= r[4] for r in mine):
        return
    barred = sorted((r for r in mine if r[2] in (Certificate.Status.SUSPENDED, Certificate.Status.REVOKED)),
                    key=lambda r: r[8] or dt.date.min, reverse=True)
    if barred:
        _oid, _os, status, _i, _e, _f, number, reason, changed = barred[0]
        what = "暂扣" if status == Certificate.Status.SUSPENDED else "注销/吊销"
        when = f"于{changed:%Y-%m-%d}" if changed else ""
        why = f"（理由：{reason}）" if reason else ""
        refuse("officers.certificate_in_force",
               f"您的执法证{number}已{when}被{what}{why}，暂扣或注销、吊销期间不得从事行政执法活动", "officers")


@rule("recusal.actor_not_recused")
def actor_not_recused(ctx):
    officer = user_officer(ctx.user)
    if ctx.case.pk and officer is not None and officer.pk in recused_ids(ctx.case):
        refuse("recusal.actor_not_recused", "您已被决定回避，不得参与本案办理（《行政处罚法》第四十三条）")


@rule("recusal.not_reassigned")
def not_reassigned(ctx):
    recused = recused_ids(ctx.case) if ctx.case.pk else set()
    for officer, _role in ctx.payload.get("officers") or []:
        if officer.pk in recused:
            refuse("recusal.not_reassigned", f"{officer.name}已回避，不得再承办本案", "officers")


@rule("recusal.officer_in_case")
def recusal_officer_in_case(ctx):
    officer = ctx.payload.get("officer")
    if not ctx.preview and (officer is None or officer.pk not in handler_ids(ctx.case, ever=True)
                            and officer.pk != getattr(ctx.case.hearing_chair, "pk", None)):
        refuse("recusal.officer_in_case", "回避对象须为本案执法人员或听证主持人", "officer")


# ---- penalty content --------------------------------------------------------------------
def parse_amount(value, label, fld):
    if value in (None, ""):
        return None
    try:
        value = Decimal(str(value))
    except Exception:  # noqa: BLE001 - any unparsable input
        refuse("penalty.amounts_valid", f"{label}不是有效金额", fld)
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        refuse("penalty.amounts_valid", f"{label}须为非负金额，最多两位小数", fld)
    return value


def normalise_penalty(data: dict) -> dict:
    """Validated penalty fields from input (rule penalty.amounts_valid)."""
    kinds = list(dict.fromkeys(data.get("penalty_kinds") or []))
    no_penalty = bool(data.get("no_penalty"))
    for k in kinds:
        if k not in PenaltyKind.values:
            refuse("penalty.amounts_valid", f"未知的处罚种类：{k}", "penalty_kinds")
    if not kinds and not no_penalty:
        refuse("penalty.amounts_valid", "请选择处罚种类，或选择不予行政处罚", "penalty_kinds")
    if kinds and no_penalty:
        refuse("penalty.amounts_valid", "不予行政处罚时不能同时选择处罚种类", "penalty_kinds")
    fine = parse_amount(data.get("fine_amount"), "罚款金额", "fine_amount")
    conf = parse_amount(data.get("confiscation_amount"), "没收金额", "confiscation_amount")
    if (PenaltyKind.FINE in kinds) != bool(fine):
        refuse("penalty.amounts_valid", "选择罚款时须填写大于零的罚款金额；未选择罚款时不得填写罚款金额",
               "fine_amount")
    if PenaltyKind.CONFISCATE_GAINS in kinds and not conf:
        refuse("penalty.amounts_valid", "没收违法所得须填写金额", "confiscation_amount")
    if conf and not ({PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY} & set(kinds)):
        refuse("penalty.amounts_valid", "未选择没收时不得填写没收金额", "confiscation_amount")
    return {"penalty_kinds": kinds, "no_penalty": no_penalty, "fine_amount": fine, "confiscation_amount": conf}


@rule("penalty.amounts_valid")
def amounts_valid(ctx):
    if ctx.preview:
        return
    keys = {"penalty_kinds", "fine_amount", "confiscation_amount", "no_penalty"}
    data = {k: ctx.payload[k] for k in keys if k in ctx.payload} or {k: getattr(ctx.case, k) for k in keys}
    ctx.payload.update(normalise_penalty(data))


@rule("penalty.not_heavier_than_notified")
def not_heavier(ctx):
    """Art. 45 ¶2: the decision may not be heavier than what the party was told."""
    c, p = ctx.case, ctx.payload
    if ctx.preview or not c.rights_notice_served_on or "penalty_kinds" not in p:
        return
    if (set(p["penalty_kinds"]) - set(c.penalty_kinds or [])
            or (p.get("fine_amount") or 0) > (c.fine_amount or 0)
            or (p.get("confiscation_amount") or 0) > (c.confiscation_amount or 0)):
        refuse("penalty.not_heavier_than_notified", "决定不得重于事先告知的拟处罚内容；如需加重，请重新提出拟处理意见并告知",
               "penalty_kinds")


@rule("simple.within_limits")
def simple_limits(ctx):
    """Art. 51: on the spot only a warning or a fine ≤ 200 (citizen) / ≤ 3000 yuan (org)."""
    kinds = set(ctx.case.penalty_kinds or [])
    if not kinds or kinds - {PenaltyKind.WARNING, PenaltyKind.FINE}:
        refuse("simple.within_limits", "当场处罚只能是警告或者罚款（《行政处罚法》第五十一条）", "penalty_kinds")
    fine = ctx.case.fine_amount or Decimal(0)
    for kind in party_kinds(ctx.case):
        limit = SIMPLE_LIMIT_PERSON if kind == Party.PartyKind.PERSON else SIMPLE_LIMIT_ORG
        if fine > limit:
            who = "公民" if kind == Party.PartyKind.PERSON else "法人或者其他组织"
            refuse("simple.within_limits", f"对{who}当场罚款不得超过{limit}元，请适用一般程序（《行政处罚法》第五十一条）",
                   "fine_amount")


# Last, not at the top: rules_discretion and rules_procedure import `rule` and `refuse` from this
# module (a cycle), and importing them here registers their rules whenever this module is loaded.
from zhifa.cases import (  # noqa: E402 - cycle: both modules import rule/refuse from this one
    rules_discretion,  # noqa: F401  (registers penalty.within_benchmark)
    rules_procedure,  # noqa: F401  (registers the procedure rules)
)
