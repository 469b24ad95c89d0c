"""recompute_alerts: every alert kind, idempotence, self-closing, supervisor closing, scope."""
import datetime as dt

import pytest

from tests import factories
from tests.supervision.helpers import other_county_case, overdue_case
from zhifa.cases import actions as CA
from zhifa.cases.models import Case
from zhifa.supervision.actions import orders as order_actions
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


@pytest.fixture
def world(cw):
    return cw


AlertKind = Alert.Kind


def live(kind, **kw):
    return Alert.objects.filter(kind=kind, **kw).exclude(state=Alert.State.CLOSED)


@pytest.fixture
def quiet(settings):
    """Only the conditions a test creates: no training shortfall."""
    settings.ZHIFA_TRAINING_MIN_HOURS = 0


def test_lapsed_decision_deadline_alerts_on_the_day_after_due(cw, quiet):
    case = overdue_case(cw)
    recompute_alerts(dt.date(2026, 5, 29))
    due = live(AlertKind.DEADLINE_DUE, case=case).get()
    assert "2026-06-01" in due.text and due.entity == cw["smj"]
    assert not live(AlertKind.DEADLINE_LAPSED).exists()
    recompute_alerts(dt.date(2026, 6, 1))  # due today: not lapsed yet
    assert not live(AlertKind.DEADLINE_LAPSED).exists()
    r = recompute_alerts(dt.date(2026, 6, 2))
    lapsed = live(AlertKind.DEADLINE_LAPSED, case=case).get()
    assert lapsed.first_seen == dt.date(2026, 6, 2) and "作出行政处罚决定期限" in lapsed.text
    assert r["opened"] >= 1
    # The due-soon alert closed itself: that condition is gone.
    assert Alert.objects.get(pk=due.pk).state == Alert.State.CLOSED and Alert.objects.get(pk=due.pk).auto_closed


def test_idempotent(cw, quiet):
    overdue_case(cw)
    recompute_alerts(dt.date(2026, 6, 2))
    n = Alert.objects.count()
    r = recompute_alerts(dt.date(2026, 6, 5))
    assert r["opened"] == 0 and Alert.objects.count() == n
    a = live(AlertKind.DEADLINE_LAPSED).get()
    assert a.first_seen == dt.date(2026, 6, 2) and a.last_seen == dt.date(2026, 6, 5) and a.age_days(dt.date(2026, 6, 5)) == 3


def test_condition_cleared_closes_alert_and_recurrence_opens_new(cw, quiet):
    case = factories.case(cw)  # registered 2026-03-02
    recompute_alerts(dt.date(2026, 5, 10))
    a = live(AlertKind.IDLE, case=case).get()
    Case.objects.filter(pk=case.pk).update(last_action_on=dt.date(2026, 5, 9))
    r = recompute_alerts(dt.date(2026, 5, 10))
    a.refresh_from_db()
    assert a.state == Alert.State.CLOSED and a.auto_closed and r["closed"] == 1
    recompute_alerts(dt.date(2026, 8, 1))
    again = live(AlertKind.IDLE, case=case).get()
    assert again.pk != a.pk and again.first_seen == dt.date(2026, 8, 1)


def test_supervisor_closed_alert_stays_closed_while_condition_holds(cw, quiet):
    case = factories.case(cw)
    recompute_alerts(dt.date(2026, 5, 10))
    a = live(AlertKind.IDLE, case=case).get()
    order_actions.do_alert_action(a, "close", acting_user=cw["sup_county"], note="已核实，当事人外出")
    recompute_alerts(dt.date(2026, 5, 11))
    assert not live(AlertKind.IDLE, case=case).exists()
    a.refresh_from_db()
    assert a.state == Alert.State.CLOSED and not a.auto_closed
    # Cleared, then back: a new alert.
    Case.objects.filter(pk=case.pk).update(last_action_on=dt.date(2026, 5, 11))
    recompute_alerts(dt.date(2026, 5, 12))
    assert not live(AlertKind.IDLE, case=case).exists()
    recompute_alerts(dt.date(2026, 8, 1))
    assert live(AlertKind.IDLE, case=case).count() == 1


def test_certificate_expiring_while_acting(cw, quiet):
    o = factories.certified_officer(cw["smj"], cw["smj_unit"], "将到期", expires_on=dt.date(2026, 3, 20))
    factories.case(cw, officers=[(o, "lead"), (cw["h2"], "assist")])
    idle = factories.certified_officer(cw["smj"], cw["smj_unit"], "不办案", expires_on=dt.date(2026, 3, 20))
    recompute_alerts(dt.date(2026, 3, 10))
    a = live(AlertKind.CERTIFICATE).get()
    assert a.officer == o and "将于2026-03-20" in a.text
    assert not live(AlertKind.CERTIFICATE, officer=idle).exists()
    recompute_alerts(dt.date(2026, 3, 21))
    assert "已于2026-03-20" in live(AlertKind.CERTIFICATE).get().text


def test_training_hours_short(world, settings):
    from zhifa.orgs.actions import do_record_training

    settings.ZHIFA_TRAINING_MIN_HOURS = 40
    do_record_training({"officer": world["o1"], "year": 2026, "course": "行政处罚法", "hours": "40"},
                       acting_user=world["admin"])
    recompute_alerts(dt.date(2026, 6, 1))
    short = set(live(AlertKind.TRAINING).values_list("officer__name", flat=True))
    assert "李明" not in short and {"王芳", "赵强", "钱红", "孙伟"} <= short


def test_reviewers_below_floor(cw, quiet):
    recompute_alerts(dt.date(2026, 6, 1))
    entities = set(live(AlertKind.REVIEWERS).values_list("entity__name", flat=True))
    assert "七星关区生态环境局" in entities  # one officer, no legal reviewer
    assert "七星关区市场监督管理局" not in entities  # 1 of 7 officers


def test_discretion_deviation(cw, quiet):
    case = factories.case(cw)
    recompute_alerts(dt.date(2026, 3, 3))
    assert not live(AlertKind.DISCRETION).exists()
    Case.objects.filter(pk=case.pk).update(discretion_deviations=[{"kind": "fine", "text": "罚款高于上限"}])
    recompute_alerts(dt.date(2026, 3, 3))
    assert live(AlertKind.DISCRETION, case=case).get().text.endswith("（未说明理由）")


def test_repeated_inspection_by_two_departments(cw, quiet):
    party = factories.org_party("某超市有限公司")
    CA.do_plan_inspection({"entity": cw["smj"], "unit": cw["smj_unit"], "title": "食品经营检查"}, parties=[party],
                          officers=[(cw["h1"], "lead"), (cw["h2"], "assist")], acting_user=cw["unit_head"],
                          on=dt.date(2026, 3, 2))
    recompute_alerts(dt.date(2026, 3, 5))
    assert not live(AlertKind.REPEATED_INSPECTION).exists()
    from zhifa.common.roles import Role

    a1 = factories.certified_officer(cw["hbj"], None, "环检一", login_role=Role.AGENCY_HEAD)
    a2 = factories.certified_officer(cw["hbj"], None, "环检二")
    CA.do_plan_inspection({"entity": cw["hbj"], "title": "排污检查"}, parties=[dict(party)],
                          officers=[(a1, "lead"), (a2, "assist")], acting_user=a1.user, on=dt.date(2026, 3, 20))
    recompute_alerts(dt.date(2026, 3, 21))
    assert set(live(AlertKind.REPEATED_INSPECTION).values_list("entity__name", flat=True)) == {
        "七星关区市场监督管理局", "七星关区生态环境局"}
    recompute_alerts(dt.date(2026, 4, 5))  # the first inspection is now more than 30 days back
    assert not live(AlertKind.REPEATED_INSPECTION).exists()


def test_scope_county_sees_county_city_sees_city(cw, quiet):
    overdue_case(cw)
    other_county_case(cw)
    recompute_alerts(dt.date(2026, 5, 10))
    county = set(Alert.objects.restrict(cw["sup_county"]).values_list("entity__name", flat=True))
    city = set(Alert.objects.restrict(cw["sup_city"]).values_list("entity__name", flat=True))
    assert "大方县市场监督管理局" not in county and "七星关区市场监督管理局" in county
    assert {"大方县市场监督管理局", "七星关区市场监督管理局"} <= city
    assert set(Alert.objects.restrict(cw["head"]).values_list("entity__name", flat=True)) == {"七星关区市场监督管理局"}


def test_command(cw, quiet):
    from io import StringIO

    from django.core.management import call_command

    overdue_case(cw)
    out = StringIO()
    call_command("supervision", "alerts", today=dt.date(2026, 6, 2), stdout=out)
    assert "新增预警" in out.getvalue() and live(AlertKind.DEADLINE_LAPSED).count() == 1


def test_order_not_replied_in_time(cw, quiet):
    from zhifa.supervision.actions.orders import do_issue_order, do_reply_order

    order = do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], kind="rectify", text="整改", days=3,
                           on=dt.date(2026, 6, 2))  # due 2026-06-05
    recompute_alerts(dt.date(2026, 6, 5))
    assert not live(AlertKind.ORDER_OVERDUE).exists()
    recompute_alerts(dt.date(2026, 6, 8))
    assert "尚未答复" in live(AlertKind.ORDER_OVERDUE).get().text
    do_reply_order(order, acting_user=cw["head"], text="已整改", on=dt.date(2026, 6, 8))
    recompute_alerts(dt.date(2026, 6, 8))
    assert not live(AlertKind.ORDER_OVERDUE).exists()


def test_publication_overdue_and_withdrawal_overdue(cw, quiet):
    """公示: a decision not published by its due date, and a published one not taken down by its
    withdrawal due date, each raise an alert that closes itself once done."""
    from tests.disclosure.conftest import decided_case
    from zhifa.disclosure.actions import publications as publication_actions

    pub = decided_case(cw, on=dt.date(2026, 4, 20)).publication
    assert pub.state == "draft" and pub.due_on
    recompute_alerts(pub.due_on)
    assert not live(Alert.Kind.PUBLICATION_OVERDUE)  # the due day itself is still in time
    recompute_alerts(pub.due_on + dt.timedelta(days=1))
    (a,) = live(Alert.Kind.PUBLICATION_OVERDUE)
    assert a.entity == pub.entity and a.case_id == pub.case_id and f"{pub.due_on:%Y-%m-%d}前公示" in a.text
    day = pub.due_on + dt.timedelta(days=2)
    pub = publication_actions.do_approve(pub, acting_user=cw["head"], on=day)
    recompute_alerts(day)
    assert not live(Alert.Kind.PUBLICATION_OVERDUE) and Alert.objects.get(pk=a.pk).auto_closed

    pub = publication_actions.do_flag_withdrawal(pub, acting_user=cw["head"], ground="revoked", occurred_on=day)
    recompute_alerts(pub.withdrawal_due_on)
    assert not live(Alert.Kind.WITHDRAWAL_OVERDUE)
    late = pub.withdrawal_due_on + dt.timedelta(days=1)
    recompute_alerts(late)
    (w,) = live(Alert.Kind.WITHDRAWAL_OVERDUE)
    assert "决定被撤销" in w.text and "仍在公示" in w.text
    publication_actions.do_withdraw(pub, acting_user=cw["head"], ground="revoked", public_reason="该决定已被复议机关撤销", on=late)
    recompute_alerts(late)
    assert not live(Alert.Kind.WITHDRAWAL_OVERDUE)
