"""Background work of the notify app (django-tasks; the database backend runs it in `zhifa db_worker`):

    send_message_task(id)        one try of one outbox message (retries re-enqueue themselves with backoff)
    deliver_due_task()           the sweep: queued or retry messages whose time has come
    deadline_notices_task(today) 法定期限 near (DEADLINE_NEAR_DAYS) or breached: the handlers told once each
    eservice_fallback_task(today) 电子送达 not arrived by its fallback date: marked for post/公告送达
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task


def _day(today: str | None) -> dt.date:
    return dt.date.fromisoformat(today) if today else timezone.localdate()


@task()
def send_message_task(message_id: int) -> str:
    from zhifa.notify.outbox import deliver

    return deliver(message_id)


@task()
def deliver_due_task(today: str | None = None) -> dict:
    from zhifa.notify.outbox import deliver_due

    return deliver_due()


@task()
def deadline_notices_task(today: str | None = None) -> dict:
    from zhifa.notify.deadlines import deadline_notices

    return deadline_notices(_day(today))


@task()
def eservice_fallback_task(today: str | None = None) -> dict:
    from zhifa.notify.actions.eservice import mark_fallbacks

    return mark_fallbacks(_day(today))
