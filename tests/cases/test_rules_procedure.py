"""Notice (Arts. 44, 62), hearing (Arts. 63, 64), legal review (58), collective discussion (57)."""
import datetime as dt

import pytest

from tests import factories
from tests.builders import case_at, take
from tests.cases.helpers import decide, to_proposed, v
from tests.cases.test_rules_people import refused
from zhifa.cases import actions as case_actions
from zhifa.cases.models import CaseConfig
from zhifa.cases.rules import hearing_triggers
from zhifa.orgs import actions as org_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw
BIG = {"penalty_kinds": ["fine"], "fine_amount": "20000"}


def test_no_decision_without_served_notice(cw):
    case = case_at(cw, "proposed")
    e = refused("notice.served", decide, cw, case, dt.date(2026, 4, 20))
    assert "事先告知" in e.message


def test_express_waiver_allows_decision_without_notice(cw):
    case = case_at(cw, "proposed")
    case_actions.do_record_statement(case, waived=True, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 1))
    decide(cw, case, dt.date(2026, 4, 1))
    assert case.state == "decided"


def test_waiver_does_not_replace_notice_of_hearing_rights(cw):
    case = case_at(cw, "proposed", penalty=BIG)
    case_actions.do_record_statement(case, waived=True, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 1))
    refused("notice.served", decide, cw, case, dt.date(2026, 4, 1))


def test_statement_window_must_pass_unless_heard(cw):
    case = case_at(cw, "notified")  # served 2026-04-02, window to 04-10
    refused("statement.window_closed", decide, cw, case, dt.date(2026, 4, 10))
    decide(cw, case, dt.date(2026, 4, 13))


def test_hearing_triggers_use_entity_thresholds_and_kinds(cw):
    case = to_proposed(cw, factories.case(cw), penalty_kinds=["fine"], fine_amount="6000")
    assert hearing_triggers(case) == []
    org_actions.do_update_entity(cw["smj"], {"hearing_threshold_citizen": "5000"}, acting_user=cw["admin"])
    case.refresh_from_db()
    assert hearing_triggers(case) and "5000" in hearing_triggers(case)[0]
    case2 = to_proposed(cw, factories.case(cw, party=factories.org_party()), penalty_kinds=["fine"],
                        fine_amount="6000")
    assert hearing_triggers(case2) == []  # organisations: national default 100 000
    case3 = to_proposed(cw, factories.case(cw), penalty_kinds=["revoke_licence"])
    assert hearing_triggers(case3) == ["吊销许可证件"]


def test_notice_must_include_hearing_rights_when_triggered(cw):
    case = case_at(cw, "proposed", penalty=BIG)
    refused("notice.hearing_rights_included", case_actions.do_serve_notice, case, includes_hearing_rights=False,
            acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 2))


def test_no_hearing_request_when_not_applicable(cw):
    case = case_at(cw, "notified")
    refused("hearing.applicable", case_actions.do_request_hearing, case, acting_user=cw["u1"], expected_version=v(case),
            on=dt.date(2026, 4, 3))


def test_hearing_request_within_five_working_days(cw):
    case = case_at(cw, "notified", penalty=BIG)  # 04-02 + 5 wd (清明) = 04-10
    refused("hearing.request_window", case_actions.do_request_hearing, case, acting_user=cw["u1"], expected_version=v(case),
            on=dt.date(2026, 4, 13))
    case_actions.do_request_hearing(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 10))


def test_no_decision_before_hearing_window_closes_unless_waived(cw):
    case = case_at(cw, "notified", penalty=BIG)
    case_actions.do_record_statement(case, text="无异议", acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 3))
    refused("hearing.window_closed", decide, cw, case, dt.date(2026, 4, 10))
    case_actions.do_waive_hearing(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 7))
    decide(cw, case, dt.date(2026, 4, 7))


def _requested(cw):
    return case_at(cw, "hearing", penalty=BIG)  # requested 04-08


def test_hearing_notified_seven_working_days_before(cw):
    case = _requested(cw)  # notified 04-09 → earliest 04-20
    refused("hearing.notice_7wd", case_actions.do_schedule_hearing, case, hearing_on=dt.date(2026, 4, 17), chair=cw["h3"],
            acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 9))
    refused("hearing.notice_7wd", case_actions.do_hold_hearing, case, acting_user=cw["u1"], expected_version=v(case),
            on=dt.date(2026, 4, 20))
    case_actions.do_schedule_hearing(case, hearing_on=dt.date(2026, 4, 20), chair=cw["h3"], acting_user=cw["u1"],
                          expected_version=v(case), on=dt.date(2026, 4, 9))
    refused("hearing.notice_7wd", case_actions.do_hold_hearing, case, acting_user=cw["u3"], expected_version=v(case),
            on=dt.date(2026, 4, 17))


def test_hearing_chair_is_not_an_investigator(cw):
    case = _requested(cw)
    refused("hearing.chair_not_investigator", case_actions.do_schedule_hearing, case, hearing_on=dt.date(2026, 4, 20),
            chair=cw["h2"], acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 9))


def test_requested_hearing_must_be_held_before_decision(cw):
    case = _requested(cw)
    refused("hearing.held_if_requested", decide, cw, case, dt.date(2026, 4, 20))


def test_legal_review_required_after_hearing(cw):
    case = _requested(cw)
    take(cw, case, "schedule_hearing")  # on 04-09 for 04-20, chaired by h3
    take(cw, case, "hold_hearing")
    e = refused("review.passed_if_required", decide, cw, case, dt.date(2026, 4, 21))
    assert "经过听证程序" in e.message


def _flagged(cw, **flags):
    case = to_proposed(cw, factories.case(cw), penalty_kinds=["warning"], **flags)
    case_actions.do_record_statement(case, waived=True, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 1))
    return case


def test_legal_review_required_for_major_public_interest_and_failed_review_blocks(cw):
    case = _flagged(cw, major_public_interest=True)
    refused("review.passed_if_required", decide, cw, case, dt.date(2026, 4, 2))
    case_actions.do_submit_legal_review(case, reviewer=cw["rev"], acting_user=cw["u1"], expected_version=v(case),
                             on=dt.date(2026, 4, 2))
    case_actions.do_record_legal_review(case, outcome="problems", opinion="证据不足", acting_user=cw["rev"],
                             expected_version=v(case), on=dt.date(2026, 4, 3))
    assert case.state == "proposed"
    refused("review.passed_if_required", decide, cw, case, dt.date(2026, 4, 3))
    case_actions.do_submit_legal_review(case, reviewer=cw["rev"], acting_user=cw["u1"], expected_version=v(case),
                             on=dt.date(2026, 4, 7))
    case_actions.do_record_legal_review(case, outcome="agree", opinion="同意", acting_user=cw["rev"],
                             expected_version=v(case), on=dt.date(2026, 4, 8))
    decide(cw, case, dt.date(2026, 4, 8))


def test_after_failed_review_heads_may_decide_collectively(cw):
    case = _flagged(cw, law_requires_review=True)
    case_actions.do_submit_legal_review(case, reviewer=cw["rev"], acting_user=cw["u1"], expected_version=v(case),
                             on=dt.date(2026, 4, 2))
    case_actions.do_record_legal_review(case, outcome="problems", opinion="裁量偏重", acting_user=cw["rev"],
                             expected_version=v(case), on=dt.date(2026, 4, 3))
    case_actions.do_hold_collective_discussion(case, participants="局长、副局长", conclusion="维持原拟处理意见",
                                    acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 4, 7))
    decide(cw, case, dt.date(2026, 4, 7))


def test_entity_may_review_all_general_penalties(cw):
    CaseConfig.objects.create(entity=cw["smj"], review_all_general=True)
    case = _flagged(cw)
    refused("review.passed_if_required", decide, cw, case, dt.date(2026, 4, 2))


def test_reviewer_must_be_a_legal_reviewer(cw):
    case = _flagged(cw, complex=True)
    refused("review.reviewer_qualified", case_actions.do_submit_legal_review, case, reviewer=cw["head"], acting_user=cw["u1"],
            expected_version=v(case), on=dt.date(2026, 4, 2))


def test_reviewer_is_never_a_handler(cw):
    case = factories.case(cw, officers=[(cw["h1"], "lead"), (cw["h2"], "assist"), (cw["rev_officer"], "assist")])
    case_actions.do_assign_officers(case, remove=[cw["rev_officer"]], acting_user=cw["unit_head"], expected_version=1,
                         on=dt.date(2026, 3, 2))
    to_proposed(cw, case, penalty_kinds=["warning"], complex=True)
    refused("review.reviewer_not_handler", case_actions.do_submit_legal_review, case, reviewer=cw["rev"],
            acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 2))


def test_only_the_assigned_reviewer_records(cw):
    other = factories.certified_officer(cw["smj"], cw["smj_unit2"], "另一审核员", login_role="legal_reviewer",
                                        legal_qualification=True, legal_qualification_no="A1",
                                        is_legal_reviewer=True)
    case = _flagged(cw, complex=True)
    case_actions.do_submit_legal_review(case, reviewer=cw["rev"], acting_user=cw["u1"], expected_version=v(case),
                             on=dt.date(2026, 4, 2))
    refused("review.assigned_reviewer", case_actions.do_record_legal_review, case, outcome="agree", opinion="同意",
            acting_user=other.user, expected_version=v(case), on=dt.date(2026, 4, 3))


def test_collective_discussion_for_complex_cases_chaired_by_head(cw):
    case = _flagged(cw, complex=True)
    case_actions.do_submit_legal_review(case, reviewer=cw["rev"], acting_user=cw["u1"], expected_version=v(case),
                             on=dt.date(2026, 4, 2))
    case_actions.do_record_legal_review(case, outcome="agree", opinion="同意", acting_user=cw["rev"],
                             expected_version=v(case), on=dt.date(2026, 4, 3))
    refused("discussion.held_if_required", decide, cw, case, dt.date(2026, 4, 3))
    refused("case.role", case_actions.do_hold_collective_discussion, case, participants="x", conclusion="y",
            acting_user=cw["unit_head"], expected_version=v(case), on=dt.date(2026, 4, 3))
    case_actions.do_hold_collective_discussion(case, participants="局长、副局长、法规科长", conclusion="同意处罚",
                                    acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 4, 3))
    decide(cw, case, dt.date(2026, 4, 3))


def test_decision_not_heavier_than_notified(cw):
    case = case_at(cw, "notified")
    case_actions.do_record_statement(case, waived=True, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 3))
    refused("penalty.not_heavier_than_notified", decide, cw, case, dt.date(2026, 4, 3), penalty_kinds=["fine"],
            fine_amount="8000")
    decide(cw, case, dt.date(2026, 4, 3), penalty_kinds=["fine"], fine_amount="3000")
    assert str(case.fine_amount) == "3000.00" and case.penalty_kinds == ["fine"]
