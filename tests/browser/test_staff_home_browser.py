"""The staff homes by role and the case page's progress bar and tabs in headless Chromium, the
officer's on a 390 px phone; screenshots go to docs/screenshots/ (docs/screenshots/README.md)."""
import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login, logout

pytestmark = pytest.mark.browser

PHONE = 390
# docs/screenshots only when asked (ZHIFA_SCREENSHOTS=1): a test run never rewrites tracked files.
SHOTS = (Path(__file__).resolve().parents[2] / "docs" / "screenshots" if os.environ.get("ZHIFA_SCREENSHOTS")
         else Path(tempfile.gettempdir()) / "zhifa-screenshots")
MEASURE = "[document.body.scrollWidth, document.documentElement.scrollWidth, window.innerWidth]"


def fits(page):
    body, doc, inner = page.evaluate(MEASURE)
    return max(body, doc) <= min(inner, PHONE) + 1, {"body": body, "document": doc, "innerWidth": inner}


@pytest.fixture
def hworld(world):
    """The case world with cases dated back from today: one overdue, one due within a week, one
    waiting for 立案审批, one reviewed (awaiting the head's decision), one in 法制审核, and alerts."""
    from tests import factories
    from tests.cases.helpers import v
    from zhifa.cases import actions as ca
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar
    from zhifa.orgs.models import User
    from zhifa.supervision.models import Alert

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    w = factories.case_world(world)
    for key, name in (("u1", "刘一"), ("u2", "陈二"), ("rev", "法制审核员")):
        User.objects.filter(pk=w[key].pk).update(display_name=name)
    today = timezone.localdate()
    day = lambda n: today - dt.timedelta(days=n)  # noqa: E731

    def filed(title, n):
        c = factories.case(w, on=day(n), title=title)
        ca.do_file_case(c, acting_user=w["u1"], expected_version=v(c), on=day(n))
        ca.do_approve_filing(c, acting_user=w["unit_head"], expected_version=v(c), on=day(n))
        return c

    filed("销售过期食品案（已超期）", 100)
    filed("无证经营案（即将到期）", 86)
    waiting = factories.case(w, on=day(6), title="虚假标价案（待立案审批）")
    ca.do_file_case(waiting, acting_user=w["u1"], expected_version=v(waiting), on=day(5))
    w["main_case"] = filed("销售不合格化妆品案", 30)
    for kind, text in (("deadline_lapsed", "七星关区市场监督管理局一案作出决定期限已超期"),
                       ("discretion", "一案罚款偏离裁量基准"), ("training", "3名执法人员培训学时不足")):
        Alert.objects.create(kind=kind, key=f"shot:{kind}", entity=w["smj"], text=text, first_seen=day(3),
                             last_seen=today)
    yield w
    periods.clear_cache()


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": PHONE, "height": 844}, device_scale_factor=2,
                              is_mobile=True, has_touch=True)
    ctx.set_default_timeout(10000)
    yield ctx.new_page()
    ctx.close()


def test_officer_home_and_case_tabs_on_a_phone(phone, site, hworld):
    page, w = phone, hworld
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, site, w["u1"].username, PASSWORD)
    today = page.get_by_test_id("today")
    expect(page.get_by_test_id("todo-overdue")).to_contain_text("销售过期食品案（已超期）")
    expect(page.get_by_test_id("todo-due_soon")).to_contain_text("无证经营案（即将到期）")
    expect(today).to_be_in_viewport()  # what needs me is on the first screen
    ok, widths = fits(page)
    page.screenshot(path=str(SHOTS / "home-officer-390.png"), full_page=True)
    assert ok, f"officer home overflows a phone by {widths}"
    # a menu opens by touch and its links are on screen
    page.locator("header details[data-menu] summary", has_text="办案").tap()
    link = page.locator("header nav a", has_text="我的待办")
    expect(link).to_be_visible()
    expect(link).to_be_in_viewport()
    page.screenshot(path=str(SHOTS / "menu-officer-390.png"))
    assert fits(page)[0]

    page.goto(f"{site}/cases/{w['main_case'].pk}/")
    expect(page.get_by_test_id("progress").locator("li.current")).to_have_text("已立案")
    tabs = {"概况": "tab-overview", "当事人": "tab-parties", "记录": "tab-records", "文书": "tab-documents",
            "审核": "tab-review", "日志": "tab-log"}
    expect(page.locator("#tab-overview")).to_be_visible()
    expect(page.locator("#tab-log")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "case-officer-390.png"), full_page=True)
    for label, panel in tabs.items():
        page.get_by_role("tab", name=label, exact=True).tap()
        expect(page.locator(f"#{panel}")).to_be_visible()
        for other in tabs.values():
            if other != panel:
                expect(page.locator(f"#{other}")).to_be_hidden()
        ok, widths = fits(page)
        assert ok, f"case tab {label} overflows a phone by {widths}"
    page.get_by_role("tab", name="记录", exact=True).tap()
    expect(page.get_by_test_id("case-records")).to_be_visible()  # HTMX panels still load behind their tabs
    page.get_by_role("tab", name="文书", exact=True).tap()
    expect(page.locator("#case-documents")).to_be_visible()
    page.get_by_role("tab", name="日志", exact=True).tap()
    expect(page.locator("#timeline")).to_contain_text("批准立案")
    page.reload()  # the tab is in the address (#tab-log) and survives a reload
    expect(page.locator("#tab-log")).to_be_visible()
    page.get_by_role("tab", name="概况", exact=True).tap()
    expect(page.locator("#action-start_investigation")).to_be_visible()


@pytest.mark.parametrize(("user", "section", "text"), [
    ("unithead", "todo-approvals", "虚假标价案（待立案审批）"),
    ("head", "todo-approvals", "虚假标价案（待立案审批）"),
    ("rev", "todo-reviews", "待我审核"),
    ("supcounty", "todo-alerts", "作出决定期限已超期"),
])
def test_role_homes(page, site, hworld, user, section, text):
    w = hworld
    username = w[user].username if user == "rev" else user
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, site, username, PASSWORD)
    expect(page.get_by_test_id(section)).to_contain_text(text)
    if user == "supcounty":
        alerts = page.get_by_test_id(section)
        expect(alerts.locator(".todo-rows li").first).to_contain_text("高")
        expect(page.get_by_test_id("level-high")).to_have_text("高 1")
    # every header link of the role opens (no 403 on the way)
    hrefs = page.eval_on_selector_all("header nav a", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        r = page.request.get(f"{site}{href}")
        assert r.status == 200, (user, href, r.status)
    page.screenshot(path=str(SHOTS / f"home-{user}.png"), full_page=True)
    logout(page, site)
