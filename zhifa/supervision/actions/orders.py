"""Supervision actions: the only writers of Alert (besides recompute_alerts) and SupervisionOrder.
Each runs in one transaction, takes keyword-only acting_user and refuses with
ActionRefused(rule, Chinese message, field).

Named rules:
  supervision.alert_note       acknowledging, assigning or closing an alert needs a note
  supervision.alert_closed     a closed alert takes no more actions
  supervision.assignee         an alert is assigned to a supervisor whose region covers it
  supervision.order_text       a 督办/整改通知 states what is required
  supervision.order_days       its period is 1–60 working days
A due date that runs into a year without calendar data is stored as pending (due_pending_year) and
computed when that year is entered (zhifa/supervision/pending.py); the order is issued all the same.
  supervision.case_entity      the case must belong to the entity ordered
  supervision.reply_text       a reply states what was done
  supervision.already_replied  an order is replied to once
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, OutOfScope, log_change, snapshot
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity
from zhifa.ledger import log as ledger
from zhifa.legalcal import pending
from zhifa.legalcal.periods import add_working_days
from zhifa.supervision.actions.documents import generate_order_document, next_order_number
from zhifa.supervision.models import Alert, SupervisionOrder

ALERT_ACTIONS = {"acknowledge": Alert.State.ACKNOWLEDGED, "assign": Alert.State.ASSIGNED, "close": Alert.State.CLOSED}


def _today(on):
    return on or timezone.localdate()


@transaction.atomic
def do_alert_action(alert: Alert, action: str, *, acting_user, note: str, assignee=None, on=None) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if not can(acting_user, "change", alert):
        raise OutOfScope()
    if action not in ALERT_ACTIONS:
        raise ActionRefused("validation", "处理方式应为确认、分派或关闭", "action")
    if alert.state == Alert.State.CLOSED:
        raise ActionRefused("supervision.alert_closed", "该预警已关闭，不能再处理", "action")
    note = (note or "").strip()
    if not note:
        raise ActionRefused("supervision.alert_note", "请填写处理意见", "note")
    if action == "assign":
        if assignee is None or assignee.role != Role.SUPERVISOR or not assignee.is_active \
                or not can_on_entity(assignee, "change", Alert, alert.entity):
            raise ActionRefused("supervision.assignee", "请分派给负责该主体所在区域的执法监督人员", "assignee")
        alert.assignee = assignee
    before = snapshot(alert)
    alert.state = ALERT_ACTIONS[action]
    stamp = f"{_today(on):%Y-%m-%d} {acting_user.display_name or acting_user.username}（{alert.get_state_display()}）：{note}"
    alert.note = f"{alert.note}\n{stamp}" if alert.note else stamp
    if action == "close":
        alert.closed_on, alert.auto_closed = _today(on), False
    alert.save()
    log_change(alert, "update", acting_user=acting_user, before=before, after=snapshot(alert), reason=note)
    return alert


@transaction.atomic
def do_issue_order(*, acting_user, entity, kind: str, text: str, days: int, case=None, alert=None,
                   on=None) -> SupervisionOrder:
    if not can_on_entity(acting_user, "issue", SupervisionOrder, entity):
        raise OutOfScope()
    if kind not in SupervisionOrder.Kind.values:
        raise ActionRefused("validation", "类别应为督办通知、整改通知、执法监督建议书或执法监督决定书", "kind")
    if case is not None and case.entity_id != entity.pk:
        raise ActionRefused("supervision.case_entity", "案件不属于该执法主体", "case")
    text = (text or "").strip()
    if not text:
        raise ActionRefused("supervision.order_text", "请填写督办或整改要求", "text")
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 60:
        raise ActionRefused("supervision.order_days", "办理期限应为1至60个工作日", "days")
    issued_on = _today(on)
    due_on, pending_year = pending.split(add_working_days(issued_on, days))

    # Numbered before the row is logged, so the change log and ledger fingerprint hold the final number.
    number = next_order_number(acting_user.entity, kind, issued_on.year) if acting_user.entity_id else ""
    order = SupervisionOrder.objects.create(entity=entity, case=case, alert=alert, kind=kind, text=text,
                                            issued_on=issued_on, days=days, due_on=due_on, issued_by=acting_user,
                                            due_pending_year=pending_year,
                                            number=number)
    log_change(order, "create", acting_user=acting_user, after=snapshot(order))
    ledger.append("supervision.order", subject=order, actor=acting_user, case=case,
                  data={"kind": kind, "entity": entity.pk, "due_on": due_on.isoformat() if due_on else None,
                        "due_pending_year": pending_year, "text": text})

    # The document (督办通知书 etc., numbered, from the active template) in the same transaction.
    generate_order_document(order, acting_user=acting_user)
    return order


@transaction.atomic
def do_reply_order(order: SupervisionOrder, *, acting_user, text: str, on=None) -> SupervisionOrder:
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    if not can(acting_user, "reply", order):
        raise OutOfScope("只有被监督主体的行政机关负责人可以答复")
    if order.state != SupervisionOrder.State.OPEN:
        raise ActionRefused("supervision.already_replied", "该通知已答复", "reply_text")
    text = (text or "").strip()
    if not text:
        raise ActionRefused("supervision.reply_text", "请填写答复内容", "reply_text")
    before = snapshot(order)
    order.state, order.reply_text = SupervisionOrder.State.REPLIED, text
    order.replied_by, order.replied_on = acting_user, _today(on)
    order.save()
    log_change(order, "update", acting_user=acting_user, before=before, after=snapshot(order))
    ledger.append("supervision.reply", subject=order, actor=acting_user, case=order.case,
                  data={"order": order.pk, "text": text, "replied_on": order.replied_on.isoformat()})
    return order
