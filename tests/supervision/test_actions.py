"""Alert handling and 督办/整改通知: every named rule, scope, change log and ledger events."""
import datetime as dt

import pytest

from tests import factories
from tests.supervision.helpers import other_county_case, overdue_case
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.models import ChangeLog
from zhifa.ledger.models import LedgerEntry
from zhifa.supervision.actions import orders as order_actions
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import Alert, SupervisionOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, e.value
    return e.value


@pytest.fixture
def lapsed(cw, settings):
    settings.ZHIFA_TRAINING_MIN_HOURS = 0
    case = overdue_case(cw)
    recompute_alerts(dt.date(2026, 6, 2))
    return Alert.objects.get(kind=Alert.Kind.DEADLINE_LAPSED, case=case)


def test_acknowledge_assign_close_with_notes_and_changelog(cw, lapsed):
    a = order_actions.do_alert_action(lapsed, "acknowledge", acting_user=cw["sup_county"], note="已电话提醒")
    assert a.state == Alert.State.ACKNOWLEDGED and "已电话提醒" in a.note
    a = order_actions.do_alert_action(a, "assign", acting_user=cw["sup_city"], note="请区局跟进", assignee=cw["sup_county"])
    assert a.state == Alert.State.ASSIGNED and a.assignee == cw["sup_county"]
    a = order_actions.do_alert_action(a, "close", acting_user=cw["sup_county"], note="已作出决定")
    assert a.state == Alert.State.CLOSED and not a.auto_closed and a.note.count("\n") == 2
    logs = ChangeLog.objects.filter(object_id=str(a.pk), content_type__model="alert", user__isnull=False)
    assert logs.count() == 3


def test_rule_alert_note(cw, lapsed):
    e = refused("supervision.alert_note", order_actions.do_alert_action, lapsed, "acknowledge", acting_user=cw["sup_county"],
                note="  ")
    assert e.field == "note"


def test_rule_alert_closed(cw, lapsed):
    order_actions.do_alert_action(lapsed, "close", acting_user=cw["sup_county"], note="关闭")
    refused("supervision.alert_closed", order_actions.do_alert_action, lapsed, "acknowledge", acting_user=cw["sup_county"],
            note="再次处理")


def test_rule_assignee(cw, lapsed):
    refused("supervision.assignee", order_actions.do_alert_action, lapsed, "assign", acting_user=cw["sup_city"], note="分派")
    refused("supervision.assignee", order_actions.do_alert_action, lapsed, "assign", acting_user=cw["sup_city"], note="分派",
            assignee=cw["head"])
    zy_sup = factories.user("supervisor", factories.entity(cw["regions"]["other_city"], "遵义市司法局", justice=True,
                                                           short_code="遵司"), None, "supzy")
    refused("supervision.assignee", order_actions.do_alert_action, lapsed, "assign", acting_user=cw["sup_city"], note="分派",
            assignee=zy_sup)


def test_alert_scope(cw, lapsed):
    for user in (cw["head"], cw["u1"]):
        with pytest.raises(OutOfScope):
            order_actions.do_alert_action(lapsed, "acknowledge", acting_user=user, note="看到了")
    df_sup = factories.user("supervisor", factories.entity(cw["regions"]["county2"], "大方县司法局", justice=True,
                                                           short_code="大司"), None, "supdf2")
    with pytest.raises(OutOfScope):
        order_actions.do_alert_action(lapsed, "acknowledge", acting_user=df_sup, note="越权")


def test_order_issue_and_reply_are_ledger_events(cw, lapsed):
    case = lapsed.case
    order = order_actions.do_issue_order(acting_user=cw["sup_city"], entity=case.entity, case=case, alert=lapsed, kind="duban",
                                         text="请于期限内作出处理决定", days=5, on=dt.date(2026, 6, 2))
    # 5 working days after Tuesday 2026-06-02 (no holiday): Tuesday 06-09.
    assert order.due_on == dt.date(2026, 6, 9) and order.state == SupervisionOrder.State.OPEN
    entry = LedgerEntry.objects.get(event_type="supervision.order")
    assert entry.case_id == case.pk and entry.subject_id == str(order.pk)
    order = order_actions.do_reply_order(order, acting_user=cw["head"], text="已于6月5日作出决定", on=dt.date(2026, 6, 5))
    assert order.state == SupervisionOrder.State.REPLIED and order.replied_by == cw["head"]
    assert LedgerEntry.objects.filter(event_type="supervision.reply", case_id=case.pk).count() == 1
    assert ChangeLog.objects.filter(content_type__model="supervisionorder", object_id=str(order.pk)).count() == 2


def test_order_over_national_day_uses_legal_calendar(cw):
    order = order_actions.do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], kind="rectify", text="整改执法证管理",
                                         days=3, on=dt.date(2025, 9, 30))
    assert order.due_on == dt.date(2025, 10, 11)  # 10-01..10-08 off: 10-09, 10-10, 10-11 (make-up Saturday)


def test_unknown_year_leaves_the_due_date_pending_not_refused(cw):
    """No refusal for an unknown year alone (issue 13): the order is issued, its due date pending."""
    order = order_actions.do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], kind="duban", text="督办", days=10,
                                         on=dt.date(2040, 12, 25))
    assert order.due_on is None and order.due_pending_year == 2040
    assert order.due_display == "待定：需录入2040年节假日安排"


def test_rule_order_text_and_days(cw):
    refused("supervision.order_text", order_actions.do_issue_order, acting_user=cw["sup_county"], entity=cw["smj"], kind="duban",
            text=" ", days=5, on=dt.date(2026, 6, 2))
    for days in (0, 61, "x"):
        refused("supervision.order_days", order_actions.do_issue_order, acting_user=cw["sup_county"], entity=cw["smj"],
                kind="duban", text="督办", days=days, on=dt.date(2026, 6, 2))
    refused("validation", order_actions.do_issue_order, acting_user=cw["sup_county"], entity=cw["smj"], kind="x", text="督办",
            days=5, on=dt.date(2026, 6, 2))


def test_rule_case_entity(cw):
    case = factories.case(cw)
    refused("supervision.case_entity", order_actions.do_issue_order, acting_user=cw["sup_county"], entity=cw["hbj"], case=case,
            kind="duban", text="督办", days=5, on=dt.date(2026, 6, 2))


def test_order_scope(cw):
    df_case = other_county_case(cw)
    with pytest.raises(OutOfScope):  # a county supervisor does not reach the neighbouring county
        order_actions.do_issue_order(acting_user=cw["sup_county"], entity=df_case.entity, case=df_case, kind="duban", text="督办",
                                     days=5, on=dt.date(2026, 6, 2))
    for user in (cw["head"], cw["u1"]):
        with pytest.raises(OutOfScope):
            order_actions.do_issue_order(acting_user=user, entity=cw["smj"], kind="duban", text="督办", days=5, on=dt.date(2026, 6, 2))
    assert order_actions.do_issue_order(acting_user=cw["sup_city"], entity=df_case.entity, case=df_case, kind="duban",
                                        text="督办", days=5, on=dt.date(2026, 6, 2)).pk


def test_reply_rules(cw):
    order = order_actions.do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], kind="rectify", text="整改",
                                         days=5, on=dt.date(2026, 6, 2))
    other_head = factories.user("agency_head", cw["hbj"], None, "hbjhead")
    for user in (other_head, cw["sup_county"], cw["unit_head"], cw["u1"]):
        with pytest.raises(OutOfScope):
            order_actions.do_reply_order(order, acting_user=user, text="答复")
    refused("supervision.reply_text", order_actions.do_reply_order, order, acting_user=cw["head"], text="")
    order_actions.do_reply_order(order, acting_user=cw["head"], text="已整改", on=dt.date(2026, 6, 3))
    refused("supervision.already_replied", order_actions.do_reply_order, order, acting_user=cw["head"], text="再答复")


def test_ledger_verifies_after_alerts_orders_and_replies(cw, lapsed):
    from zhifa.ledger import verify

    order_actions.do_alert_action(lapsed, "acknowledge", acting_user=cw["sup_county"], note="已提醒")
    order = order_actions.do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], case=lapsed.case, kind="duban",
                                         text="督办", days=5, on=dt.date(2026, 6, 2))
    order_actions.do_reply_order(order, acting_user=cw["head"], text="已办理", on=dt.date(2026, 6, 3))
    recompute_alerts(dt.date(2026, 6, 3))
    verify.discover()
    assert list(verify.run()) == []
