"""音像记录事项清单: a configured step cannot be completed, and the case cannot go on past it,
without an audio or video record of that step (rule records.av_required)."""
import datetime as dt

import pytest

from tests import factories
from tests.cases.helpers import v
from tests.cases.test_kinds import seize
from tests.records.conftest import add, jpeg, wav
from zhifa.cases import actions as case_actions
from zhifa.common.actions import ActionRefused
from zhifa.records.actions import do_set_av_requirements


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def test_seizure_needs_its_video_before_the_case_goes_on(cw):
    do_set_av_requirements(cw["smj"], ["seize"], acting_user=cw["head"])
    case = seize(cw)
    with pytest.raises(ActionRefused) as e:
        case_actions.do_release_seizure(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 10))
    assert e.value.rule == "records.av_required" and "查封、扣押" in e.value.message
    add(cw, case, data=jpeg(), step="seize")  # a photo is not an audio/video record
    with pytest.raises(ActionRefused):
        case_actions.do_release_seizure(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 10))
    add(cw, case, data=wav(), step="seize", title="扣押过程录音")
    case_actions.do_release_seizure(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 10))
    assert case.state == "released"


def test_other_entities_are_not_bound(cw):
    case = seize(cw)  # 七星关区市场监督管理局 has no list yet
    case_actions.do_release_seizure(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 10))


def test_only_the_head_or_an_admin_edits_the_list(cw):
    with pytest.raises(ActionRefused) as e:
        do_set_av_requirements(cw["smj"], ["seize"], acting_user=cw["u1"])
    assert e.value.rule == "records.av_list_editor"
    with pytest.raises(ActionRefused) as e:
        do_set_av_requirements(cw["smj"], ["nonsense"], acting_user=cw["head"])
    assert e.value.field == "steps"


def test_transition_offers_show_the_blocking_rule(cw):
    from zhifa.cases.actions import allowed_transitions

    do_set_av_requirements(cw["smj"], ["seize"], acting_user=cw["head"])
    case = seize(cw)
    offers = {o.name: o for o in allowed_transitions(case, cw["u1"], on=dt.date(2026, 3, 10))}
    assert not offers["release_seizure"].allowed and offers["release_seizure"].rule == "records.av_required"


def test_hearing_needs_its_recording(cw):
    w = cw
    do_set_av_requirements(w["smj"], ["hold_hearing"], acting_user=w["head"])
    case = factories.case(w)
    case_actions.do_file_case(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 3, 2))
    case_actions.do_approve_filing(case, acting_user=w["unit_head"], expected_version=v(case), on=dt.date(2026, 3, 3))
    case_actions.do_start_investigation(case, acting_user=w["u2"], expected_version=v(case), on=dt.date(2026, 3, 4))
    case_actions.do_propose(case, penalty_kinds=["fine"], fine_amount="20000", acting_user=w["u1"], expected_version=v(case),
                 on=dt.date(2026, 4, 1), facts="销售超过保质期的食品")
    case_actions.do_serve_notice(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 4, 2))
    case_actions.do_request_hearing(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 4, 8))
    case_actions.do_schedule_hearing(case, hearing_on=dt.date(2026, 4, 20), chair=w["h3"], acting_user=w["u1"],
                          expected_version=v(case), on=dt.date(2026, 4, 9))
    with pytest.raises(ActionRefused) as e:
        case_actions.do_hold_hearing(case, record="当事人到场申辩", acting_user=w["u3"], expected_version=v(case),
                          on=dt.date(2026, 4, 20))
    assert e.value.rule == "records.av_required" and "听证" in e.value.message
    add(w, case, data=wav(), step="hold_hearing", title="听证录音")
    case_actions.do_hold_hearing(case, record="当事人到场申辩", acting_user=w["u3"], expected_version=v(case), on=dt.date(2026, 4, 20))
