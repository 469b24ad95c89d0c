"""The case pages through the Django test client: every page for every role, scope, refusals
with the rule's Chinese message, stale versions, bad input, and a whole case through the forms."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.cases.helpers import to_investigating, to_proposed, v
from zhifa.cases import actions as case_actions
from zhifa.cases.models import Case, CaseEvent
from zhifa.common.identifiers import make_credit_code, make_id_number
from zhifa.common.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


TODAY = timezone.localdate()
ROLES = ["u1", "unit_head", "head", "rev", "sup_county", "sup_city", "admin"]
# Who may open which new-case form (the first transition's roles in machine.py).
CREATORS = {"general": {"u1", "unit_head", "head"}, "inspection": {"u1", "unit_head", "head"},
            "simple": {"u1"}, "coercive": {"u1"}}


def body(r):
    return r.content.decode()


def detail(case):
    return reverse("cases-detail", args=[case.pk])


def action(case, name):
    return reverse("cases-action", args=[case.pk, name])


def post_action(client, case, name, data=None, version=None):
    """POST one transition form the way the page does (prefixed fields, current version)."""
    case.refresh_from_db()
    payload = {f"{name}-version": case.version if version is None else version, f"{name}-on": TODAY.isoformat()}
    for k, val in (data or {}).items():
        payload[f"{name}-{k}"] = val
    return client.post(action(case, name), payload)


def id_number(n):
    return make_id_number("520502", dt.date(1980, 5, 1) + dt.timedelta(days=n), n)


def new_case_data(w, **extra):
    data = {"title": "销售过期食品案", "source": "complaint", "on": TODAY.isoformat(),
            "discovered_on": TODAY.isoformat(), "violation_on": (TODAY - dt.timedelta(days=10)).isoformat(),
            "unit": w["smj_unit"].pk, "field": "市场监管", "power_items": [w["item"].pk],
            "officers": [w["h1"].pk, w["h2"].pk], "lead": w["h1"].pk, "facts": "货架上有过期食品",
            "parties-TOTAL_FORMS": "1", "parties-INITIAL_FORMS": "0", "parties-MIN_NUM_FORMS": "1",
            "parties-MAX_NUM_FORMS": "20",
            "parties-0-kind": "person", "parties-0-name": "陈某", "parties-0-id_number": id_number(7),
            "parties-0-address": "七星关区某路1号", "parties-0-phone": "13800000000"}
    data.update(extra)
    return data


@pytest.fixture
def case(cw):
    return factories.case(cw)


# ---- every page renders, scope holds ------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_pages_render_for_every_role(client, cw, case, role):
    to_proposed(cw, case)
    client.force_login(cw[role])
    for url in (reverse("cases-list"), reverse("cases-queue"), detail(case)):
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        assert "销售过期食品案" in body(r), url
    kinds = {k for k, who in CREATORS.items() if role in who}
    r = client.get(reverse("cases-new"))
    assert r.status_code == (200 if kinds else 403)
    for slug in CREATORS:
        r = client.get(reverse("cases-create", args=[slug]))
        assert r.status_code == (200 if slug in kinds else 403), (slug, r.status_code)
    r = client.get(detail(case))
    page = body(r)
    assert "办案记录" in page and "法定期限" in page and "变更记录" in page and "刘一" in page
    if role in ("sup_county", "sup_city", "admin"):
        assert 'id="actions"' not in page  # supervisors see, never act


def test_out_of_scope_case_is_404(client, cw):
    zy_user = factories.user(Role.OFFICER, cw["zy"], None)
    other = factories.certified_officer(cw["zy"], None, "外市官员")
    foreign = case_actions.do_register_case({"entity": cw["zy"], "title": "遵义的案件", "source": "complaint"},
                                 acting_user=zy_user, parties=[factories.person_party()],
                                 officers=[(cw["o_zy"], "lead"), (other, "assist")], on=dt.date(2026, 3, 2))
    for role in ("u1", "head", "sup_county"):
        client.force_login(cw[role])
        assert client.get(detail(foreign)).status_code == 404
        assert client.get(action(foreign, "file_case")).status_code == 404
        assert client.post(action(foreign, "file_case"), {"file_case-version": 1}).status_code == 404
        assert "遵义的案件" not in body(client.get(reverse("cases-list")))
        assert "遵义的案件" not in body(client.get(reverse("cases-queue")))
    client.force_login(cw["sup_city"])  # another city's supervisor does not see 遵义 either
    assert client.get(detail(foreign)).status_code == 404


def test_unknown_transition_is_404(client, cw, case):
    client.force_login(cw["u1"])
    assert client.get(action(case, "no_such_step")).status_code == 404
    assert client.get(action(case, "register")).status_code == 404  # the creating step is not an action


# ---- list and queue ---------------------------------------------------------------------
def test_list_search_filters_and_htmx_partial(client, cw, case):
    other = factories.case(cw, title="无证经营案", party=factories.org_party("某某餐饮有限公司"))
    to_investigating(cw, other)
    client.force_login(cw["head"])
    url = reverse("cases-list")
    r = client.get(url, {"q": "餐饮"}, HTTP_HX_REQUEST="true")
    page = body(r)
    assert "无证经营案" in page and "销售过期食品案" not in page and "<html" not in page
    other.refresh_from_db()
    assert "无证经营案" in body(client.get(url, {"q": other.number}))
    page = body(client.get(url, {"state": "registered"}))
    assert "销售过期食品案" in page and "无证经营案" not in page
    page = body(client.get(url, {"officer": cw["h1"].pk, "kind": "penalty_general", "unit": cw["smj_unit"].pk}))
    assert "销售过期食品案" in page and "无证经营案" in page
    page = body(client.get(url, {"year": str(other.filed_on.year)}))
    assert "销售过期食品案" in page and "无证经营案" in page
    # The oldest year the filter offers (this year and the seven before): no case was filed then.
    page = body(client.get(url, {"year": str(TODAY.year - 7)}))
    assert "没有符合条件的案件" in page
    # The decision period of `other` (filed 2026-03-03) ran out on 2026-06-01: overdue. So did the
    # filing decision on `case` (registered 2026-03-02, neither filed nor refused in 15 working days).
    page = body(client.get(url, {"due": "overdue"}))
    assert "无证经营案" in page and "销售过期食品案" in page
    page = body(client.get(url, {"due": "overdue", "state": "filing_pending"}))
    assert "无证经营案" not in page
    # Bad filter values are ignored, never a 500.
    for bad in ({"year": "abc"}, {"due": "-5"}, {"unit": "x"}, {"officer": "999999"}, {"kind": "nope"},
                {"page": "zzz"}, {"due": "99999999999"}):
        assert client.get(url, bad).status_code == 200, bad


def test_queue_sorted_by_due_date_and_unknown_calendar_shown(client, cw):
    early = factories.case(cw, title="早立案的案件")
    to_investigating(cw, early)  # filed 2026-03-03: decision due 2026-06-01
    late = factories.case(cw, title="今天立案的案件", on=TODAY)
    case_actions.do_file_case(late, acting_user=cw["u1"], expected_version=v(late), on=TODAY)
    case_actions.do_approve_filing(late, acting_user=cw["unit_head"], expected_version=v(late), on=TODAY)
    client.force_login(cw["u1"])
    page = body(client.get(reverse("cases-queue")))
    assert page.index("早立案的案件") < page.index("今天立案的案件")
    assert "作出行政处罚决定" in page or "办案期限" in page
    late_dl = late.deadlines.get(kind="decision")
    if not late_dl.known:  # 90 days from late November reach a year without calendar data
        assert late_dl.due_display in page and late_dl.due_display.startswith("待定：需录入")
    assert re.search(r"超期\d+日", page)  # the early case's period has run out
    # An officer's queue holds only the cases they handle.
    client.force_login(cw["u3"])
    assert "早立案的案件" not in body(client.get(reverse("cases-queue")))


# ---- new cases ---------------------------------------------------------------------------
def test_register_general_case_through_the_form(client, cw):
    client.force_login(cw["u1"])
    url = reverse("cases-create", args=["general"])
    data = new_case_data(cw, **{"parties-TOTAL_FORMS": "2", "parties-1-kind": "org",
                                "parties-1-name": "某某食品有限公司",
                                "parties-1-credit_code": make_credit_code("520502", "00000077", authority="9"),
                                "parties-1-legal_representative": "周某"})
    r = client.post(url, data)
    assert r.status_code == 302, body(r)
    case = Case.objects.get(title="销售过期食品案")
    assert r.url == detail(case)
    assert case.state == "registered" and case.kind == "penalty_general" and case.version == 1
    assert sorted(case.parties.values_list("kind", flat=True)) == ["org", "person"]
    assert set(case.officers.values_list("officer__name", "role")) == {("刘一", "lead"), ("陈二", "assist")}
    assert list(case.power_items.all()) == [cw["item"]]
    assert CaseEvent.objects.get(case=case).actor == cw["u1"]
    page = body(client.get(detail(case)))
    assert "某某食品有限公司" in page and "案源登记" in page and "执法证53" in page


def test_add_party_row_keeps_what_was_typed(client, cw):
    client.force_login(cw["u1"])
    url = reverse("cases-create", args=["general"])
    data = new_case_data(cw, add_party="1")
    r = client.post(url, data)
    assert r.status_code == 200 and not Case.objects.exists()
    page = body(r)
    assert 'name="parties-TOTAL_FORMS" value="2"' in page and "当事人 2" in page
    assert id_number(7) in page and 'role="alert"' not in page
    r = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-form")
    assert "<html" not in body(r) and 'id="case-form"' in body(r)


def test_power_item_search(client, cw):
    client.force_login(cw["u1"])
    url = reverse("cases-power-items")
    assert cw["item"].code in body(client.get(url, {"q": "食品"}))
    assert cw["item"].code not in body(client.get(url, {"q": "不存在的事项"}))
    # A checked item stays in the list whatever the search.
    assert cw["item"].code in body(client.get(url, {"q": "不存在的事项", "power_items": [cw["item"].pk]}))


@pytest.mark.parametrize("field, value, message", [
    ("parties-0-id_number", "520502198501010012", "身份证号：身份证号校验位错误"),
    ("parties-0-id_number", "12345", "身份证号：身份证号应为18位"),
    ("on", "2026-13-45", "登记日期：输入一个有效的日期"),
    ("violation_on", "昨天", "违法行为发生（终了）日：输入一个有效的日期"),
    ("officers", None, "承办人员：请至少选择2名持有效执法证的执法人员"),
    ("title", "", "案由/事项：这个字段是必填项"),
])
def test_bad_input_on_the_new_case_form(client, cw, field, value, message):
    client.force_login(cw["u1"])
    data = new_case_data(cw)
    if field == "officers":
        data["officers"] = [cw["h1"].pk]
    else:
        data[field] = value
    r = client.post(reverse("cases-create", args=["general"]), data)
    assert r.status_code == 200
    assert message in body(r)
    assert not Case.objects.exists()


def test_org_party_needs_credit_code_and_representative(client, cw):
    client.force_login(cw["u1"])
    data = new_case_data(cw, **{"parties-0-kind": "org", "parties-0-name": "某公司",
                                "parties-0-credit_code": "91520502MA6DXXXXXX"})
    page = body(client.post(reverse("cases-create", args=["general"]), data))
    assert "统一社会信用代码：" in page and not Case.objects.exists()
    data["parties-0-credit_code"] = make_credit_code("520502", "00000088", authority="9")
    page = body(client.post(reverse("cases-create", args=["general"]), data))
    assert "法定代表人/负责人：法人或其他组织当事人必须填写法定代表人或负责人" in page


def test_officer_without_valid_certificate_cannot_be_chosen(client, cw):
    expired = factories.certified_officer(cw["smj"], cw["smj_unit"], "过期证", issued_on=dt.date(2015, 1, 1),
                                          expires_on=dt.date(2020, 1, 1))
    client.force_login(cw["u1"])
    page = body(client.get(reverse("cases-create", args=["general"])))
    assert "过期证" in page and "无有效证件" in page and "有效至2030-12-31" in page
    data = new_case_data(cw, officers=[cw["h1"].pk, expired.pk])
    page = body(client.post(reverse("cases-create", args=["general"]), data))
    assert "过期证没有" in page and not Case.objects.exists()


def test_simple_procedure_refused_over_the_limit(client, cw):
    """当场处罚 of 500 yuan on a citizen: refused by the core with its Chinese message and rule."""
    client.force_login(cw["u1"])
    url = reverse("cases-create", args=["simple"])
    data = new_case_data(cw, place="某农贸市场", penalty_kinds=["fine"], fine_amount="500")
    r = client.post(url, data)
    page = body(r)
    assert r.status_code == 200 and "对公民当场罚款不得超过200元" in page and "simple.within_limits" in page
    assert not Case.objects.exists()
    data["fine_amount"] = "-5"
    page = body(client.post(url, data))
    assert "罚款金额（元）：确保该值大于或等于0" in page and not Case.objects.exists()
    data["fine_amount"] = "150"
    r = client.post(url, data)
    assert r.status_code == 302, body(r)
    case = Case.objects.get()
    assert case.kind == "penalty_simple" and case.state == "decided" and case.number


def test_inspection_and_seizure_forms(client, cw):
    client.force_login(cw["u1"])
    r = client.post(reverse("cases-create", args=["inspection"]), new_case_data(cw, title="食品安全日常检查"))
    assert r.status_code == 302, body(r)
    insp = Case.objects.get(title="食品安全日常检查")
    assert insp.state == "planned" and insp.number
    data = new_case_data(cw, title="扣押过期食品", measure="seize", items="过期牛奶，20箱，2026年批次\n过期面包，5袋")
    assert "批准人" not in body(client.get(reverse("cases-create", args=["coercive"])))  # no self-declared approver
    r = client.post(reverse("cases-create", args=["coercive"]), data)
    assert r.status_code == 302, body(r)
    seized = Case.objects.get(title="扣押过期食品")
    assert seized.state == "seizure_requested" and seized.seizures.get().items[0] == {
        "name": "过期牛奶", "quantity": "20箱", "note": "2026年批次"}
    # The head approves from the case page (their queue lists it).
    client.force_login(cw["head"])
    r = client.post(reverse("cases-action", args=[seized.pk, "approve_seizure"]),
                    {"approve_seizure-version": seized.version, "approve_seizure-on": timezone.localdate().isoformat()})
    assert r.status_code == 302, body(r)
    seized.refresh_from_db()
    assert seized.state == "seized" and seized.seizures.get().approved_by == cw["head"]
    page = body(client.get(detail(seized)))
    assert "过期牛奶 × 20箱" in page and "查封、扣押期限" in page and "《行政强制法》第二十五条" in page


# ---- transitions ---------------------------------------------------------------------------
def test_allowed_actions_only_and_blocked_ones_explained(client, cw, case):
    to_proposed(cw, case)
    client.force_login(cw["head"])
    page = body(client.get(detail(case)))
    # 作出行政处罚决定 is shown greyed with the blocking rule (no notice served yet) and has no form.
    assert 'id="action-decide"' in page and "未向当事人送达行政处罚事先告知书" in page and "notice.served" in page
    assert f'action="/cases/{case.pk}/do/decide/' not in page
    # An officer's actions are not offered to the head (serve_notice is the officers' step).
    assert 'id="action-serve_notice"' not in page
    client.force_login(cw["u1"])
    page = body(client.get(detail(case)))
    assert f'action="/cases/{case.pk}/do/serve_notice/' in page
    assert 'id="action-decide"' not in page


def test_refused_transition_shows_the_rule_message(client, cw, case):
    to_proposed(cw, case)
    client.force_login(cw["head"])
    r = post_action(client, case, "decide", {"penalty_kinds": ["warning", "fine"], "fine_amount": "5000"})
    page = body(r)
    assert r.status_code == 200
    assert "未向当事人送达行政处罚事先告知书，不得作出行政处罚决定" in page and "notice.served" in page
    case.refresh_from_db()
    assert case.state == "proposed" and not case.events.filter(transition="decide").exists()
    # A person the role does not fit: the officer may not approve the filing.
    other = factories.case(cw, title="另一案件")
    case_actions.do_file_case(other, acting_user=cw["u1"], expected_version=v(other), on=other.registered_on)
    client.force_login(cw["u1"])
    page = body(post_action(client, other, "approve_filing"))
    assert "须由承办机构负责人、行政机关负责人办理" in page and "case.role" in page


def test_stale_version_is_refused(client, cw, case):
    client.force_login(cw["u1"])
    page = body(client.get(detail(case)))
    seen = int(re.search(r'name="file_case-version" value="(\d+)"', page).group(1))
    # Meanwhile the colleague acts on the case.
    case_actions.do_file_case(case, acting_user=cw["u2"], expected_version=seen, on=case.registered_on)
    client.force_login(cw["unit_head"])
    r = post_action(client, case, "approve_filing", version=seen)
    page = body(r)
    assert r.status_code == 200 and "案件已被他人修改，请刷新后重试" in page and "case.stale" in page
    case.refresh_from_db()
    assert case.state == "filing_pending" and case.version == seen + 1


@pytest.mark.parametrize("data, message", [
    ({"penalty_kinds": ["fine"], "fine_amount": "-100"}, "罚款金额（元）：确保该值大于或等于0"),
    ({"penalty_kinds": ["fine"], "fine_amount": "abc"}, "罚款金额（元）：输入一个数字"),
    ({"penalty_kinds": ["fine"], "fine_amount": "1.234"}, "罚款金额（元）：确认小数不超过 2 位"),
    ({"penalty_kinds": ["fine"], "fine_amount": ""}, "选择罚款时须填写大于零的罚款金额"),
    ({"penalty_kinds": ["nonsense"]}, "处罚种类："),
    ({"penalty_kinds": ["fine"], "fine_amount": "100", "on": "2026-02-30"}, "办理日期：输入一个有效的日期"),
    ({"penalty_kinds": ["fine"], "fine_amount": "100", "on": "2099-01-01"}, "办理日期不能晚于今天"),
])
def test_bad_input_on_a_transition_form(client, cw, case, data, message):
    to_investigating(cw, case)
    client.force_login(cw["u1"])
    before = v(case)
    case.refresh_from_db()
    payload = {"propose-version": case.version, "propose-on": TODAY.isoformat()}
    payload.update({f"propose-{k}": val for k, val in data.items()})
    r = client.post(action(case, "propose"), payload)
    assert r.status_code == 200 and message in body(r), body(r)[-3000:]
    assert v(case) == before


def test_bad_version_and_missing_fields_never_500(client, cw, case):
    client.force_login(cw["u1"])
    for payload in ({}, {"file_case-version": "abc"}, {"file_case-version": "-1", "file_case-on": "x"}):
        r = client.post(action(case, "file_case"), payload)
        assert r.status_code == 200
    assert v(case) == 1


def test_whole_general_case_through_the_forms(client, cw):
    """案源登记 → … → 归档 with the page's forms only (the browser test does the same by clicking)."""
    w = cw
    client.force_login(w["u1"])
    assert client.post(reverse("cases-create", args=["general"]), new_case_data(w)).status_code == 302
    case = Case.objects.get()

    def step(user, name, data=None):
        client.force_login(w[user])
        r = post_action(client, case, name, data)
        assert r.status_code == 302, (name, re.findall(r'role="alert">([^<]*)', body(r)))
        case.refresh_from_db()
        return case

    step("u1", "file_case")
    step("unit_head", "approve_filing")
    assert case.state == "filed" and case.number.startswith("七市监立〔")
    step("u2", "start_investigation")
    step("u1", "propose", {"penalty_kinds": ["warning", "fine"], "fine_amount": "5000", "facts": "销售过期食品20箱",
                           "law_requires_review": "on"})
    step("u1", "serve_notice")
    step("u1", "record_statement", {"waived": "on"})
    step("u1", "submit_legal_review", {"reviewer": w["rev"].pk})
    client.force_login(w["rev"])
    page = body(client.get(detail(case)))
    assert f'action="/cases/{case.pk}/do/review_pass/' in page
    step("rev", "review_pass", {"opinion": "事实清楚，证据确凿，程序合法"})
    step("head", "decide", {"penalty_kinds": ["warning", "fine"], "fine_amount": "5000"})
    assert case.decision_number
    step("u1", "serve_decision", {"method": "直接送达"})
    step("u2", "record_payment", {"amount": "5000"})
    step("unit_head", "close")
    # 归档 waits for the case file: the page says which documents are missing, in words.
    client.force_login(w["u1"])
    r = post_action(client, case, "archive")
    assert r.status_code == 200 and "卷内文书不全" in body(r) and "《行政处罚决定书》" in body(r)
    assert "archive.documents_complete" not in re.sub(r'data-rule="[^"]*"', "", body(r))
    docs = reverse("documents-case", args=[case.pk])
    panel = body(client.get(docs))
    assert "归档前尚需生成" in panel and "补齐归档文书" in panel
    # The officer lists the evidence on the 告知书 (the 决定书 takes it over), then completes the rest.
    assert client.post(docs, {"doc_type": "penalty_notice", "evidence": "现场检查笔录\n询问笔录"}).status_code == 302
    r = client.post(reverse("documents-case-complete", args=[case.pk]))
    assert r.status_code == 302, re.findall(r'role="alert">([^<]*)', body(client.get(docs)))
    panel = body(client.get(docs))
    assert "归档前尚需生成" not in panel and "卷内文书已齐全" in panel
    step("u1", "archive")
    assert case.state == "archived"
    index = body(client.get(docs))
    assert 'data-testid="case-file-index"' in index and "行政处罚决定书" in index and "备考表" in index
    page = body(client.get(detail(case)))
    for label in ("案源登记", "批准立案", "送达行政处罚事先告知书", "法制审核同意", "作出行政处罚决定", "登记缴纳罚款",
                  "结案", "归档"):
        assert label in page
    assert 'id="actions"' not in page  # nothing left to do


def test_propose_form_follows_the_discretion_benchmark(client, cw, case, bench):
    """With a published 裁量基准 the form shows its levels; no level, or a fine outside the level
    without a written reason, is refused with the rule's message on the field."""
    to_investigating(cw, case)
    client.force_login(cw["u1"])
    page = body(client.get(action(case, "propose")))
    assert "裁量基准 — 从轻：1000元至3000元；一般：3000元至8000元" in page
    fine = {"penalty_kinds": ["fine"], "fine_amount": "9000"}
    page = body(post_action(client, case, "propose", fine))
    assert "裁量档位：本案事项已有裁量基准，请选择裁量档位" in page and "penalty.within_benchmark" in page
    page = body(post_action(client, case, "propose", {**fine, "discretion_level": "一般"}))
    assert "超出裁量基准须书面说明理由" in page
    r = post_action(client, case, "propose", {**fine, "discretion_level": "一般", "discretion_reason": "货值较大"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == "proposed" and case.discretion_reason == "货值较大" and case.discretion_deviations


def _kind_cases(w):
    """One case of every kind, and general cases at several steps."""
    from tests.cases.helpers import to_notified

    general = [factories.case(w, title=f"一般程序{i}") for i in range(5)]
    case_actions.do_file_case(general[1], acting_user=w["u1"], expected_version=v(general[1]), on=dt.date(2026, 3, 2))
    case_actions.do_file_case(general[4], acting_user=w["u1"], expected_version=v(general[4]), on=dt.date(2026, 3, 2))
    case_actions.do_approve_filing(general[4], acting_user=w["unit_head"], expected_version=v(general[4]), on=dt.date(2026, 3, 3))
    to_proposed(w, general[2])
    to_notified(w, general[3])
    simple = case_actions.do_on_the_spot_penalty({"entity": w["smj"], "unit": w["smj_unit"], "title": "当场处罚",
                                       "penalty_kinds": ["fine"], "fine_amount": "100"}, place="某路口",
                                      party=factories.person_party(), officers=[(w["h1"], "lead"), (w["h2"], "assist")],
                                      acting_user=w["u1"], on=dt.date(2026, 3, 2))
    inspection = case_actions.do_plan_inspection({"entity": w["smj"], "unit": w["smj_unit"], "title": "日常检查"},
                                      acting_user=w["u1"], parties=[factories.org_party()],
                                      officers=[(w["h1"], "lead"), (w["h2"], "assist")], on=dt.date(2026, 3, 2))
    seized = case_actions.do_seize({"entity": w["smj"], "unit": w["smj_unit"], "title": "扣押"}, measure="seize",
                        items=[{"name": "过期牛奶", "quantity": "20箱"}],
                        party=factories.org_party(), officers=[(w["h1"], "lead"), (w["h2"], "assist")],
                        acting_user=w["u1"], on=TODAY)
    seized = case_actions.do_approve_seizure(seized, acting_user=w["head"], expected_version=seized.version, on=TODAY)
    return general + [simple, inspection, seized]


def test_every_offered_form_renders_and_posts_without_error(client, cw):
    """Each action form offered to each role, posted as rendered (defaults only): a refusal or
    form error (200) or done (302), never a 500. Each post is rolled back."""
    from django.db import transaction

    posted = set()
    for case in _kind_cases(cw):
        for role in ("u1", "unit_head", "head", "rev"):
            client.force_login(cw[role])
            page = body(client.get(detail(case)))
            for name in re.findall(rf'action="/cases/{case.pk}/do/(\w+)/', page):
                case.refresh_from_db()
                with transaction.atomic():
                    r = post_action(client, case, name)
                    assert r.status_code in (200, 302), (case.kind, case.state, role, name, r.status_code)
                    transaction.set_rollback(True)
                posted.add((case.kind, name))
    assert {n for _k, n in posted} >= {"file_case", "approve_filing", "not_file", "start_investigation", "propose",
                                       "serve_notice", "record_statement", "submit_legal_review", "suspend",
                                       "assign_officers", "record_recusal", "revoke", "transfer",
                                       "file_simple_record", "start_inspection", "extend_seizure",
                                       "release_seizure", "convert_seizure"}


def test_transfer_form_suggests_the_receivers_full_names(cw, case):
    """Receivers inside the system are matched by full name: the form offers them (not the case's own entity
    nor a justice bureau); a name outside the list stays possible (an external agency)."""
    from zhifa.cases.forms import TransferForm

    html = str(TransferForm(case=case, user=cw["head"])["transfer_to"])
    assert '<datalist id="' in html and 'list="' in html
    assert f'<option value="{cw["df"].name}">' in html
    assert f'<option value="{case.entity.name}">' not in html and "司法局" not in html
