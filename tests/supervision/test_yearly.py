"""Yearly figures for the demo region (`zhifa seed county`): every figure of every year equals
the demo cases counted one by one, for the region and for each entity."""
from collections import Counter

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests.supervision.helpers import one_by_one
from tests.supervision.test_stats import case_date, expected, outcome_of
from zhifa.cases.models import Case
from zhifa.disclosure.models import AnnualReport
from zhifa.legalcal import periods
from zhifa.orgs.models import User
from zhifa.supervision import figures, stats
from zhifa.supervision.actions import reports

pytestmark = pytest.mark.django_db
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    from zhifa.legalcal.actions import seed_from_chinesecalendar
    from zhifa.site.demo import seed

    data_dir = tmp_path_factory.mktemp("demo-data")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST, DATA_DIR=data_dir):
        with transaction.atomic():
            seed_from_chinesecalendar()
            periods.clear_cache()
            yield seed("county")
            transaction.set_rollback(True)
    periods.clear_cache()


def case_year(c):
    return (c.filed_on or c.registered_on).year if (c.filed_on or c.registered_on) else None


@pytest.mark.slow
def test_yearly_figures_of_the_demo_region_match_cases_one_by_one(seeded):
    today = timezone.localdate()
    sup = User.objects.get(username="supervisor")
    region = figures.home_region(sup)
    cases = [c for c in Case.objects.select_related("entity__region") if c.entity.region.path.startswith(region.path)]
    assert len(cases) >= 15
    years = {case_year(c) for c in cases} | {today.year - 1}
    seen = 0
    for year in sorted(y for y in years if y):
        mine = [c for c in cases if case_year(c) == year]
        seen += len(mine)
        assert figures.totals(sup, today, region=region, year=year) == one_by_one(mine, today), year
        for row in figures.by_entity(sup, today, region=region, year=year):
            of_entity = [c for c in mine if c.entity_id == row["entity_id"]]
            expected = one_by_one(of_entity, today)
            assert {k: row[k] for k in expected} == expected
    assert seen == len(cases)
    assert figures.totals(sup, today, region=region)["all"] == len(cases)


@pytest.mark.slow
def test_yearly_report_of_the_demo_region_matches_cases_one_by_one(seeded):
    """(From test_stats: one demo seeding serves both.)"""
    today = timezone.localdate()
    sup = User.objects.get(username="citysupervisor")
    region = figures.home_region(sup)
    cases = [c for c in Case.objects.select_related("entity__region") if c.entity.region.path.startswith(region.path)]
    years = {case_date(c).year for c in cases}
    assert len(cases) >= 15
    for year in sorted(years):
        mine = [c for c in cases if case_date(c).year == year]
        rep = reports.region_report(sup, stats.Spec(region=region, year=year), today)
        assert rep["summary"] == {k: stats.jsonable(v) for k, v in expected(mine, today).items()}, year
        for row in rep["entities"]:
            of = expected([c for c in mine if c.entity_id == row["key"]], today)
            assert {k: row[k] for k in reports.TABLE_KEYS} == {k: stats.jsonable(of[k]) for k in reports.TABLE_KEYS}
        for row in rep["tables"]["by_kind"]:
            assert row["all"] == sum(1 for c in mine if c.kind == row["key"])
        for row in rep["tables"]["by_outcome"]:
            assert row["all"] == sum(1 for c in mine if outcome_of(c) == row["key"])
    # The demo entity's report, generated and published by the seed through the actions, for the year
    # its demo cases are dated in (this year, or the last year the calendar knows).
    main = [c for c in cases if c.entity.name == "七星关区市场监督管理局"]
    year = Counter(case_date(c).year for c in main).most_common(1)[0][0]  # later seed steps add a few today
    demo = AnnualReport.objects.get(entity__name="七星关区市场监督管理局", year=year)
    assert demo.published_on is not None
    # A snapshot: the cases that existed when it was generated (later parts of the seed add more).
    of = [c for c in cases if c.entity_id == demo.entity_id and case_date(c).year == year
          and c.created_at <= demo.generated_at]
    assert demo.figures["summary"]["all"] == len(of) >= 10
    assert demo.figures["summary"]["penalty"] == sum(1 for c in of if outcome_of(c) == "penalty") > 0
