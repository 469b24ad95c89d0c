"""Pending due dates of 两法衔接 reports: the head's 3-working-day approval period (第五条)."""
from __future__ import annotations

from django.db.models import Count

from zhifa.common.actions import snapshot
from zhifa.legalcal import pending, periods
from zhifa.transfers.actions import step
from zhifa.transfers.models import CrimeTransfer


def count_by_year() -> dict[int, int]:
    return dict(CrimeTransfer.objects.filter(decide_due_pending_year__isnull=False).order_by()
                .values_list("decide_due_pending_year").annotate(n=Count("id")))


def resolve(year: int, *, acting_user, on) -> int:
    n = 0
    for ct in CrimeTransfer.objects.select_for_update().filter(decide_due_pending_year=year):
        before = snapshot(ct)
        due_on, later = pending.split(periods.compute("crime_transfer_decision", ct.reported_on))
        ct.decide_due_on, ct.decide_due_pending_year = due_on, later
        ct.decide_due_note = pending.label(later) if later else ""
        ct.save(update_fields=["decide_due_on", "decide_due_pending_year", "decide_due_note"])
        step(ct, "crime.due_computed", acting_user=acting_user, before=before, case=ct.case,
             reason=f"录入{year}年节假日安排后计算审批期限", decide_due_on=due_on)
        n += later is None
    return n


pending.register("transfers.crime", "涉嫌犯罪案件移送审批期限", count=count_by_year, resolve=resolve)
