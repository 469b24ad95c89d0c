"""A phone-sized screen: pages fit the width (wide tables scroll inside themselves)."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, nav_link

pytestmark = pytest.mark.browser

WIDTH = 390
# A mobile browser widens its layout viewport to fit wide content, so window.innerWidth alone
# would hide an overflow: compare with the device width as well.
MEASURE = "[document.body.scrollWidth, document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": 844}, device_scale_factor=2,
                              is_mobile=True, has_touch=True)
    ctx.set_default_timeout(5000)
    yield ctx.new_page()
    ctx.close()


def fits(page):
    body, doc, inner = page.evaluate(MEASURE)
    return max(body, doc) <= min(inner, WIDTH) + 1, {"body": body, "document": doc, "innerWidth": inner}


def test_officer_list_and_detail_on_a_phone(phone, site, world):
    page = phone
    login(page, site, "head")
    assert fits(page)[0], fits(page)

    nav_link(page, "执法人员").click()
    page.wait_for_url(f"{site}/orgs/officers/")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    ok, widths = fits(page)
    page.screenshot(path="/tmp/zf-mobile-list.png", full_page=True)
    assert ok, f"officer list overflows the screen by {widths}"
    # The search box and the first link are on screen and usable by touch.
    search = page.get_by_role("searchbox", name="搜索")
    expect(search).to_be_in_viewport()
    search.fill("王")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    link = page.get_by_role("link", name="王芳")
    expect(link).to_be_in_viewport()
    link.tap()

    page.wait_for_url(f"{site}/orgs/officers/{world['o2'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("执法人员：王芳")
    ok, widths = fits(page)
    page.screenshot(path="/tmp/zf-mobile-detail.png", full_page=True)
    assert ok, f"officer detail overflows the screen by {widths}"

    page.get_by_role("link", name="修改", exact=True).tap()
    page.wait_for_url(f"{site}/orgs/officers/{world['o2'].pk}/edit/")
    ok, widths = fits(page)
    assert ok, f"officer form overflows the screen by {widths}"
    expect(page.get_by_role("button", name="保存")).to_be_visible()
