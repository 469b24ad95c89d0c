"""The figures rollup (built by the background task) gives exactly the live figures, is read only while
fresh, and any new transition sends the pages back to the live aggregation."""
import pytest
from django.utils import timezone

from tests import factories
from tests.cases.helpers import decide, to_notified
from tests.supervision.helpers import D, other_county_case, overdue_case
from zhifa.supervision import figures as F

pytestmark = pytest.mark.django_db


def everything(user, today):
    region = F.home_region(user)
    out = {"totals": F.totals(user, today, region=region), "entities": F.by_entity(user, today, region=region),
           "children": F.by_child_region(user, today, F.home_region(user).parent or region)}
    for year in (2025, 2026):
        out[year] = (F.totals(user, today, region=region, year=year), F.by_entity(user, today, region=region, year=year))
    return out


def live(user, today, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(F, "USE_ROLLUP", False)
        return everything(user, today)


def test_rollup_equals_live_and_goes_stale_on_a_transition(cw, monkeypatch):
    decided = to_notified(cw, factories.case(cw), fine_amount="3000", penalty_kinds=["fine"])
    decide(cw, decided, D(2026, 4, 15))
    overdue_case(cw)
    other_county_case(cw)
    today = timezone.localdate()
    assert not F.rollup_fresh(today)
    r = F.refresh_rollup(today)
    assert r["rows"] >= 2 and F.rollup_fresh(today)
    for user in (cw["sup_county"], cw["sup_city"]):
        expected = live(user, today, monkeypatch)
        calls = []
        monkeypatch.setattr(F, "scoped_cases", lambda *a, **k: calls.append(1) or pytest.fail("live query"))
        assert everything(user, today) == expected
        monkeypatch.undo()
    assert not F.rollup_fresh(today + __import__("datetime").timedelta(days=1))  # a new day: overdue moves
    factories.case(cw)  # a new case (a transition): stale until the task rebuilds
    assert not F.rollup_fresh(today)
    assert F.totals(cw["sup_city"], today)["all"] == 4


def test_rollup_not_used_for_officers_or_other_roles(cw):
    overdue_case(cw)
    today = timezone.localdate()
    F.refresh_rollup(today)
    assert F._rollup(cw["head"], today) is None
    assert F._rollup(cw["sup_county"], today, officer=cw["h1"]) is None
    assert F._rollup(cw["sup_county"], today) is not None
