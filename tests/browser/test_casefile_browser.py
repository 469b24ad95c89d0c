"""案卷评查 in the browser: a qualified legal reviewer opens the file assigned to them, sees the case
file beside the rubric (its timeline loaded from the case page), is refused a deduction without a
reason, then submits; the organising supervisor sees the score in the round's results."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login, logout, nav_link

pytestmark = pytest.mark.browser


@pytest.fixture
def cfworld(world, settings):
    from django.urls import resolve

    from tests.factories import case_world
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    resolve("/")  # import the URLconf (and the API) here, not inside the live server's first request
    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield case_world(world)
    periods.clear_cache()


def test_reviewer_scores_a_case_file(page, site, cfworld):
    from tests.supervision.casefile_helpers import closed_inspection, new_round
    from zhifa.supervision.actions import casefile as casefile_actions
    from zhifa.supervision.models import CaseReview

    w = cfworld
    case = closed_inspection(w["smj"], w["h1"], w["h2"], archive=True, unit=w["smj_unit"])
    r = new_round(w["sup_county"])
    review = casefile_actions.do_add_case(r, case, acting_user=w["sup_county"])
    casefile_actions.do_assign_reviewer(review, w["rev"], acting_user=w["sup_county"])

    login(page, site, w["rev"].username, PASSWORD)
    nav_link(page, "案卷评查").click()
    page.locator("[data-testid=my-reviews]").get_by_role("link", name=case.number).click()
    # The case file beside the rubric: the timeline comes from the case page itself.
    expect(page.locator("[data-testid=case-file]")).to_contain_text("检查结束")
    expect(page.locator("[data-testid=case-file]")).to_contain_text("归档")
    item = page.locator("[data-item=E1]")
    item.get_by_label("处理措施不当").check()
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_test_id("error")).to_contain_text("扣分理由")
    expect(page.locator("[data-item=E1].has-error")).to_be_visible()
    page.locator("[data-item=E1]").get_by_label("E1 扣分理由").fill("发现问题后仅口头提醒，未责令改正")
    page.get_by_label("评查意见").fill("检查程序规范，问题处理不到位")
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_test_id("review-state")).to_have_text("已提交")
    expect(page.get_by_test_id("review-score")).to_have_text("95.0")
    expect(page.get_by_test_id("review-grade")).to_have_text("优秀")
    rv = CaseReview.objects.get(pk=review.pk)
    assert rv.state == "submitted" and rv.lines.get(code="E1").reason.startswith("发现问题")

    logout(page, site)
    login(page, site, "supcounty", PASSWORD)
    page.goto(f"{site}/supervision/casefile/{r.pk}/")
    expect(page.locator("[data-testid=per-entity]")).to_contain_text("95.0")
    expect(page.locator("[data-testid=worst]")).to_contain_text("E1")
