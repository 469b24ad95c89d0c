"""执法指挥: dispatch, the assignee's reports, reassignment; each named rule refuses (tests fail when a
rule is removed); every step change-logged and ledgered."""
import datetime as dt

import pytest

from tests import factories
from tests.dispatch.conftest import T0, TZ, dispatch
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.models import ChangeLog
from zhifa.dispatch import actions
from zhifa.dispatch.models import DispatchTask, TaskReport
from zhifa.ledger.models import LedgerEntry


def _refused(rule, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, e.value
    return e.value


def test_dispatch_in_hours(world):
    task = dispatch(world)
    assert task.state == DispatchTask.State.DISPATCHED and task.unit == world["smj_unit"]
    assert task.due_at == T0 + dt.timedelta(hours=2) and task.next_escalation_at == task.due_at
    assert task.number.startswith("ZH") and task.source_kind == "text"
    assert ChangeLog.objects.filter(object_id=str(task.pk), action=ChangeLog.Action.CREATE).exists()
    assert LedgerEntry.objects.filter(event_type="dispatch.dispatched", subject_id=str(task.pk)).exists()
    assert list(task.reports.values_list("kind", flat=True)) == ["dispatched"]


def test_a_limit_in_working_days_ends_on_the_legal_calendar(world):
    task = dispatch(world, limit_unit="working_days", limit_amount=3)
    # Wed 1 April: 2, 3, (清明 4–6), 7 April; the close of that working day
    assert task.due_at == dt.datetime(2026, 4, 7, 18, 0, tzinfo=TZ)


def test_the_assignee_reports_accept_arrive_finish(world):
    task = dispatch(world)
    o = world["officer"]
    actions.do_accept(task, acting_user=o, now=T0 + dt.timedelta(minutes=5))
    actions.do_arrive(task, acting_user=o, latitude="27.301234", longitude="105.289876", accuracy="18",
                      source="gps", place="洪山路12号", now=T0 + dt.timedelta(minutes=40))
    task.refresh_from_db()
    assert task.state == "on_site" and str(task.reported_latitude) == "27.301234"
    actions.do_report_location(task, acting_user=o, place="后厨", now=T0 + dt.timedelta(minutes=50))
    actions.do_finish(task, acting_user=o, result="已责令整改，拍照取证3张。", now=T0 + dt.timedelta(hours=1))
    task.refresh_from_db()
    assert task.state == "done" and task.next_escalation_at is None and task.reported_place == "后厨"
    kinds = list(TaskReport.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds == ["dispatched", "accepted", "on_site", "location", "done"]
    arrival = TaskReport.objects.get(task=task, kind="on_site")
    assert arrival.location_source == "gps" and arrival.accuracy_m == 18
    events = list(LedgerEntry.objects.filter(subject_id=str(task.pk), event_type__startswith="dispatch.")
                  .order_by("seq").values_list("event_type", flat=True))
    assert events == ["dispatch.dispatched", "dispatch.accepted", "dispatch.on_site", "dispatch.location",
                      "dispatch.done"]


def test_return_and_reassign(world):
    task = dispatch(world)
    actions.do_return(task, acting_user=world["officer"], reason="不属本队辖区", now=T0 + dt.timedelta(minutes=10))
    task.refresh_from_db()
    assert task.state == "returned" and task.next_escalation_at is None
    other = factories.user("officer", world["smj"], world["smj_unit"], "officer2")
    actions.do_reassign(task, acting_user=world["unit_head"], assignee=other.pk, now=T0 + dt.timedelta(hours=1))
    task.refresh_from_db()
    assert task.state == "dispatched" and task.assignee == other
    assert task.due_at == T0 + dt.timedelta(hours=3)


def test_dispatch_from_a_complaint_by_generic_reference(world):
    from zhifa.disclosure.actions import complaints

    c = complaints.do_register_complaint(acting_user=world["head"], kind="complaint", source="12345",
                                         content="洪山路某餐馆后厨脏乱，老鼠出没，请尽快查处。", entity=world["smj"])
    task = dispatch(world, source_kind="complaint", source_id=str(c.pk))
    assert task.source == c and c.tracking_code in task.source_label


def test_officers_may_not_dispatch(world):
    with pytest.raises(OutOfScope):
        dispatch(world, user=world["officer"])
    other = factories.user("agency_head", world["hbj"], None, "hbjhead")
    with pytest.raises(OutOfScope):
        actions.do_reassign(dispatch(world), acting_user=other, assignee=world["officer"])


def test_dispatch_required(world):
    assert _refused("dispatch.required", dispatch, world, title="  ").field == "title"


def test_dispatch_limit(world):
    _refused("dispatch.limit", dispatch, world, limit_amount=0)
    _refused("dispatch.limit", dispatch, world, limit_amount="两小时")
    _refused("dispatch.limit", dispatch, world, limit_unit="working_days", limit_amount=61)
    _refused("dispatch.limit", dispatch, world, limit_unit="weeks")


def test_dispatch_assignee(world):
    other_entity = factories.user("officer", world["hbj"], None, "hbjofficer")
    _refused("dispatch.assignee", dispatch, world, assignee=other_entity)
    _refused("dispatch.assignee", dispatch, world, assignee=world["reviewer"])  # not an officer login
    in_other_unit = factories.user("officer", world["smj"], world["smj_unit2"], "legalofficer")
    _refused("dispatch.assignee", dispatch, world, user=world["unit_head"], assignee=in_other_unit)
    assert dispatch(world, user=world["head"], assignee=in_other_unit).unit == world["smj_unit2"]


def test_dispatch_source(world):
    from zhifa.disclosure.actions import complaints

    c = complaints.do_register_complaint(acting_user=world["sup_county"], kind="complaint", source="12345",
                                         content="某环保问题投诉，请核查处理。", entity=world["hbj"])
    _refused("dispatch.source", dispatch, world, source_kind="complaint", source_id=str(c.pk))
    _refused("dispatch.source", dispatch, world, source_kind="alert", source_id="999999")


def test_task_assignee_only(world):
    task = dispatch(world)
    _refused("task.assignee_only", actions.do_accept, task, acting_user=world["unit_head"])


def test_task_state(world):
    task = dispatch(world)
    _refused("task.state", actions.do_arrive, task, acting_user=world["officer"], place="现场")
    _refused("task.state", actions.do_finish, task, acting_user=world["officer"], result="完毕")
    actions.do_return(task, acting_user=world["officer"], reason="不属管辖")
    _refused("task.state", actions.do_report_location, task, acting_user=world["officer"], place="现场")


def test_task_location(world):
    task = dispatch(world)
    actions.do_accept(task, acting_user=world["officer"])
    e = _refused("task.location", actions.do_arrive, task, acting_user=world["officer"])
    assert e.field == "place"
    e = _refused("task.location", actions.do_arrive, task, acting_user=world["officer"], latitude="95",
                 longitude="105")
    assert e.field == "latitude" and "纬度" in e.message
    _refused("task.location", actions.do_arrive, task, acting_user=world["officer"], latitude="27.3")
    _refused("task.location", actions.do_arrive, task, acting_user=world["officer"], latitude="北纬27",
             longitude="105")


def test_task_result(world):
    task = dispatch(world)
    assert _refused("task.result", actions.do_return, task, acting_user=world["officer"], reason=" ").field == "result"
    actions.do_accept(task, acting_user=world["officer"])
    actions.do_arrive(task, acting_user=world["officer"], place="现场")
    _refused("task.result", actions.do_finish, task, acting_user=world["officer"], result="")


def test_task_reassign(world):
    task = dispatch(world)
    _refused("task.reassign", actions.do_reassign, task, acting_user=world["head"], assignee=world["officer"])
    actions.do_accept(task, acting_user=world["officer"])
    actions.do_arrive(task, acting_user=world["officer"], place="现场")
    actions.do_finish(task, acting_user=world["officer"], result="完毕")
    _refused("task.reassign", actions.do_reassign, task, acting_user=world["head"], assignee=world["unit_head"])


def test_every_dispatch_row_matches_its_latest_change_log_row(world):
    from zhifa.ledger.drift import check_row_drift

    task = dispatch(world)
    actions.do_accept(task, acting_user=world["officer"])
    actions.do_escalate_overdue(now=T0 + dt.timedelta(hours=3))
    assert [d for d in check_row_drift() if d.where.split()[0].startswith("dispatch_")] == []


def test_a_number_taken_at_the_same_moment_is_retried_not_a_server_error(world, monkeypatch):
    """Two heads dispatching at once may pick the same day's number; the second takes the next one."""
    from zhifa.dispatch.actions import tasks as task_actions

    first = dispatch(world)
    real = task_actions._number
    calls = []

    def clashing(entity, at):
        calls.append(1)
        return first.number if len(calls) == 1 else real(entity, at)

    monkeypatch.setattr(task_actions, "_number", clashing)
    second = dispatch(world)
    assert len(calls) == 2 and second.number != first.number
    monkeypatch.setattr(task_actions, "_number", lambda entity, at: first.number)
    with pytest.raises(ActionRefused) as e:
        dispatch(world)
    assert e.value.rule == "dispatch.number_busy"
