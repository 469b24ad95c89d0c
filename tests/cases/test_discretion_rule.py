"""Rule penalty.within_benchmark (行政处罚法 Art. 34): a proposal outside the published
discretion benchmark needs a written reason, kept on the case."""
import datetime as dt

import pytest

from tests.cases.helpers import to_investigating, v
from tests.factories import case as make_case
from zhifa.cases import actions as case_actions
from zhifa.common.actions import ActionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw
ON = dt.date(2026, 4, 1)


def propose(cw, case, **kw):
    return case_actions.do_propose(case, acting_user=cw["u1"], expected_version=v(case), on=ON, **kw)


def test_level_required_when_benchmark_exists(cw, bench):
    case = to_investigating(cw, make_case(cw))
    with pytest.raises(ActionRefused) as e:
        propose(cw, case, penalty_kinds=["fine"], fine_amount="5000")
    assert e.value.rule == "penalty.within_benchmark" and e.value.field == "discretion_level"


def test_within_benchmark_passes_and_is_recorded(cw, bench):
    case = to_investigating(cw, make_case(cw))
    propose(cw, case, penalty_kinds=["fine"], fine_amount="5000", discretion_level="一般")
    case.refresh_from_db()
    assert case.state == "proposed" and case.discretion_level == "一般" and case.discretion_deviations == []


def test_outside_benchmark_needs_written_reason(cw, bench):
    case = to_investigating(cw, make_case(cw))
    with pytest.raises(ActionRefused) as e:
        propose(cw, case, penalty_kinds=["fine"], fine_amount="9000", discretion_level="一般")
    assert e.value.rule == "penalty.within_benchmark" and "8000" in e.value.message
    case.refresh_from_db()
    assert case.state == "investigating"
    propose(cw, case, penalty_kinds=["fine"], fine_amount="9000", discretion_level="一般",
            discretion_reason="货值较大且拒不配合调查，经集体研究按一般档上浮")
    case.refresh_from_db()
    assert case.state == "proposed" and case.discretion_reason.startswith("货值较大")
    assert [d["kind"] for d in case.discretion_deviations] == ["fine_above_max"]


def test_no_benchmark_means_no_check(cw):
    case = to_investigating(cw, make_case(cw))
    propose(cw, case, penalty_kinds=["fine"], fine_amount="50000")
    case.refresh_from_db()
    assert case.state == "proposed" and case.discretion_deviations == []


def test_bad_level_and_gains_named(cw, bench):
    case = to_investigating(cw, make_case(cw))
    with pytest.raises(ActionRefused) as e:
        propose(cw, case, penalty_kinds=["fine"], fine_amount="5000", discretion_level="特别重")
    assert e.value.field == "discretion_level"
    with pytest.raises(ActionRefused) as e:
        propose(cw, case, penalty_kinds=["fine"], fine_amount="5000", discretion_level="一般", illegal_gains="abc")
    assert e.value.field == "illegal_gains"
