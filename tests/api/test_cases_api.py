"""执法办案 over the API: a general-procedure case end to end with tokens, refusals with their rule
names, stale versions, scope per role, and bad input (422 in Chinese naming the field, never 500)."""
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.api.conftest import ApiClient
from zhifa.cases.models import Case, CaseEvent, Deadline
from zhifa.common.models import ChangeLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


@pytest.fixture
def world(cw):
    return cw


@pytest.fixture(autouse=True)
def _calendar(db):
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield
    periods.clear_cache()




def token_client(user) -> ApiClient:
    r = ApiClient().post("/auth/token", {"username": user.username, "password": "pass12345"})
    assert r.status_code == 200, r.content.decode()
    return ApiClient(token=r.json()["token"], enforce_csrf=True)


def register_body(cw, **extra):
    payload = {"entity": cw["smj"].pk, "unit": cw["smj_unit"].pk, "title": "销售过期食品案", "source": "complaint",
               "violation_on": "2026-02-01", "discovered_on": "2026-03-02",
               "parties": [factories.person_party("陈某某", address="七星关区洪山路1号")],
               "officers": [{"officer": cw["h1"].pk, "role": "lead"}, {"officer": cw["h2"].pk, "role": "assist"}],
               "power_items": [cw["item"].pk], **extra}
    return {"kind": "penalty_general", "on": "2026-03-02", "payload": payload}


def ok(r, status=200):
    assert r.status_code == status, r.content.decode()
    return r.json()


def refused(r, rule, status=409):
    assert r.status_code == status, r.content.decode()
    body = r.json()
    assert body["rule"] == rule and body["message"] and not body["message"].isascii(), body
    return body


class Walker:
    """Runs transitions over the API, always sending the version last read."""

    def __init__(self, case):
        self.case = case

    def __call__(self, client, name, on, payload=None, reason="", expect=200):
        url = f"/cases/{self.case['id']}/transitions/{name}"
        r = client.post(url, {"expected_version": self.case["version"], "on": on, "reason": reason,
                              "payload": payload or {}})
        if expect == 200:
            self.case = ok(r)
        return r


def test_general_procedure_end_to_end_with_tokens(cw):
    u1, u2, u3 = token_client(cw["u1"]), token_client(cw["u2"]), token_client(cw["u3"])
    unit_head, head, rev = token_client(cw["unit_head"]), token_client(cw["head"]), token_client(cw["rev"])

    case = ok(u1.post("/cases", register_body(cw)), 201)
    assert (case["state"], case["state_label"], case["version"], case["kind_display"]) == (
        "registered", "案源登记", 1, "行政处罚（一般程序）")
    assert case["party_names"] == ["陈某某"] and case["officer_names"] == ["刘一", "陈二"]
    assert [p["code"] for p in case["power_items"]] == [cw["item"].code]
    assert {o["name"]: o["allowed"] for o in case["transitions"]} == {"file_case": True}
    step = Walker(case)

    step(u1, "file_case", "2026-03-02")
    assert step.case["state_label"] == "立案审批中"
    step(unit_head, "approve_filing", "2026-03-03")
    assert step.case["number"] == "七市监立〔2026〕1号" and step.case["filed_on"] == "2026-03-03"
    decision = next(d for d in step.case["deadlines"] if d["kind"] == "decision")
    assert (decision["due_on"], decision["state"], decision["known"]) == ("2026-06-01", "running", True)
    step(u2, "start_investigation", "2026-03-04")
    step(u1, "propose", "2026-04-01", {"penalty_kinds": ["fine"], "fine_amount": "20000", "facts": "销售超过保质期的食品"})
    assert step.case["fine_amount"] == "20000.00" and step.case["penalty_kinds_display"] == ["罚款"]
    step(u1, "serve_notice", "2026-04-02")
    assert step.case["notice_includes_hearing"]
    hearing_window = next(d for d in step.case["deadlines"] if d["kind"] == "hearing_request")
    assert hearing_window["due_on"] == "2026-04-10" and hearing_window["label"]
    step(u1, "request_hearing", "2026-04-08")
    # the head may not decide before the requested hearing: offered, but blocked with the rule
    offers = {o["name"]: o for o in ok(head.get(f"/cases/{case['id']}/transitions"))}
    assert not offers["decide"]["allowed"] and offers["decide"]["rule"] == "hearing.held_if_requested"
    body = refused(step(head, "decide", "2026-04-09", expect=409), "statement.window_closed")
    assert "2026-04-10" in body["message"]
    step(u1, "schedule_hearing", "2026-04-09", {"hearing_on": "2026-04-20", "chair": cw["h3"].pk})
    step(u3, "hold_hearing", "2026-04-20", {"record": "当事人到场申辩"})
    step(u1, "submit_legal_review", "2026-04-21", {"reviewer": cw["rev"].pk})
    assert step.case["state_label"] == "法制审核中"
    step(rev, "review_pass", "2026-04-22", {"opinion": "事实清楚，证据充分，程序合法"})
    step(head, "decide", "2026-04-23")
    assert step.case["decision_number"] == "七市监罚决〔2026〕1号" and step.case["state_label"] == "已作出决定"
    step(u1, "serve_decision", "2026-04-24", {"method": "直接送达"})
    step(u1, "record_payment", "2026-05-08", {"amount": "20000"})
    step(unit_head, "close", "2026-05-11")
    # 归档 waits for the case file; the API says what is missing and completes it (zhifa.documents.api).
    refused(step(u1, "archive", "2026-05-12", expect=409), "archive.documents_complete")
    assert "行政处罚决定书" in ok(u1.get(f"/documents/case/{case['id']}/case-file"))["missing"]
    evidence = {"evidence": "现场检查笔录\n询问笔录"}
    ok(u1.post(f"/documents/case/{case['id']}", {"doc_type": "penalty_notice", "extra": evidence}), 201)
    hearing = {"hearing_time": "上午9时30分", "hearing_place": "本局听证室"}
    ok(u1.post(f"/documents/case/{case['id']}", {"doc_type": "hearing_notice", "extra": hearing}), 201)
    made = ok(u1.post(f"/documents/case/{case['id']}/case-file/complete"))
    assert {d["doc_type"] for d in made} >= {"penalty_decision", "closing_report"}
    assert ok(u1.get(f"/documents/case/{case['id']}/case-file"))["missing"] == []
    step(u1, "archive", "2026-05-12")

    final = ok(u1.get(f"/cases/{case['id']}"))
    assert final["state"] == "archived" and final["paid_amount"] == "20000.00" and final["transitions"] == []
    timeline = [(e["transition"], e["to_state_label"]) for e in final["events"]]
    assert [t for t, _ in timeline] == [
        "register", "file_case", "approve_filing", "start_investigation", "propose", "serve_notice",
        "request_hearing", "schedule_hearing", "hold_hearing", "submit_legal_review", "review_pass", "decide",
        "serve_decision", "record_payment", "close", "archive"]
    assert timeline[2] == ("approve_filing", "已立案") and final["events"][2]["actor_name"] == "unithead"
    assert final["events"][10]["reason"] == "事实清楚，证据充分，程序合法"
    assert {d["state"] for d in final["deadlines"]} == {"met"} and final["version"] == 16
    assert {r["kind"] for r in final["records"]} == {"review"}
    assert ChangeLog.objects.filter(content_type__model="case", object_id=str(case["id"])).count() == 16


def test_refusals_name_their_rule_and_leave_no_trace(cw):
    u1, u3, head = ApiClient(cw["u1"]), ApiClient(cw["u3"]), ApiClient(cw["head"])
    case = ok(u1.post("/cases", register_body(cw)), 201)
    step = Walker(case)
    body = refused(step(head, "file_case", "2026-03-02", expect=409), "case.role")
    assert "执法人员" in body["message"]
    refused(step(u3, "file_case", "2026-03-02", expect=409), "case.actor_is_handler")
    refused(step(head, "decide", "2026-03-02", expect=409), "case.invalid_transition")
    refused(step(u1, "no_such_step", "2026-03-02", expect=409), "case.invalid_transition")
    refused(step(u1, "file_case", "2099-01-01", expect=409), "case.date_valid")
    refused(step(u1, "file_case", "2026-03-01", expect=409), "case.date_valid")
    step(u1, "file_case", "2026-03-02")
    step(ApiClient(cw["unit_head"]), "approve_filing", "2026-03-03")
    step(u1, "start_investigation", "2026-03-04")
    before = (CaseEvent.objects.count(), ChangeLog.objects.count())
    refused(step(u1, "propose", "2026-04-01", {"penalty_kinds": ["warning"], "fine_amount": "100"}, expect=409),
            "penalty.amounts_valid")
    body = refused(step(head, "not_file", "2026-04-01", expect=409), "case.invalid_transition")
    assert "调查取证" in body["message"]
    refused(step(head, "revoke", "2026-04-01", expect=409), "case.reason_given")
    assert (CaseEvent.objects.count(), ChangeLog.objects.count()) == before
    assert Case.objects.get(pk=case["id"]).version == step.case["version"]


def test_one_officer_cannot_file_and_the_offer_says_why(cw):
    body = register_body(cw)
    body["payload"]["officers"] = body["payload"]["officers"][:1]
    case = ok(ApiClient(cw["u1"]).post("/cases", body), 201)
    offer = case["transitions"][0]
    assert (offer["name"], offer["allowed"], offer["rule"]) == ("file_case", False, "officers.two_certified")
    assert "第四十二条" in offer["message"]
    refused(Walker(case)(ApiClient(cw["u1"]), "file_case", "2026-03-02", expect=409), "officers.two_certified")


def test_stale_version_is_409_and_changes_nothing(cw):
    u1, u2 = ApiClient(cw["u1"]), ApiClient(cw["u2"])
    case = ok(u1.post("/cases", register_body(cw)), 201)
    ok(u1.post(f"/cases/{case['id']}/transitions/file_case", {"expected_version": 1, "on": "2026-03-02"}))
    # u2 read version 1 too; acting on it now would overwrite u1's step
    r = u2.post(f"/cases/{case['id']}/transitions/file_case", {"expected_version": 1, "on": "2026-03-02"})
    assert refused(r, "case.stale")["message"] == "案件已被他人修改，请刷新后重试"
    r = u2.post(f"/cases/{case['id']}/transitions/whatever", {"expected_version": 1})
    refused(r, "case.stale")
    assert Case.objects.get(pk=case["id"]).version == 2 and CaseEvent.objects.filter(case_id=case["id"]).count() == 2


def test_scope_per_role(cw, world):
    case = ok(ApiClient(cw["u1"]).post("/cases", register_body(cw)), 201)
    url = f"/cases/{case['id']}"
    hbj_officer = factories.user("officer", world["hbj"])
    df_sup = factories.user("supervisor", factories.entity(world["regions"]["county2"], "大方县司法局", justice=True))
    seen = {"u1": True, "u3": True, "head": True, "unit_head": True, "rev": True, "sup_county": True, "sup_city": True,
            "admin": True}
    for key, visible in [*seen.items(), ("hbj", False), ("df_sup", False)]:
        user = {"hbj": hbj_officer, "df_sup": df_sup}.get(key) or cw[key]
        c = ApiClient(user)
        listed = {row["id"] for row in ok(c.get("/cases"))["items"]}
        assert (case["id"] in listed) is visible, key
        assert c.get(url).status_code == (200 if visible else 404), key
        if not visible:
            r = c.post(f"{url}/transitions/file_case", {"expected_version": 1, "on": "2026-03-02"})
            assert r.status_code == 404 and r.json()["message"] == "记录不存在或不在您的数据范围内"
            assert c.get(f"{url}/transitions").status_code == 404
    # a supervisor sees the case but handles nothing: no offers, and the role rule refuses
    sup = ApiClient(cw["sup_county"])
    assert ok(sup.get(url))["transitions"] == []
    refused(sup.post(f"{url}/transitions/file_case", {"expected_version": 1, "on": "2026-03-02"}), "case.role")
    # creating for an entity outside one's scope: the id does not resolve (422), for one in scope the role refuses
    r = ApiClient(hbj_officer).post("/cases", register_body(cw))
    assert r.status_code == 422 and r.json()["field"] == "entity"
    refused(sup.post("/cases", register_body(cw)), "case.role")
    # officers of another entity cannot be assigned by id
    body = register_body(cw)
    body["payload"]["officers"].append({"officer": world["o_zy"].pk})
    r = ApiClient(cw["u1"]).post("/cases", body)
    assert r.status_code == 422 and r.json()["field"] == "officers" and "数据范围" in r.json()["message"]
    # the administrator sees every officer but handles no case
    body["payload"]["officers"][-1] = {"officer": world["o_hbj"].pk}
    refused(ApiClient(cw["admin"]).post("/cases", body), "case.role")


def test_work_queue(cw):
    u1, u3 = ApiClient(cw["u1"]), ApiClient(cw["u3"])
    early, late, plain = (ok(u1.post("/cases", register_body(cw)), 201) for _ in range(3))
    other = register_body(cw)
    other["payload"]["officers"] = [{"officer": cw["h2"].pk, "role": "lead"}, {"officer": cw["h3"].pk}]
    other = ok(u1.post("/cases", other), 201)
    for case, filed in ((late, "2026-03-10"), (early, "2026-03-03")):
        step = Walker(case)
        step(u1, "file_case", "2026-03-02")
        step(ApiClient(cw["unit_head"]), "approve_filing", filed)
    queue = ok(u1.get("/cases/queue"))
    # `plain` awaits the decision on filing (15 working days from 03-02, due 03-23): first.
    assert [row["id"] for row in queue["items"]] == [plain["id"], early["id"], late["id"]]
    assert queue["items"][0]["next_due"] == "2026-03-23" and queue["items"][1]["next_due"] == "2026-06-01"
    assert queue["items"][0]["next_deadline"]["label"] and queue["count"] == 3
    assert [row["id"] for row in ok(u3.get("/cases/queue"))["items"]] == [other["id"]]
    head_queue = [row["id"] for row in ok(ApiClient(cw["head"]).get("/cases/queue"))["items"]]
    assert set(head_queue[:2]) == {plain["id"], other["id"]} and head_queue[2:] == [early["id"], late["id"]]
    assert ok(ApiClient(cw["u1"]).get("/cases/queue", {"page_size": 1, "page": 2}))["items"][0]["id"] == early["id"]


def test_list_filters(cw, world):
    u1 = ApiClient(cw["u1"])
    a = ok(u1.post("/cases", register_body(cw)), 201)
    b_body = register_body(cw, title="无证经营案", unit=cw["smj_unit2"].pk)
    b_body["payload"]["parties"] = [factories.org_party("黔西南某某商贸有限公司")]
    b = ok(u1.post("/cases", b_body), 201)
    step = Walker(a)
    step(u1, "file_case", "2026-03-02")
    step(ApiClient(cw["unit_head"]), "approve_filing", "2026-03-03")

    def ids(**params):
        return {row["id"] for row in ok(u1.get("/cases", params))["items"]}

    assert ids() == {a["id"], b["id"]}
    assert ids(q="商贸") == {b["id"]} and ids(q="七市监立〔2026〕1号") == {a["id"]} and ids(q="无证") == {b["id"]}
    assert ids(state="filed") == {a["id"]} and ids(kind="penalty_general") == {a["id"], b["id"]}
    assert ids(kind="inspection") == set()
    assert ids(unit=cw["smj_unit2"].pk) == {b["id"]} and ids(entity=world["hbj"].pk) == set()
    assert ids(officer=cw["h1"].pk) == {a["id"], b["id"]} and ids(officer=cw["h3"].pk) == set()
    # a: the decision period (due 2026-06-01) has passed without a decision; b: the decision on
    # filing (due 2026-03-23) was never taken
    assert ids(overdue=1) == {a["id"], b["id"]} and ids(overdue=0) == set()
    assert ok(u1.get(f"/cases/{a['id']}"))["overdue"] is True
    today = timezone.localdate()
    Deadline.objects.filter(case_id=a["id"]).update(due_on=today + dt.timedelta(days=5))
    assert ids(due_within=7) == {a["id"]} and ids(due_within=3) == set() and ids(overdue=1) == {b["id"]}
    assert ids(open=1) == {a["id"], b["id"]} and ids(open=0) == set()
    r = u1.get("/cases", {"state": "nonsense"})
    assert r.status_code == 422 and r.json()["message"].startswith("字段“状态”：取值无效")
    r = u1.get("/cases", {"due_within": -1})
    assert r.status_code == 422 and r.json()["message"] == "字段“几日内届满”：应大于或等于0"


def test_other_kinds_are_created_through_their_actions(cw):
    u1 = ApiClient(cw["u1"])
    officers = [{"officer": cw["h1"].pk, "role": "lead"}, {"officer": cw["h2"].pk}]
    spot = ok(u1.post("/cases/new/penalty_simple", {"on": "2026-03-02", "payload": {
        "title": "占道经营", "penalty_kinds": ["fine"], "fine_amount": "200", "place": "七星关区洪山路",
        "party": factories.person_party(), "officers": officers}}), 201)
    assert spot["state_label"] == "已当场处罚" and spot["decision_number"] == "七市监当罚〔2026〕1号"
    r = u1.post("/cases", {"kind": "penalty_simple", "on": "2026-03-02", "payload": {
        "title": "占道经营", "penalty_kinds": ["fine"], "fine_amount": "200.01", "place": "七星关区洪山路",
        "party": factories.person_party(), "officers": officers}})
    assert "第五十一条" in refused(r, "simple.within_limits")["message"]
    insp = ok(u1.post("/cases", {"kind": "inspection", "on": "2026-03-02", "payload": {
        "title": "食品经营日常检查", "parties": [factories.org_party()], "officers": officers}}), 201)
    assert insp["number"] == "七市监检〔2026〕1号" and insp["state"] == "planned"
    insp = Walker(insp)
    insp(u1, "start_inspection", "2026-03-03")
    insp(u1, "record_inspection_result", "2026-03-03", {"result": "销售过期食品", "problems_found": True})
    insp(u1, "open_penalty_case", "2026-03-04")
    new_id = insp.case["events"][-1]["payload"]["new_case"]
    assert ok(u1.get(f"/cases/{new_id}"))["source_case_id"] == insp.case["id"]
    seize = {"kind": "coercive", "on": "2026-03-02", "payload": {
        "title": "扣押涉嫌过期食品", "measure": "seize", "items": [{"name": "过期奶粉", "qty": 20, "unit": "罐"}],
        "party": factories.org_party(), "officers": officers}}
    requested = ok(u1.post("/cases", seize), 201)
    assert requested["state"] == "seizure_requested" and not requested["number"]
    walk = Walker(requested)
    refused(walk(u1, "approve_seizure", "2026-03-02", expect=409), "case.role")  # the officer cannot approve
    walk(ApiClient(cw["head"]), "approve_seizure", "2026-03-02")  # the head, in their own queue
    case = walk.case
    assert case["number"] == "七市监强措〔2026〕1号" and case["records"][0]["data"]["items"][0]["qty"] == "20"
    assert next(d for d in case["deadlines"] if d["kind"] == "seizure")["due_on"] == "2026-04-01"
    r = Walker(case)(u1, "extend_seizure", "2026-03-30", reason="需检验检测", expect=409)
    refused(r, "case.role")


@pytest.mark.parametrize("payload,message,field", [
    ({"title": ""}, "字段“案由”：长度不能少于1个字符", "title"),
    ({"title": None}, "字段“案由”：应为文本", "title"),
    ({"violation_on": "2026-02-30"}, "字段“违法行为发生（终了）日”：日期格式无效，应为YYYY-MM-DD", "violation_on"),
    ({"source": "rumour"}, "字段“案件来源”：取值无效", "source"),
    ({"parties": [{"kind": "person", "name": "某", "id_number": "520502198001010000"}]}, "身份证号校验位错误",
     "id_number"),
    ({"parties": [{"kind": "alien", "name": "某"}]}, "字段“当事人类别”：取值无效", "kind"),
    ({"officers": [{"officer": "x"}]}, "字段“执法人员”：应为整数", "officer"),
    ({"officers": [{"officer": 10**30}]}, "承办人员：编号为", "officers"),
    ({"power_items": [0]}, "权责清单事项：编号为 0 的记录不存在", "power_items"),
    ({"colour": "red"}, "字段“内容”：不允许的字段“colour”", "payload"),
    ({"parties": [{**factories.person_party(), "age": 3}]}, "字段“当事人”：不允许的字段“age”", "parties"),
])
def test_bad_create_input_is_422_in_chinese(cw, payload, message, field):
    body = register_body(cw)
    body["payload"].update(payload)
    r = ApiClient(cw["u1"]).post("/cases", body)
    assert r.status_code == 422, r.content.decode()
    assert r.json()["message"].startswith(message) or message in r.json()["message"], r.json()
    assert r.json()["field"] == field
    assert not Case.objects.exists()


def test_bad_transition_input_is_422_in_chinese(cw):
    u1 = ApiClient(cw["u1"])
    case = ok(u1.post("/cases", register_body(cw)), 201)
    url = f"/cases/{case['id']}/transitions"
    cases = [
        (f"{url}/file_case", {"on": "2026-03-02"}, "字段“版本”：必须填写"),
        (f"{url}/file_case", {"expected_version": 1, "on": "2026-13-01"}, "字段“办理日期”：日期格式无效，应为YYYY-MM-DD"),
        (f"{url}/file_case", {"expected_version": -1}, "字段“版本”：应大于或等于0"),
        (f"{url}/propose", {"expected_version": 1, "payload": {"fine_amount": "abc"}}, "字段“罚款金额（元）”：应为数字"),
        (f"{url}/propose", {"expected_version": 1, "payload": {"fine_amount": "1.001"}},
         "字段“罚款金额（元）”：小数位数不能超过2位"),
        (f"{url}/propose", {"expected_version": 1, "payload": {"penalty_kinds": ["flogging"]}}, "字段“处罚种类”：取值无效"),
        (f"{url}/schedule_hearing", {"expected_version": 1, "payload": {"hearing_on": "2026-04-20"}},
         "字段“听证主持人”：必须填写"),
        (f"{url}/schedule_hearing", {"expected_version": 1, "payload": {"hearing_on": "2026-04-20", "chair": 10**9}},
         "听证主持人：编号为 1000000000 的记录不存在或不在您的数据范围内"),
        (f"{url}/record_payment", {"expected_version": 1, "payload": {"amount": 0}}, "字段“缴款金额（元）”：应大于0"),
        (f"{url}/review_pass", {"expected_version": 1, "payload": {}}, "字段“审核意见书”：必须填写"),
        (f"{url}/extend_decision_period", {"expected_version": 1, "payload": {"days": 10, "kind": "forever"}},
         "字段“批准方式”：取值无效"),
        (f"{url}/file_case", {"expected_version": 1, "payload": {"limitation": "x"}}, "字段“内容”：不允许的字段“limitation”"),
        (f"{url}/file_case", {"expected_version": 1, "payload": []}, "字段“内容”：应为对象"),
    ]
    for path, body, message in cases:
        r = u1.post(path, body)
        assert r.status_code == 422, (path, body, r.content.decode())
        assert r.json()["message"].startswith(message), (path, r.json()["message"])
    r = u1.post("/cases", {"kind": "arrest", "payload": {}})
    assert r.status_code == 422 and r.json()["message"].startswith("字段“案件类别”：取值无效")
    assert Case.objects.get().version == 1


def test_generic_payload_validation_matches_the_typed_routes():
    """Known names are served by their typed routes; the generic route (and POST /cases) validate a
    payload dict with the same schemas and the same Chinese messages."""
    from ninja.errors import ValidationError

    from zhifa.cases.api.payloads import ProposePayload, validate_payload

    with pytest.raises(ValidationError) as e:
        validate_payload(ProposePayload, {"fine_amount": "abc"})
    err = e.value.errors[0]
    assert err["label"] == "罚款金额（元）" and err["loc"] == ["body", "body", "payload", "fine_amount"]


def test_bad_requests_are_never_500(cw):
    u1 = ApiClient(cw["u1"])
    case = ok(u1.post("/cases", register_body(cw)), 201)
    url = f"/cases/{case['id']}/transitions"
    bodies = [[], 1, "x", {"expected_version": "abc"}, {"expected_version": 2**70}, {"expected_version": None},
              {"expected_version": 1, "payload": None}, {"expected_version": 1, "payload": {"officers": [1, 2]}},
              {"expected_version": 1, "payload": {"officers": [{"officer": -5}]}},
              {"expected_version": 1, "payload": {"remove": [2**80]}}, {"expected_version": 1, "reason": "a\x00"},
              {"expected_version": 1, "on": "2026-03-02T10:00"}, {"expected_version": 1, "payload": {"amount": "NaN"}}]
    for body in bodies:
        for name in ("assign_officers", "record_payment", "propose", "nope" * 30):
            r = u1.post(f"{url}/{name}", body)
            assert 400 <= r.status_code < 500, (name, body, r.content.decode())
            assert r.json()["message"]
    for body in [[], {"kind": None}, {"kind": "coercive", "payload": {"items": "x"}},
                 {"kind": "penalty_general", "payload": {"title": "x", "entity": 2**70}},
                 {"kind": "penalty_general", "payload": {"title": "x", "parties": [None]}},
                 {"kind": "penalty_simple", "payload": {"title": "x", "place": "y", "party": {}}}]:
        r = u1.post("/cases", body)
        assert 400 <= r.status_code < 500, (body, r.content.decode())
    for path in ["/cases/abc", "/cases/99999999999999999999999", "/cases/-1", "/cases/0/transitions"]:
        assert u1.get(path).status_code in (404, 422), path
    for params in [{"page": 0}, {"kind": "x"}, {"unit": 2**70}, {"officer": "x"}, {"q": "a\x00"}, {"overdue": "maybe"}]:
        assert u1.get("/cases", params).status_code in (200, 422), params
    assert ApiClient().get("/cases").status_code == 401


def test_admin_without_entity_must_name_one(cw):
    body = register_body(cw)
    del body["payload"]["entity"], body["payload"]["unit"]
    r = ApiClient(cw["admin"]).post("/cases", body)
    assert r.status_code == 422 and r.json()["field"] == "entity"
    body["payload"]["unit"] = cw["smj_unit"].pk
    body["payload"]["entity"] = cw["hbj"].pk
    r = ApiClient(cw["admin"]).post("/cases", body)
    assert r.status_code == 422 and r.json()["field"] == "unit"


def test_openapi_documents_the_cases_api():
    schema = Client().get("/api/openapi.json").json()
    paths = schema["paths"]
    for p in ["/api/v1/cases", "/api/v1/cases/queue", "/api/v1/cases/{pk}", "/api/v1/cases/{pk}/transitions",
              "/api/v1/cases/{pk}/transitions/{name}", "/api/v1/cases/{pk}/transitions/propose",
              "/api/v1/cases/new/penalty_general", "/api/v1/cases/new/coercive"]:
        assert p in paths, p
    props = schema["components"]["schemas"]["ProposePayload"]["properties"]
    assert props["fine_amount"]["title"] == "罚款金额（元）"
    assert schema["components"]["schemas"]["CaseDetailOut"]["properties"]["transitions"]["title"] == "可办理的环节"
    params = {p["name"] for p in paths["/api/v1/cases"]["get"]["parameters"]}
    assert {"q", "kind", "state", "unit", "officer", "overdue", "due_within", "page"} <= params
