"""Background work of the dispatch app (django-tasks; enqueued by the scheduler through periodic.py):

    escalate_overdue_task()   open tasks past their limit raised to the next head
"""
from __future__ import annotations

from django_tasks import task


@task()
def escalate_overdue_task(today: str | None = None) -> dict:
    from zhifa.dispatch.actions import do_escalate_overdue

    done = do_escalate_overdue()
    return {"escalated": [t.number for t in done]}
