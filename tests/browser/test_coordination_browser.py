"""Issue 24 item 5, 争议协调 in the browser: the county market bureau's head brings a township dispute
(乡镇综合执法) with a street office, both heads state their positions (the street office's on a 390 px
phone), the county justice bureau's supervisor decides, the street office's head takes the matter on."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, logout, nav_link

pytestmark = pytest.mark.browser


@pytest.fixture
def town(world):
    from tests import factories
    from zhifa.common.roles import Role

    region = factories.region("520502100", "碧阳街道", 4, world["regions"]["county"])
    world["town"] = factories.entity(region, "七星关区碧阳街道办事处", short_code="七碧", fields="乡镇综合行政执法")
    world["town_head"] = factories.user(Role.AGENCY_HEAD, world["town"], None, "townhead")
    return world


def test_township_dispute_positions_decision_and_taking_on(browser, site, town):
    from zhifa.supervision.models import Coordination

    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10000)
    login(page, site, "head")
    nav_link(page, "争议协调").click()
    form = page.get_by_test_id("coordination-form")
    form.get_by_label("争议类别").select_option("township")
    form.get_by_label("争议事项").fill("集贸市场流动摊贩销售无证食品的查处职责")
    page.get_by_test_id("open").click()
    expect(page.get_by_test_id("error")).to_contain_text("请选择至少两个发生争议的执法主体")
    form = page.get_by_test_id("coordination-form")
    form.get_by_label("七星关区碧阳街道办事处").check()
    page.get_by_test_id("open").click()
    expect(page.get_by_test_id("coordination-state")).to_have_text("待各方陈述意见")
    expect(page.get_by_role("heading", level=1)).to_contain_text("集贸市场流动摊贩")
    page.get_by_label("本机关意见").fill("食品摊贩的查处已赋权街道，应由街道办事处承办。")
    page.get_by_test_id("submit-position").click()
    expect(page.get_by_test_id("positions")).to_contain_text("应由街道办事处承办")
    c = Coordination.objects.get()
    assert c.bureau == town["sfj_county"]
    logout(page, site)
    page.close()

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone.set_default_timeout(10000)
    mobile = phone.new_page()
    login(mobile, site, "townhead")
    mobile.goto(f"{site}/supervision/coordinations/")
    mobile.locator("[data-testid=coordination-row]", has_text="集贸市场").get_by_role("link").click()
    mobile.get_by_label("本机关意见").fill("无证食品涉及抽样检验，建议由县局查处。")
    mobile.get_by_test_id("submit-position").click()
    expect(mobile.get_by_test_id("positions")).to_contain_text("建议由县局查处")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    logout(mobile, site)

    login(mobile, site, "supcounty")
    mobile.goto(f"{site}/supervision/coordinations/{c.pk}/")
    form = mobile.get_by_test_id("decide-form")
    form.get_by_label("协调意见").fill("赋权目录已列明食品摊贩的查处，由街道办事处承办，县局提供抽样支持。")
    mobile.get_by_test_id("decide").click()
    expect(mobile.get_by_test_id("error")).to_contain_text("请在争议各方中确定承办机关")
    form = mobile.get_by_test_id("decide-form")
    form.get_by_label("承办机关").select_option(label="七星关区碧阳街道办事处")
    form.get_by_label("协调意见").fill("赋权目录已列明食品摊贩的查处，由街道办事处承办，县局提供抽样支持。")
    form.get_by_label("承接期限（日）").fill("7")
    mobile.get_by_test_id("decide").click()
    expect(mobile.get_by_test_id("coordination-state")).to_have_text("已协调决定，待承接")
    expect(mobile.get_by_test_id("decision")).to_contain_text("7日")
    logout(mobile, site)

    login(mobile, site, "townhead")
    mobile.goto(f"{site}/supervision/coordinations/{c.pk}/")
    mobile.get_by_label("承接情况").fill("已登记案源，综合行政执法办公室开展检查。")
    mobile.get_by_test_id("take").click()
    expect(mobile.get_by_test_id("coordination-state")).to_contain_text("已承接")
    expect(mobile.get_by_test_id("taken")).to_contain_text("已登记案源")
    phone.close()
