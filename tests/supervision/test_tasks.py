"""Background tasks: recompute after committed transitions (debounced), the scheduler's clock, the
database backend's worker running a task for real, the immediate backend running inline."""
import datetime as dt

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.supervision.helpers import overdue_case
from zhifa.supervision import tasks as supervision_tasks
from zhifa.supervision.management.commands.scheduler import run_ready_tasks
from zhifa.supervision.models import Alert

pytestmark = pytest.mark.django_db
DB = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RECOMPUTE = supervision_tasks.recompute_alerts_task.module_path


@pytest.fixture
def db_backend(settings, monkeypatch):
    settings.TASKS = DB
    settings.ZHIFA_TRAINING_MIN_HOURS = 0
    # The worker recycles old connections between tasks; the test's connection holds the test transaction.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def test_transitions_enqueue_one_recompute_after_commit(cw, db_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        overdue_case(cw)  # register, file, investigate: three transitions
        assert not DBTaskResult.objects.exists()  # nothing before the commit
    assert len(callbacks) == 1
    rows = DBTaskResult.objects.filter(task_path=RECOMPUTE)
    assert rows.count() == 1 and rows.get().status == "READY"
    # Debounced: while one waits, further commits add none.
    supervision_tasks.request_recompute()
    assert DBTaskResult.objects.filter(task_path=RECOMPUTE).count() == 1


def test_database_worker_runs_the_recompute(cw, db_backend):
    case = overdue_case(cw)  # its decision deadline lapsed on 2026-06-01
    result = supervision_tasks.recompute_alerts_task.enqueue(today="2026-06-02")
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    assert run_ready_tasks() == 1
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL", row.traceback
    assert row.return_value["opened"] >= 1
    assert Alert.objects.filter(kind=Alert.Kind.DEADLINE_LAPSED, case=case, first_seen=dt.date(2026, 6, 2)).exists()


def test_immediate_backend_runs_at_enqueue(cw, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.ZHIFA_TRAINING_MIN_HOURS = 0
    overdue_case(cw)
    result = supervision_tasks.recompute_alerts_task.enqueue(today="2026-06-02")
    assert result.return_value["opened"] >= 1
    assert not supervision_tasks.pending(supervision_tasks.recompute_alerts_task)  # nothing queues with this backend


def at(h, m=0, day=dt.date(2026, 6, 2)):
    return dt.datetime.combine(day, dt.time(h, m))


SWEEP = "every:notify.deliver_due"  # notify's outbox sweep, registered in zhifa.common.registry.periodic_tasks
ESCALATE = "every:dispatch.escalate_overdue"  # dispatch's overdue sweep (every 15 minutes), the same registry
DAILY = {"expire_publications_task", "recompute_alerts_task", "blobs_gc_task",
         "deadline_notices_task", "eservice_fallback_task"}  # the last two: notify's, through the registry


def test_periodic_jobs_daily_once_and_alerts_every_n_minutes(settings):
    settings.ZHIFA_DAILY_AT, settings.ZHIFA_ALERTS_EVERY_MINUTES = "02:00", 30
    last = {}
    names = [(n, t.name) for n, t, _ in supervision_tasks.periodic_jobs(at(1, 0), last)]
    assert names == [("alerts", "recompute_alerts_task"), (ESCALATE, "escalate_overdue_task"),
                     (SWEEP, "deliver_due_task")]  # before 02:00: intervals
    last["alerts"] = last[SWEEP] = last[ESCALATE] = at(1, 0)
    assert supervision_tasks.periodic_jobs(at(1, 4), last) == []
    assert [n for n, *_ in supervision_tasks.periodic_jobs(at(1, 10), last)] == [SWEEP]  # every 5 minutes
    assert [n for n, *_ in supervision_tasks.periodic_jobs(at(1, 20), last)] == [ESCALATE, SWEEP]  # and 15
    last[SWEEP] = last[ESCALATE] = at(2, 4)
    daily = supervision_tasks.periodic_jobs(at(2, 5), last)
    assert {t.name for n, t, _ in daily if n == "daily"} == DAILY
    assert all(kw == {"today": "2026-06-02"} for n, _, kw in daily if n == "daily")
    last["daily"] = dt.date(2026, 6, 2)
    assert [n for n, *_ in supervision_tasks.periodic_jobs(at(2, 6), last)] == ["alerts"]  # daily done; interval lapsed
    settings.ZHIFA_ALERTS_EVERY_MINUTES = 0
    last[SWEEP] = last[ESCALATE] = at(23, 0)
    assert supervision_tasks.periodic_jobs(at(23, 0), last) == []


def test_annual_reports_in_january_for_last_year(settings):
    settings.ZHIFA_DAILY_AT, settings.ZHIFA_ALERTS_EVERY_MINUTES = "02:00", 0
    jan1 = supervision_tasks.periodic_jobs(at(3, day=dt.date(2027, 1, 1)), {})
    assert "annual" not in [n for n, *_ in jan1]
    jan2 = supervision_tasks.periodic_jobs(at(3, day=dt.date(2027, 1, 2)), {})
    assert [kw for n, _, kw in jan2 if n == "annual"] == [{"year": 2026}]
    assert "annual" not in [n for n, *_ in supervision_tasks.periodic_jobs(at(3, day=dt.date(2027, 1, 3)), {"annual": 2026})]


def test_scheduler_tick_enqueues_daily_jobs_once(db_backend, settings):
    settings.ZHIFA_DAILY_AT, settings.ZHIFA_ALERTS_EVERY_MINUTES = "02:00", 30
    last = {}
    assert set(supervision_tasks.tick(at(2, 1), last)) == DAILY | {"deliver_due_task", "escalate_overdue_task"}
    assert supervision_tasks.tick(at(2, 2), last) == []
    # A restarted scheduler remembers from the queue that today's daily jobs are in.
    assert supervision_tasks.remembered(at(2, 3)).get("daily") == dt.date(2026, 6, 2)
    # The interval's recompute is skipped while today's is still waiting (debounce).
    assert supervision_tasks.tick(at(2, 40), last) == []
    assert DBTaskResult.objects.filter(task_path=RECOMPUTE).count() == 1


def test_scheduler_command_with_worker_runs_the_queue(db_backend, settings):
    settings.ZHIFA_DAILY_AT = "00:00"
    call_command("scheduler", "--once", "--worker")
    rows = DBTaskResult.objects.all()
    # The daily jobs ran in this process (expiry belongs to zhifa.disclosure, the evidence store's
    # housekeeping to zhifa.blobs, the outbox sweep and notices to zhifa.notify; only that they ran is ours).
    assert rows.count() == 7 and not rows.filter(status="READY").exists()
    assert rows.get(task_path=RECOMPUTE).status == "SUCCESSFUL"
