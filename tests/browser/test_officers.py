"""Personnel pages in a real browser: login, HTMX search, edit with change log, errors, scope."""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DISPLAY_NAMES, login, nav_link, wait_until
from zhifa.common.identifiers import make_id_number
from zhifa.orgs.models import Officer

pytestmark = pytest.mark.browser

SMJ = "七星关区市场监督管理局"


def officer_names(page):
    return page.locator("#results tbody tr td:first-child a").all_inner_texts()


def open_officer_list(page, site):
    nav_link(page, "执法人员").click()
    page.wait_for_url(f"{site}/orgs/officers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("执法人员")


@pytest.mark.parametrize(("username", "role", "entity", "visible", "hidden", "can_edit"), [
    ("head", "行政机关负责人", SMJ, {"李明", "王芳"}, {"赵强", "钱红", "孙伟"}, True),
    ("unithead", "承办机构负责人", SMJ, {"李明", "王芳"}, {"赵强", "钱红", "孙伟"}, True),
    ("supcounty", "执法监督人员", "七星关区司法局", {"李明", "王芳", "赵强"}, {"钱红", "孙伟"}, False),
], ids=["head", "unithead", "supcounty"])
def test_login_search_edit_changelog(page, site, world, username, role, entity, visible, hidden, can_edit):
    Officer.objects.filter(pk=world["o1"].pk).update(title="执法队员")  # a "before" value for the log
    login(page, site, username)

    who = page.locator("header .who")
    expect(who).to_contain_text(DISPLAY_NAMES[username])
    expect(who).to_contain_text(role)
    expect(who).to_contain_text(entity)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{entity} · {role}")

    open_officer_list(page, site)
    before = set(officer_names(page))
    assert visible <= before and not (hidden & before), before

    # Type into the search box: HTMX swaps #results and pushes the query, no page load.
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("searchbox", name="搜索").press_sequentially("李", delay=30)
    wait_until(page, "new URLSearchParams(location.search).get('q') === '李'")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert officer_names(page) == ["李明"]
    assert page.evaluate("window.__sameDocument") is True, "search reloaded the whole page"
    assert page.get_by_role("searchbox", name="搜索").input_value() == "李"

    page.get_by_role("link", name="李明").click()
    page.wait_for_url(f"{site}/orgs/officers/{world['o1'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("执法人员：李明")
    edit = page.get_by_role("link", name="修改", exact=True)
    if not can_edit:
        expect(edit).to_have_count(0)
        return

    edit.click()
    page.wait_for_url(f"{site}/orgs/officers/{world['o1'].pk}/edit/")
    title = page.get_by_label("职务")
    expect(title).to_have_value("执法队员")
    title.fill("")
    title.press_sequentially("副大队长")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{site}/orgs/officers/{world['o1'].pk}/")

    row = page.locator("table.fields tr", has=page.locator("th", has_text=re.compile("^职务$")))
    expect(row.locator("td")).to_have_text("副大队长")
    entry = page.locator("#changelog tbody tr").first
    expect(entry).to_contain_text(DISPLAY_NAMES[username])
    expect(entry).to_contain_text("修改")
    expect(entry.locator("del")).to_have_text("执法队员")
    expect(entry.locator("ins")).to_have_text("副大队长")
    expect(entry).to_contain_text("职务")
    world["o1"].refresh_from_db()
    assert world["o1"].title == "副大队长"


def test_bad_id_number_is_a_chinese_field_error_and_nothing_saved(page, site, world):
    count = Officer.objects.count()
    login(page, site, "head")
    open_officer_list(page, site)
    page.get_by_role("link", name="新建执法人员").click()
    page.wait_for_url(f"{site}/orgs/officers/new/")

    page.get_by_label("执法主体").select_option(label=SMJ)
    unit = page.get_by_label("内设机构")
    unit.select_option(label=unit.locator("option", has_text="执法稽查大队").inner_text())
    page.get_by_label("姓名").fill("周杰")
    page.get_by_label("身份证号").fill("520502198501010012")  # wrong check digit
    page.get_by_role("button", name="保存").click()

    page.wait_for_load_state()
    assert page.url == f"{site}/orgs/officers/new/"
    error = page.locator(".row.has-error [role=alert]")
    expect(error).to_have_text("身份证号：身份证号校验位错误")
    expect(page.get_by_label("姓名")).to_have_value("周杰")  # typed values are kept
    assert Officer.objects.count() == count
    assert not Officer.objects.filter(name="周杰").exists()

    # Correcting the number saves the officer.
    page.get_by_label("身份证号").fill(make_id_number("520502", dt.date(1990, 6, 15), 7))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/orgs/officers/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("执法人员：周杰")
    assert Officer.objects.filter(name="周杰", entity=world["smj"]).count() == 1


def test_scope_in_the_browser(page, site, world):
    login(page, site, "unithead")
    open_officer_list(page, site)
    # 王芳 is in 法规科, not the unit head's 执法稽查大队: visible, not editable.
    page.get_by_role("link", name="王芳").click()
    page.wait_for_url(f"{site}/orgs/officers/{world['o2'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("执法人员：王芳")
    expect(page.get_by_role("link", name="修改", exact=True)).to_have_count(0)
    page.go_back()
    page.get_by_role("link", name="李明").click()
    expect(page.get_by_role("link", name="修改", exact=True)).to_be_visible()

    # Another entity's officer, typed into the address bar: not found (not even "forbidden").
    for url in (f"/orgs/officers/{world['o_zy'].pk}/", f"/orgs/officers/{world['o_hbj'].pk}/edit/"):
        response = page.goto(site + url)
        assert response.status == 404, url
        expect(page.locator("main")).to_contain_text("页面不存在")
        expect(page.locator("main")).not_to_contain_text("孙伟")
    # Editing a same-entity officer outside the unit by URL is refused.
    response = page.goto(f"{site}/orgs/officers/{world['o2'].pk}/edit/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("无权")

    context = page.context
    context.clear_cookies()
    login(page, site, "officer")
    open_officer_list(page, site)
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name=re.compile("^新建"))).to_have_count(0)
    page.get_by_role("link", name="李明").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("执法人员：李明")
    expect(page.get_by_role("link", name="修改", exact=True)).to_have_count(0)
