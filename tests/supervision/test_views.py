"""The supervision pages through the Django test client: drill-down links, alert handling,
issuing an order and the head's reply; who may open what."""
import datetime as dt
import re

import pytest
from django.test import Client

from tests.supervision.helpers import other_county_case, overdue_case
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import Alert, SupervisionOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def data(cw, settings):
    settings.ZHIFA_TRAINING_MIN_HOURS = 0
    case, df_case = overdue_case(cw), other_county_case(cw)
    recompute_alerts(dt.date(2026, 6, 2))
    return {"case": case, "df_case": df_case, "alert": Alert.objects.get(kind="deadline_lapsed", case=case)}


def test_home_drill_down_to_the_case(cw, data):
    c = client(cw["sup_city"])
    html = c.get("/supervision/").content.decode()
    assert "七星关区" in html and "大方县" in html and "vendor/echarts.min.js" in html
    county = cw["regions"]["county"]
    html = c.get(f"/supervision/?region={county.pk}").content.decode()
    assert "大方县市场监督管理局" not in html
    entity_url = f"/supervision/entity/{cw['smj'].pk}/"
    assert entity_url in html
    html = c.get(entity_url).content.decode()
    link = re.search(r'href="(/supervision/cases/\?metric=overdue&amp;entity=\d+&amp;officer=\d+)"', html).group(1)
    html = c.get(link.replace("&amp;", "&")).content.decode()
    assert f'/cases/{data["case"].pk}/' in html and 'data-testid="count">1<' in html
    assert c.get(f'/cases/{data["case"].pk}/').status_code == 200
    html = c.get("/supervision/?year=2025").content.decode()
    assert "2025年立案" in html and "本区域暂无案件" in html
    assert 'data-testid="count">0<' in c.get("/supervision/cases/?year=2025").content.decode()


def test_scope_and_roles(cw, data):
    county = client(cw["sup_county"])
    assert county.get(f"/supervision/?region={cw['regions']['county2'].pk}").status_code == 404
    assert county.get(f"/supervision/entity/{cw['df'].pk}/").status_code == 404
    assert county.get(f"/supervision/cases/?entity={cw['df'].pk}").status_code == 404
    assert "大方县" not in county.get("/supervision/alerts/").content.decode()
    head = client(cw["head"])
    assert head.get("/supervision/").status_code == 403
    assert head.get("/supervision/orders/").status_code == 200


def test_alert_page_actions(cw, data):
    c = client(cw["sup_county"])
    url = f"/supervision/alerts/{data['alert'].pk}/"
    assert "已持续" in c.get(url).content.decode()
    r = c.post(url, {"action": "acknowledge", "note": ""})
    assert "请填写处理意见" in r.content.decode()
    r = c.post(url, {"action": "assign", "note": "请跟进", "assignee": cw["sup_county"].pk})
    assert r.status_code == 302
    data["alert"].refresh_from_db()
    assert data["alert"].state == "assigned" and data["alert"].assignee == cw["sup_county"]


def test_issue_and_reply_pages(cw, data):
    c = client(cw["sup_city"])
    r = c.get(f"/supervision/orders/new/?alert={data['alert'].pk}")
    assert "七星关区市场监督管理局" in r.content.decode()
    r = c.post("/supervision/orders/new/", {"alert": data["alert"].pk, "kind": "duban", "text": "", "days": "5"})
    assert "请填写督办或整改要求" in r.content.decode()
    r = c.post("/supervision/orders/new/", {"alert": data["alert"].pk, "kind": "duban", "text": "限期决定",
                                            "days": "5"})
    order = SupervisionOrder.objects.get()
    assert r.status_code == 302 and order.case == data["case"]
    head = client(cw["head"])
    assert "提交答复" in head.get(f"/supervision/orders/{order.pk}/").content.decode()
    assert "提交答复" not in c.get(f"/supervision/orders/{order.pk}/").content.decode()
    head.post(f"/supervision/orders/{order.pk}/", {"reply_text": "已作出决定"})
    assert "已作出决定" in c.get(f"/supervision/orders/{order.pk}/").content.decode()
    other = client(cw["sup_county"])
    assert other.get(f"/supervision/orders/new/?case={data['df_case'].pk}").status_code == 404
