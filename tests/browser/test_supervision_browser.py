"""Issue 7, done-when: a city supervisor sees an overdue decision as an alert, drills down from the
region to the case, issues a 督办; the agency head replies; the supervisor sees the reply."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login, logout, nav_link, wait_until


@pytest.fixture
def sworld(world, settings):
    from tests.factories import case_world
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    settings.ZHIFA_TRAINING_MIN_HOURS = 0
    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield case_world(world)
    periods.clear_cache()


def switch(page, site, username):
    logout(page, site)
    login(page, site, username, PASSWORD)


def test_overdue_decision_alert_drill_down_duban_and_reply(page, site, sworld):
    from tests import factories
    from tests.cases.helpers import to_investigating
    from zhifa.supervision.alerts import recompute_alerts
    from zhifa.supervision.models import Alert, SupervisionOrder

    case = to_investigating(sworld, factories.case(sworld), filed=dt.date(2026, 3, 3))  # decision due 2026-06-01
    recompute_alerts(dt.date(2026, 6, 1))
    assert not Alert.objects.filter(kind="deadline_lapsed").exists()
    recompute_alerts(dt.date(2026, 6, 2))  # the day after the last day: lapsed

    login(page, site, "supcity")
    nav_link(page, "执法监督").click()
    expect(page.get_by_role("heading", name="执法监督 · 毕节市")).to_be_visible()
    wait_until(page, "window.zhifaChart !== undefined")
    page.locator("[data-testid=children]").get_by_role("link", name="七星关区").click()
    page.locator("[data-testid=entities]").get_by_role("link", name="七星关区市场监督管理局").click()
    expect(page.get_by_role("heading", name="七星关区市场监督管理局")).to_be_visible()
    page.locator("[data-testid=officers] tr", has_text="刘一").locator('a[data-metric="overdue"]').click()
    expect(page.get_by_test_id("count")).to_have_text("1")
    page.locator("[data-testid=cases]").get_by_role("link", name=case.title).click()
    page.wait_for_url(f"{site}/cases/{case.pk}/")
    expect(page.get_by_text(case.number).first).to_be_visible()

    nav_link(page, "执法监督").click()
    page.get_by_role("link", name="预警").first.click()
    row = page.locator("[data-testid=alerts] tr", has_text="法定期限已超期")
    expect(row).to_contain_text("2026-06-02")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("alert-text")).to_contain_text("2026-06-01")
    page.get_by_role("link", name="就本案发出督办").click()
    page.get_by_label("督办/整改要求").fill("请立即作出处理决定并说明超期原因")
    page.get_by_label("办理期限（工作日）").fill("5")
    page.get_by_role("button", name="发出").click()
    expect(page.get_by_test_id("order-state")).to_have_text("待答复")

    switch(page, site, "head")
    nav_link(page, "督办通知").click()
    page.locator("[data-testid=orders]").get_by_role("link", name="督办通知", exact=True).click()
    expect(page.get_by_test_id("order-text")).to_contain_text("说明超期原因")
    page.get_by_label("答复内容").fill("已于今日作出处理决定，超期系当事人外出，已整改")
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_test_id("order-state")).to_have_text("已答复")

    switch(page, site, "supcity")
    nav_link(page, "执法监督").click()
    page.get_by_role("link", name="督办/整改通知").first.click()
    page.locator("[data-testid=orders]").get_by_role("link", name="督办通知", exact=True).click()
    expect(page.get_by_test_id("order-reply")).to_contain_text("已整改")
    order = SupervisionOrder.objects.get()
    assert order.replied_by.username == "head" and order.case_id == case.pk
