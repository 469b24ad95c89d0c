"""咨询投诉 end to end in headless Chromium: a visitor submits a complaint on the public portal and
gets a tracking code; the justice bureau's supervisor passes it to the agency concerned; the
agency's staff record the handling and reply; the visitor looks it up with the code, reads the
reply (never the internal notes) and gives satisfaction feedback."""
import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import login, logout, nav_link
from tests.calendar_ahead import ensure_calendar_ahead

pytestmark = pytest.mark.browser

CONTENT = "洪山路一家超市长期销售过期面包，多次向店家反映无果，请依法查处。"
STEP_NOTE = "已派执法人员王某现场核查，查见过期面包12袋"
ANSWER = "经现场核查，该超市确有销售过期食品行为，已依法立案查处。"


@pytest.fixture
def cworld(world):
    from zhifa.legalcal import periods

    cache.clear()  # the portal's per-address rate limit
    ensure_calendar_ahead(world["admin"])
    yield world
    periods.clear_cache()
    cache.clear()


def test_portal_complaint_assigned_handled_answered_and_rated(page, site, cworld):
    from zhifa.disclosure.models import Complaint, ComplaintStep

    w = cworld
    # 1. The visitor does not know which agency is responsible and writes to the justice bureau.
    page.goto(f"{site}/gs/")
    page.get_by_role("navigation", name="栏目").get_by_role("link", name="咨询投诉", exact=True).click()
    page.get_by_label("所在区划").select_option(label=w["sfj_county"].region.name)   # then HTMX lists its entities
    expect(page.get_by_label("执法主体").locator("option", has_text=w["sfj_county"].name)).to_have_count(1)
    page.get_by_label("执法主体").select_option(label=w["sfj_county"].name)
    page.get_by_label("类别").select_option(label="投诉举报")
    page.get_by_label("内容").fill(CONTENT)
    page.get_by_label("联系方式").fill("13900001234")
    page.get_by_role("button", name="提交").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert len(code) == 10
    c = Complaint.objects.get(tracking_code=code)
    assert c.entity == w["sfj_county"] and c.state == Complaint.State.RECEIVED and c.source == "portal"
    assert c.due_on is not None  # 15 working days on the legal calendar

    # 2. The county justice bureau's supervisor re-assigns it to the market regulator.
    login(page, site, "supcounty")
    nav_link(page, "咨询投诉").click()
    page.locator("[data-testid=complaints]").get_by_role("link", name=code).click()
    form = page.get_by_test_id("assign-form")
    form.get_by_label("办理主体").select_option(label=w["smj"].name)
    form.get_by_label("理由").fill("属市场监管部门职责")
    form.get_by_role("button", name="分派").click()
    expect(page.get_by_test_id("steps")).to_contain_text(f"由{w['sfj_county'].name}改派至{w['smj'].name}")
    expect(page.get_by_test_id("complaint-state")).to_contain_text("已受理")
    logout(page, site)

    # 3. The regulator's unit head records the inspection; the agency head replies.
    login(page, site, "unithead")
    nav_link(page, "咨询投诉").click()
    page.locator("[data-testid=complaints]").get_by_role("link", name=code).click()
    page.get_by_test_id("step-form").get_by_label("办理情况").fill(STEP_NOTE)
    page.get_by_test_id("step-form").get_by_role("button", name="记录").click()
    expect(page.get_by_test_id("steps")).to_contain_text("查见过期面包12袋")
    logout(page, site)
    login(page, site, "head")
    nav_link(page, "咨询投诉").click()
    page.locator("[data-testid=complaints]").get_by_role("link", name=code).click()
    page.get_by_test_id("answer-form").get_by_label("答复内容").fill(ANSWER)
    page.get_by_test_id("answer-form").get_by_role("button", name="答复").click()
    expect(page.get_by_test_id("complaint-state")).to_contain_text("已答复")
    expect(page.get_by_test_id("complaint-answer")).to_contain_text("已依法立案查处")
    logout(page, site)

    # 4. The visitor (no login) looks it up with the code, reads the reply and rates it.
    page.goto(f"{site}/gs/contact/")
    page.get_by_placeholder("查询码").fill(code.lower())  # the code is not case-sensitive
    page.get_by_role("button", name="查询").click()
    status = page.get_by_test_id("complaint-status")
    expect(status).to_contain_text("已答复")
    expect(status).to_contain_text(ANSWER)
    expect(status).to_contain_text(w["smj"].name)
    expect(page.get_by_test_id("complaint-steps")).to_contain_text("办理")
    text = status.inner_text()
    assert "王某" not in text and "13900001234" not in text and "张局长" not in text and "刘队长" not in text
    form = page.get_by_test_id("feedback-form")
    form.get_by_label("满意", exact=True).check()
    form.get_by_label("评价意见").fill("处理及时")
    form.get_by_role("button", name="提交评价").click()
    expect(page.get_by_test_id("feedback-message")).to_have_text("感谢您的评价")
    expect(page.get_by_test_id("complaint-satisfaction")).to_contain_text("满意（处理及时）")
    expect(page.get_by_test_id("feedback-form")).to_have_count(0)  # once only

    c.refresh_from_db()
    assert c.entity == w["smj"] and c.state == Complaint.State.ANSWERED and c.satisfaction == "satisfied"
    assert c.answered_by.username == "head" and c.assigned_by.username == "supcounty"
    kinds = list(c.steps.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [ComplaintStep.Kind.REGISTER, ComplaintStep.Kind.REASSIGN, ComplaintStep.Kind.HANDLE,
                     ComplaintStep.Kind.ANSWER, ComplaintStep.Kind.FEEDBACK]
    assert c.steps.get(kind=ComplaintStep.Kind.HANDLE).by.username == "unithead"
