"""Guards repeated on several transitions: each occurrence has a test that fails without it."""
import datetime as dt

import pytest

from tests import factories
from tests.builders import case_at, take
from tests.cases.helpers import decide, to_proposed, v
from tests.cases.test_kinds import seize, spot
from tests.cases.test_rules_people import refused
from zhifa.cases import actions as case_actions
from zhifa.orgs import actions as org_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def expire_h2(cw, last_valid_day):
    cert = cw["h2"].certificates.get()
    org_actions.do_update_certificate(cert, {"expires_on": last_valid_day}, acting_user=cw["admin"])


STEPS = ["approve_filing", "start_investigation", "propose", "serve_notice", "decide"]


@pytest.mark.parametrize("step", STEPS)
def test_two_certified_officers_at_every_step(cw, step):
    case = factories.case(cw)
    day = dt.date(2026, 3, 2)
    case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=1, on=day)
    calls = {
        "approve_filing": lambda: case_actions.do_approve_filing(case, acting_user=cw["unit_head"], expected_version=v(case),
                                                      on=day),
        "start_investigation": lambda: case_actions.do_start_investigation(case, acting_user=cw["u1"],
                                                                expected_version=v(case), on=day),
        "propose": lambda: case_actions.do_propose(case, penalty_kinds=["warning"], acting_user=cw["u1"],
                                        expected_version=v(case), on=day),
        "serve_notice": lambda: case_actions.do_serve_notice(case, acting_user=cw["u1"], expected_version=v(case), on=day),
        "decide": lambda: decide(cw, case, dt.date(2026, 3, 10)),
    }
    for name in STEPS[:STEPS.index(step)]:
        calls[name]()
    expire_h2(cw, dt.date(2026, 3, 1))
    refused("officers.two_certified", calls[step])


def test_two_certified_for_inspection_steps(cw):
    insp = case_actions.do_plan_inspection({"entity": cw["smj"], "title": "检查"}, officers=[(cw["h1"], "lead"),
                                (cw["h2"], "assist")], acting_user=cw["u1"], on=dt.date(2026, 3, 2))
    expire_h2(cw, dt.date(2026, 3, 1))
    refused("officers.two_certified", case_actions.do_start_inspection, insp, acting_user=cw["u1"], expected_version=1,
            on=dt.date(2026, 3, 2))
    expire_h2(cw, dt.date(2026, 3, 2))
    case_actions.do_start_inspection(insp, acting_user=cw["u1"], expected_version=1, on=dt.date(2026, 3, 2))
    refused("officers.two_certified", case_actions.do_record_inspection_result, insp, result="无问题", problems_found=False,
            acting_user=cw["u1"], expected_version=2, on=dt.date(2026, 3, 3))


def test_two_certified_for_spot_penalty_and_seizure(cw):
    expire_h2(cw, dt.date(2026, 3, 1))
    refused("officers.two_certified", spot, cw, factories.person_party(), "50")
    refused("officers.two_certified", seize, cw)


def test_officers_of_the_entity_only_everywhere(cw):
    outsider = [(cw["h1"], "lead"), (cw["o_hbj"], "assist")]
    refused("officers.same_entity", case_actions.do_on_the_spot_penalty,
            {"entity": cw["smj"], "title": "x", "penalty_kinds": ["warning"]}, place="某地",
            party=factories.person_party(), officers=outsider, acting_user=cw["u1"], on=dt.date(2026, 3, 2))
    refused("officers.same_entity", case_actions.do_seize, {"entity": cw["smj"], "title": "x"}, measure="seize",
            items=[{"name": "物品"}], party=factories.org_party(), officers=outsider,
            acting_user=cw["u1"], on=dt.date(2026, 3, 2))
    refused("officers.same_entity", case_actions.do_plan_inspection, {"entity": cw["smj"], "title": "x"}, officers=outsider,
            acting_user=cw["u1"], on=dt.date(2026, 3, 2))
    insp = case_actions.do_plan_inspection({"entity": cw["smj"], "title": "x"}, acting_user=cw["unit_head"], on=dt.date(2026, 3, 2))
    refused("officers.same_entity", case_actions.do_assign_officers, insp, [(cw["o_df"], "lead")],
            acting_user=cw["unit_head"], expected_version=1, on=dt.date(2026, 3, 2))
    case = factories.case(cw)
    refused("officers.same_entity", case_actions.do_assign_officers, case, [(cw["o_zy"], "assist")],
            acting_user=cw["unit_head"], expected_version=1, on=dt.date(2026, 3, 2))


def test_waiver_of_hearing_only_when_applicable(cw):
    case = case_at(cw, "notified")
    refused("hearing.applicable", case_actions.do_waive_hearing, case, acting_user=cw["u1"], expected_version=v(case),
            on=dt.date(2026, 4, 3))


def _scheduled(cw):
    case = case_at(cw, "hearing", penalty={"penalty_kinds": ["fine"], "fine_amount": "20000"})
    return take(cw, case, "schedule_hearing")  # requested 04-08, noticed 04-09 for 04-20, chaired by h3


def test_chair_who_became_an_investigator_cannot_hold_the_hearing(cw):
    case = _scheduled(cw)
    case_actions.do_assign_officers(case, [(cw["h3"], "assist")], acting_user=cw["unit_head"], expected_version=v(case),
                         on=dt.date(2026, 4, 10))
    refused("hearing.chair_not_investigator", case_actions.do_hold_hearing, case, acting_user=cw["u1"],
            expected_version=v(case), on=dt.date(2026, 4, 20))


def test_no_review_or_discussion_before_a_requested_hearing(cw):
    case = _scheduled(cw)
    refused("hearing.held_if_requested", case_actions.do_submit_legal_review, case, reviewer=cw["rev"], acting_user=cw["u1"],
            expected_version=v(case), on=dt.date(2026, 4, 10))
    refused("hearing.held_if_requested", case_actions.do_hold_collective_discussion, case, participants="x", conclusion="y",
            acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 4, 10))


def _submitted(cw):
    case = to_proposed(cw, factories.case(cw), penalty_kinds=["warning"], complex=True)
    case_actions.do_submit_legal_review(case, reviewer=cw["rev"], acting_user=cw["u1"], expected_version=v(case),
                             on=dt.date(2026, 4, 2))
    return case


@pytest.mark.parametrize("outcome", ["agree", "problems"])
def test_reviewer_rechecked_when_recording(cw, outcome):
    case = _submitted(cw)
    org_actions.do_update_officer(cw["rev_officer"], {"is_legal_reviewer": False}, acting_user=cw["admin"])
    refused("review.reviewer_qualified", case_actions.do_record_legal_review, case, outcome=outcome, opinion="意见",
            acting_user=cw["rev"], expected_version=v(case), on=dt.date(2026, 4, 3))


@pytest.mark.parametrize("outcome", ["agree", "problems"])
def test_reviewer_who_became_a_handler_cannot_record(cw, outcome):
    case = _submitted(cw)
    case_actions.do_assign_officers(case, [(cw["rev_officer"], "assist")], acting_user=cw["unit_head"],
                         expected_version=v(case), on=dt.date(2026, 4, 2))
    refused("review.reviewer_not_handler", case_actions.do_record_legal_review, case, outcome=outcome, opinion="意见",
            acting_user=cw["rev"], expected_version=v(case), on=dt.date(2026, 4, 3))


def test_only_assigned_reviewer_records_problems(cw):
    other = factories.certified_officer(cw["smj"], cw["smj_unit2"], "另一审核员", login_role="legal_reviewer",
                                        legal_qualification=True, legal_qualification_no="A2",
                                        is_legal_reviewer=True)
    case = _submitted(cw)
    refused("review.assigned_reviewer", case_actions.do_record_legal_review, case, outcome="problems", opinion="意见",
            acting_user=other.user, expected_version=v(case), on=dt.date(2026, 4, 3))


@pytest.mark.parametrize("action", ["suspend", "revoke", "transfer"])
def test_reasons_required(cw, action):
    case = case_at(cw, "investigating")
    extra = {"transfer_kind": "agency", "transfer_to": "七星关区农业农村局"} if action == "transfer" else {}
    refused("case.reason_given", getattr(case_actions, f"do_{action}"), case, reason="", acting_user=cw["head"],
            expected_version=v(case), on=dt.date(2026, 3, 4), **extra)
