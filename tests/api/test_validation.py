"""Bad input comes back as 4xx JSON with Chinese messages naming the field — never a 500."""

import pytest
from django.utils import timezone

from tests.api.conftest import ApiClient
from zhifa.common.identifiers import make_credit_code
from zhifa.orgs.models import Officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


GOOD_ID = "11010519491231002X"


@pytest.fixture
def head(world):
    return ApiClient(world["head"])


def officer_data(world, **extra):
    return {"entity": world["smj"].pk, "name": "新人", "id_number": GOOD_ID, **extra}


@pytest.mark.parametrize("extra,message", [
    ({"name": "张" * 51}, "字段“姓名”：长度不能超过50个字符"),
    ({"entity": "abc"}, "字段“执法主体”：应为整数"),
    ({"status": "gone"}, "字段“状态”：取值无效，可选值：active, suspended or left"),
    ({"legal_qualification": "maybe"}, "字段“具有法律职业资格”：应为布尔值（true/false 或 1/0）"),
    ({"name": "a\x00b"}, "字段“姓名”：不能包含空字符（\\x00）"),
])
def test_schema_errors_are_chinese_and_name_the_field(world, head, extra, message):
    r = head.post("/officers", officer_data(world, **extra))
    assert r.status_code == 422
    body = r.json()
    assert body["message"] == message and body["rule"] == "validation"
    assert body["errors"][0]["field"] == next(iter(extra))


def test_missing_fields(world, head):
    r = head.post("/officers", {"name": "x"})
    assert r.status_code == 422
    body = r.json()
    assert body["message"] == "字段“执法主体”：必须填写"
    assert {e["label"] for e in body["errors"]} == {"执法主体", "身份证号"}
    r = head.post("/officers")  # no body at all
    assert r.status_code == 422 and "必须填写" in r.json()["message"]


def test_date_and_number_parsing(world, head):
    cert = {"officer": world["o1"].pk, "number": "N1", "fields": "市场监管", "issuing_authority": "省政府",
            "issued_on": "2024-13-01", "expires_on": "2028-01-01"}
    r = head.post("/certificates", cert)
    assert r.status_code == 422 and r.json()["message"] == "字段“发证日期”：日期格式无效，应为YYYY-MM-DD"
    training = {"officer": world["o1"].pk, "year": "二〇二五", "course": "x", "hours": 8}
    r = head.post("/trainings", training)
    assert r.json()["message"] == "字段“年度”：应为整数"
    r = head.post("/trainings", {**training, "year": 2025, "hours": "8.25"})
    assert r.json()["message"] == "字段“学时”：小数位数不能超过1位"
    r = head.post("/trainings", {**training, "year": 2025, "hours": 0})
    assert r.json()["message"] == "字段“学时”：应大于0"


@pytest.mark.parametrize("field,value,reason", [
    ("id_number", "110105194912310021", "身份证号校验位错误"),
    ("id_number", "12345", "身份证号应为18位"),
    ("phone", "0857-12", "电话号码格式无效"),
])
def test_invalid_identifiers_give_the_chinese_reason(world, head, field, value, reason):
    r = head.post("/officers", officer_data(world, **{field: value}))
    assert r.status_code == 422
    assert reason in r.json()["message"] and r.json()["field"] == field


def test_invalid_credit_code(world):
    data = {"name": "新局", "short_code": "新", "region": world["regions"]["county"].pk,
            "credit_code": make_credit_code("520502", "12345678")[:-1] + "0"}
    r = ApiClient(world["admin"]).post("/entities", data)
    if r.status_code != 422:  # the random check char happened to be "0"
        data["credit_code"] = data["credit_code"][:-1] + "1"
        r = ApiClient(world["admin"]).post("/entities", data)
    assert r.status_code == 422
    assert r.json()["message"] == "字段“统一社会信用代码”：统一社会信用代码校验位错误"


def test_id_number_is_normalised(world, head):
    r = head.post("/officers", officer_data(world, id_number=" 11010519491231002x "))
    assert r.status_code == 201 and r.json()["id_number"] == GOOD_ID


def test_foreign_keys_must_be_in_scope(world, head):
    r = head.post("/officers", officer_data(world, entity=world["hbj"].pk))
    assert r.status_code == 422
    assert r.json() == {"rule": "validation", "field": "entity",
                        "message": f"执法主体：编号为 {world['hbj'].pk} 的记录不存在或不在您的数据范围内"}
    r = head.post("/officers", officer_data(world, entity=10**30))
    assert r.status_code == 422 and r.json()["field"] == "entity"
    admin = ApiClient(world["admin"])
    r = admin.post("/officers", officer_data(world, entity=world["hbj"].pk, unit=world["smj_unit"].pk))
    assert r.status_code == 422 and r.json()["field"] == "unit" and "不属于" in r.json()["message"]
    assert not Officer.objects.filter(name="新人").exists()


def test_model_rules_come_back_as_422_or_409(world, head):
    today = timezone.localdate()
    cert = {"officer": world["o1"].pk, "number": "N2", "fields": "市场监管", "issuing_authority": "省政府",
            "issued_on": str(today), "expires_on": str(today)}
    r = head.post("/certificates", cert)
    assert r.status_code == 422
    assert r.json()["message"] == "有效期至：有效期至必须晚于发证日期" and r.json()["field"] == "expires_on"
    r = head.post("/officers", officer_data(world, is_legal_reviewer=True))
    assert r.status_code == 409 and r.json()["rule"] == "review.reviewer_qualified"
    r = head.post("/officers", officer_data(world, id_number=world["o1"].id_number))
    assert r.status_code == 422 and "身份证号" in r.json()["message"]


def test_bad_requests_are_never_500(world, head):
    url = f"/officers/{world['o1'].pk}"
    bodies = [[], 1, {"entity": None}, {"entity": -1}, {"entity": 2**70}, {"unit": "x"},
              {"name": None}, {"id_number": None}, {"gender": "X"}, {"status": None}, {"user": 0}]
    for body in bodies:
        for method, path in (("post", "/officers"), ("patch", url)):
            r = getattr(head, method)(path, body)
            assert 400 <= r.status_code < 500, (method, body, r.content.decode())
            assert r.json()["message"]
    assert head.post("/officers", "{not json").json()["message"] == "请求体应为有效的JSON对象"
    for path in ["/officers/abc", "/officers/99999999999999999999999", "/officers/-1", "/power-items/0",
                 "/changelog/orgs.officer/99999999999999999999999"]:
        assert head.get(path).status_code in (404, 422), path
    for params in [{"page": 0}, {"page": "x"}, {"page_size": 10**6}, {"entity": 2**70}, {"status": "x"},
                   {"page": 10**9}, {"q": "a\x00"}]:
        r = head.get("/officers", params)
        assert r.status_code in (200, 422), params
    r = head.get("/officers", {"page": 0})
    assert r.json()["message"] == "字段“页码”：应大于或等于1"


def test_patch_null_clears_optional_text_and_rejects_required(world, head):
    url = f"/officers/{world['o1'].pk}"
    head.patch(url, {"title": "队长"})
    assert head.patch(url, {"title": None}).json()["title"] == ""
    r = head.patch(url, {"name": None})
    assert r.status_code == 422 and r.json()["field"] == "name"
    r = head.patch(url, {"entity": None})
    assert r.status_code == 422
    assert Officer.objects.get(pk=world["o1"].pk).name == "李明"
