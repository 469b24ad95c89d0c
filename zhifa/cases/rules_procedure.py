"""Procedure rules: notice, statement, hearing, legal review, collective discussion, periods,
execution, transfer, seizure (registered into rules.RULES on import)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from zhifa.cases.models import CollectiveDiscussion, Deadline, Extension
from zhifa.cases.rules import (
    handler_ids,
    hearing_triggers,
    periods,
    recused_ids,
    refuse,
    rule,
    surcharge,
)
from zhifa.common.roles import Role
from zhifa.common.templatetags.money import format_yuan


def _wd_end(start, n):
    return periods().add_working_days(start, n)


# ---- notice of rights and statement (Arts. 44, 45, 62) ----------------------------------
@rule("notice.hearing_rights_included")
def hearing_rights_included(ctx):
    triggers = hearing_triggers(ctx.case)
    if triggers and not ctx.preview and ctx.payload.get("includes_hearing_rights") is False:
        refuse("notice.hearing_rights_included",
               f"拟作出的处罚（{'；'.join(triggers)}）应当告知当事人有要求听证的权利（《行政处罚法》第六十三条）",
               "includes_hearing_rights")


@rule("notice.served")
def notice_served(ctx):
    c = ctx.case
    if c.rights_notice_served_on and (not c.proposed_on or c.rights_notice_served_on >= c.proposed_on):
        return
    if c.statement_waived and not hearing_triggers(c):
        return
    refuse("notice.served", "未向当事人送达行政处罚事先告知书，不得作出行政处罚决定（《行政处罚法》第四十四条、第六十二条）")


@rule("statement.window_closed")
def statement_window_closed(ctx):
    """Statement/defence: 5 working days from the notice unless received, waived or heard."""
    c = ctx.case
    if not c.rights_notice_served_on or c.statement_received_on or c.statement_waived or c.hearing_held_on:
        return
    due = _wd_end(c.rights_notice_served_on, periods().PERIODS["statement_defence"].n)
    if not due.known or ctx.on <= due.date:
        until = due.date.isoformat() if due.known else due.reason
        refuse("statement.window_closed", f"陈述、申辩期限尚未届满（{until}），当事人未提出意见也未明确放弃，暂不能作出决定")


# ---- hearing (Arts. 63, 64) -------------------------------------------------------------
@rule("hearing.applicable")
def hearing_applicable(ctx):
    if not (ctx.case.notice_includes_hearing or hearing_triggers(ctx.case)):
        refuse("hearing.applicable", "本案拟作出的处罚不属于应当告知听证权利的情形（《行政处罚法》第六十三条）")


@rule("hearing.request_window")
def request_window(ctx):
    """Art. 64 (一): within 5 working days of the notice (unknown calendar: not refused)."""
    c = ctx.case
    due = _wd_end(c.rights_notice_served_on, periods().PERIODS["hearing_request"].n)
    if due.known and ctx.on > due.date:
        refuse("hearing.request_window", f"当事人应在告知后五个工作日内（{due.date:%Y-%m-%d}前）提出听证要求，已逾期")


@rule("hearing.window_closed")
def hearing_window_closed(ctx):
    c = ctx.case
    if not c.notice_includes_hearing or c.hearing_requested or c.hearing_waived:
        return
    due = _wd_end(c.rights_notice_served_on, periods().PERIODS["hearing_request"].n)
    if not due.known or ctx.on <= due.date:
        until = due.date.isoformat() if due.known else due.reason
        refuse("hearing.window_closed", f"听证申请期限尚未届满（{until}），当事人也未放弃听证，暂不能作出决定")


@rule("hearing.held_if_requested")
def held_if_requested(ctx):
    if ctx.case.hearing_requested and not ctx.case.hearing_held_on:
        refuse("hearing.held_if_requested", "当事人已要求听证，须先组织听证（《行政处罚法》第六十三条、第六十五条）")


@rule("hearing.chair_not_investigator")
def chair_not_investigator(ctx):
    """Art. 64 (四): chaired by someone the agency designates who did not investigate."""
    chair = ctx.payload.get("chair") if ctx.transition.name == "schedule_hearing" else ctx.case.hearing_chair
    if ctx.preview and ctx.transition.name == "schedule_hearing":
        return
    if chair is None:
        refuse("hearing.chair_not_investigator", "请指定听证主持人", "chair")
    if chair.entity_id != ctx.case.entity_id or chair.pk in handler_ids(ctx.case, ever=True) \
            or chair.pk in recused_ids(ctx.case):
        refuse("hearing.chair_not_investigator", f"{chair.name}是本案调查人员或已回避，不能主持听证（《行政处罚法》第六十四条）",
               "chair")


@rule("hearing.notice_7wd")
def notice_7wd(ctx):
    """Art. 64 (二): the party is notified at least 7 working days before the hearing."""
    c = ctx.case
    if ctx.transition.name == "schedule_hearing":
        if ctx.preview:
            return
        notified, held = ctx.on, ctx.payload.get("hearing_on")
        if held is None:
            refuse("hearing.notice_7wd", "请填写听证举行日期", "hearing_on")
    else:
        notified, held = c.hearing_notified_on, ctx.on
        if notified is None:
            refuse("hearing.notice_7wd", "尚未通知当事人听证时间、地点")
    earliest = _wd_end(notified, periods().PERIODS["hearing_notice"].n)
    if not earliest.known:
        refuse("hearing.notice_7wd", earliest.reason)
    if held < earliest.date:
        refuse("hearing.notice_7wd", f"应当在举行听证的七个工作日前通知当事人，听证最早可于{earliest.date:%Y-%m-%d}举行",
               "hearing_on")


# ---- collective discussion (Art. 57); the review.* rules (Art. 58) are zhifa/review/rules.py ----
def discussion_required(case) -> bool:
    return case.complex or case.major_violation


@rule("discussion.held_if_required")
def discussion_held(ctx):
    c = ctx.case
    if not discussion_required(c):
        return
    qs = CollectiveDiscussion.objects.filter(case=c)
    if c.proposed_on:
        qs = qs.filter(held_on__gte=c.proposed_on)
    if not qs.exists():
        refuse("discussion.held_if_required", "情节复杂或者重大违法行为给予行政处罚，应当由行政机关负责人集体讨论决定（《行政处罚法》第五十七条）")


# ---- the 90-day decision period and its extensions (Art. 60) ----------------------------
def decision_deadline(case):
    return Deadline.objects.filter(case=case, kind="decision").exclude(state=Deadline.State.CANCELLED).last()


@rule("decision.within_period")
def within_period(ctx):
    dl = decision_deadline(ctx.case)
    if dl is not None and dl.known and dl.due_on and ctx.on > dl.due_on:
        refuse("decision.within_period",
               f"已超过作出行政处罚决定的期限（{dl.due_on:%Y-%m-%d}），须先依法延长办案期限（《行政处罚法》第六十条）")


@rule("extension.before_due")
def extension_before_due(ctx):
    dl = decision_deadline(ctx.case)
    if dl is None:
        refuse("extension.before_due", "本案尚无办案期限")
    if dl.known and dl.due_on and ctx.on > dl.due_on:
        refuse("extension.before_due", f"办案期限已于{dl.due_on:%Y-%m-%d}届满，延长须在届满前批准")


@rule("filing.extend_once_before_due")
def filing_extend_once_before_due(ctx):
    """《市场监督管理行政处罚程序规定》第十八条: 特殊情况下经负责人批准可以延长十五个工作日 — once, and
    only while the 15 working days still run."""
    dl = Deadline.objects.filter(case=ctx.case, kind="filing", state__in=("running", "paused")).last()
    if dl is None:
        refuse("filing.extend_once_before_due", "本案没有进行中的立案核查期限")
    if dl.extended_days:
        refuse("filing.extend_once_before_due", "立案核查期限只能延长一次（《市场监督管理行政处罚程序规定》第十八条）")
    if dl.known and dl.due_on and ctx.on > dl.due_on:
        refuse("filing.extend_once_before_due",
               f"立案核查期限已于{dl.due_on:%Y-%m-%d}届满，延长须在届满前批准")


@rule("extension.head_once_30")
def head_once_30(ctx):
    if ctx.preview or ctx.payload.get("kind") != "head":
        return
    days = ctx.payload.get("days")
    if not isinstance(days, int) or not 1 <= days <= 30:
        refuse("extension.head_once_30", "经行政机关负责人批准可延长不超过三十日", "days")
    if Extension.objects.filter(case=ctx.case, kind="head").exists():
        refuse("extension.head_once_30", "负责人批准延长只能一次；再次延长须经集体讨论决定", "kind")


@rule("extension.collective_needs_discussion")
def collective_needs_discussion(ctx):
    if ctx.preview:
        return
    kind = ctx.payload.get("kind")
    if kind not in ("head", "collective"):
        refuse("extension.collective_needs_discussion", "请选择延长的批准方式", "kind")
    if kind == "collective":
        days = ctx.payload.get("days")
        if not isinstance(days, int) or days < 1:
            refuse("extension.collective_needs_discussion", "请填写延长天数", "days")
        if not CollectiveDiscussion.objects.filter(case=ctx.case, held_on__lte=ctx.on).exists():
            refuse("extension.collective_needs_discussion", "再次延长办案期限须经行政机关负责人集体讨论决定", "kind")


# ---- execution (Arts. 67, 72) -----------------------------------------------------------
PAYMENT_ITEMS = {"fine": "罚款", "confiscation": "没收违法所得"}


def confiscation_owed(case) -> Decimal:
    """没收违法所得 is paid in money (没收非法财物 are things, handed over, not paid)."""
    if case.no_penalty or "confiscate_gains" not in (case.penalty_kinds or []) or not case.confiscation_amount:
        return Decimal("0.00")
    return case.confiscation_amount


def outstanding(case, on) -> dict[str, Decimal]:
    """What is still to pay, per item (罚款 with its surcharge; 没收违法所得)."""
    return {"fine": max(amount_owed(case, on) - (case.paid_amount or 0), Decimal("0.00")),
            "confiscation": max(confiscation_owed(case) - (case.confiscation_paid or 0), Decimal("0.00"))}


@rule("payment.amount_valid")
def payment_amount_valid(ctx):
    if ctx.preview:
        return
    amount = ctx.payload.get("amount")
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        refuse("payment.amount_valid", "缴款金额无效", "amount")
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        refuse("payment.amount_valid", "缴款金额须大于零，最多两位小数", "amount")
    item = ctx.payload.get("item") or "fine"
    if item not in PAYMENT_ITEMS:
        refuse("payment.amount_valid", "请选择缴纳的项目（罚款或没收违法所得）", "item")
    if item == "fine" and not ctx.case.fine_amount:
        refuse("payment.amount_valid", "本案没有罚款", "item")
    if item == "confiscation" and not confiscation_owed(ctx.case):
        refuse("payment.amount_valid", "本案没有没收违法所得", "item")
    ctx.payload["amount"], ctx.payload["item"] = amount, item


@rule("payment.not_over")
def payment_not_over(ctx):
    """A payment beyond what is outstanding on its item is refused (no silent overpayment)."""
    if ctx.preview:
        return
    item = ctx.payload["item"]
    left = outstanding(ctx.case, ctx.on)[item]
    if ctx.payload["amount"] > left:
        refuse("payment.not_over",
               f"缴款{format_yuan(ctx.payload['amount'])}超过{PAYMENT_ITEMS[item]}未缴金额{format_yuan(left)}（{ctx.on:%Y-%m-%d}），"
               "请核对缴款凭证；多缴部分应予退还，不得登记", "amount")


def amount_owed(case, on) -> Decimal:
    """Fine plus the late surcharge accrued up to `on` (Art. 72)."""
    if not case.fine_amount or case.no_penalty:
        return Decimal("0.00")
    dl = Deadline.objects.filter(case=case, kind="payment").last()
    extra = surcharge(case.fine_amount, dl.due_on, on) if dl and dl.due_on else Decimal(0)
    return case.fine_amount + extra


@rule("close.execution_done")
def execution_done(ctx):
    c = ctx.case
    owed = amount_owed(c, c.paid_on or ctx.on)
    conf = confiscation_owed(c)
    if c.paid_amount >= owed and (c.confiscation_paid or 0) >= conf:
        return
    if not ctx.preview and (ctx.payload.get("execution_note") or "").strip():
        return
    parts = [f"罚款（含加处罚款）应缴{format_yuan(owed)}，已缴{format_yuan(c.paid_amount)}"]
    if conf:
        parts.append(f"没收违法所得应缴{format_yuan(conf)}，已缴{format_yuan(c.confiscation_paid or 0)}")
    refuse("close.execution_done", "；".join(parts) + "；未执行完毕须说明执行情况（如已申请人民法院强制执行）",
           "execution_note")


# ---- exits, inspection, seizure --------------------------------------------------------
@rule("transfer.receiver_given")
def receiver_given(ctx):
    if ctx.preview:
        return
    if ctx.payload.get("transfer_kind") not in ("agency", "crime") or not (ctx.payload.get("transfer_to") or "").strip():
        refuse("transfer.receiver_given", "请选择移送类别并填写接收机关（涉嫌犯罪的移送公安机关等司法机关）", "transfer_to")


@rule("inspection.problems_found")
def problems_found(ctx):
    if not ctx.case.problems_found:
        refuse("inspection.problems_found", "检查未发现问题，不能作为案源登记处罚案件")


@rule("seizure.head_approval")
def seizure_head_approval(ctx):
    """行政强制法 Art. 18 (一): reported to and approved by the agency head beforehand — the approver
    is the acting user, a head of the case's own entity who is not one of its officers."""
    from zhifa.cases.rules import user_officer

    head = ctx.user
    officer = user_officer(head)
    if (head.role != Role.AGENCY_HEAD or head.entity_id != ctx.case.entity_id
            or (officer is not None and officer.pk in handler_ids(ctx.case, ever=True))):
        refuse("seizure.head_approval", "查封、扣押须经本机关负责人批准，且批准人不得是本案执法人员（《行政强制法》第十八条）")


def current_seizure(case):
    return case.seizures.filter(released_on__isnull=True).last()


@rule("seizure.extend_once")
def seizure_extend_once(ctx):
    s = current_seizure(ctx.case)
    if s is None or s.extended:
        refuse("seizure.extend_once", "查封、扣押期限只能延长一次（《行政强制法》第二十五条）")
    days = ctx.payload.get("days", 30)
    if not ctx.preview and (not isinstance(days, int) or not 1 <= days <= 30):
        refuse("seizure.extend_once", "延长期限不得超过三十日（《行政强制法》第二十五条）", "days")


@rule("seizure.extend_before_expiry")
def seizure_before_expiry(ctx):
    dl = Deadline.objects.filter(case=ctx.case, kind="seizure").last()
    if dl is not None and dl.known and dl.due_on and ctx.on > dl.due_on:
        refuse("seizure.extend_before_expiry", f"查封、扣押期限已于{dl.due_on:%Y-%m-%d}届满，不能再延长")


# ---- archive (归档) ------------------------------------------------------------------------
RETENTION_CHOICES = ("永久", "30年", "10年")
RETENTION_DEFAULTS = {"penalty_general": "30年", "penalty_simple": "10年", "inspection": "10年", "coercive": "30年"}


def retention_default(kind: str) -> str:
    """保管期限 of a case kind's file (settings.ZHIFA_ARCHIVE_RETENTION overrides per kind)."""
    from django.conf import settings

    return {**RETENTION_DEFAULTS, **getattr(settings, "ZHIFA_ARCHIVE_RETENTION", {})}.get(kind, "30年")
