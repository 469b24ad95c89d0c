"""The dispatch app's periodic work (zhifa.common.registry.periodic_tasks), enqueued by the scheduler:
the overdue sweep every few minutes (a task overdue rises to the next head)."""
from __future__ import annotations

from zhifa.common.registry import PeriodicJob, periodic_tasks
from zhifa.dispatch.choices import ESCALATE_EVERY_MINUTES
from zhifa.dispatch.tasks import escalate_overdue_task

periodic_tasks.register("dispatch.escalate_overdue",
                        PeriodicJob(escalate_overdue_task, every_minutes=ESCALATE_EVERY_MINUTES), module=__name__)
