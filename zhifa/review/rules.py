"""The review app's named rules, registered into the case rules (zhifa.cases.rules.RULES);
machine.py lists where they guard. Each refuses with ActionRefused(rule, Chinese message, field)."""
from __future__ import annotations

from zhifa.cases.rules import handler_ids, refuse, rule, user_officer
from zhifa.common.roles import Role
from zhifa.review.catalogue import _penalty_text, agreed_penalty, current_catalogue, packet_missing, penalty_diff
from zhifa.review.gate import gate_refusal
from zhifa.review.models import CHECKLIST, CHECKLIST_LABELS, Objection, Packet


def _pending(case):
    return case.reviews.filter(outcome="").order_by("id").last()


def _pending_packet(case):
    review = _pending(case)
    return Packet.objects.filter(review=review).first() if review else None


# ---- who reviews (Art. 58, 办审分离) and the gate before any decision ----------------------
def _reviewer(ctx):
    return ctx.payload.get("reviewer") if ctx.transition.name == "submit_legal_review" else ctx.user


@rule("review.reviewer_qualified")
def reviewer_qualified(ctx):
    user = _reviewer(ctx)
    if user is None and ctx.preview:
        return
    officer = user_officer(user) if user else None
    if (user is None or user.role != Role.LEGAL_REVIEWER or user.entity_id != ctx.case.entity_id
            or officer is None or not officer.is_legal_reviewer or officer.status != officer.Status.ACTIVE):
        refuse("review.reviewer_qualified", "法制审核须由本机关在岗的法制审核人员进行（《行政处罚法》第五十八条）", "reviewer")


@rule("review.reviewer_not_handler")
def reviewer_not_handler(ctx):
    user = _reviewer(ctx)
    officer = user_officer(user) if user else None
    if officer is not None and officer.pk in handler_ids(ctx.case, ever=True):
        refuse("review.reviewer_not_handler", "法制审核人员不得是本案承办人员（办审分离）", "reviewer")


@rule("review.assigned_reviewer")
def assigned_reviewer(ctx):
    pending = ctx.case.reviews.filter(outcome="").last()
    if pending is None or pending.reviewer_id != ctx.user.pk:
        refuse("review.assigned_reviewer", "本案未提交给您审核")


@rule("review.passed_if_required")
def review_passed(ctx):
    """THE GATE: the statutory grounds plus the entity's review catalogue (zhifa.review.gate): the latest
    review says 同意 on the current packet version, or the heads discussed collectively after the
    handler objected to a 存在问题 opinion (118号)."""
    reason = gate_refusal(ctx.case)
    if reason:
        refuse("review.passed_if_required", reason)


@rule("review.packet_complete")
def packet_complete(ctx):
    """送审材料 complete before submission (the entity's catalogue makes a packet mandatory)."""
    if ctx.preview:
        return
    packet = ctx.payload.get("packet")
    if packet is None:
        if current_catalogue(ctx.case.entity_id) is not None:
            refuse("review.packet_complete", "本机关已制定法制审核目录清单，提交法制审核须附送审材料", "packet")
        return
    missing = packet_missing(ctx.case, packet)
    if missing:
        refuse("review.packet_complete", f"送审材料不完整，缺少：{'、'.join(m[1] for m in missing)}", missing[0][0])


@rule("review.packet_current")
def packet_current(ctx):
    """The opinion must be on the newest packet version (a stale form is refused)."""
    packet = _pending_packet(ctx.case)
    if packet is None or ctx.preview:
        return
    newest = Packet.objects.filter(case=ctx.case).order_by("-version").first()
    given = ctx.payload.get("packet_version")
    if given != packet.version or newest.pk != packet.pk:
        refuse("review.packet_current",
               f"送审材料已更新为第{newest.version}版，您审核的是第{given or '？'}版，请刷新后按最新版本审核", "packet_version")


@rule("review.checklist_complete")
def checklist_complete(ctx):
    """国办发〔2018〕118号 (十三): every item conforms or has a problem with a note; 同意 only if all conform."""
    if ctx.preview or _pending_packet(ctx.case) is None:
        return
    items = ctx.payload.get("checklist") or {}
    for key, label in CHECKLIST:
        item = items.get(key) or {}
        if item.get("status") not in ("ok", "problem"):
            refuse("review.checklist_complete", f"请对审核事项“{label}”作出符合或存在问题的判断", f"checklist.{key}")
        if item["status"] == "problem" and not (item.get("note") or "").strip():
            refuse("review.checklist_complete", f"审核事项“{label}”存在问题，请写明具体问题", f"checklist.{key}")
    problems = [CHECKLIST_LABELS[k] for k, _l in CHECKLIST if items[k]["status"] == "problem"]
    if ctx.transition.name == "review_pass" and problems:
        refuse("review.checklist_complete", f"审核事项“{problems[0]}”存在问题，不能出具同意的审核意见", "outcome")
    if ctx.transition.name == "review_fail":
        if not problems:
            refuse("review.checklist_complete", "审核意见为存在问题，请至少指出一项存在问题的审核事项", "checklist")
        if not (ctx.payload.get("corrections") or "").strip():
            refuse("review.checklist_complete", "请写明需要补正或纠正的问题", "corrections")


@rule("decision.not_handler_or_reviewer")
def decider_not_handler_or_reviewer(ctx):
    """办审定分离: whoever decides neither handled nor reviewed this case. (A reviewer is never the
    deciding head already: review.reviewer_qualified admits only legal-reviewer logins, and a login
    has one role.)"""
    officer = user_officer(ctx.user)
    if officer is not None and officer.pk in handler_ids(ctx.case, ever=True):
        refuse("decision.not_handler_or_reviewer", "本案的承办人员不得作出决定（办审定分离）")
    if ctx.case.reviews.filter(reviewer_id=ctx.user.pk).exists():
        refuse("decision.not_handler_or_reviewer", "本案的法制审核人员不得作出决定（办审定分离）")


@rule("discussion.objection_recorded")
def objection_recorded(ctx):
    """A discussion "after a disagreement" needs a 存在问题 opinion and the handler's objection to it."""
    if ctx.preview or ctx.payload.get("trigger") != "disagreement":
        return
    last = ctx.case.reviews.exclude(outcome="").order_by("id").last()
    if last is None or last.outcome != "problems" or not Objection.objects.filter(review=last).exists():
        refuse("discussion.objection_recorded", "因审核意见分歧提请集体讨论的，须先有存在问题的审核意见和承办人的书面异议", "trigger")


@rule("discussion.record_complete")
def record_complete(ctx):
    """集体讨论笔录: attendees with each one's view, minutes and conclusion (catalogue entities, or any
    discussion recorded with attendees)."""
    p = ctx.payload
    if ctx.preview or ("attendees" not in p and current_catalogue(ctx.case.entity_id) is None):
        return
    attendees = p.get("attendees") or []
    if len(attendees) < 2:
        refuse("discussion.record_complete", "集体讨论须有行政机关负责人等至少两名参加人员", "attendees")
    for a in attendees:
        if not (a.get("name") or "").strip() or not (a.get("view") or "").strip():
            refuse("discussion.record_complete", "请写明每位参加人员的姓名和意见", "attendees")
    if p.get("trigger") not in ("disagreement", "art57", "other"):
        refuse("discussion.record_complete", "请选择讨论事由", "trigger")
    if not (p.get("minutes") or "").strip():
        refuse("discussion.record_complete", "请填写讨论记录", "minutes")


@rule("decision.matches_review")
def decision_matches_review(ctx):
    """The decision is what the legal reviewer agreed: the penalty kinds and amounts of the agreed packet.
    Any difference (a kind added or dropped, an amount raised or lowered) needs a new review; the
    refusal spells out the difference (packet vs decision). Runs after penalty.amounts_valid."""
    if ctx.preview or "penalty_kinds" not in ctx.payload:
        return
    packet, agreed = agreed_penalty(ctx.case)
    if packet is None:
        return
    decided = {k: ctx.payload.get(k) for k in ("penalty_kinds", "fine_amount", "confiscation_amount", "no_penalty")}
    if agreed is None:
        refuse("decision.matches_review",
               f"拟处理意见在送审材料第{packet.version}版审核同意后已改变，决定内容无法与审核意见核对，须重新提交法制审核",
               "penalty_kinds")
    diff = penalty_diff(agreed, decided)
    if diff:
        refuse("decision.matches_review",
               f"决定内容与法制审核同意的送审材料第{packet.version}版不一致（{'；'.join(diff)}）。"
               f"送审材料：{_penalty_text(agreed)}；本次决定：{_penalty_text(decided)}。"
               "如需改变处罚内容，请重新提出拟处理意见并提交法制审核", "penalty_kinds")
