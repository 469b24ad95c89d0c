"""The versioning flow of the powers lists over the API."""
import pytest

from tests.api.conftest import ApiClient, ids
from zhifa.powers.models import PowerItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


def item_data(world, **extra):
    return {"entity": world["smj"].pk, "unit": world["smj_unit"].pk, "code": "CF-001",
            "name": "对未取得食品经营许可从事食品经营活动的处罚", "category": "penalty",
            "law": "中华人民共和国食品安全法", "article": "第一百二十二条", **extra}


def test_power_item_versioning_flow(world):
    head, officer = ApiClient(world["head"]), ApiClient(world["officer"])
    sup_county, sup_city = ApiClient(world["sup_county"]), ApiClient(world["sup_city"])

    r = head.post("/power-items", item_data(world))
    assert r.status_code == 201, r.content.decode()
    v1 = r.json()
    assert (v1["version"], v1["status"], v1["status_display"]) == (1, "draft", "草稿")
    assert [v["version"] for v in v1["versions"]] == [1]
    url = f"/power-items/{v1['id']}"

    assert officer.get(url).status_code == 200
    assert officer.post(f"{url}/submit").status_code == 403
    assert head.post(f"{url}/submit").json()["status"] == "pending"
    r = head.patch(url, {"name": "改"})
    assert r.status_code == 409 and r.json()["rule"] == "powers.pending_locked"

    # the city bureau sees the county item but may not confirm it: same-level confirmation
    assert sup_city.get(url).status_code == 200
    r = sup_city.post(f"{url}/confirm", {"note": "同意"})
    assert r.status_code == 409 and r.json()["rule"] == "powers.same_level_confirmation"
    assert "同级司法行政机关" in r.json()["message"]
    assert head.post(f"{url}/confirm").json()["rule"] == "powers.same_level_confirmation"
    assert PowerItem.objects.get(pk=v1["id"]).status == "pending"

    r = sup_county.post(f"{url}/confirm", {"note": "同意公布"})
    assert r.status_code == 200 and r.json()["status"] == "published" and r.json()["review_note"] == "同意公布"
    assert ids(officer.get("/power-items", {"published": 1})) == {v1["id"]}

    # editing the published version starts draft v2; v1 stays published
    r = head.patch(url, {"name": "对未取得许可从事食品经营的处罚"})
    assert r.status_code == 200, r.content.decode()
    v2 = r.json()
    assert v2["id"] != v1["id"] and v2["version"] == 2 and v2["status"] == "draft"
    assert v2["lineage"] == v1["lineage"] and v2["code"] == "CF-001" and v2["unit_id"] == world["smj_unit"].pk
    assert [(v["version"], v["status"]) for v in v2["versions"]] == [(2, "draft"), (1, "published")]
    assert ids(head.get("/power-items")) == {v2["id"]}
    assert ids(head.get("/power-items", {"published": "1"})) == {v1["id"]}
    assert head.get(url).json()["name"] == item_data(world)["name"]

    # only drafts can be discarded; discarding v2 makes v1 the head again
    r = head.delete(url)
    assert r.status_code == 409 and r.json()["rule"] == "powers.discard_draft_only"
    assert head.delete(f"/power-items/{v2['id']}").status_code == 204
    assert ids(head.get("/power-items")) == {v1["id"]}

    # v2 again: submit, reject (reason required), fix in place, resubmit, confirm
    v2 = head.patch(url, {"article": "第一百二十二条第一款"}).json()
    url2 = f"/power-items/{v2['id']}"
    head.post(f"{url2}/submit")
    r = sup_county.post(f"{url2}/reject")
    assert r.status_code == 422 and r.json()["message"] == "字段“请求体”：必须填写"
    r = sup_county.post(f"{url2}/reject", {"note": ""})
    assert r.status_code == 422 and r.json()["message"] == "字段“退回理由”：长度不能少于1个字符"
    assert sup_city.post(f"{url2}/reject", {"note": "不同意"}).status_code == 409
    assert sup_county.post(f"{url2}/reject", {"note": "条款引用有误"}).json()["status"] == "rejected"
    r = head.patch(url2, {"article": "第一百二十二条"})
    assert r.json()["id"] == v2["id"] and r.json()["status"] == "rejected"
    head.post(f"{url2}/submit")
    assert sup_county.post(f"{url2}/confirm").json()["status"] == "published"
    old = head.get(url).json()
    assert old["status"] == "superseded" and old["effective_to"] is not None
    assert ids(officer.get("/power-items", {"published": 1})) == {v2["id"]}


def test_power_item_scope(world):
    r = ApiClient(world["sup_county"]).post("/power-items", item_data(world))
    assert r.status_code == 403
    r = ApiClient(world["unit_head"]).post("/power-items", item_data(world, unit=world["smj_unit2"].pk))
    assert r.status_code == 403
    r = ApiClient(world["unit_head"]).post("/power-items", item_data(world))
    assert r.status_code == 201
    pk = r.json()["id"]
    assert ApiClient(world["sup_county"]).get(f"/power-items/{pk}").status_code == 200
    # another county's supervisor cannot even see it: 404 for reads and for confirming
    from tests import factories

    sfj_df = factories.entity(world["regions"]["county2"], "大方县司法局", justice=True)
    sup_df = ApiClient(factories.user("supervisor", sfj_df, None, "supdf"))
    assert sup_df.get(f"/power-items/{pk}").status_code == 404
    ApiClient(world["unit_head"]).post(f"/power-items/{pk}/submit")
    assert sup_df.post(f"/power-items/{pk}/confirm").status_code == 404
    assert PowerItem.objects.get(pk=pk).status == "pending"
    r = ApiClient(world["head"]).post("/power-items", item_data(world, entity=world["zy"].pk))
    assert r.status_code == 422 and r.json()["field"] == "entity"
    r = ApiClient(world["admin"]).post("/power-items", item_data(world, entity=world["hbj"].pk))
    assert r.status_code == 422 and r.json()["field"] == "unit"
    r = ApiClient(world["head"]).post("/power-items", item_data(world))
    assert r.status_code == 422  # duplicate head code within the entity


def test_list_filters_for_powers(world):
    head = ApiClient(world["head"])
    a = head.post("/power-items", item_data(world)).json()
    b = head.post("/power-items", item_data(world, code="XK-001", name="食品经营许可", category="licensing")).json()
    assert ids(head.get("/power-items", {"category": "licensing"})) == {b["id"]}
    assert ids(head.get("/power-items", {"q": "CF-"})) == {a["id"]}
    assert ids(head.get("/power-items", {"status": "draft", "entity": world["smj"].pk})) == {a["id"], b["id"]}
    r = head.get("/power-items", {"category": "nonsense"})
    assert r.status_code == 422 and r.json()["message"].startswith("字段“权力类别”：取值无效")


def test_other_versioned_lists(world):
    head, sup = ApiClient(world["head"]), ApiClient(world["sup_county"])
    smj = world["smj"].pk
    cases = {
        "/inspection-items": {"entity": smj, "code": "CC-1", "name": "食品经营者检查", "kind": "general",
                              "ratio": "5"},
        "/service-guides": {"entity": smj, "power_item_code": "XK-001", "title": "食品经营许可", "basis": "食品安全法",
                            "accepting_unit": "政务服务窗口", "approving_unit": "市场监管局", "materials": "申请书",
                            "steps": "受理\n审查\n决定", "time_limit": "20个工作日", "office_hours": "工作日",
                            "address": "政务服务中心", "phone": "0857-8221234"},
        "/flowcharts": {"entity": smj, "title": "行政处罚一般程序", "power_category": "penalty",
                        "steps": [{"key": "a", "label": "立案", "kind": "start", "next": ["b"]},
                                  {"key": "b", "label": "决定", "kind": "end"}]},
    }
    for path, data in cases.items():
        r = head.post(path, data)
        assert r.status_code == 201, (path, r.content.decode())
        url = f"{path}/{r.json()['id']}"
        head.post(f"{url}/submit")
        assert sup.post(f"{url}/confirm").json()["status"] == "published"
        v2 = head.patch(url, {"effective_from": "2030-01-01"}).json()
        assert v2["version"] == 2 and v2["effective_from"] == "2030-01-01"
        assert ids(head.get(path, {"published": 1})) == {int(url.rsplit("/", 1)[1])}


def test_versioned_validation(world):
    head = ApiClient(world["head"])
    r = head.post("/inspection-items", {"entity": world["smj"].pk, "code": "CC-2", "name": "x", "kind": "general"})
    assert r.status_code == 422 and r.json()["field"] == "ratio" and "抽查比例" in r.json()["message"]
    r = head.post("/flowcharts", {"entity": world["smj"].pk, "title": "t", "power_category": "penalty",
                                  "steps": [{"key": "a", "label": "开始", "next": ["zz"]}]})
    assert r.status_code == 422 and "不存在的步骤" in r.json()["message"]
    r = head.post("/flowcharts", {"entity": world["smj"].pk, "title": "t", "power_category": "penalty",
                                  "steps": [{"key": "a", "label": "开始", "kind": "loop"}]})
    assert r.status_code == 422 and r.json()["message"].startswith("字段“步骤类型”：取值无效")
