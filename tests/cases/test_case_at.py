"""case_at(state) (tests/builders.py) reaches every state of every kind's machine through the actions."""
import datetime as dt

import pytest
import time_machine

from tests import builders
from zhifa.cases import machine
from zhifa.cases.models import Case, CaseEvent, Kind

pytestmark = pytest.mark.django_db

# After every day in builders.DAYS, so the tests do not depend on the date they run.
TODAY = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module", autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def timeline(case):
    return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("transition", flat=True))


@pytest.mark.parametrize("kind,state", builders.every_state(), ids=[f"{k}-{s}" for k, s in builders.every_state()])
def test_case_at_reaches_every_state(cw, kind, state):
    case = builders.case_at(cw, state, kind=kind)
    assert (case.kind, case.state) == (kind, state)
    assert timeline(case) == builders.route(kind, state)
    assert case.version == len(timeline(case))
    assert CaseEvent.objects.filter(case=case).order_by("id").last().to_state == state


def test_every_state_and_transition_is_covered():
    firsts = {kind: [t.name for t in table.values() if t.sources == ("",)] for kind, table in machine.MACHINES.items()}
    for kind, table in machine.MACHINES.items():
        assert set(table) - set(firsts[kind]) == set(builders.STEPS[kind]), kind
        assert builders.LINES[kind](builders.Options())[0] in firsts[kind]
    assert {kind for kind, _state in builders.every_state()} == set(Kind.values)
    assert len(builders.every_state()) == sum(len(states) for states in machine.STATES.values())


def test_the_line_takes_the_detours_asked_for(cw):
    heard = builders.case_at(cw, "decided", hearing=True)
    assert heard.hearing_held_on == dt.date(2026, 4, 20) and heard.fine_amount == 20000
    assert timeline(heard)[-6:] == ["request_hearing", "schedule_hearing", "hold_hearing", "submit_legal_review",
                                    "review_pass", "decide"]
    complex_case = builders.case_at(cw, "decided", details={"complex": True})  # Arts. 57, 58
    assert timeline(complex_case)[-4:] == ["submit_legal_review", "review_pass", "hold_collective_discussion",
                                           "decide"]
    warned = builders.case_at(cw, "closed", penalty={"penalty_kinds": ["warning"]})
    assert "record_payment" not in timeline(warned) and warned.closed_on == dt.date(2026, 5, 11)


def test_exits_from_any_state_they_leave(cw):
    late = builders.case_at(cw, "transferred", from_state="investigating")
    assert timeline(late)[-2:] == ["start_investigation", "transfer"] and late.transfer_to == cw["hbj"].name
    revoked = builders.case_at(cw, "archived", from_state="revoked", dates={"revoke": dt.date(2026, 3, 20)})
    assert timeline(revoked) == ["register", "file_case", "approve_filing", "revoke", "archive"]
    assert revoked.archived_on == dt.date(2026, 5, 12) and revoked.last_action_on == dt.date(2026, 5, 12)
    converted = builders.case_at(cw, "closed", kind=Kind.COERCIVE, from_state="converted")
    assert Case.objects.filter(source_case=converted, state="registered").exists()
    with pytest.raises(ValueError):
        builders.route(Kind.PENALTY_GENERAL, "revoked", from_state="registered")


def test_advance_continues_a_case_and_take_runs_one_step(cw):
    case = builders.case_at(cw, "proposed", title="无证经营案", details={"facts": "无证经营"})
    assert case.title == "无证经营案" and case.facts == "无证经营"
    builders.advance(cw, case, "served")
    assert case.state == "served" and timeline(case)[-4:] == ["serve_notice", "record_statement", "decide",
                                                              "serve_decision"]
    builders.take(cw, case, "record_payment", amount="1000")
    assert case.state == "executing" and case.paid_amount == 1000
    with pytest.raises(ValueError):
        builders.advance(cw, case, "filed")


def test_the_case_at_fixture_binds_the_case_world(case_at, cw):
    case = case_at("investigating")
    assert case.state == "investigating" and case.entity == cw["smj"] and case.number == "七市监立〔2026〕1号"
