"""Headless Chromium: the reviewer's queue and checklist form; return, resubmit, agree, decide."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login, logout

pytestmark = pytest.mark.browser


@pytest.fixture
def rworld(world):
    from tests.factories import case_world
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield case_world(world)
    periods.clear_cache()


def switch(page, site, user):
    logout(page, site)
    login(page, site, user.username, PASSWORD)


def test_reviewer_queue_form_resubmit_agree_decide(page, site, rworld, settings, tmp_path):
    from tests import factories
    from tests.cases.helpers import v
    from tests.review.helpers import BASIS, FACTS, catalogue, evidence, submit
    from zhifa.cases import actions as case_actions
    from zhifa.cases.models import Case

    settings.DATA_DIR = tmp_path
    w = rworld
    today = timezone.localdate()
    day = lambda n: today - dt.timedelta(days=n)  # noqa: E731  (the case runs inside its 90 days)
    catalogue(w)
    case = factories.case(w, on=day(20))
    case_actions.do_file_case(case, acting_user=w["u1"], expected_version=v(case), on=day(20))
    case_actions.do_approve_filing(case, acting_user=w["unit_head"], expected_version=v(case), on=day(19))
    case_actions.do_start_investigation(case, acting_user=w["u1"], expected_version=v(case), on=day(19))
    case_actions.do_propose(case, acting_user=w["u1"], expected_version=v(case), on=day(10), penalty_kinds=["warning", "fine"],
                 fine_amount="5000", facts=FACTS, legal_basis=BASIS)
    case_actions.do_serve_notice(case, acting_user=w["u1"], expected_version=v(case), on=day(9))
    case_actions.do_record_statement(case, waived=True, acting_user=w["u1"], expected_version=v(case), on=day(9))
    evidence(w, case)
    submit(w, case, on=day(1))
    login(page, site, w["rev"].username)
    page.goto(f"{site}/review/")
    queue = page.get_by_test_id("review-queue")
    expect(queue).to_contain_text(case.title)
    queue.get_by_role("link", name="审核").click()
    form = page.get_by_test_id("review-form")
    for item in ("subject", "procedure", "facts", "powers", "documents", "crime"):
        form.locator(f"[data-item={item}]").get_by_label("符合").check()
    form.locator("[data-item=law]").get_by_label("存在问题").check()
    form.locator("[data-item=law]").locator("input[name=note_law]").fill("裁量档位偏重")
    form.get_by_label("审核意见").fill("法律适用存在问题")
    form.get_by_label("需补正或纠正的问题").fill("按一般档位重新拟定罚款数额")
    form.get_by_role("button", name="存在问题").click()
    expect(page.locator(".msg").first).to_contain_text("审核意见已提交")
    expect(page.get_by_test_id("review-queue")).to_contain_text("暂无待审核案件")

    switch(page, site, w["u1"])
    page.goto(f"{site}/cases/{case.pk}/#review")  # the 审核 tab
    panel = page.get_by_test_id("case-review")
    expect(panel).to_contain_text("存在问题")
    expect(panel.get_by_role("link", name="法制审核意见书（第1版）")).to_be_visible()
    panel.get_by_test_id("submit-packet").locator("summary").click()
    panel.get_by_label("裁量理由").fill("初次违法，按一般档位")
    panel.get_by_label("补正说明").fill("已按审核意见调整裁量理由")
    panel.get_by_role("button", name="提交送审").click()
    expect(page.get_by_test_id("case-state")).to_have_text("法制审核中")

    switch(page, site, w["rev"])
    page.goto(f"{site}/review/")
    page.get_by_test_id("review-queue").get_by_role("link", name="审核").click()
    expect(page.get_by_test_id("packet-diff")).to_contain_text("初次违法，按一般档位")
    form = page.get_by_test_id("review-form")
    for fs in form.locator("fieldset").all():
        fs.get_by_label("符合").check()
    form.get_by_label("审核意见").fill("同意")
    form.get_by_role("button", name="同意").click()
    expect(page.locator(".msg").first).to_contain_text("审核意见已提交")

    switch(page, site, w["head"])
    page.goto(f"{site}/cases/{case.pk}/")
    box = page.locator("#action-decide")
    box.locator("summary").click()
    box.get_by_role("button", name="确认作出行政处罚决定").click()
    expect(page.get_by_test_id("case-state")).to_have_text("已作出决定")
    assert Case.objects.get(pk=case.pk).state == "decided"
