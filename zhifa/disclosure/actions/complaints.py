"""咨询投诉 / 投诉举报: public submission with a tracking code and rate limiting, staff entry (e.g.
referred from the 12345 hotline), assignment by the justice bureau's supervisor, the handling record,
the reply, and the complainant's satisfaction feedback through the tracking code.

    portal ─┐                         ┌─ 管辖异议 (disputed) ─┐
            ├─ received (已受理) ──────┤                      ├─ supervisor re-assigns → received
    staff ──┤                         └─ 答复 → answered → 评价 (satisfaction, once)
            └─ pending (待分派, at the justice bureau) ─ supervisor assigns → received

Due date: received_on + settings.ZHIFA_COMPLAINT_DAYS (投诉举报, default 15) or ZHIFA_CONSULT_DAYS
(咨询, default 5) working days on the legal calendar. It runs from receipt and is not reset by a
(re)assignment: the complainant's wait does not restart because the agencies passed it on.
An unanswered complaint past its due date raises an alert (supervision.alerts, complaint_overdue).

Rate limit: settings.ZHIFA_COMPLAINT_RATE per client address per hour (default 5), counted in
Django's cache (per process with the default local-memory cache; configure a shared cache in
production).

Named rules:
  complaint.content             content is 10–2000 characters
  complaint.rate_limited        too many portal submissions from one address within an hour
  complaint.source_valid        staff entry names a source other than the portal
  complaint.received_on         the date received is not in the future nor over a year ago
  complaint.entity_required     only a supervisor may register without choosing the entity (待分派)
  complaint.assign_in_scope     the entity assigned is active and inside the supervisor's region
  complaint.assign_same         re-assignment names another entity
  complaint.reassign_reason     re-assigning a complaint already being handled needs a reason
  complaint.dispute_state       only a complaint being handled (已受理) can be disputed
  complaint.dispute_reason      a jurisdiction dispute states why
  complaint.state               handling steps and the reply need a complaint being handled; a
                                complaint is answered once
  complaint.step_note           a handling step says what was done
  complaint.answer_required     the reply says something
  complaint.feedback_after_answer  satisfaction is given on an answered complaint only
  complaint.feedback_value      satisfaction is 满意, 基本满意 or 不满意
  complaint.feedback_once       satisfaction is given once
"""
from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, OutOfScope, check_scope, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity
from zhifa.disclosure.choices import COMPLAINT_OPEN_STATES, COMPLAINT_STAFF_SOURCES
from zhifa.disclosure.models import Complaint, ComplaintStep
from zhifa.disclosure.pipeline import due_after
from zhifa.legalcal import pending

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(10))


def rate_check(client: str):
    from zhifa.common import ratelimit  # atomic add + incr in the shared cache (issue 15)

    limit = int(getattr(settings, "ZHIFA_COMPLAINT_RATE", 5))
    if not ratelimit.hit(f"zhifa:complaint-rate:{client}", limit, 3600):
        raise ActionRefused("complaint.rate_limited", "提交过于频繁，请一小时后再试", "content")


def period_days(kind: str) -> int:
    if kind == Complaint.Kind.CONSULT:
        return int(getattr(settings, "ZHIFA_CONSULT_DAYS", 5))
    return int(getattr(settings, "ZHIFA_COMPLAINT_DAYS", 15))


def _who(user) -> str:
    if user is None:
        return "公众"
    return getattr(user, "display_name", "") or getattr(user, "username", "")


def _step(c, kind, *, acting_user, note="", on=None, by_name=None):
    """A handling step, change-logged (and so ledgered) like every other row."""
    step = ComplaintStep.objects.create(complaint=c, kind=kind, entity=c.entity, note=note,
                                        on=on or timezone.localdate(),
                                        by=acting_user if acting_user is not None and acting_user.pk else None,
                                        by_name=by_name if by_name is not None else _who(acting_user))
    log_change(step, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(step),
               reason=f"办理记录：{step.get_kind_display()}")
    return step


def _check_content(content: str) -> str:
    content = (content or "").strip()
    if not 10 <= len(content) <= 2000:
        raise ActionRefused("complaint.content", "内容应为10至2000字", "content")
    return content


def _locked(c) -> Complaint:
    return Complaint.objects.select_for_update().select_related("entity__region").get(pk=c.pk)


def do_submit_complaint(*, entity, kind: str, content: str, contact: str = "", client: str | None = "",
                        acting_user=None, on: dt.date | None = None) -> Complaint:
    """The public portal (咨询投诉): lands directly in the chosen entity's queue. `client` is the
    submitter's address, rate-limited; None only for callers that are not a public request (the demo
    seed), which must not spend a shared counter."""
    if kind not in Complaint.Kind.values:
        raise ActionRefused("validation", "请选择咨询或投诉举报", "kind")
    if entity is None or not entity.is_active:
        raise ActionRefused("validation", "请选择执法部门", "entity")
    content = _check_content(content)
    if client is not None:
        rate_check(client or "-")
    on = on or timezone.localdate()
    due_on, pending_year = due_after(on, period_days(kind))
    with transaction.atomic():
        c = Complaint.objects.create(entity=entity, kind=kind, content=content, contact=(contact or "").strip()[:100],
                                     tracking_code=new_code(), received_on=on, due_on=due_on, due_pending_year=pending_year,
                                     due_note=pending.label(pending_year) if pending_year else "",
                                     source=Complaint.Source.PORTAL)
        _step(c, ComplaintStep.Kind.REGISTER, acting_user=None, note="公示平台提交", on=on, by_name="公众")
        log_change(c, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(c), reason="公示平台提交")
    return c


def do_register_complaint(*, acting_user, kind: str, content: str, source: str, entity=None, source_ref: str = "",
                          complainant: str = "", contact: str = "", received_on: dt.date | None = None,
                          note: str = "", today: dt.date | None = None) -> Complaint:
    """Staff entry (12345 referral, letter, visit…). A supervisor may leave `entity` empty: the
    complaint then waits at the supervisor's own justice bureau for assignment (待分派)."""
    today = today or timezone.localdate()
    received_on = received_on or today
    if kind not in Complaint.Kind.values:
        raise ActionRefused("validation", "请选择咨询或投诉举报", "kind")
    if source not in COMPLAINT_STAFF_SOURCES:
        raise ActionRefused("complaint.source_valid", "来源应为12345热线、来信、来访、社会监督员或其他", "source")
    content = _check_content(content)
    if received_on > today or received_on < today - dt.timedelta(days=366):
        raise ActionRefused("complaint.received_on", "收到日期不能晚于今天，也不能早于一年前", "received_on")
    supervisor = acting_user.role == Role.SUPERVISOR or acting_user.is_superuser
    unassigned = entity is None
    if unassigned:
        if not supervisor or acting_user.entity is None:
            raise ActionRefused("complaint.entity_required", "请选择办理主体", "entity")
        entity = acting_user.entity
    elif not entity.is_active:
        raise ActionRefused("complaint.assign_in_scope", "办理主体已撤销，请重新选择", "entity")
    if not can_on_entity(acting_user, "register", Complaint, entity):
        raise OutOfScope()
    due_on, pending_year = due_after(received_on, period_days(kind))
    with transaction.atomic():
        c = Complaint.objects.create(
            entity=entity, kind=kind, content=content, contact=(contact or "").strip()[:100],
            complainant=(complainant or "").strip()[:50], source=source, source_ref=(source_ref or "").strip()[:60],
            tracking_code=new_code(), received_on=received_on, due_on=due_on, due_pending_year=pending_year,
            due_note=pending.label(pending_year) if pending_year else "",
            registered_by=acting_user, state=Complaint.State.PENDING if unassigned else Complaint.State.RECEIVED)
        reg = f"{c.get_source_display()}{('（' + c.source_ref + '）') if c.source_ref else ''}登记"
        _step(c, ComplaintStep.Kind.REGISTER, acting_user=acting_user, note=f"{reg}。{note}".strip("。") if note else reg,
              on=received_on)
        if not unassigned and supervisor:
            # A supervisor registering straight to an agency assigns it at the same time.
            c.assigned_on, c.assigned_by = today, acting_user
            c.save(update_fields=["assigned_on", "assigned_by"])
            _step(c, ComplaintStep.Kind.ASSIGN, acting_user=acting_user, note=f"分派至{entity.name}", on=today)
        log_change(c, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(c), reason=reg)
    return c


def do_assign_complaint(c, *, acting_user, entity, reason: str = "", on: dt.date | None = None) -> Complaint:
    """分派 / 改派 by the justice bureau's supervisor (also after a 管辖异议)."""
    reason = (reason or "").strip()
    on = on or timezone.localdate()
    with transaction.atomic():
        c = _locked(c)
        check_scope(acting_user, c, "assign")
        if c.state == Complaint.State.ANSWERED:
            raise ActionRefused("complaint.state", "该事项已答复，不能再分派", "entity")
        if entity is None or not entity.is_active or not can_on_entity(acting_user, "assign", Complaint, entity):
            raise ActionRefused("complaint.assign_in_scope", "请选择您监督区域内的有效执法主体", "entity")
        reassign = c.state == Complaint.State.RECEIVED
        if entity.pk == c.entity_id and c.state != Complaint.State.PENDING:
            raise ActionRefused("complaint.assign_same", "改派应选择其他执法主体", "entity")
        if reassign and not reason:
            raise ActionRefused("complaint.reassign_reason", "改派正在办理的事项，请填写改派理由", "reason")
        before = snapshot(c)
        old = c.entity.name
        c.entity, c.state = entity, Complaint.State.RECEIVED
        c.assigned_on, c.assigned_by = on, acting_user
        c.save()
        kind = ComplaintStep.Kind.REASSIGN if before["state"] != Complaint.State.PENDING else ComplaintStep.Kind.ASSIGN
        text = f"由{old}改派至{entity.name}" if kind == ComplaintStep.Kind.REASSIGN else f"分派至{entity.name}"
        _step(c, kind, acting_user=acting_user, note=f"{text}。{reason}" if reason else text, on=on)
        log_change(c, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(c),
                   reason=reason or text)
    return c


def do_dispute_jurisdiction(c, *, acting_user, reason: str, on: dt.date | None = None) -> Complaint:
    """管辖异议: the entity says the matter is not theirs; it goes back to the supervisor."""
    reason = (reason or "").strip()
    with transaction.atomic():
        c = _locked(c)
        check_scope(acting_user, c, "change")
        if c.state != Complaint.State.RECEIVED:
            raise ActionRefused("complaint.dispute_state", "只有已受理、尚未答复的事项可以提出管辖异议", "reason")
        if len(reason) < 4:
            raise ActionRefused("complaint.dispute_reason", "请说明管辖异议的理由", "reason")
        before = snapshot(c)
        c.state = Complaint.State.DISPUTED
        c.save()
        _step(c, ComplaintStep.Kind.DISPUTE, acting_user=acting_user, note=reason, on=on)
        log_change(c, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(c),
                   reason=f"管辖异议：{reason}")
    return c


def do_add_step(c, *, acting_user, note: str, on: dt.date | None = None) -> ComplaintStep:
    """办理记录: one handling step (核查、约谈、现场检查…) with a note."""
    note = (note or "").strip()
    with transaction.atomic():
        c = _locked(c)
        check_scope(acting_user, c, "handle")
        if c.state != Complaint.State.RECEIVED:
            raise ActionRefused("complaint.state", "只有已受理、尚未答复的事项可以登记办理情况", "note")
        if len(note) < 4:
            raise ActionRefused("complaint.step_note", "请填写办理情况", "note")
        step = _step(c, ComplaintStep.Kind.HANDLE, acting_user=acting_user, note=note[:2000], on=on)
    return step


def do_answer_complaint(c, *, acting_user, answer: str, on: dt.date | None = None) -> Complaint:
    """答复: the reply the complainant reads with the tracking code."""
    answer = (answer or "").strip()
    with transaction.atomic():
        c = _locked(c)
        check_scope(acting_user, c, "change")
        if c.state == Complaint.State.ANSWERED:
            raise ActionRefused("complaint.state", "该事项已答复", "answer")
        if c.state != Complaint.State.RECEIVED:
            raise ActionRefused("complaint.state", "该事项尚未分派到办理主体，不能答复", "answer")
        if len(answer) < 4:
            raise ActionRefused("complaint.answer_required", "请填写答复内容", "answer")
        before = snapshot(c)
        c.state, c.answer, c.answered_by = Complaint.State.ANSWERED, answer[:5000], acting_user
        c.answered_on = on or timezone.localdate()
        c.save()
        _step(c, ComplaintStep.Kind.ANSWER, acting_user=acting_user, note=answer[:2000], on=c.answered_on)
        log_change(c, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(c), reason="答复")
    return c


def do_give_feedback(c, *, satisfaction: str, comment: str = "", acting_user=None,
                     on: dt.date | None = None) -> Complaint:
    """满意度评价 by whoever holds the tracking code (the complainant), once, after the reply."""
    comment = (comment or "").strip()[:500]
    with transaction.atomic():
        c = _locked(c)
        if c.state != Complaint.State.ANSWERED:
            raise ActionRefused("complaint.feedback_after_answer", "答复后才能评价", "satisfaction")
        if c.satisfaction:
            raise ActionRefused("complaint.feedback_once", "该事项已评价，不能重复评价", "satisfaction")
        if satisfaction not in Complaint.Satisfaction.values:
            raise ActionRefused("complaint.feedback_value", "请选择满意、基本满意或不满意", "satisfaction")
        before = snapshot(c)
        c.satisfaction, c.feedback_comment, c.feedback_on = satisfaction, comment, on or timezone.localdate()
        c.save()
        _step(c, ComplaintStep.Kind.FEEDBACK, acting_user=None, note=f"{c.get_satisfaction_display()}。{comment}".strip("。"),
              on=c.feedback_on, by_name="投诉人")
        log_change(c, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(c),
                   reason="投诉人评价")
    return c


# ---- reading --------------------------------------------------------------------------------
def lookup(code: str) -> Complaint | None:
    code = (code or "").strip().upper()
    return Complaint.objects.select_related("entity").filter(tracking_code=code).first() if code else None


def public_steps(c) -> list[dict]:
    """The handling record as the complainant sees it: what happened, when, at which agency —
    never the notes (they may name people) nor who did it."""
    return [{"kind": s.get_kind_display(), "on": s.on, "entity": s.entity.name if s.entity else ""}
            for s in c.steps.select_related("entity").order_by("at", "id")]


def public_dict(c) -> dict:
    """Everything about a complaint that its tracking code shows (portal page and public API)."""
    return {"tracking_code": c.tracking_code, "entity": c.entity.name, "kind": c.get_kind_display(),
            "state": c.get_state_display(), "received_on": c.received_on.isoformat(),
            "due_on": c.due_on.isoformat() if c.due_on else None, "due_display": c.due_on.isoformat() if c.due_on else c.due_note,
            "answer": c.answer,
            "answered_on": c.answered_on.isoformat() if c.answered_on else None,
            "satisfaction": c.get_satisfaction_display() if c.satisfaction else "",
            "feedback_comment": c.feedback_comment if c.satisfaction else "",
            "steps": [{**s, "on": s["on"].isoformat()} for s in public_steps(c)]}


def overdue(today: dt.date):
    """Complaints not answered by their due date (the alert check and the staff list use this)."""
    return Complaint.objects.filter(state__in=COMPLAINT_OPEN_STATES, due_on__lt=today)


def is_overdue(c, today) -> bool:
    return c.state in COMPLAINT_OPEN_STATES and c.due_on is not None and c.due_on < today


def may(user, action: str, c) -> bool:
    return can(user, action, c)


def client_of(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "-"
