"""全过程记录 over REST: chunked upload → record, access logging, corrections, access log, A/V list."""
import datetime as dt
import hashlib

import pytest

from tests import factories
from tests.api.conftest import ApiClient
from tests.records.conftest import add, jpeg
from zhifa.records.models import AccessLog, RecordItem


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def upload(api, data, name="现场.jpg"):
    r = api.post("/uploads", {"filename": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    assert r.status_code == 201, r.content
    uid = r.json()["id"]
    half = len(data) // 2
    for off, chunk in ((0, data[:half]), (half, data[half:])):
        resp = api.client.patch(f"/api/v1/uploads/{uid}", chunk, content_type="application/octet-stream",
                                headers={"Upload-Offset": str(off)})
        assert resp.status_code == 200, resp.content
    return uid


def test_record_from_a_chunked_upload_and_its_access_log(cw):
    case = factories.case(cw)
    api = ApiClient(cw["u1"])
    data = jpeg(5).getvalue()
    uid = upload(api, data)
    r = api.post("/records", {"case": case.pk, "upload_id": uid, "title": "现场照片", "proves": "在售过期食品",
                              "collectors": [cw["h1"].pk, cw["h2"].pk], "place": "某超市"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["kind"] == "photo" and body["current"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["current"]["sm3"] == hashlib.new("sm3", data).hexdigest()
    rid = body["id"]
    head = ApiClient(cw["head"])
    assert head.get(f"/records/{rid}").status_code == 200
    content = head.get(f"/records/{rid}/versions/1/content")
    assert content.status_code == 200 and b"".join(content.streaming_content) == data
    assert AccessLog.objects.filter(item_id=rid).count() == 2
    log = ApiClient(cw["sup_county"]).get("/records/access-log", {"case": case.pk})
    assert log.status_code == 200 and {a["action"] for a in log.json()["items"]} == {"view", "download"}
    assert api.get("/records/access-log", {"case": case.pk}).status_code == 403
    # Someone else's upload cannot be attached by naming its id or digest.
    other = ApiClient(cw["u2"])
    r = other.post("/records", {"case": case.pk, "upload_id": hashlib.sha256(data).hexdigest(), "title": "x",
                                "collectors": [cw["h2"].pk]})
    assert r.status_code in (409, 422) and r.json()["field"] == "file"


def test_text_record_correction_and_errors(cw):
    case = factories.case(cw)
    api = ApiClient(cw["u1"])
    r = api.post("/records", {"case": case.pk, "text": "询问笔录内容", "title": "询问笔录", "collectors": [cw["h1"].pk]})
    rid = r.json()["id"]
    r = api.post(f"/records/{rid}/versions", {"reason": "补充", "title": "询问笔录（第一次）"})
    assert r.status_code == 201 and r.json()["version_count"] == 2
    assert [v["title"] for v in r.json()["versions"]] == ["询问笔录", "询问笔录（第一次）"]
    bad = api.post("/records", {"case": case.pk, "text": "x", "title": "x", "collectors": [cw["h1"].pk],
                                "latitude": "120", "longitude": "100"})
    assert bad.status_code == 409 and bad.json()["field"] == "latitude"
    missing = api.post("/records", {"case": case.pk, "title": "x", "collectors": [cw["h1"].pk]})
    assert missing.status_code in (409, 422) and missing.json()["message"]
    far = ApiClient(factories.user("officer", cw["df"]))
    assert far.get(f"/records/{rid}").status_code == 404


def test_sensitive_record_needs_reason_over_api(cw):
    case = factories.case(cw)
    item = add(cw, case, sensitive=True)
    head = ApiClient(cw["head"])
    r = head.get(f"/records/{item.pk}")
    assert r.status_code == 409 and r.json()["rule"] == "records.access_reason"
    assert head.get(f"/records/{item.pk}", {"reason": "审核"}).status_code == 200


def test_av_requirements_and_list_filters(cw):
    case = factories.case(cw)
    add(cw, case)
    head = ApiClient(cw["head"])
    r = head.client.put(f"/api/v1/records/av-requirements/{cw['smj'].pk}", '{"steps": ["seize"]}',
                        content_type="application/json")
    assert r.status_code == 200 and r.json() == {"steps": ["seize"]}
    items = head.get("/records", {"case": case.pk}).json()["items"]
    assert len(items) == 1 and RecordItem.objects.get().pk == items[0]["id"]


def test_outsiders_can_check_the_log_without_an_account(cw, client):
    """Tree head, public key and proofs are public (hashes only); entries are not."""
    case = factories.case(cw)
    add(cw, case)
    head = client.get("/api/v1/ledger/tree-head")
    assert head.status_code == 200 and head.json()["tree_size"] > 0
    assert client.get("/api/v1/ledger/public-key").status_code == 200
    n = head.json()["tree_size"]
    assert client.get("/api/v1/ledger/proof/inclusion", {"seq": 0, "tree_size": n}).status_code == 200
    assert client.get("/api/v1/ledger/proof/consistency", {"first": 1, "second": n}).status_code == 200
    assert client.get("/api/v1/ledger/entries/0").status_code == 401


def test_anonymous_polling_signs_at_most_once_a_minute(cw, client):
    """The public tree head: a grown log is signed on request, but not more often than the interval."""
    import time_machine

    from zhifa.ledger.models import TreeHead

    case = factories.case(cw)
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC), tick=False) as clock:
        first = client.get("/api/v1/ledger/tree-head").json()
        add(cw, case)  # the log grows
        for _ in range(5):
            assert client.get("/api/v1/ledger/tree-head").json() == first
        assert TreeHead.objects.count() == 1
        clock.shift(61)
        later = client.get("/api/v1/ledger/tree-head").json()
        assert later["tree_size"] > first["tree_size"] and TreeHead.objects.count() == 2
