"""The figures rollup (built by the background task) gives exactly the live figures, is read only while
fresh, and after a transition serves the unchanged entities while the changed ones are aggregated live."""
import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.cases.helpers import decide, to_notified
from tests.supervision.helpers import other_county_case, overdue_case
from zhifa.supervision import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def everything(user, today):
    region = figures.home_region(user)
    out = {"totals": figures.totals(user, today, region=region), "entities": figures.by_entity(user, today, region=region),
           "children": figures.by_child_region(user, today, figures.home_region(user).parent or region)}
    for year in (2025, 2026):
        out[year] = (figures.totals(user, today, region=region, year=year), figures.by_entity(user, today, region=region, year=year))
    return out


def live(user, today, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(figures, "USE_ROLLUP", False)
        return everything(user, today)


def test_rollup_equals_live_and_goes_stale_on_a_transition(cw, monkeypatch):
    decided = to_notified(cw, factories.case(cw), fine_amount="3000", penalty_kinds=["fine"])
    decide(cw, decided, dt.date(2026, 4, 15))
    overdue_case(cw)
    other_county_case(cw)
    today = timezone.localdate()
    assert not figures.rollup_fresh(today)
    r = figures.refresh_rollup(today)
    assert r["rows"] >= 2 and figures.rollup_fresh(today)
    for user in (cw["sup_county"], cw["sup_city"]):
        expected = live(user, today, monkeypatch)
        monkeypatch.setattr(figures, "scoped_cases", lambda *a, **k: pytest.fail("live query"))
        assert everything(user, today) == expected
        monkeypatch.undo()
    assert not figures.rollup_fresh(today + __import__("datetime").timedelta(days=1))  # a new day: overdue moves
    new = factories.case(cw)  # a new case (a transition): not fresh until the task rebuilds ...
    assert not figures.rollup_fresh(today)
    state = figures.rollup_state(today)
    assert figures.changed_entities(state) == {new.entity_id}
    # ... yet the figures stay exact: the rollup for the other entities, the changed one live
    for user in (cw["sup_county"], cw["sup_city"]):
        rows, live_cases, changed = figures.split_rollup(user, today)
        assert changed == [new.entity_id]
        assert rows is not None and set(live_cases.values_list("entity_id", flat=True)) == {new.entity_id}
        assert everything(user, today) == live(user, today, monkeypatch)
    assert figures.totals(cw["sup_city"], today)["all"] == 4
    figures.refresh_rollup(today)
    assert figures.rollup_fresh(today) and figures.changed_entities(figures.rollup_state(today)) == set()


def test_transition_on_a_rolled_up_case_is_exact_at_once(cw, monkeypatch):
    case = to_notified(cw, factories.case(cw), fine_amount="3000", penalty_kinds=["fine"])
    today = timezone.localdate()
    figures.refresh_rollup(today)
    before = figures.totals(cw["sup_county"], today)
    decide(cw, case, dt.date(2026, 4, 15))  # decided_on and fine change on a case already in the rollup
    after = figures.totals(cw["sup_county"], today)
    assert after == live(cw["sup_county"], today, monkeypatch)["totals"]
    assert after["decided"] == before["decided"] + 1 and after["fines"] == before["fines"] + 3000


def test_rollup_not_used_for_officers_or_other_roles(cw):
    overdue_case(cw)
    today = timezone.localdate()
    figures.refresh_rollup(today)
    assert figures.split_rollup(cw["head"], today)[0] is None
    assert figures.split_rollup(cw["sup_county"], today, officer=cw["h1"])[0] is None
    assert figures.split_rollup(cw["sup_county"], today)[0] is not None


@pytest.mark.parametrize("use_rollup", [True, False])
def test_region_figures_equal_the_three_aggregations(cw, monkeypatch, use_rollup):
    decided = to_notified(cw, factories.case(cw), fine_amount="3000", penalty_kinds=["fine"])
    decide(cw, decided, dt.date(2026, 4, 15))
    overdue_case(cw)
    other_county_case(cw)
    today = timezone.localdate()
    figures.refresh_rollup(today)
    factories.case(cw)  # one changed entity: rollup and live mixed
    monkeypatch.setattr(figures, "USE_ROLLUP", use_rollup)
    for user in (cw["sup_county"], cw["sup_city"]):
        for region in (figures.home_region(user), figures.home_region(user).parent):
            if region is None or not figures.region_allowed(user, region):
                continue
            for year in (None, 2026):
                total, children, entities = figures.region_figures(user, today, region, year)
                assert total == figures.totals(user, today, region=region, year=year)
                for child in children:  # each child region's sum equals its own aggregation
                    own = figures.totals(user, today, region=child["region"], year=year)
                    assert {k: child[k] for k in own} == own
                assert {c["region"].pk for c in children} == {
                    c.pk for c in figures.Region.objects.filter(parent=region)
                    if figures.totals(user, today, region=c, year=year)["all"]}
                assert entities == figures.by_entity(user, today, region=region, year=year)
                assert total["all"] == sum(r["all"] for r in entities) > 0


def test_a_rollup_of_an_earlier_day_serves_all_but_the_entities_with_deadlines_falling_due(cw, monkeypatch):
    """The decision deadline of overdue_case runs to 2026-06-01 and the case is overdue from 06-02. A rollup
    built on 06-01 carries the next day's overdue: on 06-02 (before the nightly rebuild) every entity
    is still read from it. Built on 05-31 and read on 06-02 (a rebuild missed), the case's entity is
    aggregated live. Either way the figures equal the live ones, also after the refresh marks it breached."""
    import datetime as dt

    from zhifa.cases.deadlines import refresh_deadlines
    from zhifa.cases.models import Deadline

    case = overdue_case(cw)
    other_county_case(cw)
    due = Deadline.objects.filter(case=case, state=Deadline.State.RUNNING, known=True).order_by("due_on").first().due_on
    day_after = due + dt.timedelta(days=1)
    for built, changed in ((due, set()), (due - dt.timedelta(days=1), {case.entity_id})):
        figures.refresh_rollup(built)
        state = figures.rollup_state(day_after)
        assert state is not None and not figures.rollup_fresh(day_after)
        assert figures.changed_entities(state, day_after) == changed
        for user in (cw["sup_county"], cw["sup_city"]):
            assert everything(user, day_after) == live(user, day_after, monkeypatch)
            assert figures.totals(user, day_after)["overdue"] == figures.totals(user, due)["overdue"] + 1
    assert figures.rollup_state(due - dt.timedelta(days=2)) is None  # never read for a day before it was built
    # the next night's refresh marks the period breached before the rollup is rebuilt: still exact
    assert refresh_deadlines(day_after) >= 1
    for user in (cw["sup_county"], cw["sup_city"]):
        assert everything(user, day_after) == live(user, day_after, monkeypatch)


def test_a_party_window_lapsing_is_not_overdue(cw):
    """陈述申辩 / 听证申请 are the party's windows: their lapse is no breach by the agency (as in the alerts)."""
    import datetime as dt

    from zhifa.cases import deadlines

    case = factories.case(cw)
    deadlines.close_deadline(case, "filing", dt.date(2026, 3, 3))  # the filing decision was in time
    dl = deadlines.open_deadline(case, "statement_defence", dt.date(2026, 5, 6))
    after = dl.due_on + dt.timedelta(days=1)
    assert figures.metric_cases(cw["sup_county"], "overdue", after).filter(pk=case.pk).count() == 0
    deadlines.close_deadline(case, "statement_defence", dt.date(2026, 5, 7))
    late = deadlines.open_deadline(case, "decision", dt.date(2026, 3, 3))
    assert figures.metric_cases(cw["sup_county"], "overdue", late.due_on + dt.timedelta(days=1)).filter(pk=case.pk).count() == 1




def test_a_publication_approved_after_the_rollup_shows_at_once(cw, monkeypatch):
    """Approving a publication is no case transition: the entity still counts as changed."""
    from tests.disclosure.conftest import decided_case
    from zhifa.disclosure.actions import publications as publication_actions

    pub = decided_case(cw).publication
    today = timezone.localdate()
    figures.refresh_rollup(today)
    assert figures.changed_entities(figures.rollup_state(today), today) == set()
    before = figures.totals(cw["sup_county"], today)["published"]
    publication_actions.do_approve(pub, acting_user=cw["head"], on=today)
    assert figures.changed_entities(figures.rollup_state(today), today) == {pub.entity_id}
    after = figures.totals(cw["sup_county"], today)
    assert after["published"] == before + 1 and after == live(cw["sup_county"], today, monkeypatch)["totals"]
