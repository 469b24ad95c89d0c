"""Decision period (Art. 60), extensions, suspension, limitation (Art. 36), service (61),
payment and surcharge (67, 72), exits."""
import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from tests.builders import case_at
from tests.cases.helpers import decide, v
from tests.cases.test_rules_people import refused
from zhifa.cases import actions as case_actions
from zhifa.cases.models import Deadline
from zhifa.cases.rules import surcharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def _ready(cw):
    """Filed 2026-03-03 (decision due 06-01), notified 04-02, statement waived."""
    case = case_at(cw, "notified")
    case_actions.do_record_statement(case, waived=True, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 3))
    return case


def test_decision_within_90_days_of_filing(cw):
    case = _ready(cw)
    assert case.deadlines.get(kind="decision").due_on == dt.date(2026, 6, 1)
    e = refused("decision.within_period", decide, cw, case, dt.date(2026, 6, 2))
    assert "2026-06-01" in e.message


def test_head_extension_once_then_only_collective(cw):
    case = _ready(cw)
    refused("extension.head_once_30", case_actions.do_extend_decision_period, case, days=31, kind="head", reason="情况复杂",
            acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 5, 20))
    case_actions.do_extend_decision_period(case, days=30, kind="head", reason="需鉴定", acting_user=cw["head"],
                                expected_version=v(case), on=dt.date(2026, 5, 20))
    dl = case.deadlines.get(kind="decision")
    assert dl.due_on == dt.date(2026, 7, 1) and dl.extended_days == 30
    refused("extension.head_once_30", case_actions.do_extend_decision_period, case, days=10, kind="head", reason="再延",
            acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 6, 20))
    refused("extension.collective_needs_discussion", case_actions.do_extend_decision_period, case, days=10,
            kind="collective", reason="再延", acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 6, 20))
    case_actions.do_hold_collective_discussion(case, participants="局领导班子", conclusion="同意再延长三十日",
                                    acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 6, 20))
    case_actions.do_extend_decision_period(case, days=30, kind="collective", reason="集体讨论同意", acting_user=cw["head"],
                                expected_version=v(case), on=dt.date(2026, 6, 20))
    assert case.deadlines.get(kind="decision").due_on == dt.date(2026, 7, 31)
    decide(cw, case, dt.date(2026, 7, 20))
    assert case.state == "decided"


def test_extension_must_come_before_expiry(cw):
    case = _ready(cw)
    refused("extension.before_due", case_actions.do_extend_decision_period, case, days=30, kind="head", reason="迟了",
            acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 6, 2))


def test_suspended_period_is_excluded(cw):
    case = case_at(cw, "investigating")
    case_actions.do_suspend(case, reason="等待检验结果", acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 4, 1))
    assert case.deadlines.get(kind="decision").state == Deadline.State.PAUSED
    refused("case.not_suspended", case_actions.do_propose, case, penalty_kinds=["warning"], acting_user=cw["u1"],
            expected_version=v(case), on=dt.date(2026, 4, 2))
    case_actions.do_resume(case, acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 4, 21))
    dl = case.deadlines.get(kind="decision")
    assert dl.state == Deadline.State.RUNNING and dl.paused_days == 20 and dl.due_on == dt.date(2026, 6, 22)
    assert case.suspensions.get().days == 20
    refused("case.is_suspended", case_actions.do_resume, case, acting_user=cw["head"], expected_version=v(case),
            on=dt.date(2026, 4, 22))


def test_limitation_warning_requires_a_written_reason(cw):
    case = factories.case(cw, violation_on=dt.date(2024, 1, 10))
    assert "超过2年" in case.limitation_warning
    e = refused("penalty.limitation", case_actions.do_file_case, case, acting_user=cw["u1"], expected_version=1,
                on=dt.date(2026, 3, 2))
    assert "第三十六条" in e.message and e.field == "limitation_reason"
    case_actions.do_file_case(case, limitation_reason="违法行为持续至2025年12月", acting_user=cw["u1"], expected_version=1,
                   on=dt.date(2026, 3, 2))
    case.refresh_from_db()
    assert case.limitation_reason and case.events.last().payload["warnings"]


def test_limitation_five_years_with_harm(cw):
    case = factories.case(cw, violation_on=dt.date(2022, 1, 10), harms_life_health_finance=True)
    assert case.limitation_warning == ""
    case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=1, on=dt.date(2026, 3, 2))


def test_service_breach_is_flagged_not_blocking(cw):
    case = _ready(cw)
    decide(cw, case, dt.date(2026, 4, 7))  # service due 7 wd later: 04-16
    assert case.deadlines.get(kind="service").due_on == dt.date(2026, 4, 16)
    case_actions.do_serve_decision(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 20))
    assert case.state == "served"
    assert case.deadlines.get(kind="service").state == Deadline.State.BREACHED


def test_surcharge_three_percent_a_day_capped_at_the_fine():
    due = dt.date(2026, 5, 9)
    assert surcharge(Decimal("1000"), due, dt.date(2026, 5, 9)) == Decimal("0.00")
    assert surcharge(Decimal("1000"), due, dt.date(2026, 5, 10)) == Decimal("30.00")
    assert surcharge(Decimal("1000"), due, dt.date(2026, 5, 19)) == Decimal("300.00")
    assert surcharge(Decimal("1000"), due, dt.date(2026, 6, 11)) == Decimal("990.00")
    assert surcharge(Decimal("1000"), due, dt.date(2026, 6, 12)) == Decimal("1000.00")
    assert surcharge(Decimal("1000"), due, dt.date(2026, 12, 31)) == Decimal("1000.00")
    assert surcharge(Decimal("333.33"), due, dt.date(2026, 5, 10)) == Decimal("10.00")


def test_close_requires_fine_and_surcharge_paid_or_an_execution_note(cw):
    case = _ready(cw)
    decide(cw, case, dt.date(2026, 4, 7))
    case_actions.do_serve_decision(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 8))
    assert case.deadlines.get(kind="payment").due_on == dt.date(2026, 4, 23)
    case_actions.do_record_payment(case, amount="5000", acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 24))
    e = refused("close.execution_done", case_actions.do_close, case, acting_user=cw["head"], expected_version=v(case),
                on=dt.date(2026, 4, 24))
    assert "¥5,150.00" in e.message  # 5000 + 3 % × 1 day
    assert case.deadlines.get(kind="payment").state == Deadline.State.RUNNING
    case_actions.do_record_payment(case, amount="150", acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 24))
    assert case.deadlines.get(kind="payment").state == Deadline.State.BREACHED
    case_actions.do_close(case, acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 4, 24))


def test_close_with_execution_note(cw):
    case = _ready(cw)
    decide(cw, case, dt.date(2026, 4, 7))
    case_actions.do_serve_decision(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 8))
    case_actions.do_close(case, execution_note="已申请人民法院强制执行", acting_user=cw["head"], expected_version=v(case),
               on=dt.date(2026, 6, 30))
    assert case.state == "closed"


def test_payment_amount_valid(cw):
    case = _ready(cw)
    decide(cw, case, dt.date(2026, 4, 7))
    case_actions.do_serve_decision(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 8))
    refused("payment.amount_valid", case_actions.do_record_payment, case, amount="0", acting_user=cw["u1"],
            expected_version=v(case), on=dt.date(2026, 4, 9))


def test_exits_need_reasons_and_a_receiving_organ(cw):
    case = factories.case(cw)
    refused("case.reason_given", case_actions.do_not_file, case, reason=" ", acting_user=cw["unit_head"], expected_version=1,
            on=dt.date(2026, 3, 2))
    refused("transfer.receiver_given", case_actions.do_transfer, case, transfer_kind="crime", transfer_to="",
            reason="涉嫌生产销售伪劣产品罪", acting_user=cw["head"], expected_version=1, on=dt.date(2026, 3, 2))
    case_actions.do_transfer(case, transfer_kind="crime", transfer_to="毕节市公安局七星关分局", reason="涉嫌生产销售伪劣产品罪",
                  acting_user=cw["head"], expected_version=1, on=dt.date(2026, 3, 2))
    assert case.state == "transferred" and case.transfer_to.endswith("分局")
    case_actions.do_archive(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 3))


def test_revoke_cancels_running_periods(cw):
    case = case_at(cw, "proposed")
    case_actions.do_revoke(case, reason="违法事实不能成立", acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 4, 2))
    assert case.state == "revoked"
    states = dict(case.deadlines.values_list("kind", "state"))
    assert states == {"filing": Deadline.State.MET, "decision": Deadline.State.CANCELLED}
