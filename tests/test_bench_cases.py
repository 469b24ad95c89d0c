"""`zhifa bench cases`: the open-case fixture looks like what the actions write, the closure driver
takes cases to 结案, and the whole suite runs end to end at a tiny scale on SQLite."""
import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture
def desk(world):
    from zhifa.cases.rules import hearing_thresholds
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar
    from zhifa.site.bench.cases_data import Desk

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    w = factories.case_world(world)
    officers = [w["h1"], w["h2"], w["h3"], factories.certified_officer(w["smj"], w["smj_unit"], "赵四",
                                                                        login_role="officer")]
    yield Desk(entity=w["smj"], unit=w["smj_unit"], field="市场监管", officers=officers, head=w["head"],
               unit_head=w["unit_head"], reviewer=w["rev"], items=[w["item"]], thresholds=hearing_thresholds(w["smj"]))
    periods.clear_cache()


WINDOW = (dt.date(2026, 3, 2), dt.date(2026, 11, 20))
NEXT = {  # a real next transition for each fixture state: (action, role, payload)
    "registered": ("do_file_case", "lead", {}),
    "filing_pending": ("do_approve_filing", "unit_head", {}),
    "filed": ("do_start_investigation", "lead", {}),
    "investigating": ("do_propose", "lead", {"penalty_kinds": ["warning"]}),
    "decided": ("do_serve_decision", "lead", {}),
    "served": ("do_record_payment", "lead", {"amount": "100"}),
    "legal_review": ("do_record_legal_review", "reviewer", {"outcome": "agree", "opinion": "同意"}),
    "planned": ("do_start_inspection", "lead", {}),
    "seized": ("do_release_seizure", "lead", {}),
}


@pytest.mark.django_db
def test_open_case_fixture_matches_what_the_actions_write(desk):
    from zhifa.cases import actions as case_actions
    from zhifa.cases.models import Case, CaseEvent, Deadline
    from zhifa.site.bench.cases_data import OpenCaseFactory

    factory = OpenCaseFactory([desk], *WINDOW, seed=3)
    for i in range(300):
        factory.make(i)
    rows = factory.write()
    assert rows["cases"] == 300 == Case.objects.open().count()
    states = Counter(Case.objects.values_list("state", flat=True))
    assert {"registered", "investigating", "notified", "decided", "served", "executing", "planned", "seized"} <= set(states)
    for case in Case.objects.all():
        events = list(CaseEvent.objects.filter(case=case).order_by("id"))
        assert case.version == len(events) and events[-1].to_state == case.state
        assert all(a.to_state == b.from_state for a, b in zip(events, events[1:])) and events[0].from_state == ""
        kinds = {d.kind: d.state for d in case.deadlines.all()}
        if case.state in ("filed", "investigating", "proposed"):
            assert kinds == {"decision": "running"}
        if case.state == "decided":
            assert kinds["decision"] in ("met", "breached") and kinds["service"] == "running"
        if case.state in ("served", "executing"):
            assert kinds["service"] in ("met", "breached") and "payment" in kinds
        if case.state in ("registered", "filing_pending", "planned", "inspecting"):
            assert kinds == {}
    for dl in Deadline.objects.filter(known=True):  # due dates as deadlines.open_deadline computes them
        from zhifa.legalcal import periods

        p = periods.PERIODS[dl.kind]
        assert dl.due_on == periods.add_period(dl.started_on, p.n, p.unit).date
    numbers = list(Case.objects.exclude(number="").values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    # Each state accepts its real next transition (the rows are what the actions expect).
    users = {"lead": None, "unit_head": desk.unit_head, "reviewer": desk.reviewer}
    for state, (action, who, payload) in NEXT.items():
        case = Case.objects.filter(state=state).first()
        if case is None:
            continue
        lead = case.officers.get(role="lead").officer.user
        case = getattr(case_actions, action)(case, acting_user=users[who] or lead, expected_version=case.version,
                                  on=case.last_action_on, **payload)
        assert case.version == CaseEvent.objects.filter(case=case).count()


@pytest.mark.django_db
def test_closure_driver_takes_each_path_to_closed(desk):
    from zhifa.cases.models import Case
    from zhifa.site.bench.cases_data import closure_plans, drive

    plans = closure_plans([desk], 40, *WINDOW, seed=5)
    assert {p.path for p in plans} >= {"short", "hearing", "warning"}
    for plan in plans:
        assert drive(plan, [desk]) >= 10
    assert Case.objects.filter(state="closed").count() == 40
    from zhifa.site.bench.cases import closure_checks

    assert closure_checks(40)["numbers_ok"]


@pytest.mark.slow
def test_bench_cases_small(tmp_path):
    doc = tmp_path / "benchmarks.md"
    out = io.StringIO()
    call_command("bench", "cases", "--scale", "county", "--database-url", f"sqlite:///{tmp_path / 'bench.sqlite3'}",
                 "--cases", "12", "--workers", "1", "--writers", "1", "--numbers", "10", "--open-cases", "200",
                 "--queue-requests", "12", "--doc", str(doc), stdout=out)
    text = doc.read_text(encoding="utf-8")
    assert "## cases" in text and "SQLite" in text
    assert "12 general-procedure cases 案源登记 → 结案 through the actions, 1 process (" in text
    assert "12 closed, 0 refused" in text
    assert "0 duplicates, 0 gaps" in text and "GET /api/v1/cases/queue" in text
    assert "fixture: 200 open cases bulk-created" in text
    assert not (tmp_path / "bench.sqlite3").exists()
