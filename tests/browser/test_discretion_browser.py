"""Issue 22 at 390 px: on a case at 拟处理, the officer ticks circumstances in the 裁量辅助 panel and sees the
suggested amount with its reasons, the similar cases with the amount warning, the legal basis linked to
the article in force, and the norm of the step; then opens the article in the law library."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login


@pytest.fixture
def dworld(world):
    from tests.factories import case_world
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield case_world(world)
    periods.clear_cache()


@pytest.mark.browser
def test_circumstances_suggestion_similar_and_law_at_390px(page, site, dworld, settings):
    from tests import builders
    from tests.discretion.conftest import publish_benchmark
    from tests.discretion.test_similar_laws import FACTS, decided_profile
    from zhifa.discretion.actions import do_add_norm
    from zhifa.discretion.actions.laws import load_shipped

    settings.ZHIFA_DISCRETION_INDEX_TTL = 0
    w = dworld
    load_shipped(acting_user=w["admin"])
    publish_benchmark(w)
    for fine in ("3000", "3500", "4000"):
        decided_profile(w, fine)
    case = builders.case_at(w, "proposed", facts=FACTS, legal_basis="《中华人民共和国行政处罚法》第三十二条",
                            penalty={"penalty_kinds": ["fine"], "fine_amount": "7000", "discretion_level": "一般"})
    do_add_norm(acting_user=w["head"], kind="language", title="告知用语", text="依法告知您享有陈述申辩权", step="proposed",
                entity=w["smj"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(20000)
    login(page, site, w["u1"].username, "pass12345")
    page.goto(f"{site}/cases/{case.pk}/")
    panel = page.get_by_test_id("discretion-panel")
    expect(panel).to_contain_text("告知用语")
    expect(page.get_by_test_id("similar-warning")).to_contain_text("高于3件同一事项类案")
    form = page.get_by_test_id("circumstances-form")
    form.get_by_label("主动消除或者减轻违法行为危害后果", exact=False).check()
    form.get_by_role("button", name="计算裁量建议").click()
    suggestion = page.get_by_test_id("suggestion")
    expect(suggestion).to_have_attribute("data-level", "从轻")
    expect(suggestion).to_contain_text("建议罚款2000元")
    expect(suggestion).to_contain_text("第三十二条")
    expect(page.get_by_test_id("discretion-far")).to_contain_text("集体讨论")
    basis = page.get_by_test_id("legal-basis").first
    expect(basis).to_have_attribute("data-flag", "")
    href = basis.get_by_role("link").get_attribute("href")
    page.goto(f"{site}{href}")
    expect(page.locator("#a32")).to_contain_text("从轻或者减轻行政处罚")
