"""Issue 24 item 8 in the browser: the county justice bureau's supervisor suspends an officer's 执法证 with a
reason (a blank reason is refused in Chinese), the officer's page shows it with the training tiers, and the
agency head opens 执法人员考核 from the header on a 390 px phone."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, logout, nav_link

pytestmark = pytest.mark.browser


def test_supervisor_suspends_certificate_head_sees_officer_appraisal(browser, site, world):
    from zhifa.orgs.models import Certificate

    cert = world["o1"].certificates.get()
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10000)
    login(page, site, "supcounty")
    page.goto(f"{site}/orgs/officers/{world['o1'].pk}/")
    expect(page.get_by_test_id("training-tiers")).to_contain_text("岗前培训")
    page.get_by_role("link", name="暂扣/恢复/注销").click()
    form = page.get_by_test_id("cert-status-form")
    form.get_by_label("处理").select_option("suspend")
    page.get_by_test_id("cert-status-submit").click()
    expect(page.get_by_test_id("error")).to_have_text("请填写理由")
    form = page.get_by_test_id("cert-status-form")
    form.get_by_label("理由").fill("执法过程中未出示执法证件，经查属实")
    page.get_by_test_id("cert-status-submit").click()
    expect(page.get_by_test_id("cert-status")).to_contain_text("暂扣")
    expect(page.get_by_test_id("cert-history")).to_contain_text("未出示执法证件")
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.SUSPENDED
    logout(page, site)
    page.close()

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone.set_default_timeout(10000)
    mobile = phone.new_page()
    login(mobile, site, "head")
    nav_link(mobile, "执法人员考核").click()
    expect(mobile.get_by_test_id("officer-appraisal")).to_contain_text("李明")
    mobile.goto(f"{site}/orgs/officers/{world['o1'].pk}/")
    expect(mobile.locator("body")).to_contain_text("未出示执法证件")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
