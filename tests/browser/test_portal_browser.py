"""The public disclosure portal (公示平台) in headless Chromium: every module, and a visitor on a
phone finding a decision by a two-character keyword, seeing it redacted, downloading its proof
and verifying it offline."""
import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser

WIDTH = 390


@pytest.fixture
def portal(world):
    from tests.disclosure.conftest import decided_case
    from zhifa.disclosure.actions import publications as publication_actions
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    cw = factories.case_world(world)
    case = decided_case(cw)
    publication_actions.do_approve(case.publication, acting_user=cw["head"], on=dt.date(2026, 4, 22))
    case.refresh_from_db()
    yield cw, case
    periods.clear_cache()


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": 844}, device_scale_factor=2,
                              is_mobile=True, has_touch=True, accept_downloads=True)
    ctx.set_default_timeout(5000)
    yield ctx.new_page()
    ctx.close()


def fits(page):
    body, doc, inner = page.evaluate("[document.body.scrollWidth, document.documentElement.scrollWidth, "
                                     "window.innerWidth]")
    return max(body, doc) <= min(inner, WIDTH) + 1


def test_every_public_module(page, site, portal):
    cw, case = portal
    page.goto(f"{site}/gs/")
    expect(page.get_by_test_id("published-count")).to_have_text("1")
    nav = page.get_by_role("navigation", name="栏目")
    for name, url, text in [("执法部门", "/gs/entities/", cw["smj"].name), ("执法人员", "/gs/officers/", cw["h1"].name),
                            ("权责清单", "/gs/powers/", cw["item"].name), ("执法结果", "/gs/results/", "张某"),
                            ("办理动态", "/gs/progress/", case.number), ("咨询投诉", "/gs/contact/", "监督渠道"),
                            ("亮证查询", "/gs/cert/", "执法证件查询")]:
        nav.get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(f"{site}{url}")
        expect(page.locator("main")).to_contain_text(text)
    # 亮证: by number, from the officer list
    nav.get_by_role("link", name="执法人员", exact=True).click()
    cert = cw["h1"].certificates.first()
    page.get_by_role("link", name=cert.number).click()
    expect(page.get_by_test_id("cert-validity")).to_contain_text("有效")
    # 办理动态: the party's own view with the access code
    from zhifa.disclosure.pipeline import access_code

    nav.get_by_role("link", name="办理动态", exact=True).click()
    page.get_by_placeholder("案件编号").fill(case.number)
    page.get_by_placeholder("查询码（见文书）").fill(access_code(case))
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("party-view")).to_contain_text(case.title)
    # 咨询投诉: submit, get a tracking code, look it up
    nav.get_by_role("link", name="咨询投诉", exact=True).click()
    page.get_by_label("所在区划").select_option(label="七星关区")      # then HTMX fills that region's entities
    expect(page.get_by_label("执法主体").locator("option", has_text=cw["smj"].name)).to_have_count(1)
    page.get_by_label("执法主体").select_option(label=cw["smj"].name)
    page.get_by_label("内容").fill("请问办理食品经营许可需要哪些材料？")
    page.get_by_role("button", name="提交").click()
    code = page.get_by_test_id("tracking-code").inner_text()
    page.get_by_placeholder("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("complaint-status")).to_contain_text("已受理")


def test_phone_visitor_finds_verifies_a_decision_by_two_characters(phone, site, portal, tmp_path):
    from zhifa.disclosure import verify_proof

    cw, case = portal
    page = phone
    page.goto(f"{site}/gs/")
    assert fits(page)
    page.get_by_placeholder("搜索执法结果，如“食品”").fill("食品")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 条")
    expect(page.locator("[data-testid=result] mark").first).to_have_text("食品")
    assert fits(page)
    page.get_by_test_id("result").get_by_role("link").click()
    body = page.get_by_test_id("decision-body")
    expect(body).to_contain_text("张某")
    assert "张建国" not in body.inner_text() and case.parties.get().id_number not in page.content()
    assert fits(page)
    with page.expect_download() as dl:
        page.get_by_test_id("proof-link").click()
    path = tmp_path / "proof.json"
    dl.value.save_as(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["seq"] == int(page.get_by_test_id("ledger-seq").inner_text())
    assert all(ok for ok, _ in verify_proof.check(doc))


def test_phone_power_search_and_decision_by_ordinary_brackets(phone, site, portal):
    """At 390 px: the 权责清单 searched and filtered by kind (the total shown), then the decision
    found by its number typed with ordinary brackets, its redacted text and amounts on the page."""
    cw, case = portal
    page = phone
    page.goto(f"{site}/gs/powers/")
    expect(page.get_by_test_id("power-count")).to_contain_text("共 1 项")
    assert fits(page)
    page.get_by_test_id("power-q").fill("食品安全法")
    page.get_by_test_id("kind-select").select_option(label="行政处罚")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("power-count")).to_have_text("共 1 项")
    expect(page.get_by_test_id("power-row")).to_contain_text(cw["item"].name)
    page.get_by_test_id("kind-select").select_option(label="行政许可")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("power-count")).to_have_text("共 0 项")
    assert fits(page)
    # the region select narrows the entity select (HTMX)
    page.get_by_test_id("region-select").select_option(label="七星关区")
    expect(page.get_by_test_id("entity-select").locator("option", has_text=cw["smj"].name)).to_have_count(1)

    typed = case.decision_number.replace("〔", "(").replace("〕", ")")
    page.goto(f"{site}/gs/results/")
    page.get_by_label("关键词").fill(typed)
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 条")
    page.get_by_test_id("result").get_by_role("link").click()
    body = page.get_by_test_id("decision-body")
    expect(body).to_contain_text("张某")
    expect(body).to_contain_text("行政复议")
    assert "张建国" not in page.content()
    expect(page.get_by_test_id("fine-amount")).to_have_text("¥5,000.00")
    expect(page.get_by_test_id("site-footer")).to_contain_text("主办单位")
    assert "根哈希" not in page.get_by_test_id("site-footer").inner_text()
    assert fits(page)
