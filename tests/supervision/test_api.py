"""/api/v1/supervision: figures, the cases behind a figure, alerts and their handling, orders and replies."""
import datetime as dt

import pytest

from tests.api.conftest import ApiClient
from tests.supervision.helpers import other_county_case, overdue_case
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import Alert, SupervisionOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


@pytest.fixture
def data(cw, settings):
    settings.ZHIFA_TRAINING_MIN_HOURS = 0
    case, df_case = overdue_case(cw), other_county_case(cw)
    recompute_alerts(dt.date(2026, 6, 2))
    return {"case": case, "df_case": df_case,
            "alert": Alert.objects.get(kind=Alert.Kind.DEADLINE_LAPSED, case=case),
            "df_alert": Alert.objects.filter(entity=cw["df"]).first()}


def test_figures_and_cases_behind_them(cw, data):
    city = ApiClient(cw["sup_city"]).get("/supervision/figures").json()
    assert city["region"]["name"] == "毕节市" and city["total"]["all"] == 2
    assert {r["name"]: r["all"] for r in city["regions"]} == {"七星关区": 1, "大方县": 1}
    c = ApiClient(cw["sup_city"])
    assert c.get("/supervision/figures", {"year": 2026}).json()["total"]["all"] == 2
    assert c.get("/supervision/figures", {"year": 2025}).json()["total"]["all"] == 0
    assert c.get("/supervision/cases", {"year": 2025}).json()["count"] == 0
    county = ApiClient(cw["sup_county"])
    assert county.get("/supervision/figures").json()["total"]["all"] == 1
    assert county.get("/supervision/figures", {"region": cw["regions"]["county2"].pk}).status_code == 404
    r = county.get("/supervision/cases", {"metric": "overdue"}).json()
    assert r["count"] == 1 and r["items"][0]["id"] == data["case"].pk
    assert county.get("/supervision/cases", {"metric": "nope"}).status_code == 422
    assert county.get("/supervision/cases", {"entity": cw["df"].pk}).status_code == 404


def test_alerts_and_action(cw, data):
    county = ApiClient(cw["sup_county"])
    alerts = county.get("/supervision/alerts").json()
    assert data["alert"].pk in {a["id"] for a in alerts}
    assert all(a["entity_id"] != cw["df"].pk for a in alerts)
    a = next(a for a in alerts if a["id"] == data["alert"].pk)
    assert a["age_days"] >= 0 and a["kind_label"] == "法定期限已超期"
    r = county.post(f"/supervision/alerts/{data['alert'].pk}/action", {"action": "acknowledge", "note": ""})
    assert r.status_code == 409 and r.json()["rule"] == "supervision.alert_note"
    r = county.post(f"/supervision/alerts/{data['alert'].pk}/action", {"action": "acknowledge", "note": "已提醒"})
    assert r.status_code == 200 and r.json()["state"] == "acknowledged"
    if data["df_alert"]:
        assert county.post(f"/supervision/alerts/{data['df_alert'].pk}/action",
                           {"action": "close", "note": "x"}).status_code == 404
    head = ApiClient(cw["head"])
    assert head.post(f"/supervision/alerts/{data['alert'].pk}/action",
                     {"action": "close", "note": "x"}).status_code == 403


def test_order_and_reply(cw, data):
    city = ApiClient(cw["sup_city"])
    r = city.post("/supervision/orders", {"alert": data["alert"].pk, "kind": "duban", "text": "限期作出决定", "days": 5})
    assert r.status_code == 201, r.content
    order = r.json()
    assert order["case_id"] == data["case"].pk and order["entity_id"] == cw["smj"].pk and order["state"] == "open"
    r = city.post("/supervision/orders", {"entity": cw["smj"].pk, "kind": "duban", "text": "", "days": 5})
    assert r.status_code == 409 and r.json()["rule"] == "supervision.order_text"
    head = ApiClient(cw["head"])
    assert [o["id"] for o in head.get("/supervision/orders", {"state": "open"}).json()] == [order["id"]]
    assert city.post(f"/supervision/orders/{order['id']}/reply", {"text": "x"}).status_code == 403
    r = head.post(f"/supervision/orders/{order['id']}/reply", {"text": "已作出决定"})
    assert r.status_code == 200 and r.json()["state"] == "replied"
    assert city.get("/supervision/orders").json()[0]["reply_text"] == "已作出决定"
    assert SupervisionOrder.objects.get().replied_by == cw["head"]
    county = ApiClient(cw["sup_county"])
    assert county.post("/supervision/orders", {"case": data["df_case"].pk, "kind": "duban", "text": "x",
                                               "days": 5}).status_code == 404
