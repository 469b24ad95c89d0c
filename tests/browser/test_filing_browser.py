"""Issue 24, 重大行政处罚备案审查 done-when: a decision after a 听证 is major; the agency head finds it
under 重大处罚备案 and files it (on a 390 px phone); the county justice bureau's supervisor reviews it
with the checklist, finds a problem and orders it corrected; the head sees the 整改通知."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, logout, nav_link


@pytest.fixture
def fworld(world):
    from tests.factories import case_world
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield case_world(world)
    periods.clear_cache()


def test_major_decision_filed_reviewed_and_ordered(browser, site, fworld):
    from tests import builders
    from zhifa.supervision.models import MajorFiling

    case = builders.case_at(fworld, "decided", hearing=True)
    filing = MajorFiling.objects.get(case=case)

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone.set_default_timeout(10000)
    page = phone.new_page()
    login(page, site, "head")
    nav_link(page, "重大处罚备案").click()
    row = page.locator("[data-testid=filing-row]", has_text=case.number)
    expect(row).to_contain_text("待报送备案")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("filing-state")).to_have_text("待报送备案")
    page.get_by_label("报送说明").fill("随附行政处罚决定书、听证笔录、法制审核意见书")
    page.get_by_test_id("file").click()
    expect(page.get_by_test_id("filing-state")).to_have_text("已报送，待审查")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    logout(page, site)

    login(page, site, "supcounty")
    page.goto(f"{site}/supervision/filings/{filing.pk}/")
    form = page.get_by_test_id("review-form")
    for point in form.locator(".point").all():
        point.get_by_label("符合", exact=True).check()
    form.locator(".point", has_text="裁量基准").get_by_label("不符合").check()
    form.get_by_label("审查意见").select_option("problem")
    page.get_by_test_id("review").click()
    expect(page.get_by_test_id("error")).to_contain_text("请写明存在的问题和纠正要求")
    form = page.get_by_test_id("review-form")
    form.get_by_label("问题及纠正要求").fill("罚款数额未说明适用的裁量档次，请补正说理并报送整改情况。")
    page.get_by_test_id("review").click()
    expect(page.get_by_test_id("filing-opinion")).to_contain_text("存在问题，责令纠正")
    page.get_by_test_id("filing-order").click()
    expect(page.get_by_test_id("order-text")).to_contain_text("处罚种类和幅度符合裁量基准")
    logout(page, site)

    login(page, site, "head")
    page.goto(f"{site}/supervision/orders/")
    expect(page.locator("[data-testid=orders]")).to_contain_text("整改通知")
    phone.close()
