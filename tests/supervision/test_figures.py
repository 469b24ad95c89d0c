"""Supervision figures: each equals the cases counted one by one, each link lists exactly those
cases, and scope follows the supervisor's region (county vs city)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from tests.cases.helpers import decide, to_notified
from tests.supervision.helpers import one_by_one, other_county_case, overdue_case
from zhifa.cases.models import Case
from zhifa.supervision import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


@pytest.fixture
def cases(cw):
    decided = to_notified(cw, factories.case(cw), fine_amount="3000", penalty_kinds=["fine"])
    decide(cw, decided, dt.date(2026, 4, 15))
    return {"overdue": overdue_case(cw), "registered": factories.case(cw), "decided": decided,
            "df": other_county_case(cw)}


def test_totals_match_cases_counted_one_by_one(cw, cases):
    today = timezone.localdate()
    for user, region in ((cw["sup_county"], cw["regions"]["county"]), (cw["sup_city"], cw["regions"]["city"])):
        visible = [c for c in Case.objects.all() if c.entity.region.path.startswith(region.path)]
        expected = one_by_one(visible, today)
        assert figures.totals(user, today, region=figures.home_region(user)) == expected
        for metric in figures.metrics(today):
            listed = set(figures.metric_cases(user, metric, today).values_list("pk", flat=True))
            assert len(listed) == expected[metric], metric
    city = figures.totals(cw["sup_city"], today)
    assert city["all"] == 4 and city["decided"] == 1 and city["fines"] == Decimal("3000")
    assert city["overdue"] >= 1


def test_by_entity_and_child_region(cw, cases):
    today = timezone.localdate()
    rows = {r["entity__name"]: r for r in figures.by_entity(cw["sup_city"], today)}
    assert rows["七星关区市场监督管理局"]["all"] == 3 and rows["大方县市场监督管理局"]["all"] == 1
    assert {r["entity__name"] for r in figures.by_entity(cw["sup_county"], today)} == {"七星关区市场监督管理局"}
    children = {r["region"].name: r["all"] for r in figures.by_child_region(cw["sup_city"], today, cw["regions"]["city"])}
    assert children == {"七星关区": 3, "大方县": 1}


def test_by_officer(cw, cases):
    today = timezone.localdate()
    rows = {r["officer"].name: r for r in figures.by_officer(cw["sup_county"], today, cw["smj"])}
    assert rows["刘一"]["all"] == 3 and rows["刘一"]["decided"] == 1
    listed = figures.metric_cases(cw["sup_county"], "decided", today, entity=cw["smj"], officer=cw["h1"])
    assert list(listed) == [cases["decided"]]


def test_county_supervisor_does_not_see_the_other_county(cw, cases):
    today = timezone.localdate()
    assert figures.totals(cw["sup_county"], today)["all"] == 3
    assert not figures.region_allowed(cw["sup_county"], cw["regions"]["county2"])
    assert figures.region_allowed(cw["sup_city"], cw["regions"]["county2"])
    assert figures.totals(cw["head"], today)["all"] == 3  # a head sees its own entity only
