"""The notify app's periodic work runs on the scheduler's clock through the registry
(zhifa.common.registry.periodic_tasks, zhifa/notify/periodic.py): a tick at a pinned time enqueues the
outbox sweep, the 法定期限 notices and the 电子送达 fallback; one run of the worker delivers a message
whose own enqueue was lost."""
import datetime as dt

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from zhifa.common.registry import periodic_tasks
from zhifa.notify import tasks as notify_tasks
from zhifa.notify.models import Attempt, Message
from zhifa.notify.outbox import post_to
from zhifa.supervision import tasks as supervision_tasks
from zhifa.supervision.management.commands.scheduler import run_ready_tasks

pytestmark = pytest.mark.django_db
DB = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DAY = dt.date(2026, 6, 2)


@pytest.fixture
def db_backend(settings, monkeypatch):
    settings.TASKS = DB
    settings.ZHIFA_DAILY_AT, settings.ZHIFA_ALERTS_EVERY_MINUTES = "02:00", 30
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def test_the_registry_holds_notifys_jobs_from_its_periodic_module():
    entries = {e.key: e for e in periodic_tasks.entries()}
    assert {k: (e.module, e.value.task.name, e.value.daily) for k, e in entries.items() if k.startswith("notify.")} == {
        "notify.deliver_due": ("zhifa.notify.periodic", "deliver_due_task", False),
        "notify.deadline_notices": ("zhifa.notify.periodic", "deadline_notices_task", True),
        "notify.eservice_fallback": ("zhifa.notify.periodic", "eservice_fallback_task", True),
    }
    assert entries["notify.deliver_due"].value.every_minutes > 0


def test_periodic_jobs_at_a_pinned_time_include_notifys_tasks():
    at = dt.datetime.combine(DAY, dt.time(2, 30))
    jobs = {(name, t.name): kw for name, t, kw in supervision_tasks.periodic_jobs(at, {})}
    assert jobs[("daily", "deadline_notices_task")] == {"today": "2026-06-02"}
    assert jobs[("daily", "eservice_fallback_task")] == {"today": "2026-06-02"}
    assert jobs[("every:notify.deliver_due", "deliver_due_task")] == {}
    before = {t.name for _n, t, _kw in supervision_tasks.periodic_jobs(dt.datetime.combine(DAY, dt.time(1)), {})}
    assert "deadline_notices_task" not in before and "deliver_due_task" in before  # daily ones wait for 02:00


def test_a_tick_enqueues_them_and_one_worker_run_delivers_a_due_message(db_backend):
    # Posted inside the test's transaction: the after-commit enqueue of send_message_task never runs,
    # as when the queue was down; only the sweep can deliver it.
    message = post_to("email", "party@example.cn", "notice", "您有一份文书待查收", name="陈某某", subject="测试通知")
    assert message.state == Message.State.QUEUED and not DBTaskResult.objects.exists()
    last = {}
    done = supervision_tasks.tick(dt.datetime.combine(DAY, dt.time(2, 1)), last)
    assert {"deliver_due_task", "deadline_notices_task", "eservice_fallback_task"} <= set(done)
    queued = {r.task_path: r for r in DBTaskResult.objects.filter(status="READY")}
    assert queued[notify_tasks.deadline_notices_task.module_path].args_kwargs["kwargs"] == {"today": "2026-06-02"}
    assert last["every:notify.deliver_due"] == dt.datetime.combine(DAY, dt.time(2, 1))
    # The sweep is not enqueued again within its interval, nor while one waits.
    assert "deliver_due_task" not in supervision_tasks.tick(dt.datetime.combine(DAY, dt.time(2, 3)), last)
    assert "deliver_due_task" not in supervision_tasks.tick(dt.datetime.combine(DAY, dt.time(2, 30)), last)

    assert run_ready_tasks() == len(queued)
    rows = DBTaskResult.objects.filter(task_path__startswith="zhifa.notify.tasks.")
    assert rows.count() == 3 and all(r.status == "SUCCESSFUL" for r in rows), [r.traceback for r in rows]
    message.refresh_from_db()
    assert message.state == Message.State.SENT and message.attempts == 1
    assert Attempt.objects.filter(message=message, outcome=Attempt.Outcome.SENT).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["party@example.cn"]
    assert rows.get(task_path=notify_tasks.deliver_due_task.module_path).return_value == {"sent": 1}
    # A second run has nothing left to send: the message went once.
    assert run_ready_tasks() == 0 and len(mail.outbox) == 1
