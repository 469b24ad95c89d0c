"""Issue 24 item 4 in a phone-sized browser: the head registers a permit, names it on a penalty case's
许可证件 panel, the decision (吊销许可证件) revokes it, and the holder's 一户式 page shows it revoked."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, nav_link


@pytest.fixture
def pworld(world):
    from tests.factories import case_world
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield case_world(world)
    periods.clear_cache()


@pytest.mark.browser
def test_a_permit_revoked_by_a_penalty_at_390px(page, site, pworld):
    from tests import factories
    from tests.permits.conftest import case_before_decision, decide
    from zhifa.permits.models import Permit

    holder = factories.org_party("恒丰食品有限公司")
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(20000)
    login(page, site, "head")
    nav_link(page, "行政许可").click()
    page.get_by_role("link", name="登记行政许可决定").click()
    for label, value in (("被许可人", holder["name"]), ("统一社会信用代码", holder["credit_code"]),
                         ("许可类别", "食品经营许可证"), ("许可证编号", "JY15205020077"),
                         ("许可决定日期", "2026-01-05"), ("有效期自", "2026-01-05"), ("有效期至", "2031-01-04")):
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("有效")
    permit = Permit.objects.get(number="JY15205020077")

    case = case_before_decision(pworld, holder)
    page.goto(f"{site}/cases/{case.pk}/")
    panel = page.get_by_test_id("permits-panel")
    expect(panel).to_contain_text("JY15205020077")
    panel.get_by_label("拟暂扣或吊销的许可证件").select_option(str(permit.pk))
    panel.get_by_role("button", name="指定").click()
    expect(page.get_by_test_id("named")).to_have_text("本案拟吊销许可证件")

    decide(pworld, case)
    page.goto(f"{site}/records/target/?key={holder['credit_code']}")
    expect(page.get_by_test_id("target-permits")).to_contain_text("吊销")
    page.get_by_test_id("target-permits").get_by_role("link", name="食品经营许可证").click()
    expect(page.get_by_test_id("permit-state")).to_contain_text("吊销")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
