"""双随机 on a phone (390 px): the head creates a plan and a batch through the forms, an inspector
declares a 回避 on the task page, the head approves it (the re-drawn inspector shows), and the
public reads the draw with its open data and the verify-draw steps. Every page fits the width."""
import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login, logout
from tests.browser.test_mobile import WIDTH, fits

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": 844}, device_scale_factor=2,
                              is_mobile=True, has_touch=True)
    ctx.set_default_timeout(20000)  # the shared 2-CPU machine is slow under parallel suites
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def drawn(world):
    from tests.factories import case_world
    from tests.inspections import helpers as H
    from zhifa.inspections import actions as A
    from zhifa.inspections.models import Draw
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    cw = case_world(world)
    with time_machine.travel(H.BEFORE, tick=False):
        A.do_import_roster(H.roster_file(H.roster_rows()), entity=cw["smj"], acting_user=cw["unit_head"])
        item = H.inspection_item(cw)
        plan, batch = H.acknowledged_plan(cw, item)
        draw = A.do_commit_draw(batch, acting_user=cw["unit_head"], source=Draw.Source.DRAND, beacon_round=H.ROUND)
    with time_machine.travel(H.AFTER, tick=False):
        draw = A.do_reveal_beacon(draw, signature=H.SIGNATURE, acting_user=cw["unit_head"])
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
        A.do_publish_draw(draw, acting_user=cw["unit_head"])
    yield {"cw": cw, "item": item, "plan": plan, "draw": draw, "tasks": tasks}
    periods.clear_cache()


def check_fits(page, what):
    ok, widths = fits(page)
    assert ok, f"{what} overflows the screen by {widths}"


def test_cycle_pages_on_a_phone(phone, site, drawn):
    page = phone
    cw, draw = drawn["cw"], drawn["draw"]
    login(page, site, "unithead")
    page.goto(f"{site}/inspections/")
    check_fits(page, "双随机 index")
    form = page.get_by_test_id("plan-new")
    form.get_by_label("计划名称").fill("手机上新建的抽查计划")
    form.get_by_role("button", name="新建").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("手机上新建的抽查计划")
    check_fits(page, "new plan page")
    batch = page.get_by_test_id("batch-new")
    batch.get_by_label("批次名称").fill("手机批次")
    batch.get_by_role("checkbox").first.check()
    batch.get_by_label("A类抽取数量").fill("2")
    today = timezone.localdate()
    batch.get_by_label("检查开始日期").fill(today.isoformat())
    batch.get_by_label("检查结束日期").fill((today + dt.timedelta(days=30)).isoformat())
    batch.get_by_role("button", name="添加批次").click()
    expect(page.get_by_role("heading", name="抽查批次：手机批次")).to_be_visible()
    check_fits(page, "plan page with a batch")
    page.goto(f"{site}/inspections/plans/{drawn['plan'].pk}/")
    expect(page.get_by_test_id(f"draw-{draw.pk}")).to_contain_text(draw.seed)
    check_fits(page, "plan page with a finished draw")
    logout(page, site)

    handlers = {cw["h1"], cw["h2"], cw["h3"]}
    task = next(t for t in drawn["tasks"] if handlers & set(t.inspectors.all()))
    officer = next(o for o in task.inspectors.all() if o in handlers)
    login(page, site, officer.user.username)
    page.goto(f"{site}/inspections/tasks/{task.pk}/")
    check_fits(page, "task page")
    form = page.get_by_test_id("recusal-form")
    form.get_by_label("回避理由").fill("与该企业负责人系近亲属")
    form.get_by_role("button", name="申报回避").click()
    expect(page.get_by_test_id("recusals")).to_contain_text("待决定")
    logout(page, site)

    login(page, site, "unithead")
    page.goto(f"{site}/inspections/tasks/{task.pk}/")
    page.get_by_role("button", name="准予回避并重新抽取").click()
    expect(page.get_by_test_id("recusals")).to_contain_text("第1次回避重新抽取")
    check_fits(page, "task page after the re-draw")
    assert officer.name not in page.get_by_test_id("task-inspectors").inner_text()

    page.goto(f"{site}/gs/sjs/{draw.pk}/")
    expect(page.get_by_test_id("verify-steps")).to_contain_text("zhifa verify-draw")
    expect(page.get_by_test_id("open-data")).to_contain_text("CSV")
    check_fits(page, "public draw page")


# ---- the demo's finished draw (`zhifa seed`), walked on a phone -------------------------------------

SEEDED_AT = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def demo_site(live_server, transactional_db, settings, tmp_path):
    """The county demo, seeded (about two minutes) into the live server's database."""
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar
    from zhifa.site.demo import seed

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    periods.clear_cache()
    with time_machine.travel(SEEDED_AT, tick=False):
        seed_from_chinesecalendar()
        periods.clear_cache()
        seed("county")
    periods.clear_cache()
    yield live_server.url
    periods.clear_cache()


@pytest.mark.slow
def test_the_demo_draw_on_the_portal_and_the_staff_pages(phone, demo_site, tmp_path):
    import json
    import subprocess
    import sys

    from zhifa.inspections import demo
    from zhifa.inspections.models import Draw
    from zhifa.site.demo import DEMO_PASSWORD

    site, page = demo_site, phone
    draw = Draw.objects.select_related("batch__plan").get(beacon_round=demo.DEMO_ROUND)
    tasks = list(draw.tasks.order_by("id"))
    corrected = next(t for t in tasks if t.result == "corrected")

    # The public: the draw on the portal, its results, one enterprise's record, and the kit verified.
    page.goto(f"{site}/gs/sjs/")
    check_fits(page, "public 双随机 list")
    page.get_by_role("link", name=f"{draw.entity.name} · {draw.batch.plan.title} · {draw.batch.name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(draw.batch.name)
    expect(page.get_by_text(draw.seed)).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(len(tasks))
    expect(page.locator("tbody")).to_contain_text(f"发现问题已责令改正（{corrected.published_on:%Y-%m-%d}公示）")
    expect(page.locator("tbody")).not_to_contain_text("检查中")
    check_fits(page, "public draw page of the demo")
    kit = page.request.get(site + page.get_by_test_id("kit-link").get_attribute("href"))
    assert kit.ok and json.loads(kit.body())["result_sha256"] == draw.result_sha256
    path = tmp_path / "kit.json"
    path.write_bytes(kit.body())
    verified = subprocess.run([sys.executable, "-m", "zhifa.cli", "verify-draw", str(path)], capture_output=True,
                              text=True, env={"PATH": "/usr/bin:/bin"})
    assert verified.returncode == 0 and "核验通过" in verified.stdout, verified.stdout + verified.stderr
    page.goto(f"{site}/gs/sjs/")
    page.get_by_label("按企业查询（统一社会信用代码）").fill(corrected.object_key)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("enterprise-inspections")).to_contain_text("发现问题已责令改正")
    check_fits(page, "one enterprise's random inspections")

    # The planner: the plan, acknowledged, its finished draw, a task with its result.
    login(page, site, "unithead", DEMO_PASSWORD)
    page.goto(f"{site}/inspections/")
    expect(page.get_by_test_id("figures")).to_contain_text(draw.entity.name)
    check_fits(page, "双随机 index of the demo")
    page.get_by_test_id("plans").get_by_role("link", name=draw.batch.plan.title).click()
    expect(page.get_by_test_id("plan-state")).to_have_text("上级已确认备案")
    card = page.get_by_test_id(f"draw-{draw.pk}")
    expect(card).to_contain_text(draw.seed)
    expect(card).to_contain_text("已公示")
    expect(card.locator("tbody tr")).to_have_count(len(tasks))
    expect(card.locator("tbody")).not_to_contain_text("待检查")
    check_fits(page, "plan page with the demo's finished draw")
    card.get_by_role("link", name=corrected.object_name).click()
    expect(page.get_by_test_id("task-result")).to_contain_text("发现问题已责令改正")
    check_fits(page, "task page of the demo")
    logout(page, site)

    # The city's supervisor: the 双随机 figures on the supervision home.
    login(page, site, "citysupervisor", DEMO_PASSWORD)
    page.goto(f"{site}/supervision/")
    section = page.get_by_test_id("section-inspections")
    expect(section).to_contain_text("双随机、一公开")
    expect(section.get_by_test_id("sjs-done")).to_have_text(f"{len(tasks)}/{len(tasks)}")
    expect(section.get_by_test_id("sjs-on-time")).to_have_text(f"{len(tasks)}/{len(tasks)}")
    expect(section.get_by_test_id("sjs-overdue")).to_have_text("0")
    expect(section.get_by_test_id("sjs-draws")).to_have_text("1")
