"""社会监督员 in headless Chromium: the supervisor hands over the personal link; the social supervisor
(no account) reports two problems through it; the supervisor turns one lead into a complaint for the
agency and the other into an alert. The agency sees the matter, never who reported it, and the
social supervisor follows the outcome on the same page."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login, logout, nav_link
from tests.calendar_ahead import ensure_calendar_ahead

pytestmark = pytest.mark.browser

FIRST = "七星关区市场监管局执法人员在洪山路检查时未出示执法证件，态度粗暴。"
SECOND = "七星关区生态环境局对同一企业一年内重复检查六次，企业反映影响经营。"


@pytest.fixture
def social(world):
    from zhifa.legalcal import periods
    from zhifa.supervision.actions import social as supervision_social

    cache.clear()  # the per-day lead limit
    ensure_calendar_ahead(world["admin"])
    today = timezone.localdate()
    s = supervision_social.do_appoint_supervisor(acting_user=world["sup_county"], name="李律师", kind="lawyer",
                                workplace="贵州某律师事务所", contact="13600001111",
                                appointed_on=today - dt.timedelta(days=30), term_ends_on=today + dt.timedelta(days=1000),
                                entities=[world["smj"], world["hbj"]])
    yield world, s
    periods.clear_cache()
    cache.clear()


def report(page, link, entity, content, case_ref=""):
    page.goto(link)
    page.get_by_label("涉及执法部门").select_option(label=entity)
    if case_ref:
        page.get_by_label("涉及案件或事项").fill(case_ref)
    page.get_by_label("反映内容").fill(content)
    page.get_by_role("button", name="提交反馈").click()
    expect(page.get_by_test_id("lead-submitted")).to_contain_text("已收到您的反馈")


def open_lead(page, content):
    nav_link(page, "执法监督").click()
    page.get_by_role("link", name="监督线索", exact=True).first.click()
    page.locator("[data-testid=leads]").get_by_role("link", name=content[:20]).click()


def test_feedback_link_leads_become_complaint_and_alert(page, site, social):
    from zhifa.disclosure.models import Complaint
    from zhifa.supervision.models import Alert, SupervisionLead

    w, s = social
    # The supervisor reads the personal link off the register.
    login(page, site, "supcounty")
    nav_link(page, "执法监督").click()
    page.get_by_role("link", name="社会监督员", exact=True).first.click()
    page.locator("[data-testid=social-registry]").get_by_role("link", name="李律师").click()
    link = page.get_by_test_id("social-link").inner_text().strip()
    assert link.startswith(f"{site}/gs/jiandu/")
    logout(page, site)

    # The social supervisor, not logged in, reports twice.
    report(page, link, w["smj"].name, FIRST, case_ref="洪山路门店检查")
    report(page, link, w["hbj"].name, SECOND)
    mine = page.locator("table.wide")
    expect(mine).to_contain_text("待处理")
    expect(mine.locator("tbody tr")).to_have_count(2)
    assert SupervisionLead.objects.filter(supervisor=s, state="new").count() == 2

    # The supervisor turns the first into a complaint for the regulator …
    login(page, site, "supcounty")
    open_lead(page, FIRST)
    form = page.get_by_test_id("lead-form")
    form.get_by_label("处理方式").select_option(label="转投诉办理")
    form.get_by_label("处理说明 / 督办要求").fill("请核实执法人员是否亮证执法")
    form.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("lead-state")).to_have_text("已转投诉办理")
    page.locator("dl.info").get_by_role("link", name="投诉举报").click()
    expect(page.get_by_test_id("complaint-state")).to_contain_text("已受理")
    body = page.locator("main").inner_text()
    assert "洪山路门店检查" in body and "社会监督员" in body
    assert "李律师" not in body and "13600001111" not in body  # who reported stays with the lead

    # … and the second into an alert.
    open_lead(page, SECOND)
    form = page.get_by_test_id("lead-form")
    form.get_by_label("处理方式").select_option(label="转预警")
    form.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("lead-state")).to_have_text("已转预警")
    page.locator("dl.info").get_by_role("link", name="社会监督员反映").click()
    expect(page.locator("main")).to_contain_text("重复检查六次")
    logout(page, site)

    first, second = SupervisionLead.objects.filter(supervisor=s).order_by("id")
    c = Complaint.objects.get(pk=first.complaint_id)
    assert c.entity == w["smj"] and c.source == "social" and c.registered_by.username == "supcounty"
    assert "李律师" not in c.content and c.contact == "" and c.complainant == ""
    alert = Alert.objects.get(pk=second.alert_id)
    assert alert.kind == Alert.Kind.SOCIAL_LEAD and alert.entity == w["hbj"]

    # The social supervisor sees what became of both.
    page.goto(link)
    rows = page.locator("table.wide tbody tr")
    expect(rows.filter(has_text="未出示执法证件")).to_contain_text(f"已转{w['smj'].name}办理（查询码{c.tracking_code}")
    expect(rows.filter(has_text="重复检查六次")).to_contain_text("已列入执法监督预警")
