"""Issue 7 items 6–7 in a phone-sized browser: the head transfers a case on the case page, the
receiving bureau's head finds it in the queue and accepts it; an officer sees a guiding case of
the same field on a case page; the public reads it on the portal."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, logout, nav_link


@pytest.fixture
def tworld(world):
    from tests.factories import case_world
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield case_world(world)
    periods.clear_cache()


@pytest.mark.browser
def test_transfer_accept_and_guidance_at_390px(page, site, tworld):
    from tests import factories
    from tests.supervision.transfer_helpers import heads, published_guidance
    from zhifa.transfers.models import CaseTransfer

    w = heads(tworld)
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(20000)  # the shared 2-CPU machine is slow under parallel suites
    case = factories.case(w)
    login(page, site, "head")
    page.goto(f"{site}/cases/{case.pk}/")
    page.locator("#action-transfer summary").click()
    form = page.locator("#action-transfer form")
    form.get_by_label("移送类别").select_option("agency")
    form.get_by_label("接收机关").fill("七星关区生态环境局")
    form.get_by_label("移送理由").fill("违法行为属于生态环境部门管辖")
    form.get_by_role("button", name="确认移送").click()
    expect(page.get_by_test_id("case-state")).to_have_text("已移送")
    expect(page.locator("#case-transfers")).to_contain_text("待接收")
    logout(page, site)

    login(page, site, "hbjhead")
    nav_link(page, "移送").click()
    page.locator("[data-testid=incoming]").get_by_role("link").first.click()
    page.get_by_label("接收回执").fill("材料已收到")
    page.get_by_role("button", name="确认接收").click()
    expect(page.get_by_test_id("transfer-state")).to_have_text("已接收")
    assert CaseTransfer.objects.get(case=case).received_by.username == "hbjhead"
    logout(page, site)

    g = published_guidance(w)
    other = factories.case(w)
    login(page, site, "officer")
    page.goto(f"{site}/cases/{other.pk}/")
    expect(page.get_by_test_id("guiding-case")).to_contain_text(g.title)
    page.goto(f"{site}/gs/guidance/")
    page.get_by_role("link", name=g.title).click()
    expect(page.get_by_role("heading", name=g.title)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
