"""Pending due dates of dispatched tasks: a limit in working days running into a year whose holiday
arrangement is not on file waits for it (never guessed); entering the year computes it, counted from
the (re)dispatch time, and the escalation sweep picks it up from then."""
from __future__ import annotations

from django.db.models import Count

from zhifa.common.actions import snapshot
from zhifa.dispatch.actions.common import due_after, step
from zhifa.dispatch.choices import OPEN_STATES
from zhifa.dispatch.models import DispatchTask
from zhifa.legalcal import pending


def count_by_year() -> dict[int, int]:
    return dict(DispatchTask.objects.filter(due_pending_year__isnull=False, state__in=OPEN_STATES).order_by()
                .values_list("due_pending_year").annotate(n=Count("id")))


def resolve(year: int, *, acting_user, on) -> int:
    n = 0
    for task in DispatchTask.objects.select_for_update().filter(due_pending_year=year, state__in=OPEN_STATES):
        before = snapshot(task)
        due_at, later = due_after(task.dispatched_at, task.limit_unit, task.limit_amount)
        task.due_at, task.due_pending_year = due_at, later
        if task.escalation_level == 0:
            task.next_escalation_at = due_at
        task.save(update_fields=["due_at", "due_pending_year", "next_escalation_at"])
        step(task, "dispatch.due_computed", acting_user=acting_user, before=before,
             reason=f"录入{year}年节假日安排后计算处置期限", due_at=due_at)
        n += later is None
    return n


pending.register("dispatch.task", "指挥调度任务处置期限", count=count_by_year, resolve=resolve)
