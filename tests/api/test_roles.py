"""What each role can list, see and change over the API (the scope layer, seen through HTTP)."""

import pytest
from django.utils import timezone

from tests.api.conftest import ApiClient, ids
from zhifa.common.models import ChangeLog
from zhifa.orgs.models import Certificate, Entity, LegalAdviser, Officer, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


SMJ_OFFICERS = {"李明", "王芳"}
OFFICERS_SEEN = {
    "officer": SMJ_OFFICERS,
    "unit_head": SMJ_OFFICERS,
    "head": SMJ_OFFICERS,
    "reviewer": SMJ_OFFICERS,
    "sup_county": SMJ_OFFICERS | {"赵强"},
    "sup_city": SMJ_OFFICERS | {"赵强", "钱红"},
    "admin": SMJ_OFFICERS | {"赵强", "钱红", "孙伟"},
}


def names(response):
    assert response.status_code == 200, response.content.decode()
    return {row["name"] for row in response.json()["items"]}


@pytest.mark.parametrize("role", list(OFFICERS_SEEN))
def test_officer_list_and_detail_follow_scope(world, role):
    c = ApiClient(world[role])
    seen = names(c.get("/officers"))
    assert seen == OFFICERS_SEEN[role]
    for key in ["o1", "o2", "o_hbj", "o_df", "o_zy"]:
        r = c.get(f"/officers/{world[key].pk}")
        if world[key].name in seen:
            assert r.status_code == 200 and r.json()["name"] == world[key].name
        else:
            assert r.status_code == 404 and r.json()["message"] == "记录不存在或不在您的数据范围内"
    # nested data never leaks: every certificate listed belongs to a visible officer
    certs = c.get("/certificates", {"page_size": 200}).json()["items"]
    assert {x["officer_name"] for x in certs} <= seen


def test_entity_lists(world):
    assert names(ApiClient(world["officer"]).get("/entities")) == {"七星关区市场监督管理局"}
    county = names(ApiClient(world["sup_county"]).get("/entities"))
    assert county == {"七星关区市场监督管理局", "七星关区生态环境局", "七星关区司法局"}
    city = names(ApiClient(world["sup_city"]).get("/entities"))
    assert "大方县市场监督管理局" in city and "遵义市市场监督管理局" not in city
    assert ApiClient(world["sup_city"]).get(f"/entities/{world['zy'].pk}").status_code == 404
    assert names(ApiClient(world["admin"]).get("/entities", {"q": "司法局"})) == {"七星关区司法局", "毕节市司法局"}
    detail = ApiClient(world["officer"]).get(f"/entities/{world['smj'].pk}").json()
    assert {u["name"] for u in detail["units"]} == {"执法稽查大队", "法规科"}


def test_regions_are_reference_data_for_every_role(world):
    for role in ["officer", "sup_city", "admin"]:
        r = ApiClient(world[role]).get("/regions", {"level": 3})
        assert names(r) == {"七星关区", "大方县"}
    r = ApiClient(world["officer"]).get(f"/regions/{world['regions']['county'].pk}")
    assert r.json()["full_name"] == "贵州省毕节市七星关区"


def test_list_filters(world):
    c = ApiClient(world["sup_city"])
    assert names(c.get("/officers", {"entity": world["df"].pk})) == {"钱红"}
    assert names(c.get("/officers", {"q": "李"})) == {"李明"}
    number = world["o2"].certificates.get().number
    assert names(c.get("/officers", {"q": number})) == {"王芳"}
    assert names(c.get("/officers", {"cert": "valid"})) == OFFICERS_SEEN["sup_city"]
    assert names(c.get("/officers", {"cert": "invalid"})) == set()
    assert names(c.get("/officers", {"status": "left"})) == set()
    # filtering by an out-of-scope entity shows nothing rather than that entity's rows
    assert names(c.get("/officers", {"entity": world["zy"].pk})) == set()
    r = c.get("/officers", {"page_size": 2, "page": 2})
    assert r.json()["count"] == 4 and len(r.json()["items"]) == 2


@pytest.mark.parametrize("role,o1,o2", [
    ("officer", 403, 403), ("reviewer", 403, 403), ("unit_head", 200, 403), ("head", 200, 200),
    ("sup_county", 403, 403), ("sup_city", 403, 403), ("admin", 200, 200),
])
def test_officer_updates_by_role(world, role, o1, o2):
    c = ApiClient(world[role])
    for key, expected in (("o1", o1), ("o2", o2)):
        r = c.patch(f"/officers/{world[key].pk}", {"title": f"{role}改"})
        assert r.status_code == expected, r.content.decode()
        title = Officer.objects.get(pk=world[key].pk).title
        assert (title == f"{role}改") == (expected == 200)
        if expected == 403:
            assert r.json()["rule"] == "scope"


def test_out_of_scope_writes_are_404_and_change_nothing(world):
    c = ApiClient(world["head"])
    before = ChangeLog.objects.count()
    assert c.patch(f"/officers/{world['o_hbj'].pk}", {"name": "改名"}).status_code == 404
    assert c.delete(f"/officers/{world['o_hbj'].pk}").status_code == 404
    assert c.patch(f"/entities/{world['hbj'].pk}", {"address": "x"}).status_code == 404
    cert = world["o_hbj"].certificates.get()
    assert c.patch(f"/certificates/{cert.pk}", {"status": "revoked"}).status_code == 404
    assert Officer.objects.get(pk=world["o_hbj"].pk).name == "赵强"
    assert Certificate.objects.get(pk=cert.pk).status == "valid"
    assert ChangeLog.objects.count() == before


def test_creating_in_a_visible_but_unchangeable_place_is_403(world):
    data = {"entity": world["smj"].pk, "unit": world["smj_unit2"].pk, "name": "新人",
            "id_number": "11010519491231002X"}
    r = ApiClient(world["unit_head"]).post("/officers", data)  # not the unit head's own unit
    assert r.status_code == 403 and r.json()["rule"] == "scope"
    r = ApiClient(world["officer"]).post("/officers", data)
    assert r.status_code == 403
    assert not Officer.objects.filter(name="新人").exists()
    r = ApiClient(world["unit_head"]).post("/officers", {**data, "unit": world["smj_unit"].pk})
    assert r.status_code == 201, r.content.decode()
    body = r.json()
    assert body["unit_name"] == "执法稽查大队" and body["certificates"] == [] and body["training_ok"] is False


def test_entities_created_by_admin_only(world):
    from zhifa.common.identifiers import make_credit_code

    data = {"name": "大方县生态环境局", "short_code": "大环", "region": world["regions"]["county2"].pk,
            "credit_code": make_credit_code("520521", "77777777")}
    r = ApiClient(world["head"]).post("/entities", data)
    assert r.status_code == 403 and not Entity.objects.filter(name="大方县生态环境局").exists()
    r = ApiClient(world["admin"]).post("/entities", data)
    assert r.status_code == 201, r.content.decode()
    assert r.json()["region_name"] == "大方县" and r.json()["units"] == []


def test_entity_update_rules(world):
    url = f"/entities/{world['smj'].pk}"
    assert ApiClient(world["unit_head"]).patch(url, {"address": "x"}).status_code == 403
    r = ApiClient(world["head"]).patch(url, {"address": "毕节市七星关区洪山路1号"})
    assert r.status_code == 200 and r.json()["address"] == "毕节市七星关区洪山路1号"
    r = ApiClient(world["head"]).patch(url, {"name": "改名局"})
    assert r.status_code == 409 and r.json()["rule"] == "orgs.entity_identity_admin_only"
    assert r.json()["field"] == "name"
    assert ApiClient(world["admin"]).patch(url, {"name": "改名局"}).json()["name"] == "改名局"


def test_units_and_advisers(world):
    head, unit_head = ApiClient(world["head"]), ApiClient(world["unit_head"])
    assert unit_head.post("/units", {"entity": world["smj"].pk, "name": "办公室"}).status_code == 403
    r = head.post("/units", {"entity": world["smj"].pk, "name": "办公室", "phone": "0857-8221235"})
    assert r.status_code == 201
    r = head.patch(f"/units/{r.json()['id']}", {"name": "综合办公室"})
    assert r.json()["name"] == "综合办公室" and Unit.objects.filter(name="综合办公室").exists()
    r = head.post("/units", {"entity": world["smj"].pk, "name": "综合办公室"})
    assert r.status_code == 422  # unique per entity, reported by model validation
    adviser = {"entity": world["smj"].pk, "kind": "adviser", "name": "周律师", "licence_no": "15201200000001",
               "engaged_from": "2025-01-01"}
    assert unit_head.post("/advisers", adviser).status_code == 403
    r = head.post("/advisers", adviser)
    assert r.status_code == 201 and r.json()["kind_display"] == "法律顾问"
    assert head.patch(f"/advisers/{r.json()['id']}", {"firm": "黔西北律师事务所"}).json()["firm"] == "黔西北律师事务所"
    assert ApiClient(world["sup_county"]).get(f"/advisers/{r.json()['id']}").status_code == 200
    assert ApiClient(world["admin"]).get("/advisers").json()["count"] == 1
    assert LegalAdviser.objects.restrict(world["officer"]).count() == 1


def test_certificates_trainings_and_officer_detail(world):
    unit_head = ApiClient(world["unit_head"])
    today = timezone.localdate()
    cert = {"officer": world["o1"].pk, "number": "52NEW0001", "fields": "食品安全", "issuing_authority": "贵州省人民政府",
            "issued_on": str(today), "expires_on": str(today.replace(year=today.year + 3))}
    assert unit_head.post("/certificates", {**cert, "officer": world["o2"].pk}).status_code == 403
    r = unit_head.post("/certificates", cert)
    assert r.status_code == 201 and r.json()["is_valid"] is True
    r = unit_head.patch(f"/certificates/{r.json()['id']}", {"status": "revoked"})
    assert r.json()["status_display"] == "注销/吊销"
    r = unit_head.patch(f"/certificates/{r.json()['id']}", {"status": "valid"})
    assert r.status_code == 409 and r.json()["rule"] == "orgs.certificate_revoked_final"

    training = {"officer": world["o1"].pk, "year": today.year, "course": "行政处罚法专题", "hours": "24.5"}
    assert ApiClient(world["officer"]).post("/trainings", training).status_code == 403
    assert unit_head.post("/trainings", training).status_code == 201
    assert unit_head.post("/trainings", {**training, "hours": 16}).status_code == 201
    detail = ApiClient(world["officer"]).get(f"/officers/{world['o1'].pk}").json()
    assert float(detail["training_hours"]) == 40.5 and detail["training_ok"] is True
    assert len(detail["certificates"]) == 2
    assert ids(ApiClient(world["officer"]).get("/trainings", {"year": today.year})) != set()
    assert ApiClient(world["sup_city"]).get("/trainings", {"entity": world["zy"].pk}).json()["count"] == 0


def test_delete_officer(world):
    head = ApiClient(world["head"])
    r = head.delete(f"/officers/{world['o1'].pk}")
    assert r.status_code == 409 and r.json()["rule"] == "orgs.officer_has_certificates"
    new = head.post("/officers", {"entity": world["smj"].pk, "name": "临时", "id_number": "11010519491231002X"})
    assert ApiClient(world["unit_head"]).delete(f"/officers/{new.json()['id']}").status_code == 403
    assert head.delete(f"/officers/{new.json()['id']}").status_code == 204
    assert not Officer.objects.filter(name="临时").exists()


def test_changelog_endpoint(world):
    head = ApiClient(world["head"])
    head.patch(f"/officers/{world['o1'].pk}", {"title": "队长"})
    r = head.get(f"/changelog/orgs.officer/{world['o1'].pk}")
    assert r.status_code == 200
    latest = r.json()["items"][0]
    assert latest["action"] == "update" and latest["user_name"] == "head"
    assert {"field": "职务", "before": "", "after": "队长"} in latest["diff"]
    assert head.get(f"/changelog/orgs.officer/{world['o_hbj'].pk}").status_code == 404
    assert head.get("/changelog/orgs.nothing/1").status_code == 404
    assert head.get("/changelog/common.changelog/1").status_code == 404
    assert head.get("/changelog/orgs.officer/abc").status_code == 404
    assert head.get(f"/changelog/orgs.entity/{world['smj'].pk}").status_code == 200
