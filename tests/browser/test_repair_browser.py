"""信用修复 on the portal in headless Chromium, on a phone: the party opens its decision, applies with the
access code printed on its documents (a wrong code is refused next to the field), the head approves, and
the party reads the outcome on the same page while the decision is gone from the results."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def decision(world):
    from tests.calendar_ahead import ensure_calendar_ahead
    from tests.disclosure.conftest import decided_case
    from zhifa.disclosure.actions import publications as publication_actions

    ensure_calendar_ahead(world["admin"])
    cw = factories.case_world(world)
    case = decided_case(cw)
    # published long enough ago for the minimum period, recently enough to be public today
    on = max(timezone.localdate() - dt.timedelta(days=200), case.decided_on)
    pub = publication_actions.do_approve(case.publication, acting_user=cw["head"], on=on)
    return cw, pub


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    ctx.set_default_timeout(8000)
    yield ctx.new_page()
    ctx.close()


def test_party_applies_online_and_reads_the_outcome(phone, site, decision):
    from zhifa.disclosure.actions import credit_repair as repair_actions
    from zhifa.disclosure.models import CreditRepair
    from zhifa.disclosure.pipeline import access_code

    cw, pub = decision
    code = access_code(pub.case)
    page = phone
    page.goto(f"{site}/gs/results/{pub.pk}/")
    page.get_by_test_id("repair-link").click()
    page.wait_for_url(f"{site}/gs/results/{pub.pk}/repair/")
    form = page.get_by_test_id("repair-online-form")
    form.get_by_label("查询码（见行政处罚决定书等文书）").fill("WRONG123")
    form.get_by_label("申请人").fill("张建国")
    form.get_by_label("联系方式（选填，仅供执法机关联系您，不公开）").fill("13985712345")
    form.get_by_label("申请理由（至少4个字）").fill("罚款已全部缴纳，门店已整改完毕")
    for box in form.get_by_role("checkbox").all():
        box.check()
    form.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("error-access_code")).to_contain_text("查询码与该行政处罚决定不符")
    assert not CreditRepair.objects.exists()
    expect(page.locator("body")).not_to_contain_text("13985712345")  # the contact is never echoed

    form = page.get_by_test_id("repair-online-form")
    form.get_by_label("查询码（见行政处罚决定书等文书）").fill(code.lower())
    form.get_by_label("联系方式（选填，仅供执法机关联系您，不公开）").fill("13985712345")
    for box in form.get_by_role("checkbox").all():
        box.check()
    form.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("repair-submitted")).to_contain_text("已提交信用修复申请")
    repair = CreditRepair.objects.get()
    assert repair.channel == "portal" and repair.contact == "13985712345" and repair.applicant == "张建国"

    repair_actions.do_approve_repair(repair, acting_user=cw["head"], note="条件均已核实")
    page.goto(f"{site}/gs/results/")
    expect(page.locator("main")).not_to_contain_text(pub.decision_number)
    page.goto(f"{site}/gs/results/{pub.pk}/repair/")
    expect(page.get_by_test_id("not-public")).to_be_visible()
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("repair-state")).to_have_text("已批准")
    expect(page.get_by_test_id("repair-note")).to_have_text("条件均已核实")
    expect(page.locator("body")).not_to_contain_text("13985712345")
