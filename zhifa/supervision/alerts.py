"""预警: recompute_alerts(today) finds every condition that holds today and keeps one Alert row
per condition (its `key`) while it holds.

Idempotent: running twice on the same day changes nothing. A live alert whose condition no
longer holds closes itself (auto_closed). An alert a supervisor closed stays closed while its
condition holds (`holding`); once the condition has cleared, a new occurrence opens a new row.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhifa.cases import deadlines as dl_mod
from zhifa.common.actions import bulk_log_created, log_change, snapshot
from zhifa.common.registry import Finding, alert_checks
from zhifa.supervision.actions.reports import deadline_of, unpublished_after_deadline
from zhifa.supervision.actions.social import leads_raised_as_alerts
from zhifa.supervision.models import Alert, Coordination, MajorFiling, SupervisionOrder


@alert_checks.register("orders", order=80)
def check_orders(today):
    for o in SupervisionOrder.objects.filter(state=SupervisionOrder.State.OPEN, due_on__lt=today).select_related("entity"):
        yield Finding(f"order:{o.pk}", "order_overdue", o.entity_id,
                      f"{o.entity.name}：{o.get_kind_display()}（{o.issued_on:%Y-%m-%d}发出）已于{o.due_on:%Y-%m-%d}到期，尚未答复",
                      case_id=o.case_id)


@alert_checks.register("social_leads", order=100)
def check_social_leads(today):
    """Leads of social supervisors raised as alerts (zhifa.supervision.actions.social): they stay until closed."""
    for lead in leads_raised_as_alerts():
        yield Finding(f"lead:{lead.pk}", "social_lead", lead.entity_id, lead.alert.text)


@alert_checks.register("annual_reports", order=120)
def check_annual_reports(today):
    """年度行政执法统计年报 of last year not published after 31 January (zhifa.supervision.actions.reports)."""
    for entity, year in unpublished_after_deadline(today):
        yield Finding(f"annual_report:{entity.pk}:{year}", "annual_report", entity.pk,
                      f"{entity.name}：{year}年度行政执法统计年报应于{deadline_of(year):%Y-%m-%d}前公开，尚未公开")


@alert_checks.register("major_filings", order=85)
def check_major_filings(today):
    """重大行政处罚决定 not filed by its due date (the deciding entity's alert) and filings the bureau
    has not reviewed by its due date (the bureau's alert)."""
    for f in (MajorFiling.objects.filter(state=MajorFiling.State.PENDING, due_on__lt=today)
              .select_related("entity", "case")):
        yield Finding(f"filing_unfiled:{f.pk}", "filing_unfiled", f.entity_id,
                      f"{f.entity.name}：重大行政处罚决定（{f.case.number}）应于{f.due_on:%Y-%m-%d}前报送备案，尚未报送",
                      case_id=f.case_id)
    for f in (MajorFiling.objects.filter(state=MajorFiling.State.FILED, review_due_on__lt=today, bureau__isnull=False)
              .select_related("bureau", "entity", "case")):
        yield Finding(f"filing_unreviewed:{f.pk}", "filing_unreviewed", f.bureau_id,
                      f"{f.bureau.name}：{f.entity.name}报送的重大行政处罚决定（{f.case.number}）"
                      f"应于{f.review_due_on:%Y-%m-%d}前完成备案审查，尚未审查")


@alert_checks.register("coordinations", order=87)
def check_coordinations(today):
    """争议协调: the entity the bureau decided on has not taken the matter on within its period (the
    decided entity's alert; the bureau sees it through its subtree)."""
    for c in (Coordination.objects.filter(state=Coordination.State.DECIDED, follow_up_due_on__lt=today)
              .select_related("decided_entity", "bureau")):
        yield Finding(f"coordination:{c.pk}", "coordination_overdue", c.decided_entity_id,
                      f"{c.decided_entity.name}：{c.bureau.name}协调确定由其承办的“{c.title}”应于"
                      f"{c.follow_up_due_on:%Y-%m-%d}前承接，尚未承接", case_id=c.case_id)


def find_conditions(today) -> dict[str, Finding]:
    found = {}
    for check in alert_checks.values():
        for f in check(today):
            found[f.key] = f
    return found


@transaction.atomic
def recompute_alerts(today: dt.date) -> dict:
    """Bring the Alert table in line with the conditions holding on `today`.
    Returns counts {"opened", "still_open", "closed"}."""
    dl_mod.refresh_deadlines(today)
    found = find_conditions(today)
    live = {a.key: a for a in Alert.objects.exclude(state=Alert.State.CLOSED)}
    silenced = set(Alert.objects.filter(state=Alert.State.CLOSED, auto_closed=False, holding=True)
                   .values_list("key", flat=True))
    new = []
    for key, f in found.items():
        if key in live or key in silenced:
            continue
        new.append(Alert(key=key, kind=f.kind, entity_id=f.entity_id, case_id=f.case_id, officer_id=f.officer_id,
                         certificate_id=f.certificate_id, text=f.text[:300], first_seen=today, last_seen=today))
    Alert.objects.bulk_create(new)
    created = list(Alert.objects.filter(key__in=[a.key for a in new]).exclude(state=Alert.State.CLOSED))
    bulk_log_created(created, acting_user=None, reason="预警自动生成")
    held = [k for k in found if k in live or k in silenced]
    for i in range(0, len(held), 5000):
        chunk = held[i:i + 5000]
        Alert.objects.filter(key__in=chunk).exclude(state=Alert.State.CLOSED).update(last_seen=today)
        Alert.objects.filter(key__in=chunk, state=Alert.State.CLOSED, auto_closed=False).update(holding=True)
    closed = 0
    for key, a in live.items():
        if key in found:
            continue
        before = snapshot(a)
        a.state, a.auto_closed, a.holding, a.closed_on = Alert.State.CLOSED, True, False, today
        a.save(update_fields=["state", "auto_closed", "holding", "closed_on"])
        log_change(a, "update", acting_user=None, before=before, after=snapshot(a), reason="预警情形已消除，自动关闭")
        closed += 1
    gone = [k for k in silenced if k not in found]
    Alert.objects.filter(key__in=gone, state=Alert.State.CLOSED, auto_closed=False).update(holding=False)
    return {"opened": len(new), "still_open": len(live) - closed, "closed": closed}
