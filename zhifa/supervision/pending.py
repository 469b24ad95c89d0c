"""Pending due dates of supervision orders (督办、整改通知), and the alerts raised once a year is entered."""
from __future__ import annotations

from django.db.models import Count

from zhifa.common.actions import log_change, snapshot
from zhifa.ledger import log as ledger
from zhifa.legalcal import pending
from zhifa.legalcal.periods import add_working_days
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import SupervisionOrder


def count_by_year() -> dict[int, int]:
    rows = (SupervisionOrder.objects.filter(due_pending_year__isnull=False).order_by()
            .values_list("due_pending_year").annotate(n=Count("id")))
    return dict(rows)


def resolve(year: int, *, acting_user, on) -> int:
    n = 0
    for order in SupervisionOrder.objects.select_for_update().filter(due_pending_year=year):
        before = snapshot(order)
        order.due_on, order.due_pending_year = pending.split(add_working_days(order.issued_on, order.days))
        order.save(update_fields=["due_on", "due_pending_year"])
        log_change(order, "update", acting_user=acting_user, before=before, after=snapshot(order),
                   reason=f"录入{year}年节假日安排后计算答复期限")
        # The order is a ledger subject: its latest entry carries the row's fingerprint.
        ledger.append("supervision.order_due", subject=order, actor=acting_user, case=order.case,
                      data={"due_on": order.due_on.isoformat() if order.due_on else None,
                            "due_pending_year": order.due_pending_year, "calendar_year": year})
        n += order.due_pending_year is None
    return n


def raise_breached_alerts(*, year, acting_user, on, resolved) -> None:
    """Due dates just computed may already lie in the past: mark and alert them now."""
    if any(resolved.values()):
        recompute_alerts(on)


pending.register("supervision.order", "督办、整改通知答复期限", count=count_by_year, resolve=resolve)
pending.after_resolve(raise_breached_alerts)


def _filing_count() -> dict[int, int]:
    from zhifa.supervision.actions.filing import pending_count_by_year

    return pending_count_by_year()


def _filing_resolve(year: int, *, acting_user, on) -> int:
    from zhifa.supervision.actions.filing import resolve_pending

    return resolve_pending(year, acting_user=acting_user, on=on)


pending.register("supervision.filing", "重大行政处罚备案及审查期限", count=_filing_count, resolve=_filing_resolve)
