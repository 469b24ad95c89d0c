"""Yearly figures for the demo region (`zhifa seed county`): every figure of every year equals
the demo cases counted one by one, for the region and for each entity."""
import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests.supervision.helpers import one_by_one
from zhifa.cases.models import Case
from zhifa.legalcal import periods
from zhifa.orgs.models import User
from zhifa.supervision import figures

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
