"""权责清单 workflow across three logins, and the flowchart diagram."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DISPLAY_NAMES, login, logout, nav_link, wait_until
from zhifa.powers.models import Flowchart, PowerItem, VersionStatus

pytestmark = pytest.mark.browser

SMJ = "七星关区市场监督管理局"


def nav(page, name):
    nav_link(page, name).click()


def status_box(page):
    return page.locator(".versionbox")


def test_power_item_submit_and_same_level_confirmation(page, site, world):
    login(page, site, "head")
    nav(page, "权责清单")
    page.wait_for_url(f"{site}/powers/power-items/")
    page.get_by_role("link", name="新建权责清单事项").click()
    page.get_by_label("实施主体").select_option(label=SMJ)
    page.get_by_label("事项编码").fill("QX-CF-0001")
    page.get_by_label("事项名称").fill("对未取得食品经营许可从事食品经营活动的处罚")
    page.get_by_label("权力类别").select_option(label="行政处罚")
    page.get_by_label("依据法律法规").fill("中华人民共和国食品安全法")
    page.get_by_label("条款").fill("第一百二十二条第一款")
    page.get_by_label("责任事项").fill("1.立案责任\n2.调查责任\n3.决定责任")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/powers/power-items/\d+/$"))
    detail_url = page.url
    item = PowerItem.objects.get(code="QX-CF-0001")
    expect(status_box(page)).to_contain_text("草稿")

    page.get_by_role("button", name="提交司法局确认").click()
    page.wait_for_url(detail_url)
    expect(page.locator(".msg")).to_have_text("已提交同级司法局确认")
    expect(status_box(page)).to_contain_text("待司法局确认")
    expect(page.get_by_role("button", name="提交司法局确认")).to_have_count(0)
    logout(page, site)

    # The city bureau oversees the county but does not confirm it: sees the item, no button.
    login(page, site, "supcity")
    page.goto(detail_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("QX-CF-0001")
    expect(status_box(page)).to_contain_text("待司法局确认")
    expect(page.get_by_role("button", name="确认发布")).to_have_count(0)
    expect(page.get_by_role("button", name="退回")).to_have_count(0)
    logout(page, site)

    # The same-level (county) bureau finds it through the pending filter and confirms.
    login(page, site, "supcounty")
    nav(page, "权责清单")
    page.get_by_label("状态").select_option(label="待司法局确认")
    wait_until(page, "new URLSearchParams(location.search).get('status') === 'pending'")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.get_by_role("link", name="QX-CF-0001").click()
    page.wait_for_url(detail_url)
    page.get_by_placeholder("确认意见（可选）").fill("经审核，同意发布")
    page.get_by_role("button", name="确认发布").click()
    page.wait_for_url(detail_url)
    expect(page.locator(".msg")).to_have_text("已确认发布")
    expect(status_box(page).locator("strong")).to_have_text("已发布")
    expect(page.get_by_role("button", name="确认发布")).to_have_count(0)

    log = page.locator("#changelog tbody tr")
    expect(log).to_have_count(3)  # newest first: confirm, submit, create
    expect(log.nth(0)).to_contain_text("确认发布")
    expect(log.nth(0)).to_contain_text(DISPLAY_NAMES["supcounty"])
    expect(log.nth(0)).to_contain_text("经审核，同意发布")
    expect(log.nth(1)).to_contain_text("提交确认")
    expect(log.nth(1)).to_contain_text(DISPLAY_NAMES["head"])
    expect(log.nth(2)).to_contain_text("新建")

    item.refresh_from_db()
    assert item.status == VersionStatus.PUBLISHED and item.confirmed_by == world["sup_county"]


STEPS = """s|受理申请|start|a
a|审查材料|task|d
d|是否符合条件|decision|ok,no
ok|准予许可|end|
no|不予许可并说明理由|end|"""


def test_flowchart_renders_svg(page, site, world):
    login(page, site, "head")
    nav(page, "流程图")
    page.get_by_role("link", name="新建流程图").click()
    page.get_by_label("实施主体").select_option(label=SMJ)
    page.get_by_label("流程名称").fill("食品经营许可流程")
    page.get_by_label("适用权力类别").select_option(label="行政许可")
    steps = page.get_by_label("流程步骤")

    # A step pointing nowhere is a Chinese error on the field; nothing is saved.
    steps.fill("s|受理|start|x")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".row.has-error [role=alert]")).to_contain_text("指向不存在的步骤")
    assert not Flowchart.objects.exists()

    page.get_by_label("流程步骤").fill(STEPS)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/powers/flowcharts/\d+/$"))
    svg = page.locator(".flow svg.flowchart")
    expect(svg).to_be_visible()
    expect(svg.locator("rect")).to_have_count(4)
    expect(svg.locator("polygon")).to_have_count(1)
    expect(svg.locator("line")).to_have_count(4)
    assert svg.locator("text").all_text_contents() == ["受理申请", "审查材料", "是否符合条件", "准予许可", "不予许可并说明理由"]
    box = svg.bounding_box()
    assert box["width"] > 300 and box["height"] > 200, box
    page.screenshot(path="/tmp/zf-flowchart.png", full_page=True)
