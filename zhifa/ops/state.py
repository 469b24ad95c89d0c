"""Figures about the running installation, read by /readyz and /metrics: the task queue, the
workers' heartbeats, the ledger, open alerts. Each is one cheap query."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone


def database_tasks() -> bool:
    return "DatabaseBackend" in settings.TASKS["default"]["BACKEND"]


def queue() -> dict[str, Any]:
    """Ready tasks whose time has come: how many and the oldest one's wait (seconds); running and
    failed counts."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    agg = ready.aggregate(n=Count("id"), oldest=Min("enqueued_at"))
    by_status = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
    oldest = agg["oldest"]
    return {"ready": agg["n"], "oldest_ready_age": (now - oldest).total_seconds() if oldest else 0.0,
            "running": by_status.get("RUNNING", 0), "failed": by_status.get("FAILED", 0)}


def heartbeat_age(roles: tuple[str, ...]) -> float | None:
    """Seconds since the newest beat of a process with one of these roles; None if none ever beat."""
    from zhifa.ops.models import WorkerHeartbeat

    last = WorkerHeartbeat.objects.filter(role__in=roles).aggregate(x=Max("beat_at"))["x"]
    return (timezone.now() - last).total_seconds() if last else None


def ledger() -> dict[str, Any]:
    from zhifa.ledger import log

    head = log.latest_tree_head()
    size = log.size()
    age = None
    if head is not None:
        signed = dt.datetime.fromtimestamp(head.timestamp / 1000, tz=dt.UTC)
        age = (timezone.now() - signed).total_seconds()
    return {"size": size, "signed_size": head.tree_size if head else 0, "signed_age": age}


def alerts_open() -> int:
    from zhifa.supervision.models import Alert

    return Alert.objects.filter(state=Alert.State.OPEN).count()
