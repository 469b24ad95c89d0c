"""Pending due dates (issue 13): every action that computes a due date proceeds when the period
runs into a year without calendar data; the due date is stored as pending, shown as
"待定：需录入YYYY年节假日安排", and computed — with change log, ledger entry and alerts — in the
transaction that enters the year. 2040 stands for a year nobody has entered."""
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests import factories
from tests.cases.helpers import decide, to_proposed, v
from zhifa.cases import actions as CA
from zhifa.cases.models import Deadline
from zhifa.common.models import ChangeLog
from zhifa.disclosure.actions import complaints as complaint_actions
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.choices import COMPLAINT_STAFF_SOURCES, WITHDRAWAL_GROUNDS
from zhifa.disclosure.models import Complaint
from zhifa.ledger.models import LedgerEntry
from zhifa.legalcal import pending, periods
from zhifa.legalcal.actions import do_enter_calendar_year
from zhifa.supervision.actions import orders as order_actions
from zhifa.supervision.actions.documents import order_context
from zhifa.supervision.models import Alert, SupervisionOrder
from zhifa.transfers import crime as TC

pytestmark = pytest.mark.django_db
LABEL_2040 = "待定：需录入2040年节假日安排"


def enter(year, admin, on):
    """The administrator enters a year (元旦 only; weekends otherwise)."""
    return do_enter_calendar_year(year, [(dt.date(year, 1, 1), "元旦")], [], f"测试：{year}年", acting_user=admin, on=on)


def verify_clean():
    out = io.StringIO()
    try:
        call_command("verify", stdout=out)  # raises CommandError on any discrepancy
    except CommandError as e:
        raise AssertionError(out.getvalue()) from e
    return out.getvalue()


@pytest.fixture
def admin(cw):
    return factories.system_admin()


@pytest.fixture
def in_2040(cw):
    """Case steps may not be dated after today: today is 20 December 2040 for these tests, and the
    officers' certificates are still valid then."""
    import time_machine

    from tests.factories import system_admin
    from zhifa.orgs.actions import do_update_certificate
    from zhifa.orgs.models import Certificate

    for cert in Certificate.objects.all():  # renewed through the action: `zhifa verify` stays clean
        do_update_certificate(cert, {"expires_on": dt.date(2045, 12, 31)}, acting_user=system_admin())
    with time_machine.travel(dt.datetime(2040, 12, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_label_and_phrase():
    assert pending.label(2027) == "待定：需录入2027年节假日安排"
    assert pending.phrase(5) == "自收到之日起5个工作日内"
    assert pending.show(None, 2027) == "待定：需录入2027年节假日安排"
    assert pending.show(dt.date(2027, 1, 8), None) == "2027-01-08"


def test_supervision_order_is_issued_pending_and_computed_when_the_year_is_entered(cw, admin, client):
    order = order_actions.do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], kind="duban", text="请依法处理",
                                         days=5, on=dt.date(2040, 12, 3))
    assert (order.due_on, order.due_pending_year) == (None, 2040)
    assert order.due_display == LABEL_2040
    ctx = order_context(order, number="x")["order"]
    assert ctx["due_phrase"] == "自收到之日起5个工作日内" and ctx["due_on"]["iso"] == ""
    assert pending.by_kind()["supervision.order"] == {2040: 1}
    # Lists, the order page and the API say so.
    client.force_login(cw["sup_county"])
    assert LABEL_2040 in client.get(reverse("supervision-order", args=[order.pk])).content.decode()
    rows = client.get("/api/v1/supervision/orders").json()
    row = next(r for r in (rows["items"] if isinstance(rows, dict) else rows) if r["id"] == order.pk)
    assert row["due_on"] is None and row["due_pending_year"] == 2040 and row["due_display"] == LABEL_2040

    enter(2040, admin, on=dt.date(2040, 12, 20))
    order.refresh_from_db()
    assert (order.due_on, order.due_pending_year) == (dt.date(2040, 12, 10), None)
    log = ChangeLog.objects.filter(content_type__model="supervisionorder", object_id=str(order.pk)).latest("id")
    assert "录入2040年节假日安排" in log.reason and log.after["due_on"] == "2040-12-10"
    assert LedgerEntry.objects.filter(event_type="supervision.order_due").count() == 1
    # Already past on the day the year was entered: the overdue alert is raised at once.
    assert Alert.objects.filter(kind=Alert.Kind.ORDER_OVERDUE, entity=cw["smj"]).exists()
    assert pending.by_year() == {}
    verify_clean()


def test_a_period_reaching_a_further_unknown_year_waits_for_that_year(cw, admin):
    order = order_actions.do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], kind="rectify", text="整改",
                                         days=10, on=dt.date(2040, 12, 24))
    assert order.due_pending_year == 2040
    enter(2040, admin, on=dt.date(2040, 12, 24))
    order.refresh_from_db()
    assert (order.due_on, order.due_pending_year) == (None, 2041)
    assert pending.by_year() == {2041: 1}
    enter(2041, admin, on=dt.date(2041, 1, 2))
    order.refresh_from_db()
    assert order.due_on == dt.date(2041, 1, 8) and order.due_pending_year is None


def test_complaints_portal_and_staff_are_registered_pending(cw, admin):
    web = complaint_actions.do_submit_complaint(entity=cw["smj"], kind=Complaint.Kind.COMPLAINT, content="某门店长期销售过期食品，请依法查处",
                                                client="1.2.3.4", on=dt.date(2040, 12, 3))
    staff = complaint_actions.do_register_complaint(acting_user=cw["sup_county"], kind=Complaint.Kind.CONSULT, content="请问个体工商户年报的办理时限是多久",
                                     source=COMPLAINT_STAFF_SOURCES[0], entity=cw["smj"], received_on=dt.date(2040, 12, 3),
                                                    today=dt.date(2040, 12, 3))
    for c in (web, staff):
        assert (c.due_on, c.due_pending_year, c.due_note) == (None, 2040, LABEL_2040)
    assert complaint_actions.public_dict(web)["due_display"] == LABEL_2040
    assert pending.by_kind()["disclosure.complaint"] == {2040: 2}
    enter(2040, admin, on=dt.date(2040, 12, 4))
    web.refresh_from_db()
    staff.refresh_from_db()
    assert web.due_on == dt.date(2040, 12, 24) and web.due_note == "" and web.due_pending_year is None  # 15 WD
    assert staff.due_on == dt.date(2040, 12, 10)  # 5 WD for a consultation
    assert ChangeLog.objects.filter(content_type__model="complaint", reason__contains="2040").count() == 2


def _case_2040(cw):
    """A case filed in November 2040, its notice served on 2040-12-03."""
    case = factories.case(cw, on=dt.date(2040, 11, 1))
    CA.do_file_case(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2040, 11, 1))
    CA.do_approve_filing(case, acting_user=cw["unit_head"], expected_version=v(case), on=dt.date(2040, 11, 2))
    CA.do_start_investigation(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2040, 11, 2))
    CA.do_propose(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2040, 11, 30),
                  penalty_kinds=["fine"], fine_amount="5000")
    CA.do_serve_notice(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2040, 12, 3))
    case.refresh_from_db()
    return case


def test_case_periods_pending_then_computed_breaches_marked(in_2040, cw, admin, client):
    case = _case_2040(cw)
    decision = case.deadlines.get(kind="decision")
    statement = case.deadlines.get(kind="statement_defence")
    assert (decision.known, decision.unknown_year) == (False, 2041)  # 90 days reach 2041-01-31
    assert (statement.known, statement.unknown_year, statement.due_display) == (False, 2040, LABEL_2040)
    client.force_login(cw["u1"])
    page = client.get(reverse("cases-detail", args=[case.pk])).content.decode()
    assert LABEL_2040 in page and "待定：需录入2041年节假日安排" in page
    body = client.get(f"/api/v1/cases/{case.pk}").json()
    dls = {d["kind"]: d for d in body["deadlines"]}
    assert dls["statement_defence"]["pending_year"] == 2040 and dls["statement_defence"]["due_on"] is None
    # 2040: the statement window and the filing period (met, judged once the year is known).
    assert pending.by_kind()["cases.deadline"] == {2040: 2, 2041: 1}

    enter(2040, admin, on=dt.date(2040, 12, 20))
    statement.refresh_from_db()
    decision.refresh_from_db()
    assert statement.known and statement.due_on == dt.date(2040, 12, 10)
    # The party's window has lapsed by the day the year was entered (a party window is never "breached").
    assert statement.state == Deadline.State.MET and statement.met_on == dt.date(2040, 12, 10)
    assert decision.unknown_year == 2041
    assert ChangeLog.objects.filter(content_type__model="deadline", object_id=str(statement.pk)).exists()
    enter(2041, admin, on=dt.date(2040, 12, 20))
    decision.refresh_from_db()
    assert decision.known and decision.due_on == dt.date(2041, 1, 31)
    case.refresh_from_db()
    assert case.next_due_on == dt.date(2041, 1, 31)
    verify_clean()


def test_a_duty_done_while_its_due_date_was_pending_is_judged_once_known(in_2040, cw, admin):
    from zhifa.cases import deadlines

    case = factories.case(cw, on=dt.date(2040, 12, 3))
    # Service period (7 WD) done on a day only later known to be past it.
    svc = deadlines.open_deadline(case, "service", dt.date(2040, 12, 3))
    deadlines.close_deadline(case, "service", dt.date(2040, 12, 28))
    svc.refresh_from_db()
    assert svc.state == Deadline.State.MET and not svc.known
    enter(2040, admin, on=dt.date(2040, 12, 29))
    svc.refresh_from_db()
    assert svc.due_on == dt.date(2040, 12, 12) and svc.state == Deadline.State.BREACHED


def test_publication_and_withdrawal_due_dates_pending(in_2040, cw, admin):
    case = _case_2040(cw)
    # The party's statement was received: the decision need not wait for the (pending) window.
    CA.do_record_statement(case, waived=True, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2040, 12, 3))
    decide(cw, case, dt.date(2040, 12, 3), penalty_kinds=["fine"], fine_amount="5000", no_penalty=False,
           confiscation_amount=None)
    pub = case.publication
    assert (pub.due_on, pub.due_pending_year, pub.due_note) == (None, 2040, LABEL_2040)
    pub = publication_actions.do_approve(pub, acting_user=cw["head"], on=dt.date(2040, 12, 4))
    pub = publication_actions.do_flag_withdrawal(pub, acting_user=cw["head"], ground=next(iter(WITHDRAWAL_GROUNDS)),
                                                 occurred_on=dt.date(2040, 12, 5))
    assert (pub.withdrawal_due_on, pub.withdrawal_due_pending_year) == (None, 2040)
    assert pub.withdrawal_due_display == LABEL_2040
    assert pending.by_kind()["disclosure.withdrawal"] == {2040: 1}
    enter(2040, admin, on=dt.date(2040, 12, 6))
    pub.refresh_from_db()
    assert pub.due_on == dt.date(2040, 12, 12) and pub.due_pending_year is None and pub.due_note == ""
    assert pub.withdrawal_due_on == dt.date(2040, 12, 10) and pub.withdrawal_due_pending_year is None
    verify_clean()


def test_crime_transfer_approval_period_pending(cw, admin):
    from tests.cases.helpers import to_investigating

    case = to_investigating(cw, factories.case(cw))
    ct = TC.do_report_crime(case, acting_user=cw["u1"], team=[cw["h1"], cw["h2"]], on=dt.date(2040, 12, 3),
                            report_text="经核实，涉嫌犯罪", police_name="某公安分局")
    assert (ct.decide_due_on, ct.decide_due_pending_year, ct.decide_due_note) == (None, 2040, LABEL_2040)
    enter(2040, admin, on=dt.date(2040, 12, 4))
    ct.refresh_from_db()
    assert ct.decide_due_on == dt.date(2040, 12, 6) and ct.decide_due_pending_year is None and not ct.decide_due_note
    assert LedgerEntry.objects.filter(event_type="crime.due_computed").count() == 1
    verify_clean()


def test_review_period_pending_in_the_reviewers_queue(cw, admin, client):
    from zhifa.cases.deadlines import open_deadline

    case = to_proposed(cw, factories.case(cw))
    dl = open_deadline(case, "hearing_notice", dt.date(2040, 12, 3))
    assert dl.due_display == LABEL_2040
    assert str(dl) == f"{dl.label}（{LABEL_2040}）"


def test_calendar_page_entry_resolves_in_the_same_request(cw, admin, client):
    order_actions.do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], kind="duban", text="请依法处理", days=5,
                                 on=dt.date(2040, 12, 3))
    client.force_login(admin)
    r = client.post(reverse("calendar-year-create"), {"year": 2040, "notice": "国办发明电〔2039〕1号",
                                                      "text": "2040-01-01 元旦 休", "confirmed": "on"})
    assert r.status_code == 302
    assert SupervisionOrder.objects.get().due_on == dt.date(2040, 12, 10)


def test_every_kind_is_registered():
    assert set(pending.titles()) >= {"cases.deadline", "supervision.order", "transfers.crime",
                                     "disclosure.publication", "disclosure.withdrawal", "disclosure.complaint"}


def test_known_years_unaffected(cw):
    """A period inside known years is computed at once, as before."""
    order = order_actions.do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], kind="duban", text="督办", days=3,
                                         on=dt.date(2025, 9, 30))
    assert order.due_on == periods.add_working_days(dt.date(2025, 9, 30), 3).date and order.due_pending_year is None


def test_a_newer_chinesecalendar_package_computes_what_waits_for_its_year(cw, monkeypatch):
    from zhifa.legalcal import actions as calendar_actions

    order = order_actions.do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], kind="duban", text="请依法处理",
                                         days=5, on=dt.date(2040, 12, 3))
    data = calendar_actions.package_data()
    monkeypatch.setattr(calendar_actions, "package_data",
                        lambda: {**data, 2040: ([(dt.date(2040, 1, 1), "元旦")], [])})
    assert 2040 in calendar_actions.seed_from_chinesecalendar()["created"]
    order.refresh_from_db()
    assert order.due_on == dt.date(2040, 12, 10) and order.due_pending_year is None
