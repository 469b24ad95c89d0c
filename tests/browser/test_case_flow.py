"""The main path on a phone (issue 18): an officer pair runs a general-procedure penalty case at
390 px, 案源登记 → review returned once → decision → service → payment → closure → archive, each person
logging in for their own step, then the head publishes it and a citizen finds the redacted
决定书 by its number typed with ordinary brackets — no dead step, no rule identifier on screen, no
double version; and the case pages fit a phone."""
import datetime as dt
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login, logout, nav_link
from zhifa.common.identifiers import make_credit_code, make_id_number

pytestmark = pytest.mark.browser

# Screenshots go to docs/screenshots only when asked (ZHIFA_SCREENSHOTS=1), so a test run never
# rewrites tracked files.
SHOTS = "docs/screenshots" if os.environ.get("ZHIFA_SCREENSHOTS") else "/tmp"
# A rule identifier (case.role, review.packet_complete, archive.documents_complete …) as text on screen.
RULE_ID = re.compile(r"\b(?:case|review|records|notice|decision|archive|payment|officers|documents|hearing|statement|"
                     r"discussion|penalty|close|seizure|extension|transfer|filing|publication|validation|scope)"
                     r"\.[a-z_]+\b")
PHONE = 390
MEASURE = "[document.body.scrollWidth, document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def cworld(world):
    """The browser world plus the case people (tests.factories.case_world) and the calendar."""
    from tests.factories import case_world
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar
    from zhifa.orgs.models import User

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    w = case_world(world)
    for key, name in (("u1", "刘一"), ("u2", "陈二"), ("u3", "杨三"), ("rev", "法制审核员")):
        User.objects.filter(pk=w[key].pk).update(display_name=name)
    yield w
    periods.clear_cache()


def switch(page, site, user):
    logout(page, site)
    login(page, site, user.username if hasattr(user, "username") else user, PASSWORD)


def no_rule_ids(page):
    text = page.locator("body").inner_text()
    assert not RULE_ID.search(text), RULE_ID.search(text).group(0)


def act(page, name, label, fill=None, state=None):
    """Open the action's form on the case page (tab 概况), fill it, confirm, and check the result."""
    no_rule_ids(page)
    tab(page, "概况")
    box = page.locator(f"#action-{name}")
    box.locator("summary").click()
    if fill:
        fill(box)
    box.get_by_role("button", name=f"确认{label}").click()
    expect(page.locator(".msg").first).to_contain_text(f"已办理：{label}")
    if state:
        expect(page.get_by_test_id("case-state")).to_have_text(state)


# What an officer types when generating a document (the rest comes from the case).
DOC_FIELDS = {
    "inquiry_record": {"询问地点": "七星关区市场监督管理局询问室", "记录人": "陈二",
                       "问答内容": "问：你店是否销售过期食品？\n答：是，货架上有20箱过期牛奶。"},
    "inspection_record": {"检查地点": "七星关区洪山路1号某某超市", "记录人": "陈二",
                          "检查情况": "货架上发现超过保质期的牛奶20箱"},
    "penalty_notice": {"证据": "现场检查笔录\n询问笔录\n现场照片6张"},
    "penalty_decision": {"证据": "现场检查笔录\n询问笔录\n现场照片6张"},
}


def documents(page, *codes, timeout=5000):
    """Generate these documents in the case page's documents panel (zhifa.documents), when the
    panel is there: open the type's 生成 form, fill what the officer writes, submit, see
    version 1 in the panel."""
    if not page.locator("#documents").count():
        return
    tab(page, "文书")
    for code in codes:
        row = page.locator(f'#case-documents tr[data-doc-type="{code}"]').first
        row.locator("summary").click()
        for label, value in DOC_FIELDS.get(code, {}).items():
            row.get_by_label(label, exact=False).fill(value)
        row.get_by_role("button", name=re.compile("^生成")).click()
        row = page.locator(f'#case-documents tr[data-doc-type="{code}"]').first
        expect(row).to_contain_text("第1版", timeout=timeout)
        expect(row.locator('[role="alert"]')).to_have_count(0)


def tab(page, label):
    """Show one tab of the case page (概况 / 当事人 / 记录 / 文书 / 审核 / 日志)."""
    page.get_by_role("tab", name=label, exact=True).click()
    expect(page.get_by_role("tab", name=label, exact=True)).to_have_attribute("aria-selected", "true")


def fits(page):
    body, doc, inner = page.evaluate(MEASURE)
    return max(body, doc) <= min(inner, PHONE) + 1, {"body": body, "document": doc, "innerWidth": inner}


def test_general_case_end_to_end(phone, site, cworld, monkeypatch, settings):
    w = cworld
    page = phone
    # No worker beside the live server: PDFs are made at enqueue (the smoke test has the real worker).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # LibreOffice takes seconds a PDF: only the decision is converted here; the others get
    # their .docx (the documents tests cover the PDFs).
    monkeypatch.setenv("ZHIFA_SOFFICE", "/nonexistent/soffice")
    case_url = None
    login(page, site, w["u1"].username)

    # 案源登记 by 刘一, with a second party added through the "add another" row.
    nav_link(page, "案件").click()
    page.get_by_role("link", name="新建案件").click()
    page.get_by_role("link", name="案源登记（一般程序行政处罚）").click()
    page.get_by_label("案由/事项").fill("销售超过保质期的食品案")
    page.get_by_label("案件来源").select_option("complaint")
    page.get_by_label("违法行为发生（终了）日").fill((timezone.localdate() - dt.timedelta(days=20)).isoformat())
    items = page.get_by_role("group", name="权责清单事项")
    items.get_by_label(w["item"].code, exact=False).check()
    page.get_by_placeholder("按编码、名称、依据搜索已公布事项").fill("没有这个事项")
    expect(items).to_contain_text("没有匹配“没有这个事项”的已公布权责清单事项")  # the search ran (HTMX) …
    expect(items.get_by_label(w["item"].code, exact=False)).to_be_checked()  # … and the choice stayed
    officers = page.get_by_role("group", name="承办人员")
    expect(officers.get_by_label("刘一", exact=False)).to_be_checked()
    expect(officers).to_contain_text("有效至2030-12-31")
    officers.get_by_label("陈二", exact=False).check()
    page.get_by_label("违法事实/基本情况").fill("群众投诉某超市销售过期食品")
    p0 = page.get_by_test_id("party-0")
    p0.get_by_label("自然人").check()
    p0.get_by_label("姓名/名称").fill("陈建华")
    p0.get_by_label("身份证号").fill(make_id_number("520502", dt.date(1980, 5, 1), 7))
    p0.get_by_label("住所/地址").fill("七星关区洪山路1号")
    page.get_by_role("button", name="添加当事人").click()
    p1 = page.get_by_test_id("party-1")
    expect(p1).to_be_visible()
    expect(p0.get_by_label("姓名/名称")).to_have_value("陈建华")  # what was typed survives
    p1.get_by_label("法人或其他组织").check()
    expect(p1.get_by_label("身份证号")).to_be_hidden()
    p1.get_by_label("姓名/名称").fill("七星关区某某超市有限公司")
    p1.get_by_label("统一社会信用代码").fill(make_credit_code("520502", "00000077", authority="9"))
    p1.get_by_label("法定代表人/负责人").fill("周某")
    p1.get_by_label("住所/地址").fill("七星关区洪山路1号")
    page.screenshot(path=f"{SHOTS}/zf-case-new.png", full_page=True)
    page.get_by_role("button", name="保存并登记").click()
    expect(page.get_by_test_id("case-state")).to_have_text("案源登记")
    case_url = page.url
    expect(page.locator(".casehead")).to_contain_text("七星关区某某超市有限公司")
    expect(page.locator("#tab-parties")).to_contain_text("有效至2030-12-31")
    act(page, "file_case", "提请立案", state="立案审批中")
    # A step for someone else is not offered to the officer.
    expect(page.locator("#action-approve_filing")).to_have_count(0)

    switch(page, site, "unithead")
    page.goto(case_url)
    act(page, "approve_filing", "批准立案", state="已立案")
    expect(page.get_by_role("heading", level=1)).to_contain_text("七市监立〔")
    expect(page.locator("#deadlines")).to_contain_text("作出行政处罚决定期限")
    documents(page, "filing_approval")

    switch(page, site, w["u2"])
    page.goto(case_url)
    act(page, "start_investigation", "开始调查取证", state="调查取证")
    documents(page, "inquiry_record", "inspection_record")

    switch(page, site, w["u1"])
    page.goto(case_url)

    def propose(box):
        box.get_by_label("警告").check()
        box.get_by_label("罚款", exact=True).check()
        box.get_by_label("罚款金额（元）").fill("5000")
        box.get_by_label("违法事实").fill("销售超过保质期的食品20箱，货值2000元")
        box.get_by_label("法律法规规定应当法制审核").check()

    act(page, "propose", "提出拟处理意见", propose, state="拟处理意见")
    documents(page, "penalty_notice")
    act(page, "serve_notice", "送达行政处罚事先告知书", state="已事先告知")
    expect(page.locator("#deadlines")).to_contain_text("陈述、申辩期限")
    # The head could not decide yet; the officer records the party's waiver.
    act(page, "record_statement", "记录陈述申辩", lambda b: b.get_by_label("当事人明确放弃陈述、申辩").check())
    act(page, "submit_legal_review", "提交法制审核",
        lambda b: b.get_by_label("法制审核人员").select_option(str(w["rev"].pk)), state="法制审核中")
    page.screenshot(path=f"{SHOTS}/zf-case-desktop.png", full_page=True)

    # The reviewer returns it once; the officer resubmits; then the reviewer agrees.
    switch(page, site, w["rev"])
    page.goto(case_url)
    act(page, "review_fail", "法制审核存在问题",
        lambda b: b.get_by_label("书面审核意见").fill("证据清单未列明现场照片，请补充后重新送审"), state="拟处理意见")
    switch(page, site, w["u1"])
    page.goto(case_url)
    expect(page.locator("#action-submit_legal_review")).to_be_visible()
    act(page, "submit_legal_review", "提交法制审核",
        lambda b: b.get_by_label("法制审核人员").select_option(str(w["rev"].pk)), state="法制审核中")
    switch(page, site, w["rev"])
    page.goto(case_url)
    act(page, "review_pass", "法制审核同意",
        lambda b: b.get_by_label("书面审核意见").fill("事实清楚，证据确凿，适用依据正确，程序合法"), state="法制审核通过")

    switch(page, site, "head")
    page.goto(case_url)
    act(page, "decide", "作出行政处罚决定", state="已作出决定")
    expect(page.locator(".casehead")).to_contain_text("七市监罚决〔")
    monkeypatch.delenv("ZHIFA_SOFFICE")
    documents(page, "penalty_decision", timeout=30000)
    if page.locator("#documents").count():
        decision = page.locator('#case-documents tr[data-doc-type="penalty_decision"]').first
        expect(decision.get_by_role("link", name="PDF")).to_be_visible(timeout=60000)  # LibreOffice under a loaded machine
    monkeypatch.setenv("ZHIFA_SOFFICE", "/nonexistent/soffice")

    switch(page, site, w["u1"])
    page.goto(case_url)
    act(page, "serve_decision", "送达行政处罚决定书", lambda b: b.get_by_label("送达方式").select_option("直接送达"),
        state="已送达")
    expect(page.locator("#deadlines")).to_contain_text("缴纳罚款期限")
    documents(page, "service_receipt")
    act(page, "record_payment", "登记缴纳罚款", state="执行中")

    switch(page, site, "unithead")
    page.goto(case_url)
    act(page, "close", "结案", state="已结案")
    documents(page, "closing_report")

    switch(page, site, w["u1"])
    page.goto(case_url)
    # The 卷内目录 says what 归档 still needs (nothing: every document was made along the way).
    tab(page, "文书")
    expect(page.get_by_test_id("case-file-index")).to_contain_text("行政处罚决定书")
    expect(page.get_by_test_id("archive-missing")).to_have_count(0)
    act(page, "archive", "归档", state="已归档")
    expect(page.locator("#actions")).to_have_count(0)
    timeline = page.locator("#timeline")
    for label in ("案源登记", "提请立案", "批准立案", "开始调查取证", "提出拟处理意见", "送达行政处罚事先告知书",
                  "记录陈述申辩", "提交法制审核", "法制审核同意", "作出行政处罚决定", "送达行政处罚决定书",
                  "登记缴纳罚款", "结案", "归档"):
        expect(timeline).to_contain_text(label)
    expect(timeline).to_contain_text("法制审核员")
    if page.locator("#documents").count():
        for code in ("filing_approval", "inquiry_record", "inspection_record", "penalty_notice", "penalty_decision",
                     "service_receipt", "closing_report"):
            expect(page.locator(f'#case-documents tr[data-doc-type="{code}"]').first).to_contain_text("第1版")
        expect(page.locator("#case-documents tr.doc-old")).to_have_count(0)  # no second version anywhere
    ok, sizes = fits(page)
    assert ok, sizes
    page.screenshot(path=f"{SHOTS}/zf-case-closed.png", full_page=True)

    # The head publishes the decision (redaction reviewed on the publication page) …
    from zhifa.cases.models import Case

    case = Case.objects.get(pk=int(case_url.rstrip("/").rsplit("/", 1)[1]))
    switch(page, site, "head")
    page.goto(f"{site}/disclosure/{case.publication.pk}/")
    no_rule_ids(page)
    page.get_by_test_id("approve").click()
    expect(page.locator(".msg").first).to_be_visible()
    case.publication.refresh_from_db()
    assert case.publication.state == "published"
    # … and a citizen on a phone finds it by the number typed with ordinary brackets.
    logout(page, site)
    typed = case.decision_number.replace("〔", "(").replace("〕", ")")
    page.goto(f"{site}/gs/results/")
    page.get_by_label("关键词").fill(typed)
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 条")
    page.get_by_test_id("result").get_by_role("link").click()
    body = page.get_by_test_id("decision-body")
    expect(body).to_contain_text("陈某")
    expect(body).to_contain_text("本机关决定")
    assert "陈建华" not in page.content() and case.parties.filter(kind="person").get().id_number not in page.content()
    expect(page.get_by_test_id("fine-amount")).to_have_text("¥5,000.00")
    ok, sizes = fits(page)
    assert ok, sizes
    page.screenshot(path=f"{SHOTS}/zf-portal-decision-phone.png", full_page=True)

    # The case list finds it by the party's name.
    login(page, site, w["u1"].username)
    page.goto(f"{site}/cases/")
    page.get_by_role("searchbox", name="搜索").fill("某某超市")
    expect(page.locator("#results")).to_contain_text("销售超过保质期的食品案")
    expect(page.locator("#results")).to_contain_text("已归档")


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": PHONE, "height": 844}, device_scale_factor=2,
                              is_mobile=True, has_touch=True)
    ctx.set_default_timeout(5000)
    yield ctx.new_page()
    ctx.close()


def test_case_pages_fit_a_phone(phone, site, cworld):
    from tests import factories
    from tests.cases.helpers import to_proposed

    w = cworld
    case = factories.case(w, title="手机上办理的案件", party=factories.org_party("七星关区某某餐饮管理有限公司"))
    to_proposed(w, case)
    page = phone
    login(page, site, w["u1"].username)

    page.goto(f"{site}/cases/{case.pk}/")
    ok, widths = fits(page)
    page.screenshot(path=f"{SHOTS}/zf-case-phone.png", full_page=True)
    assert ok, f"case page overflows a phone by {widths}"
    button = page.locator("#action-serve_notice summary")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= PHONE * 0.8, box  # a thumb-sized target
    button.tap()
    page.screenshot(path=f"{SHOTS}/zf-case-phone-action.png", full_page=False)
    assert fits(page)[0]
    page.locator("#action-serve_notice").get_by_role("button", name="确认送达行政处罚事先告知书").tap()
    expect(page.get_by_test_id("case-state")).to_have_text("已事先告知")

    for url, shot in ((f"{site}/cases/new/general/", "zf-case-phone-new.png"),
                      (f"{site}/cases/", "zf-case-phone-list.png"),
                      (f"{site}/cases/queue/", "zf-case-phone-queue.png")):
        page.goto(url)
        ok, widths = fits(page)
        page.screenshot(path=f"{SHOTS}/{shot}", full_page=True)
        assert ok, f"{url} overflows a phone by {widths}"
    page.goto(f"{site}/cases/queue/")
    expect(page.locator("#content, main")).to_contain_text("手机上办理的案件")
