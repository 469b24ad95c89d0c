"""Issue 18: payments cover 罚款 and 没收违法所得 (both to the treasury; the item is recorded), a payment
beyond what is outstanding on its item is refused (payment.not_over), closing needs both paid, and the
case page shows what is outstanding per item."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.builders import case_at
from tests.cases.helpers import v
from tests.cases.test_rules_people import refused
from zhifa.cases import actions as case_actions
from zhifa.cases.models import Deadline

PAY_ON = dt.date(2026, 5, 8)


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def _served(cw):
    return case_at(cw, "served", penalty={"penalty_kinds": ["fine", "confiscate_gains"], "fine_amount": "5000",
                                          "confiscation_amount": "800", "illegal_gains": "800"})


def pay(cw, case, amount, item="fine", on=PAY_ON):
    return case_actions.do_record_payment(case, amount=amount, item=item, acting_user=cw["u1"],
                                          expected_version=v(case), on=on)


def test_overpayment_is_refused_naming_what_is_outstanding(cw):
    case = _served(cw)
    before = (v(case), case.paid_amount)
    e = refused("payment.not_over", pay, cw, case, "5000.01")
    assert "罚款未缴金额¥5,000.00" in e.message and e.field == "amount"
    pay(cw, case, "3000")
    e = refused("payment.not_over", pay, cw, case, "2500")
    assert "罚款未缴金额¥2,000.00" in e.message
    e = refused("payment.not_over", pay, cw, case, "900", "confiscation")
    assert "没收违法所得未缴金额¥800.00" in e.message
    case.refresh_from_db()
    assert case.paid_amount == Decimal("3000") and v(case) == before[0] + 1


def test_confiscated_gains_are_paid_as_their_own_item_and_closing_needs_both(cw):
    case = _served(cw)
    pay(cw, case, "5000")
    assert case.paid_amount == Decimal("5000") and case.confiscation_paid == 0
    assert case.deadlines.get(kind="payment").state == Deadline.State.RUNNING  # the gains are still owed
    e = refused("close.execution_done", case_actions.do_close, case, acting_user=cw["head"],
                expected_version=v(case), on=PAY_ON)
    assert "没收违法所得应缴¥800.00，已缴¥0.00" in e.message
    pay(cw, case, "800", "confiscation")
    assert case.confiscation_paid == Decimal("800") and case.deadlines.get(kind="payment").state != Deadline.State.RUNNING
    assert case.events.filter(transition="record_payment").last().payload["item"] == "confiscation"
    case_actions.do_close(case, acting_user=cw["head"], expected_version=v(case), on=PAY_ON)
    assert case.state == "closed"


def test_no_confiscation_item_on_a_fine_only_case(cw):
    case = case_at(cw, "served")
    refused("payment.amount_valid", pay, cw, case, "10", "confiscation")


def test_case_page_shows_outstanding_per_item(cw, client):
    case = _served(cw)
    pay(cw, case, "1000")
    client.force_login(cw["u1"])
    html = client.get(reverse("cases-detail", args=[case.pk])).content.decode()
    assert "罚款未缴（含加处罚款）" in html and "没收违法所得未缴" in html
    form = client.get(reverse("cases-action", args=[case.pk, "record_payment"])).content.decode()
    assert "没收违法所得应缴¥800.00" in form and 'value="confiscation"' in form
