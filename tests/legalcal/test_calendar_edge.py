"""The legal calendar's edge never stops the product (issue 13): the demo seeds and verifies on any
date, known calendar or not; administrators and supervisors are warned ahead; /readyz reports it.
"Today" is pinned with time-machine; CI runs this module under libfaketime too (.ci/dates)."""
import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from zhifa.legalcal import pending, periods
from zhifa.legalcal.models import CalendarYear
from zhifa.ops import heartbeat

pytestmark = pytest.mark.django_db


def at(y, m, d):
    return time_machine.travel(dt.datetime(y, m, d, 10, 0, tzinfo=dt.UTC), tick=False)


def forget(*years):
    """Make a year unknown whatever the installed chinesecalendar carries."""
    CalendarYear.objects.filter(year__in=years).delete()
    periods.clear_cache()
    pending.forget_warning()


@pytest.mark.slow
@pytest.mark.parametrize("day", [dt.date(2026, 12, 28), dt.date(2027, 1, 4), dt.date(2027, 6, 15), dt.date(2040, 2, 29)],
                         ids=["dec28-next-year-unknown", "jan4-this-year-unknown", "mid-next-year", "far-leap-day"])
def test_demo_seeds_and_verifies_on_any_date(day, settings):
    from zhifa.orgs.models import Entity
    from zhifa.site.demo import seed

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    forget(*range(2027, 2042))  # as on a machine whose chinesecalendar stops at 2026
    with at(day.year, day.month, day.day):
        seed("county")
        assert Entity.objects.count() == 15
        out = io.StringIO()
        call_command("verify", stdout=out)  # raises CommandError on any discrepancy
        assert "0 处不一致" in out.getvalue()
        # Whatever is pending waits for a year nobody has entered yet.
        assert all(year not in periods.current().years for year in pending.by_year())


def _page(client, user):
    client.force_login(user)
    return client.get(reverse("calendar-years")).content.decode()


def test_banner_from_1_november_for_administrators_and_supervisors(cw, client):
    admin = factories.system_admin()
    sup, officer = cw["sup_county"], cw["u1"]
    forget(2027)
    with at(2026, 10, 31):
        pending.forget_warning()
        assert 'data-testid="calendar-warning"' not in _page(client, admin)
    with at(2026, 11, 2):
        pending.forget_warning()
        page = _page(client, admin)
        assert 'data-testid="calendar-warning"' in page and "2027年法定节假日安排尚未录入" in page
        assert "待定期限0项" in page
        assert 'data-testid="calendar-warning"' in _page(client, sup)
        assert 'data-testid="calendar-warning"' not in _page(client, officer)


def test_banner_counts_pending_due_dates_and_goes_once_the_year_is_entered(cw, client):
    from zhifa.legalcal.actions import do_enter_calendar_year
    from zhifa.supervision.actions import orders as order_actions

    admin = factories.system_admin()
    forget(2040, 2041)
    order_actions.do_issue_order(acting_user=cw["sup_county"], entity=cw["smj"], kind="duban", text="请依法处理", days=5,
                                 on=dt.date(2040, 12, 3))
    with at(2040, 11, 2):
        pending.forget_warning()
        page = _page(client, admin)
        assert "2040年、2041年法定节假日安排尚未录入（待定期限1项）" in page
        do_enter_calendar_year(2040, [(dt.date(2040, 1, 1), "元旦")], [], "测试", acting_user=admin)
        do_enter_calendar_year(2041, [(dt.date(2041, 1, 1), "元旦")], [], "测试", acting_user=admin)
        assert 'data-testid="calendar-warning"' not in _page(client, admin)


def test_readyz_reports_the_missing_year(db, client):
    forget(2040, 2041)
    with at(2040, 11, 2):
        heartbeat.beat("worker")
        body = client.get("/readyz").json()
    assert body["status"] == "warn"
    cal = next(c for c in body["checks"] if c["name"] == "legal_calendar")
    assert cal["missing_years"] == [2040, 2041] and "2040年、2041年" in cal["detail"]
    with at(2026, 6, 15):
        heartbeat.beat("worker")  # a background worker runs (issue 15: /readyz checks it too)
        body = client.get("/readyz").json()
    assert body["status"] == "ok" and body["checks"][0] == {"name": "database", "status": "ok"}
