"""超时上报: the periodic sweep the scheduler enqueues (periodic.py) raises an overdue task to the
assignee's unit head, then, when the limit has run again, to the entity's head — with time pinned."""
import datetime as dt

import time_machine

from tests.dispatch.conftest import T0, dispatch
from zhifa.dispatch import actions
from zhifa.dispatch.models import DispatchTask, TaskReport
from zhifa.dispatch.tasks import escalate_overdue_task


def _notices(user):
    from zhifa.review.models import Notice

    return list(Notice.objects.filter(user=user).values_list("text", flat=True))


def test_the_sweep_is_registered_with_the_scheduler():
    from zhifa.common.registry import periodic_tasks
    from zhifa.supervision.tasks import periodic_jobs

    assert "dispatch.escalate_overdue" in periodic_tasks
    jobs = periodic_jobs(T0.replace(tzinfo=None), {})
    assert any(task is escalate_overdue_task for _name, task, _kw in jobs)


def test_overdue_escalation_fires(world):
    with time_machine.travel(T0, tick=False):
        task = dispatch(world, now=None)  # 2 hours, dispatched by the head at 09:00
        actions.do_accept(task, acting_user=world["officer"])
    with time_machine.travel(T0 + dt.timedelta(hours=1, minutes=59), tick=False):
        assert escalate_overdue_task.call() == {"escalated": []}  # not yet due
    with time_machine.travel(T0 + dt.timedelta(hours=2, minutes=15), tick=False):
        assert escalate_overdue_task.call() == {"escalated": [task.number]}
        assert escalate_overdue_task.call() == {"escalated": []}  # once per level
    task.refresh_from_db()
    assert task.escalation_level == 1 and task.escalated_to == world["unit_head"]
    assert task.next_escalation_at == T0 + dt.timedelta(hours=4, minutes=15)
    assert any(task.number in t and "超过处置期限" in t for t in _notices(world["unit_head"]))
    with time_machine.travel(T0 + dt.timedelta(hours=4, minutes=30), tick=False):
        escalate_overdue_task.call()
    task.refresh_from_db()
    assert task.escalation_level == 2 and task.escalated_to == world["head"] and task.next_escalation_at is None
    assert any(task.number in t for t in _notices(world["head"]))
    with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
        assert escalate_overdue_task.call() == {"escalated": []}  # nobody above the head
    assert list(TaskReport.objects.filter(task=task, kind="escalated").values_list("to_user", flat=True)) == [
        world["unit_head"].pk, world["head"].pk]


def test_a_finished_task_is_not_escalated(world):
    task = dispatch(world)
    o = world["officer"]
    actions.do_accept(task, acting_user=o, now=T0)
    actions.do_arrive(task, acting_user=o, place="现场", now=T0 + dt.timedelta(minutes=30))
    actions.do_finish(task, acting_user=o, result="已处置", now=T0 + dt.timedelta(hours=1))
    assert actions.do_escalate_overdue(now=T0 + dt.timedelta(hours=5)) == []


def test_working_day_limits_escalate_after_the_close_of_the_last_working_day(world):
    task = dispatch(world, limit_unit="working_days", limit_amount=1)  # Thu 2 April 18:00
    assert actions.do_escalate_overdue(now=dt.datetime(2026, 4, 2, 17, 59, tzinfo=T0.tzinfo)) == []
    assert [t.pk for t in actions.do_escalate_overdue(now=dt.datetime(2026, 4, 2, 18, 1, tzinfo=T0.tzinfo))] == [
        task.pk]
    task.refresh_from_db()
    # the next level after one more working day: Fri 3 April 18:00
    assert task.next_escalation_at == dt.datetime(2026, 4, 3, 18, 0, tzinfo=T0.tzinfo)
    assert DispatchTask.objects.get(pk=task.pk).escalated_to == world["unit_head"]


def test_a_working_day_limit_into_an_unknown_year_waits_for_it(world):
    from zhifa.legalcal import pending
    from zhifa.legalcal.actions import do_enter_calendar_year
    from zhifa.legalcal.models import CalendarYear

    year = max(CalendarYear.objects.values_list("year", flat=True)) + 1
    start = dt.datetime(year - 1, 12, 30, 9, 0, tzinfo=T0.tzinfo)
    task = dispatch(world, limit_unit="working_days", limit_amount=3, now=start)
    assert task.due_at is None and task.due_pending_year == year and task.next_escalation_at is None
    assert pending.by_kind()["dispatch.task"] == {year: 1}
    assert actions.do_escalate_overdue(now=start + dt.timedelta(days=30)) == []  # never guessed
    do_enter_calendar_year(year, [(dt.date(year, 1, 1), "元旦")], [], "测试：仅元旦", acting_user=world["admin"])
    task.refresh_from_db()
    assert task.due_pending_year is None and task.due_at is not None and task.next_escalation_at == task.due_at
