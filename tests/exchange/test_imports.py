"""Import in the other direction: a province's 执法主体 / 执法人员 / 执法事项 lists (CSV, Excel, JSON in the
provincial table's own format): every row validated with Chinese errors naming the row and the field,
nothing written when any row fails, a preview that writes nothing, created/updated idempotently (a second
import changes nothing), change-logged and ledgered; the 信用风险分类 of inspection objects imported onto the
roster the random-inspection strata read."""
import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.common.actions import ActionRefused
from zhifa.common.fields import match
from zhifa.common.identifiers import make_credit_code, make_id_number
from zhifa.common.models import ChangeLog
from zhifa.common.xlsx import Column, workbook_bytes
from zhifa.exchange import provincial
from zhifa.exchange.actions.batches import do_build_batch
from zhifa.exchange.actions.imports import do_import_list
from zhifa.exchange.models import ListImport
from zhifa.ledger.models import LedgerEntry
from zhifa.orgs.models import Certificate, Entity, Officer
from zhifa.powers.models import PowerItem

NOW = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
NEW_BODY = make_credit_code("520502", "77700001")
NEW_ENTRUSTED = make_credit_code("520502", "77700002", authority="5")
PERSON = make_id_number("520502", dt.date(1985, 3, 9), 40, "F")


@pytest.fixture
def cw(shared_cw):
    with time_machine.travel(NOW, tick=False):
        yield shared_cw


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def entity_rows(cw):
    smj = cw["smj"]
    return [
        {"统一社会信用代码": smj.credit_code, "主体名称": smj.name, "主体类别": "1", "委托机关统一社会信用代码": "",
         "行政区划代码": "520502", "执法领域": "市场监管、食品安全", "办公地址": "七星关区洪山路99号", "联系电话": "0857-8221234",
         "主体状态": "1", "机关代字": ""},
        {"统一社会信用代码": NEW_ENTRUSTED, "主体名称": "七星关区市场监管综合执法队", "主体类别": "3",
         "委托机关统一社会信用代码": NEW_BODY, "行政区划代码": "520502", "执法领域": "市场监管", "办公地址": "",
         "联系电话": "", "主体状态": "1", "机关代字": "七市执"},
        {"统一社会信用代码": NEW_BODY, "主体名称": "七星关区农业农村局", "主体类别": "1", "委托机关统一社会信用代码": "",
         "行政区划代码": "520502", "执法领域": "农业", "办公地址": "", "联系电话": "", "主体状态": "1", "机关代字": "七农"},
    ]


def test_entity_list_preview_import_and_idempotence(cw):
    data = as_csv(entity_rows(cw))
    before = ChangeLog.objects.count()
    preview = do_import_list("entities", data, "主体清单.csv", acting_user=cw["admin"], preview=True)
    assert preview.ok and preview.preview and preview.record is None
    assert [(o.row, o.action) for o in preview.outcomes] == [(2, "更新"), (3, "新增"), (4, "新增")]
    assert "办公地址" in preview.outcomes[0].detail
    assert not Entity.objects.filter(credit_code=NEW_BODY).exists() and ChangeLog.objects.count() == before
    done = do_import_list("entities", data, "主体清单.csv", acting_user=cw["admin"])
    assert done.ok and done.record is not None
    entrusted = Entity.objects.get(credit_code=NEW_ENTRUSTED)
    assert entrusted.kind == "entrusted" and entrusted.entrusted_by.credit_code == NEW_BODY
    assert Entity.objects.get(pk=cw["smj"].pk).address == "七星关区洪山路99号"
    record = ListImport.objects.get()
    assert (record.kind, record.rows, record.created, record.updated, record.unchanged) == ("entities", 3, 2, 1, 0)
    entry = LedgerEntry.objects.filter(event_type="exchange.list_import").get()
    assert entry.subject_id == str(record.pk) and record.sha256 in entry.body
    assert ChangeLog.objects.filter(object_id=str(entrusted.pk), action="create").exists()
    # The same file again: nothing changes.
    again = do_import_list("entities", data, "主体清单.csv", acting_user=cw["admin"])
    assert [o.action for o in again.outcomes] == ["未变化"] * 3
    assert ListImport.objects.latest("id").unchanged == 3
    # The provincial feed sends what the import created.
    batch = do_build_batch(dt.date(2026, 9, 1), acting_user=cw["admin"], feed="provincial")
    assert {f"entity:{entrusted.pk}", f"entity:{cw['smj'].pk}"} <= set(batch.rows.values_list("key", flat=True))


def test_bad_rows_are_reported_by_row_and_field_and_nothing_is_written(cw):
    rows = entity_rows(cw)
    rows[1]["统一社会信用代码"] = NEW_ENTRUSTED[:17] + ("0" if NEW_ENTRUSTED[17] != "0" else "1")
    rows[2]["行政区划代码"] = "52050"
    rows.append({**rows[0], "主体名称": "同码主体"})
    rows.append({**rows[2], "统一社会信用代码": make_credit_code("520502", "77700009"), "行政区划代码": "520599",
                 "机关代字": ""})
    result = do_import_list("entities", as_csv(rows), "主体清单.csv", acting_user=cw["admin"])
    assert not result.ok and result.record is None
    text = dict(result.errors)
    assert text[3] == "统一社会信用代码（ZTBM）：统一社会信用代码校验位错误"
    assert text[4] == "行政区划代码（XZQHDM）：行政区划代码应为6位"
    assert text[5] == "统一社会信用代码（ZTBM）：与第2行重复"
    assert not Entity.objects.filter(name="七星关区农业农村局").exists() and not ListImport.objects.exists()
    # rows that pass the field checks but not the database: reported too, nothing written
    rows = entity_rows(cw)[2:] + [{**entity_rows(cw)[2], "统一社会信用代码": make_credit_code("520502", "77700009"),
                                   "主体名称": "某局", "行政区划代码": "520599", "机关代字": ""}]
    result = do_import_list("entities", as_csv(rows), "x.csv", acting_user=cw["admin"])
    assert result.errors == [(3, "行政区划代码（XZQHDM）：系统中没有区划520599")]
    assert not Entity.objects.filter(credit_code=NEW_BODY).exists()
    rows[1]["行政区划代码"] = "520502"
    result = do_import_list("entities", as_csv(rows), "x.csv", acting_user=cw["admin"])
    assert result.errors == [(3, "机关代字（JGDZ）：新增执法主体时必填")]


def test_file_problems_and_roles_are_refused(cw):
    def refused(rule, *a, **kw):
        with pytest.raises(ActionRefused) as e:
            do_import_list(*a, **kw)
        assert e.value.rule == rule, e.value.message
        return e.value.message

    assert "缺少列" in refused("exchange.import_file", "entities", "主体名称\n某局\n".encode(), "a.csv",
                              acting_user=cw["admin"])
    assert "JSON" in refused("exchange.import_file", "entities", b"{broken", "a.json", acting_user=cw["admin"])
    assert "空" in refused("exchange.import_file", "entities", b"", "a.csv", acting_user=cw["admin"])
    refused("exchange.import_kind", "cases", b"x", "a.csv", acting_user=cw["admin"])
    refused("exchange.role", "entities", as_csv(entity_rows(cw)), "a.csv", acting_user=cw["officer"])


def officer_row(cw, **changes):
    return {"ZFZH": "52050226000777", "XM": "周敏", "SFZH": PERSON, "SSZTBM": cw["smj"].credit_code,
            "ZFLY": "市场监管", "FZJG": "贵州省人民政府", "FZRQ": "2026-01-05", "YXQZ": "2031-01-04", "ZJZT": "1",
            "RYZT": "1", **changes}


def test_officer_list_as_json_creates_updates_and_refuses_a_taken_certificate(cw):
    h1 = cw["h1"]
    cert = h1.certificates.get()
    existing = officer_row(cw, ZFZH=cert.number, XM=h1.name, SFZH=h1.id_number, FZRQ="2020-01-01",
                           YXQZ="2032-12-31", ZFLY=cert.fields)
    data = json.dumps({"records": [officer_row(cw), existing]}, ensure_ascii=False).encode()
    result = do_import_list("officers", data, "人员清单.json", acting_user=cw["admin"])
    assert result.ok, result.errors
    assert [(o.action, o.detail) for o in result.outcomes] == [("新增", "周敏"), ("更新", "有效期至")]
    new = Officer.objects.get(match(Officer, "id_number", PERSON))
    assert new.gender == "F" and new.certificates.get().number == "52050226000777"
    assert Certificate.objects.get(pk=cert.pk).expires_on == dt.date(2032, 12, 31)
    assert [o.action for o in do_import_list("officers", data, "人员清单.json", acting_user=cw["admin"]).outcomes] == [
        "未变化", "未变化"]
    taken = json.dumps([officer_row(cw, SFZH=make_id_number("520502", dt.date(1990, 1, 1), 3), ZFZH=cert.number),
                        officer_row(cw, ZFZH="C0001", XB="1")], ensure_ascii=False).encode()
    result = do_import_list("officers", taken, "人员清单.json", acting_user=cw["admin"])
    assert (1, f"执法证号（ZFZH）：{cert.number}已属于其他执法人员（身份证号不同）") in result.errors
    assert (2, "执法证号（ZFZH）：执法证号应为8-20位：前6位为发证地行政区划代码，其后为数字或大写字母") in result.errors
    assert (2, "性别（XB）：与身份证号第17位不符") not in result.errors  # a row's cross checks follow its field checks
    unknown = json.dumps([officer_row(cw, SSZTBM=NEW_BODY)]).encode()
    assert do_import_list("officers", unknown, "p.json", acting_user=cw["admin"]).errors == [
        (1, f"所属执法主体统一社会信用代码（SSZTBM）：系统中没有统一社会信用代码为{NEW_BODY}的执法主体")]


def test_power_list_as_excel_creates_drafts_and_versions_published_items(cw):
    item = cw["item"]
    fields = provincial.SCHEMAS["sj_zfsx"]
    columns = [Column(label, code) for code, (label, _c) in fields.items()]
    rows = [["CF-NEW-1", "对未取得食品经营许可从事食品经营的处罚", "02", cw["smj"].credit_code, cw["smj"].name,
             "52050201040009", "《中华人民共和国食品安全法》第一百二十二条", "1", "2026-09-01"],
            [item.code, item.name, "02", cw["smj"].credit_code, cw["smj"].name, "52050201040001",
             f"{item.law}{item.article}", "1", "2026-01-01"]]
    data = workbook_bytes(columns, rows)
    result = do_import_list("powers", data, "事项清单.xlsx", acting_user=cw["admin"])
    assert result.ok, result.errors
    assert [o.action for o in result.outcomes] == ["新增", "更新"]
    new = PowerItem.objects.get(code="CF-NEW-1")
    assert new.status == "draft" and new.supervision_code == "52050201040009"
    head = PowerItem.objects.get(lineage=item.lineage, is_head=True)
    assert head.version == 2 and head.status == "draft" and head.supervision_code == "52050201040001"
    assert head.law == item.law and head.article == item.article  # 设定依据 unchanged: law and article kept
    rows[0][2] = "99"
    result = do_import_list("powers", workbook_bytes(columns, rows), "事项清单.xlsx", acting_user=cw["admin"])
    assert result.errors == [(2, "权力类别（QLLB）：权力类别应为01、02、03、04、05、06、07、08、09、10、11之一")]


def test_command_imports_a_list(cw, tmp_path):
    path = tmp_path / "主体清单.csv"
    path.write_bytes(as_csv(entity_rows(cw)))
    out = io.StringIO()
    call_command("exchange", "import", "entities", str(path), "--user", cw["admin"].username, "--preview", stdout=out)
    assert "预览" in out.getvalue() and not Entity.objects.filter(credit_code=NEW_BODY).exists()
    out = io.StringIO()
    call_command("exchange", "import", "entities", str(path), "--user", cw["admin"].username, stdout=out)
    assert "新增2" in out.getvalue() and Entity.objects.filter(credit_code=NEW_BODY).exists()
    bad = tmp_path / "bad.csv"
    rows = entity_rows(cw)
    rows[0]["行政区划代码"] = "5"
    bad.write_bytes(as_csv(rows))
    with pytest.raises(CommandError, match="第2行 行政区划代码（XZQHDM）"):
        call_command("exchange", "import", "entities", str(bad), "--user", cw["admin"].username)
    with pytest.raises(CommandError, match="--user"):
        call_command("exchange", "import", "entities", str(path), "--user", "nobody")


def test_staff_page_previews_then_imports(cw, client):
    client.force_login(cw["officer"])
    assert client.get("/exchange/import/").status_code == 404
    client.force_login(cw["admin"])
    page = client.get("/exchange/import/").content.decode()
    assert "执法主体清单" in page and "ZTBM" in page
    upload = io.BytesIO(as_csv(entity_rows(cw)))
    upload.name = "主体清单.csv"
    response = client.post("/exchange/import/", {"kind": "entities", "file": upload, "preview": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and "预览" in body and "新增" in body and "import_token" in body
    assert not Entity.objects.filter(credit_code=NEW_BODY).exists()
    token = body.split('name="import_token" value="')[1].split('"')[0]
    response = client.post("/exchange/import/", {"kind": "entities", "import_token": token})
    assert response.status_code == 302 and Entity.objects.filter(credit_code=NEW_BODY).exists()
    rows = entity_rows(cw)
    rows[1]["主体类别"] = "7"
    upload = io.BytesIO(as_csv(rows))
    upload.name = "bad.csv"
    response = client.post("/exchange/import/", {"kind": "entities", "file": upload, "preview": "1"})
    assert response.status_code == 422 and "第3行" in response.content.decode() and "主体类别（ZTLB）" in (
        response.content.decode())


def test_an_entity_of_a_town_keeps_its_town_when_the_list_gives_the_county_code(cw):
    from tests.factories import entity, region

    town = region("520502001", "市东街道", 4, cw["regions"]["county"])
    body = entity(town, "市东街道综合行政执法办公室", short_code="市东")
    row = {"ZTBM": body.credit_code, "ZTMC": body.name, "ZTLB": "1", "XZQHDM": "520502", "ZFLY": body.fields,
           "BGDZ": body.address, "LXDH": body.phone, "ZTZT": "1"}
    result = do_import_list("entities", json.dumps([row]).encode(), "z.json", acting_user=cw["admin"])
    assert [o.action for o in result.outcomes] == ["未变化"]
    assert Entity.objects.get(pk=body.pk).region == town
