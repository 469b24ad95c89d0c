"""Background work of supervision (django-tasks; the database backend runs them in `zhifa db_worker`
or `zhifa scheduler --worker`):

    recompute_alerts_task(today)      预警 brought in line with what holds today (alerts.recompute_alerts)
    expire_publications_task(today)   publications past their public period taken down (zhifa.disclosure)
    annual_reports_task(year)         the yearly enforcement reports (due to the State Council by 31 January)

Alerts are recomputed after every committed case transition (debounced: at most one pending
recompute, started a few seconds after the last request so a burst of transitions costs one run)
and on the scheduler's clock (`periodic_jobs`): every ZHIFA_ALERTS_EVERY_MINUTES minutes, and the
daily jobs at ZHIFA_DAILY_AT local time. The other apps' periodic work comes from the registry
`zhifa.common.registry.periodic_tasks` (`<app>/periodic.py`, e.g. notify's outbox sweep, 法定期限 notices
and 电子送达 fallback): daily ones run with the daily jobs, the others every N minutes under the name
`every:<key>` in `last`; supervision never imports those apps.
"""
from __future__ import annotations

import datetime as dt
import importlib
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from zhifa.blobs.tasks import blobs_gc_task
from zhifa.common.registry import periodic_tasks
from zhifa.supervision.actions.documents import do_render_order_pdf
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.figures import refresh_rollup
from zhifa.supervision.models import OrderDocument

log = logging.getLogger(__name__)
DEBOUNCE_SECONDS = 5
ANNUAL_REPORT_DAY = (1, 2)  # 2 January: last year's figures are complete, the 31 January deadline ahead


def _day(today: str | None) -> dt.date:
    return dt.date.fromisoformat(today) if today else timezone.localdate()


def optional(module: str, name: str):
    """`module.name` when another part of the system provides it, else None (tasks skip quietly)."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def jsonable(value):
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


@task()
def recompute_alerts_task(today: str | None = None) -> dict:
    day = _day(today)
    out = recompute_alerts(day)
    # The supervision home's pre-aggregated figures, rebuilt on the same debounce and clock.
    out["figures"] = refresh_rollup(day)
    return jsonable(out)


@task()
def expire_publications_task(today: str | None = None):
    fn = optional("zhifa.disclosure.expiry", "expire_publications")
    if fn is None:
        return {"skipped": "zhifa.disclosure.expiry.expire_publications 不存在"}
    return jsonable(fn(_day(today)))


def annual_reports_function():
    for module in ("zhifa.supervision.stats", "zhifa.supervision.actions.reports"):
        fn = optional(module, "generate_annual_reports")
        if fn is not None:
            return fn
    return None


@task()
def annual_reports_task(year: int):
    fn = annual_reports_function()
    if fn is None:
        return {"skipped": "generate_annual_reports 不存在"}
    return jsonable(fn(int(year)))


@task()
def render_order_pdf_task(document_id: int) -> str:
    """LibreOffice outside any request: the PDF of a supervision document."""
    doc = OrderDocument.objects.filter(pk=document_id).first()
    if doc is None or doc.pdf_status == OrderDocument.PdfStatus.READY:
        return "skipped"
    return do_render_order_pdf(doc).pdf_status


# ---- enqueueing ---------------------------------------------------------------------------------
def _uses_database_backend(t) -> bool:
    return isinstance(t.get_backend(), DatabaseBackend)


def pending(t, **kwargs) -> bool:
    """A ready (not yet started) run of task `t` exists (database backend only; others never queue).
    A running one does not count: it may have read the data before the change that asks again."""
    if not _uses_database_backend(t):
        return False
    qs = DBTaskResult.objects.filter(task_path=t.module_path, status="READY")
    for k, v in kwargs.items():
        qs = qs.filter(**{f"args_kwargs__kwargs__{k}": v})
    return qs.exists()


def request_recompute(*, delay: int = DEBOUNCE_SECONDS):
    """Enqueue one alerts recompute unless one is already waiting (debounce)."""
    t = recompute_alerts_task
    if pending(t):
        return None
    if _uses_database_backend(t) and delay:
        t = t.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    return t.enqueue()


def _after_commit():
    try:
        request_recompute()
    except Exception:  # a failed enqueue must never break the request whose transition committed
        log.exception("预警重新计算任务未能排队")


def on_case_event() -> None:
    """A case transition (subscribers.py): recompute after commit, once per transaction however many
    transitions it holds."""
    if any(entry[1] is _after_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(_after_commit)


# ---- the scheduler's clock ----------------------------------------------------------------------
def daily_at() -> dt.time:
    try:
        return dt.time.fromisoformat(settings.ZHIFA_DAILY_AT)
    except (TypeError, ValueError):
        return dt.time(2, 0)


def periodic_jobs(now: dt.datetime, last: dict) -> list[tuple[str, object, dict]]:
    """What the scheduler should enqueue at local time `now`, given `last` (job name → when it last
    ran: a date for daily jobs, a datetime for the alerts interval). Pure: the caller records."""
    jobs = []
    today = now.date()
    registered = periodic_tasks.entries()
    if now.time() >= daily_at() and last.get("daily") != today:
        jobs.append(("daily", expire_publications_task, {"today": today.isoformat()}))
        jobs.append(("daily", recompute_alerts_task, {"today": today.isoformat()}))
        jobs.append(("daily", blobs_gc_task, {"today": today.isoformat()}))  # evidence nobody took, expired uploads
        jobs += [("daily", entry.value.task, {"today": today.isoformat()}) for entry in registered if entry.value.daily]
        if (today.month, today.day) >= ANNUAL_REPORT_DAY and today.month == 1 \
                and last.get("annual") != today.year - 1:
            jobs.append(("annual", annual_reports_task, {"year": today.year - 1}))
    every = settings.ZHIFA_ALERTS_EVERY_MINUTES
    previous = last.get("alerts")
    if every > 0 and (previous is None or now - previous >= dt.timedelta(minutes=every)):
        jobs.append(("alerts", recompute_alerts_task, {}))
    for entry in registered:
        job = entry.value
        if job.daily or job.every_minutes <= 0:
            continue
        name, previous = f"every:{entry.key}", last.get(f"every:{entry.key}")
        if previous is None or now - previous >= dt.timedelta(minutes=job.every_minutes):
            jobs.append((name, job.task, {}))
    return jobs


def tick(now: dt.datetime, last: dict) -> list[str]:
    """Enqueue the jobs due at `now` and record them in `last`; returns the task names enqueued."""
    jobs = periodic_jobs(now, last)
    daily = any(name == "daily" for name, *_ in jobs)
    done = []
    for name, t, kwargs in jobs:
        if name == "alerts" and daily:
            continue  # the daily run recomputes the alerts already
        if not pending(t, **kwargs):
            t.enqueue(**kwargs)
            done.append(t.name)
        if name == "annual":
            last["annual"] = kwargs["year"]
        elif name.startswith("every:"):
            last[name] = now
    if daily:
        last["daily"] = now.date()
    if daily or any(name == "alerts" for name, *_ in jobs):
        last["alerts"] = now
    return done


def remembered(now: dt.datetime) -> dict:
    """`last` for a scheduler starting at `now`: today's daily jobs count as done when the queue already
    holds them (a restarted scheduler does not run them twice)."""
    last = {}
    if _uses_database_backend(recompute_alerts_task):
        if DBTaskResult.objects.filter(task_path=recompute_alerts_task.module_path,
                                       args_kwargs__kwargs__today=now.date().isoformat()).exists():
            last["daily"] = now.date()
        if DBTaskResult.objects.filter(task_path=annual_reports_task.module_path,
                                       args_kwargs__kwargs__year=now.year - 1).exists():
            last["annual"] = now.year - 1
    return last
