"""The notify app's periodic work (zhifa.common.registry.periodic_tasks), enqueued by the scheduler:
the outbox sweep (messages whose enqueue was lost, or whose retry time has come) every few minutes,
the 法定期限 near/breached notices and the 电子送达 fallback once a day."""
from __future__ import annotations

from zhifa.common.registry import PeriodicJob, periodic_tasks
from zhifa.notify.choices import SWEEP_EVERY_MINUTES
from zhifa.notify.tasks import deadline_notices_task, deliver_due_task, eservice_fallback_task

periodic_tasks.register("notify.deliver_due", PeriodicJob(deliver_due_task, every_minutes=SWEEP_EVERY_MINUTES),
                        module=__name__)
periodic_tasks.register("notify.deadline_notices", PeriodicJob(deadline_notices_task, daily=True), module=__name__)
periodic_tasks.register("notify.eservice_fallback", PeriodicJob(eservice_fallback_task, daily=True), module=__name__)
