"""Issue 24 item 6 in a phone-sized browser (390 px): the head dispatches a task from the command desk,
the officer accepts it on 我的任务, reports arrival with the phone's position (geolocation granted to
the page) and the result; the desk's map (SVG, no tiles) shows the task's marker in its state colour."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, logout, nav_link


@pytest.mark.browser
def test_dispatch_to_an_officer_at_390px(page, context, site, world):
    from zhifa.dispatch.models import DispatchTask

    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(20000)
    context.grant_permissions(["geolocation"], origin=site)
    context.set_geolocation({"latitude": 27.301234, "longitude": 105.289876, "accuracy": 20})

    login(page, site, "head")
    nav_link(page, "执法指挥").click()
    page.get_by_role("link", name="派发任务").click()
    page.get_by_label("任务名称").fill("夜市占道经营巡查")
    page.get_by_label("承办人员").select_option(str(world["officer"].pk))
    page.get_by_label("处置时限").fill("3")
    page.get_by_label("任务地点").fill("洪山路夜市")
    page.get_by_role("button", name="派发").click()
    expect(page.get_by_test_id("task-state")).to_have_text("已派发")
    task = DispatchTask.objects.get(title="夜市占道经营巡查")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    logout(page, site)

    login(page, site, "officer")
    nav_link(page, "我的任务").click()
    cards = page.get_by_test_id("my-tasks")
    expect(cards).to_contain_text("夜市占道经营巡查")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cards.get_by_role("button", name="接收").click()
    expect(cards.get_by_test_id("state")).to_have_text("已接收")
    cards.get_by_role("link", name="到场报告").click()
    page.get_by_role("button", name="使用手机定位").first.click()
    expect(page.locator("#lat-arrive")).to_have_value("27.301234")
    page.get_by_label("所在位置说明").first.fill("洪山路夜市入口")
    page.get_by_role("button", name="确认到场").click()
    expect(page.get_by_test_id("task-state")).to_have_text("已到场")
    expect(page.get_by_test_id("reported")).to_contain_text("27.301234")
    page.get_by_label("处置结果").fill("劝导占道摊点5处，已恢复通行。")
    page.get_by_role("button", name="报告处置完毕").click()
    expect(page.get_by_test_id("task-state")).to_have_text("处置完毕")
    expect(page.get_by_test_id("timeline")).to_contain_text("手机定位")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    task.refresh_from_db()
    assert task.state == "done" and task.reports.get(kind="on_site").location_source == "gps"
    logout(page, site)

    login(page, site, "head")
    page.goto(f"{site}/dispatch/?show=all")
    marker = page.get_by_test_id("marker")
    expect(marker).to_have_count(1)
    assert marker.get_attribute("data-state") == "done"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
