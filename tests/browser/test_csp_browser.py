"""The Content Security Policy in a real browser (issue 16): a case page with its HTMX panels, the
supervision home with its ECharts chart and public portal pages load with no CSP violation, and
the login / password / second-factor pages work with scripts only from files."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, wait_until

pytestmark = pytest.mark.browser

WATCH = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
         "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));")


@pytest.fixture
def watched(context):
    page = context.new_page()
    page.add_init_script(WATCH)
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    return page, console


def clean(page, console):
    violations = page.evaluate("window.__csp")
    assert violations == [], violations
    assert [m for m in console if "Content Security Policy" in m or "Refused" in m] == [], console


@pytest.fixture
def decided(world):
    from tests.disclosure.conftest import decided_case
    from tests.factories import case_world
    from zhifa.disclosure.actions import publications as publication_actions
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    cw = case_world(world)
    case = decided_case(cw)
    publication_actions.do_approve(case.publication, acting_user=cw["head"], on=dt.date(2026, 4, 22))
    case.refresh_from_db()
    yield cw, case
    periods.clear_cache()


def test_case_supervision_and_portal_pages_without_csp_violations(watched, site, decided):
    page, console = watched
    cw, case = decided
    login(page, site, "head")
    page.goto(f"{site}/cases/{case.pk}/")
    wait_until(page, "!document.body.innerText.includes('正在加载')", timeout=20000)
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("window.__csp.length") == 0
    clean(page, console)
    page.goto(f"{site}/account/")
    expect(page.get_by_test_id("change-password")).to_be_visible()
    clean(page, console)
    page.get_by_role("button", name="退出").click()
    login(page, site, "supcounty")
    page.goto(f"{site}/supervision/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof echarts") == "object"
    assert page.evaluate("!!window.zhifaChart"), "the chart script ran"
    clean(page, console)
    for path in ("/gs/", "/gs/results/", "/gs/entities/", "/gs/progress/"):
        page.goto(f"{site}{path}")
        clean(page, console)
