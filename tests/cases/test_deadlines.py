"""Deadlines on the legal calendar, unknown years, breaches, warnings and the work queue."""
import datetime as dt

import pytest

from tests import factories
from tests.builders import case_at
from tests.cases.helpers import to_investigating, v
from zhifa.cases import actions as case_actions
from zhifa.cases import deadlines
from zhifa.cases.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def test_service_after_national_day_2025(cw):
    case = factories.case(cw)
    # Decided on Sunday 2025-09-28 (a make-up working day): 9/29, 9/30, [10/1–10/8 holiday], 10/9, 10/10,
    # 10/11 (make-up working Saturday), 10/13, 10/14.
    dl = deadlines.open_deadline(case, "service", dt.date(2025, 9, 28))
    assert dl.due_on == dt.date(2025, 10, 14) and dl.known and dl.working_days
    # 15 calendar days from 2025-09-20 = 10-05, a holiday → first working day 10-09.
    assert deadlines.open_deadline(case, "payment", dt.date(2025, 9, 20)).due_on == dt.date(2025, 10, 9)
    # Spring Festival 2026 (2/15–2/23 off): 2/13, 2/14 (make-up Saturday), 2/24, 2/25, 2/26.
    assert deadlines.open_deadline(case, "statement_defence", dt.date(2026, 2, 12)).due_on == dt.date(2026, 2, 26)


def test_unknown_calendar_is_never_guessed(cw):
    case = factories.case(cw)
    dl = deadlines.open_deadline(case, "decision", dt.date(2040, 12, 1))  # + 90 days reaches 2041 (not entered)
    assert dl.due_on is None and not dl.known and "2041" in dl.unknown_reason
    deadlines.refresh_deadlines(dt.date(2050, 1, 1))  # breaches the (known) filing period, not this one
    dl.refresh_from_db()
    assert dl.state == deadlines.RUNNING
    assert list(deadlines.warnings(dt.date(2040, 12, 2), cases=[case])) == [dl]


def test_refresh_marks_breaches_and_lapses_party_windows(cw):
    case = case_at(cw, "notified")  # decision due 06-01, statement window to 04-10
    assert deadlines.refresh_deadlines(dt.date(2026, 4, 11)) == 0
    assert case.deadlines.get(kind="statement_defence").state == Deadline.State.MET
    near = list(deadlines.warnings(dt.date(2026, 5, 29), within_days=3))
    assert [d.kind for d in near] == ["decision"]
    assert deadlines.refresh_deadlines(dt.date(2026, 6, 2)) == 1
    assert case.deadlines.get(kind="decision").state == Deadline.State.BREACHED


def test_work_queue_sorted_by_nearest_due_date(cw, django_assert_num_queries):
    late = to_investigating(cw, factories.case(cw), filed=dt.date(2026, 3, 10))
    early = to_investigating(cw, factories.case(cw), filed=dt.date(2026, 3, 3))
    registered = factories.case(cw)
    other = factories.case(cw, officers=[(cw["h2"], "lead"), (cw["h3"], "assist")])
    with django_assert_num_queries(1):
        queue = list(deadlines.work_queue(cw["u1"]))
    # The registered case waits for the decision on filing (15 working days from 03-02): first.
    assert queue == [registered, early, late]
    assert queue[0].next_due == dt.date(2026, 3, 23) and queue[1].next_due == dt.date(2026, 6, 1)
    head_queue = list(deadlines.work_queue(cw["head"]))
    assert set(head_queue[:2]) == {registered, other} and head_queue[2:4] == [early, late]
    case_actions.do_revoke(early, reason="撤销", acting_user=cw["head"], expected_version=v(early), on=dt.date(2026, 3, 11))
    assert list(deadlines.work_queue(cw["u1"])) == [registered, late]


def test_refresh_command(cw):
    from io import StringIO

    from django.core.management import call_command

    case_at(cw, "notified")
    out = StringIO()
    call_command("refresh_deadlines", today=dt.date(2026, 6, 2), stdout=out)
    assert "新标记超期 1 项" in out.getvalue()


def test_next_due_on_follows_running_deadlines(cw):
    """Case.next_due_on is derived: the earliest running due date, kept by every transition
    and by refresh_deadlines, and the work queue orders by it."""
    from tests import factories
    from zhifa.cases.deadlines import refresh_deadlines, work_queue

    a = case_at(cw, "notified")
    a.refresh_from_db()
    running = a.deadlines.filter(state="running").order_by("due_on").first()
    assert a.next_due_on == running.due_on == dt.date(2026, 4, 10)  # statement window after the 4/2 notice
    b = factories.case(cw, title="第二案")
    assert b.next_due_on == dt.date(2026, 3, 23)  # the decision on filing (registered 03-02)
    assert list(work_queue(cw["u1"]))[:2] == [b, a]
    refresh_deadlines(dt.date(2026, 4, 13))
    a.refresh_from_db()
    assert a.next_due_on == a.deadlines.get(kind="decision").due_on


def test_breached_deadline_records_when_the_act_was_done(cw):
    from tests.cases.helpers import decide, v
    from zhifa.cases import actions as case_actions
    from zhifa.cases.deadlines import refresh_deadlines

    case = case_at(cw, "notified")
    case_actions.do_record_statement(case, waived=True, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 3))
    decide(cw, case, dt.date(2026, 4, 3))
    refresh_deadlines(dt.date(2026, 4, 20))  # service was due 4/14 (7 working days)
    case.refresh_from_db()
    assert case.deadlines.get(kind="service").state == "breached"
    case_actions.do_serve_decision(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 20))
    dl = case.deadlines.get(kind="service")
    assert dl.state == "breached" and dl.met_on == dt.date(2026, 4, 20)


def test_filing_decision_due_in_15_working_days(cw):
    """市场监管 程序规定 第十八条: from the clue (案源登记) the head decides on filing in 15 working days."""
    case = factories.case(cw, on=dt.date(2026, 3, 2))  # a Monday, no holiday in the next three weeks
    dl = Deadline.objects.get(case=case, kind="filing")
    assert dl.state == deadlines.RUNNING and dl.working_days and dl.due_on == dt.date(2026, 3, 23)
    case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 10))
    case_actions.do_approve_filing(case, acting_user=cw["unit_head"], expected_version=v(case), on=dt.date(2026, 3, 24))
    dl.refresh_from_db()
    assert dl.state == deadlines.BREACHED and dl.met_on == dt.date(2026, 3, 24)  # one working day late
    refused = factories.case(cw, on=dt.date(2026, 3, 2))
    case_actions.do_not_file(refused, reason="不属于本机关管辖", acting_user=cw["unit_head"],
                             expected_version=v(refused), on=dt.date(2026, 3, 20))
    assert Deadline.objects.get(case=refused, kind="filing").state == deadlines.MET


def test_head_extends_the_filing_period_once_by_15_working_days_before_it_runs_out(cw):
    """市场监管 程序规定 第十八条: 特殊情况下，经负责人批准，可以延长十五个工作日 — once, before the due date."""
    from tests.cases.test_rules_people import refused
    from zhifa.ledger.models import LedgerEntry
    from zhifa.legalcal import periods

    case = factories.case(cw, on=dt.date(2026, 3, 2))
    args = {"acting_user": cw["head"], "expected_version": v(case), "on": dt.date(2026, 3, 20)}
    refused("case.role", case_actions.do_extend_filing, case, reason="需检验检测",
            **{**args, "acting_user": cw["unit_head"]})
    refused("case.reason_given", case_actions.do_extend_filing, case, reason=" ", **args)
    case_actions.do_extend_filing(case, reason="需检验检测", **args)
    dl = Deadline.objects.get(case=case, kind="filing")
    want = periods.add_period(dt.date(2026, 3, 2), 30, periods.WORKING).date
    assert dl.extended_days == 15 and dl.due_on == want and dl.due_on > dt.date(2026, 4, 10)
    assert "负责人批准延长15个工作日" in dl.extension_ref
    assert LedgerEntry.objects.filter(case_id=case.pk, body__contains="extend_filing").exists()
    refused("filing.extend_once_before_due", case_actions.do_extend_filing, case, reason="再延",
            acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 3, 25))
    # Filed on the extended period's last week: met, not breached.
    case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 8))
    case_actions.do_approve_filing(case, acting_user=cw["unit_head"], expected_version=v(case), on=dt.date(2026, 4, 10))
    dl.refresh_from_db()
    assert dl.state == deadlines.MET

    late = factories.case(cw, on=dt.date(2026, 3, 2))  # due 03-23: asked on 03-24, too late
    refused("filing.extend_once_before_due", case_actions.do_extend_filing, late, reason="需检验检测",
            acting_user=cw["head"], expected_version=v(late), on=dt.date(2026, 3, 24))
