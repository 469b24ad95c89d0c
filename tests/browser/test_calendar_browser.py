"""The calendar's edge as an administrator meets it (issue 13): in November the banner says next year
is missing and links to the paste page; pasting the State Council's notice shows the month grid;
confirming saves the year, computes the pending due date, and the banner is gone."""
import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.legalcal.test_notice import NOTICE_2027

pytestmark = pytest.mark.browser


def test_banner_paste_notice_and_pending_due_date_computed(page, site, world):
    from tests import factories
    from zhifa.legalcal import pending, periods
    from zhifa.legalcal.models import CalendarYear
    from zhifa.orgs.models import User
    from zhifa.supervision.actions import orders as order_actions
    from zhifa.supervision.models import SupervisionOrder

    CalendarYear.objects.filter(year__gte=2027).delete()  # as with chinesecalendar stopping at 2026
    periods.clear_cache()
    admin = factories.system_admin()
    admin.set_password("pass12345")
    admin.save()
    sup = User.objects.get(username="supcounty")
    with time_machine.travel(dt.datetime(2026, 12, 28, 2, 0, tzinfo=dt.UTC), tick=True):
        pending.forget_warning()
        order = order_actions.do_issue_order(acting_user=sup, entity=world["smj"], kind="duban",
                                             text="请依法处理", days=5)
        assert order.due_pending_year == 2027
        login(page, site, "sysadmin")
        banner = page.get_by_test_id("calendar-warning")
        expect(banner).to_contain_text("2027年法定节假日安排尚未录入（待定期限1项）")
        banner.get_by_role("link", name="去录入").click()
        page.wait_for_url(f"{site}/calendar/paste/")
        page.get_by_label("放假安排通知原文").fill(NOTICE_2027)
        page.get_by_role("button", name="识别并预览").click()
        expect(page.get_by_test_id("notice-preview")).to_contain_text("2027年放假安排")
        expect(page.locator('[title="2027-02-20 星期六 工作日 春节调休"]')).to_have_count(1)
        page.get_by_role("button", name="已逐日核对，确认保存").click()
        page.wait_for_url(f"{site}/calendar/2027/")
        expect(page.get_by_test_id("calendar-warning")).to_have_count(0)
    order = SupervisionOrder.objects.get(pk=order.pk)
    assert order.due_pending_year is None and order.due_on is not None
    assert CalendarYear.objects.get(year=2027).entered_by == admin
