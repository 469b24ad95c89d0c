"""Issue 24 item 8, the action layer: a handler whose 执法证 is suspended (暂扣) or withdrawn (注销/吊销)
takes no enforcement step, even when two other handlers keep the case within Art. 42
(`officers.certificate_in_force`; ZHIFA_CASES_DROP_RULE=officers.certificate_in_force fails here)."""
import datetime as dt

import pytest

from tests import factories
from zhifa.cases import actions as case_actions
from zhifa.common.actions import ActionRefused
from zhifa.orgs import actions as org_actions

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 2)


@pytest.fixture
def case3(cw):
    """A registered case handled by 刘一 (lead), 陈二 and 杨三: one of them may lose the certificate and the
    other two still make the pair Art. 42 asks for."""
    return factories.case(cw, on=ON, officers=[(cw["h1"], "lead"), (cw["h2"], "assist"), (cw["h3"], "assist")])


@pytest.mark.parametrize("how", ["suspend", "withdraw"])
def test_suspended_or_withdrawn_holder_takes_no_step(cw, case3, how):
    cert = cw["h1"].certificates.get()
    act = org_actions.do_suspend_certificate if how == "suspend" else org_actions.do_withdraw_certificate
    act(cert, acting_user=cw["sup_county"], reason="执法中违规收取费用，正在调查", on=dt.date(2026, 3, 1))
    with pytest.raises(ActionRefused) as e:
        case_actions.do_file_case(case3, acting_user=cw["u1"], expected_version=case3.version, on=ON)
    assert e.value.rule == "officers.certificate_in_force"
    assert "违规收取费用" in e.value.message and ("暂扣" if how == "suspend" else "吊销") in e.value.message
    # the other handlers (still two with valid certificates) go on
    case3.refresh_from_db()
    case_actions.do_file_case(case3, acting_user=cw["u2"], expected_version=case3.version, on=ON)


def test_restored_certificate_acts_again(cw, case3):
    cert = cw["h1"].certificates.get()
    org_actions.do_suspend_certificate(cert, acting_user=cw["sup_county"], reason="年审不合格", on=dt.date(2026, 2, 1))
    org_actions.do_restore_certificate(cert, acting_user=cw["sup_county"], reason="补训合格", on=dt.date(2026, 3, 1))
    case_actions.do_file_case(case3, acting_user=cw["u1"], expected_version=case3.version, on=ON)


def test_suspended_handler_is_not_counted_for_art_42(cw):
    case = factories.case(cw, on=ON)  # 刘一 and 陈二 only
    org_actions.do_suspend_certificate(cw["h2"].certificates.get(), acting_user=cw["sup_county"], reason="停职检查",
                                       on=dt.date(2026, 3, 1))
    with pytest.raises(ActionRefused) as e:
        case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=case.version, on=ON)
    assert e.value.rule == "officers.two_certified" and "陈二" in e.value.message
