"""Exports hold only rows in the user's scope and honour the list page's search and filters."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.excel.util import download, read_xlsx
from zhifa.powers.actions import do_create_versioned
from zhifa.powers.models import PowerItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


def export(client, user, name, **params):
    client.force_login(user)
    r = client.get(reverse(name), params)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r["Content-Disposition"]
    return read_xlsx(download(r))


def names(rows, key="姓名"):
    return {r[key] for r in rows}


@pytest.mark.parametrize("role, expected", [
    ("officer", {"李明", "王芳"}),
    ("head", {"李明", "王芳"}),
    ("sup_county", {"李明", "王芳", "赵强"}),
    ("sup_city", {"李明", "王芳", "赵强", "钱红"}),
    ("admin", {"李明", "王芳", "赵强", "钱红", "孙伟"}),
])
def test_officer_export_is_scoped(client, world, role, expected):
    _, rows = export(client, world[role], "officers-export")
    assert names(rows) == expected


def test_officer_export_columns_and_certificate(client, world):
    headers, rows = export(client, world["head"], "officers-export", q="李明")
    for h in ["执法主体", "内设机构", "姓名", "身份证号", "执法证号", "执法领域", "发证机关", "发证日期",
              "有效期至", "证件状态"]:
        assert h in headers
    (row,) = rows
    o1 = world["o1"]
    cert = o1.certificates.get()
    assert row["身份证号"] == o1.id_number
    assert row["执法主体"] == "七星关区市场监督管理局" and row["内设机构"] == "执法稽查大队"
    assert row["执法证号"] == cert.number and row["证件状态"] == "有效"
    assert row["发证日期"].date() == cert.issued_on and row["有效期至"].date() == cert.expires_on
    assert row["状态"] == "在岗" and row["是法制审核人员"] == "否"


def test_officer_export_honours_filters(client, world):
    sup = world["sup_city"]
    _, rows = export(client, sup, "officers-export", entity=world["hbj"].pk)
    assert names(rows) == {"赵强"}
    _, rows = export(client, sup, "officers-export", q="钱")
    assert names(rows) == {"钱红"}
    # search through the certificate number (a join) gives no duplicates
    number = world["o1"].certificates.get().number
    _, rows = export(client, sup, "officers-export", q=number)
    assert [r["姓名"] for r in rows] == ["李明"]
    _, rows = export(client, sup, "officers-export", cert="0")
    assert rows == []
    # a filter cannot widen scope: asking for another city's entity gives nothing
    _, rows = export(client, sup, "officers-export", entity=world["zy"].pk)
    assert rows == []


def _items(world):
    admin = world["admin"]
    for entity, code, category in [(world["smj"], "SJ-1", "penalty"), (world["smj"], "SJ-2", "licensing"),
                                   (world["hbj"], "HB-1", "penalty"), (world["zy"], "ZY-1", "penalty")]:
        do_create_versioned(PowerItem, {"entity": entity, "code": code, "name": f"事项{code}", "category": category,
                                        "law": "中华人民共和国行政处罚法", "article": "第八条",
                                        "effective_from": timezone.localdate()}, acting_user=admin)


@pytest.mark.parametrize("role, expected", [
    ("officer", {"SJ-1", "SJ-2"}),
    ("sup_county", {"SJ-1", "SJ-2", "HB-1"}),
    ("admin", {"SJ-1", "SJ-2", "HB-1", "ZY-1"}),
])
def test_power_item_export_is_scoped(client, world, role, expected):
    _items(world)
    headers, rows = export(client, world[role], "power-items-export")
    assert names(rows, "事项编码") == expected
    for h in ["事项编码", "事项名称", "权力类别", "依据法律法规", "条款", "责任事项", "追责情形", "承办机构", "版本", "状态"]:
        assert h in headers


def test_power_item_export_labels_and_filters(client, world):
    _items(world)
    _, rows = export(client, world["sup_county"], "power-items-export", category="licensing")
    assert [(r["事项编码"], r["权力类别"], r["状态"], r["版本"]) for r in rows] == [("SJ-2", "行政许可", "草稿", 1)]
    _, rows = export(client, world["sup_county"], "power-items-export", q="HB")
    assert names(rows, "事项编码") == {"HB-1"}


@pytest.mark.slow
def test_export_of_many_rows_is_quick(client, world):
    import time

    from zhifa.common.identifiers import make_id_number
    from zhifa.orgs.actions import do_bulk_create_officers
    from zhifa.orgs.models import Certificate, Officer

    smj = world["smj"]
    officers = [Officer(entity=smj, name=f"批量{i}", id_number=make_id_number(
        "520502", dt.date(1960, 1, 1) + dt.timedelta(days=i % 9000), i // 9000 + 7)) for i in range(1200)]
    certs = [Certificate(officer=o, number=f"B{i:07d}", fields="市场监管", issuing_authority="省政府",
                         issued_on=dt.date(2022, 1, 1), expires_on=dt.date(2027, 1, 1))
             for i, o in enumerate(officers)]
    do_bulk_create_officers(officers, certs, acting_user=world["admin"])
    t = time.perf_counter()
    _, rows = export(client, world["head"], "officers-export")
    assert len(rows) == 1202
    assert time.perf_counter() - t < 10
    assert all(r["执法证号"] for r in rows)
