"""/api/v1/exchange with personal tokens: the batches with their reconciliation, one batch with its
files, its rows (a refused one with its reason) and the rows not yet in a batch; for the 系统管理员 and
the 执法监督人员 only (others 403), a supervisor seeing the rows of their subtree's entities only; an
unknown batch 404; a bad filter 422 in Chinese naming the field."""
import datetime as dt

import pytest
import time_machine

from tests import factories
from tests.api.conftest import ApiClient
from tests.disclosure.conftest import decided_case
from zhifa.accounts.api import make_token
from zhifa.common.roles import Role
from zhifa.exchange.actions.batches import do_build_batch
from zhifa.exchange.models import Row
from zhifa.powers.models import PowerItem

CODE = "52050201040001"
NOW = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAY = dt.date(2026, 9, 1)


@pytest.fixture
def cw(shared_cw):
    with time_machine.travel(NOW, tick=False):
        yield shared_cw


def client(user):
    return ApiClient(token=make_token(user))


@pytest.fixture
def batches(cw):
    """Two batches: the first refuses the decided case (its power item has no 监管事项目录编码), the second
    sends it once the code is on the item; then a credit record waits for the next batch."""
    case = decided_case(cw)
    first = do_build_batch(DAY, acting_user=cw["admin"])
    PowerItem.objects.filter(pk=cw["item"].pk).update(supervision_code=CODE)
    second = do_build_batch(DAY, acting_user=cw["admin"])
    return case, first, second


def test_batches_and_their_rows_for_the_administrator(cw, batches):
    case, first, second = batches
    api = client(cw["admin"])
    r = api.get("/exchange/batches")
    assert r.status_code == 200, r.content.decode()
    assert r.json()["count"] == 2 and [b["number"] for b in r.json()["items"]] == [second.number, first.number]
    recon = {t["table"]: t for t in r.json()["items"][0]["reconciliation"]}
    assert recon["jgxw_xzcf"]["sent"] == 1 and recon["jgxw_xzcf"]["awaiting"] == 1
    assert recon["jgxw_xzcf"]["label"] == "监管行为·行政处罚"
    detail = api.get(f"/exchange/batches/{first.pk}").json()
    assert detail["number"] == first.number and detail["day"] == "2026-09-01"
    assert {"manifest.json", "rejected.json", "jgxw_xzcf.json"} <= set(detail["files"])
    assert detail["counts"]["jgxw_xzcf"]["refused"] == 1
    refused = api.get(f"/exchange/batches/{first.pk}/rows", {"state": "refused"}).json()
    assert refused["count"] == 1
    row = refused["items"][0]
    assert row["key"] == f"case:{case.pk}" and row["state_label"] == "校验未通过" and "监管事项目录编码" in row["reason"]
    assert row["entity"]["name"] == "七星关区市场监督管理局" and "record" not in row  # the record stays in the files
    sent = api.get(f"/exchange/batches/{second.pk}/rows", {"table": "jgxw_xzcf"}).json()
    assert [(x["operation"], x["state"], x["batch_id"]) for x in sent["items"]] == [("i", "sent", second.pk)]
    everywhere = api.get("/exchange/rows", {"table": "jgxw_xzcf"}).json()
    assert everywhere["count"] == 2
    assert api.get("/exchange/rows", {"batch": second.pk}).json()["count"] == second.rows.count()
    waiting = Row.objects.create(table="sgs_xzcf", key="publication:1", entity=cw["smj"], operation="i",
                                 cd_id="waiting-1", record={}, digest="0" * 64)
    assert [x["id"] for x in api.get("/exchange/rows", {"waiting": "1"}).json()["items"]] == [waiting.pk]


def test_who_may_read_batches_and_rows(cw, batches):
    _case, first, _second = batches
    for role in ("officer", "head", "reviewer"):
        r = client(cw[role]).get("/exchange/batches")
        assert r.status_code == 403 and r.json()["rule"] == "scope" and "系统管理员" in r.json()["message"], role
        assert client(cw[role]).get(f"/exchange/batches/{first.pk}/rows").status_code == 403
    assert ApiClient().get("/exchange/batches").status_code == 401
    county = client(cw["sup_county"])  # 七星关区司法局: its region's subtree holds the market regulator
    assert county.get(f"/exchange/batches/{first.pk}/rows").json()["count"] == 1
    bureau = factories.entity(cw["zy"].region, "遵义市司法局", justice=True, short_code="遵司")  # another city
    elsewhere = factories.user(Role.SUPERVISOR, bureau, None, "zy_supervisor")
    other = client(elsewhere)
    assert other.get("/exchange/batches").status_code == 200
    assert other.get(f"/exchange/batches/{first.pk}/rows").json()["count"] == 0
    assert other.get("/exchange/rows").json()["count"] == 0


def test_unknown_batch_404_and_bad_filters_422_in_chinese(cw, batches):
    api = client(cw["admin"])
    for path in ("/exchange/batches/999999", "/exchange/batches/999999/rows", f"/exchange/batches/{2**63}"):
        r = api.get(path)
        assert r.status_code in (404, 422) and r.status_code < 500, path
    r = api.get("/exchange/batches/999999")
    assert r.status_code == 404 and "数据范围" in r.json()["message"]
    bad = api.get("/exchange/rows", {"state": "lost"})
    assert bad.status_code == 422 and "状态" in bad.content.decode() and "可选值" in bad.content.decode()
    assert api.get("/exchange/rows", {"batch": "0"}).status_code == 422
    assert api.get("/exchange/rows", {"table": "nope"}).status_code == 422
