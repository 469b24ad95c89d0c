"""开放数据: bulk CSV / JSON downloads, the data dictionary (page and JSON) and the public API's
dataset lists: published entries only, exactly the documented fields, stable identifiers."""
import csv
import datetime as dt
import io
import json

import pytest

from tests.disclosure.conftest import decided_case
from zhifa.disclosure import opendata
from zhifa.disclosure.actions import publications as publication_actions


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


DATASETS = ("decisions", "entities", "officers", "power-items", "inspection-items", "service-guides", "flowcharts")


def body(resp) -> str:
    assert resp.streaming, "downloads are streamed"
    return b"".join(resp.streaming_content).decode()


def publish_lists(cw):
    """One published inspection item, service guide and flowchart (through the powers actions)."""
    from zhifa.orgs.models import User
    from zhifa.powers import actions as power_actions
    from zhifa.powers.models import Flowchart, InspectionItem, ServiceGuide

    confirmer = User.objects.get(username="supcounty")
    smj = cw["smj"]
    rows = [(InspectionItem, {"entity": smj, "code": "CC-0001", "name": "食品经营者监督检查", "kind": "general",
                              "ratio": "5", "frequency": "每年一次", "law": "中华人民共和国食品安全法"}),
            (ServiceGuide, {"entity": smj, "power_item_code": "XK-0001", "title": "食品经营许可", "basis": "食品安全法第三十五条",
                            "accepting_unit": "政务服务窗口", "approving_unit": "七星关区市场监督管理局",
                            "materials": "申请书\n营业执照", "steps": "受理\n审查\n决定", "time_limit": "10个工作日",
                            "office_hours": "工作日9:00-17:00", "address": "七星关区政务服务中心", "phone": "0857-8221234"}),
            (Flowchart, {"entity": smj, "title": "行政处罚一般程序", "power_category": "penalty",
                         "steps": [{"key": "s1", "label": "立案", "kind": "start", "next": ["s2"]},
                                   {"key": "s2", "label": "结案", "kind": "end", "next": []}]})]
    for model, data in rows:
        obj = power_actions.do_create_versioned(model, data, acting_user=cw["admin"])
        power_actions.do_submit_versioned(obj, acting_user=cw["admin"])
        power_actions.do_confirm_versioned(obj, acting_user=confirmer, note="同意")


def world_with_publications(cw):
    publish_lists(cw)
    shown = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 23))
    gone = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 23))
    publication_actions.do_withdraw(gone, acting_user=cw["head"], ground="revoked", public_reason="原处罚决定已被撤销")
    low = decided_case(cw, penalty={"penalty_kinds": ["fine"], "fine_amount": "300"}).publication
    low = publication_actions.do_approve(low, acting_user=cw["head"], on=dt.date(2026, 4, 23))  # three months: expired by now
    draft = decided_case(cw).publication
    return shown, gone, low, draft


def test_every_dataset_downloads_as_csv_and_json_with_its_documented_fields(cw, client):
    world_with_publications(cw)
    for slug in DATASETS:
        ds = opendata.DATASETS[slug]
        resp = client.get(f"/gs/data/{slug}.csv")
        assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
        text = body(resp)
        assert text.startswith("\ufeff")
        reader = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert reader[0] == ds.keys and len(reader) > 1, slug
        rows = json.loads(body(client.get(f"/gs/data/{slug}.json")))
        assert rows and all(list(r) == ds.keys for r in rows), slug
    assert client.get("/gs/data/nothing.csv").status_code == 404


def test_decisions_export_only_what_is_public_with_stable_urls(cw, client):
    shown, gone, low, draft = world_with_publications(cw)
    rows = json.loads(body(client.get("/gs/data/decisions.json")))
    assert [r["id"] for r in rows] == [shown.pk]
    assert rows[0]["url"] == f"http://testserver/gs/results/{shown.pk}/"
    assert client.get(f"/gs/results/{shown.pk}/").status_code == 200
    assert rows[0]["target"] == "张某" and "张建国" not in json.dumps(rows, ensure_ascii=False)
    text = body(client.get("/gs/data/decisions.csv"))
    assert f"/gs/results/{shown.pk}/" in text
    for pub in (gone, low, draft):
        assert f"/gs/results/{pub.pk}/" not in text


def test_officers_export_valid_certificates_only(cw, client):
    from zhifa.orgs.models import Certificate

    rows = json.loads(body(client.get("/gs/data/officers.json")))
    numbers = {r["number"] for r in rows}
    assert cw["h1"].certificates.first().number in numbers
    assert set(Certificate.objects.filter(status="valid").values_list("number", flat=True)) >= numbers
    assert "id_number" not in rows[0] and "phone" not in rows[0]


def test_dictionary_page_and_json_list_every_exported_field(cw, client):
    world_with_publications(cw)
    page = client.get("/gs/data/").content.decode()
    data = client.get("/gs/data/dictionary.json").json()
    assert data["licence"] and data["encoding"] == "UTF-8"
    assert [d["name"] for d in data["datasets"]] == list(DATASETS)
    for d in data["datasets"]:
        ds = opendata.DATASETS[d["name"]]
        assert [f["name"] for f in d["fields"]] == ds.keys
        assert all(f["description"] and f["type"] for f in d["fields"])
        assert f'data-testid="dataset-{d["name"]}"' in page and d["title"] in page
        for f in ds.fields:
            assert f"<code>{f.key}</code>" in page and f.label in page
    assert data["datasets"][0]["updated"]  # the decisions' latest change
    assert "许可协议" in page and data["licence"] in page


def test_public_api_lists_every_dataset_with_pagination(cw, client):
    shown, *_ = world_with_publications(cw)
    for slug in DATASETS:
        resp = client.get(f"/api/v1/public/data/{slug}", {"page_size": 1})
        assert resp.status_code == 200, slug
        data = resp.json()
        assert data["page"] == 1 and len(data["results"]) == 1 and data["pages"] == data["count"]
        assert list(data["results"][0]) == opendata.DATASETS[slug].keys
    assert client.get("/api/v1/public/data/decisions").json()["results"][0]["id"] == shown.pk
    assert client.get("/api/v1/public/data/entities", {"page_size": 9999}).status_code == 422
    assert client.get("/api/v1/public/data").json()["datasets"][0]["name"] == "decisions"
    schema = client.get("/api/openapi.json").json()
    for slug in DATASETS:
        assert f"/api/v1/public/data/{slug}" in schema["paths"]
    assert "/api/v1/public/data" in schema["paths"]


def test_streaming_keeps_memory_flat():
    """The downloads iterate a server-side cursor in chunks rather than loading the queryset."""
    import inspect

    assert "iterator(chunk_size=CHUNK)" in inspect.getsource(opendata.rows)
