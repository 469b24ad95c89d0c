"""Officer import: all or nothing, every problem reported as (row, column, reason)."""
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.excel.util import download, officer_row, officers_file, xlsx
from zhifa.common.fields import match, match_any
from zhifa.common.identifiers import make_id_number
from zhifa.common.models import ChangeLog
from zhifa.common.xlsx import ImportReport
from zhifa.orgs.excel import EXAMPLE_ID_NUMBER, OFFICER_HEADERS, import_officers, officer_template
from zhifa.orgs.models import Certificate, Officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


def problems(report: ImportReport):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_valid_file_imports_everything_with_changelog(world):
    head = world["head"]
    rows = [officer_row() for _ in range(25)]
    rows[3].update({"法律职业资格": "是", "法律职业资格证书编号": "A20190001", "是法制审核人员": "是", "内设机构": "法规科"})
    rows[4].update({"执法证号": "", "执法领域": "", "发证机关": "", "发证日期": None, "有效期至": "", "证件状态": ""})
    rows[5].update({"性别": "", "手机号": 13900001111, "发证日期": "2022/03/04", "状态": "暂停执法"})
    logs = ChangeLog.objects.count()
    report = import_officers(officers_file(rows), acting_user=head)
    assert report.ok, problems(report)
    assert report.created == 25
    imported = Officer.objects.filter(match_any(Officer, "id_number", [r["身份证号"] for r in rows]))
    assert imported.count() == 25 and all(o.entity_id == world["smj"].pk for o in imported)
    assert Certificate.objects.filter(officer__in=imported).count() == 24
    reviewer = imported.get(match(Officer, "id_number", rows[3]["身份证号"]))
    assert reviewer.is_legal_reviewer and reviewer.unit == world["smj_unit2"]
    o6 = imported.get(match(Officer, "id_number", rows[5]["身份证号"]))
    assert o6.phone == "13900001111" and o6.status == "suspended" and o6.gender in "MF" and o6.gender
    assert o6.certificates.get().issued_on == dt.date(2022, 3, 4)
    new_logs = ChangeLog.objects.filter(action=ChangeLog.Action.IMPORT)
    assert ChangeLog.objects.count() - logs == 49 == new_logs.count()
    assert set(new_logs.values_list("user_id", flat=True)) == {head.pk}


def test_one_bad_row_among_many_imports_nothing_and_reports_each_problem(world):
    head = world["head"]
    rows = [officer_row() for _ in range(40)]
    good = rows[0]
    bad_id = good["身份证号"][:17] + ("0" if good["身份证号"][17] != "0" else "1")
    existing = world["o1"]
    rows[2]["身份证号"] = bad_id                                     # excel row 4
    rows[5]["发证日期"] = "2023-02-30"                               # row 7
    rows[8]["内设机构"] = "不存在科"                                  # row 10
    rows[11]["身份证号"] = rows[10]["身份证号"]                       # row 13 duplicates row 12
    rows[14]["身份证号"] = existing.id_number                         # row 16
    rows[17]["执法主体"] = "遵义市市场监督管理局"                     # row 19: outside scope
    rows[20].update({"是法制审核人员": "是"})                         # row 22: no qualification
    rows[23]["执法证号"] = existing.certificates.get().number          # row 25
    rows[26]["有效期至"] = "2020-01-01"                               # row 28: before issue
    rows[29]["手机号"] = "1380013"                                    # row 31
    rows[32]["证件状态"] = "过期"                                     # row 34
    rows[35]["执法证号"] = rows[34]["执法证号"]                        # row 37 duplicates row 36
    rows[38]["姓名"] = ""                                             # row 40
    before = (Officer.objects.count(), Certificate.objects.count(), ChangeLog.objects.count())
    report = import_officers(officers_file(rows), acting_user=head)
    assert not report.ok and report.created == 0
    assert (Officer.objects.count(), Certificate.objects.count(), ChangeLog.objects.count()) == before
    got = problems(report)
    expect = [
        (4, "身份证号", "校验位"), (7, "发证日期", "日期不存在"), (10, "内设机构", "不存在科"),
        (13, "身份证号", "与第12行"), (16, "身份证号", "已有"), (19, "执法主体", "超出您的管理范围"),
        (22, "是法制审核人员", "法律职业资格"), (25, "执法证号", "已有"), (28, "有效期至", "晚于发证日期"),
        (31, "手机号", "电话号码格式无效"), (34, "证件状态", "应为"), (37, "执法证号", "与第36行"), (40, "姓名", "必填"),
    ]
    for row, column, fragment in expect:
        assert any(r == row and c == column and fragment in m for r, c, m in got), (row, column, got)
    assert len(got) == len(expect), got
    assert [e[0] for e in got] == sorted(e[0] for e in got)


def test_dates_accept_excel_dates_and_strings(world):
    rows = [officer_row(发证日期=dt.datetime(2021, 5, 6), 有效期至="2026-05-06"),
            officer_row(发证日期="2021年5月6日", 有效期至="2026.5.6"),
            officer_row(发证日期="明年", 有效期至="2026-05-06")]
    report = import_officers(officers_file(rows), acting_user=world["head"])
    assert problems(report) == [(4, "发证日期", "日期格式无效，应为日期或“YYYY-MM-DD”")]
    report = import_officers(officers_file(rows[:2]), acting_user=world["head"])
    assert report.ok and report.created == 2
    assert set(Certificate.objects.filter(number__in=[r["执法证号"] for r in rows[:2]])
               .values_list("issued_on", flat=True)) == {dt.date(2021, 5, 6)}


def test_reviewer_needs_qualification_number(world):
    row = officer_row(法律职业资格="是", 是法制审核人员="是")
    report = import_officers(officers_file([row]), acting_user=world["head"])
    assert {(e.column) for e in report.errors} == {"法律职业资格证书编号", "是法制审核人员"}


def test_entity_column_resolves_within_scope(world):
    admin = world["admin"]
    rows = [officer_row(执法主体="七星关区生态环境局", 内设机构=""),
            officer_row(执法主体="遵义市市场监督管理局", 内设机构=""),
            officer_row(执法主体="七星关区市场监督管理局", 内设机构="法规科")]
    report = import_officers(officers_file(rows), acting_user=admin)
    assert report.ok, problems(report)
    got = dict(Officer.objects.filter(match_any(Officer, "id_number", [r["身份证号"] for r in rows])).values_list("name", "entity__name"))
    assert sorted(got.values()) == sorted(["七星关区生态环境局", "遵义市市场监督管理局", "七星关区市场监督管理局"])
    # the admin account belongs to no entity: the column is then needed
    report = import_officers(officers_file([officer_row(内设机构="")]), acting_user=admin)
    assert problems(report) == [(2, "执法主体", "请填写执法主体（您的账号不属于任何执法主体）")]
    report = import_officers(officers_file([officer_row(执法主体="不存在的局")]), acting_user=admin)
    assert problems(report)[0][:2] == (2, "执法主体")


def test_unit_head_imports_only_into_own_unit(world):
    uh = world["unit_head"]
    ok = officer_row(内设机构="")             # defaults to the unit head's unit
    report = import_officers(officers_file([ok]), acting_user=uh)
    assert report.ok, problems(report)
    assert Officer.objects.get(match(Officer, "id_number", ok["身份证号"])).unit == world["smj_unit"]
    other = officer_row(内设机构="法规科")
    report = import_officers(officers_file([other]), acting_user=uh)
    assert problems(report) == [(2, "内设机构", "您只能导入本内设机构（执法稽查大队）的人员")]


def test_no_change_rights_imports_nothing(world):
    for role in ("officer", "reviewer", "sup_county"):
        report = import_officers(officers_file([officer_row()]), acting_user=world[role])
        assert problems(report) == [(0, "", "您没有导入执法人员的权限")]


def test_missing_columns_are_named(world):
    f = xlsx(["姓名", "身份证号", "手机号"], [["张三", make_id_number("520502", dt.date(1990, 1, 1), 3), ""]])
    report = import_officers(f, acting_user=world["head"])
    missing = {e.column for e in report.errors}
    assert all(e.row == 1 and "缺少此列" in e.message for e in report.errors)
    assert missing == set(OFFICER_HEADERS) - {"执法主体", "姓名", "身份证号", "手机号"}


def test_header_aliases_and_extra_columns_accepted(world):
    headers = ["备注" if h == "职务" else h for h in OFFICER_HEADERS] + ["职务"]
    headers = ["证号" if h == "执法证号" else h for h in headers]
    row = officer_row()
    row["证号"] = row.pop("执法证号")
    report = import_officers(xlsx(headers, [row]), acting_user=world["head"])
    assert report.ok, problems(report)


@pytest.mark.parametrize("content, fragment", [
    (b"", "空"),
    (b"name,id\n1,2\n", "不是有效的 Excel"),
    (b"PK\x03\x04garbage" * 10, "不是有效的 Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
])
def test_not_an_xlsx_is_a_clear_error(world, content, fragment):
    report = import_officers(io.BytesIO(content), acting_user=world["head"])
    assert not report.ok and report.errors[0].row == 0 and fragment in report.errors[0].message


def test_empty_sheet_and_header_only(world):
    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    report = import_officers(io.BytesIO(buf.getvalue()), acting_user=world["head"])
    assert "文件是空的" in report.errors[0].message
    report = import_officers(officers_file([]), acting_user=world["head"])
    assert "没有数据行" in report.errors[0].message
    # blank rows are skipped, row numbers stay Excel's
    f = officers_file([{}, officer_row(姓名="")])
    assert problems(import_officers(f, acting_user=world["head"])) == [(3, "姓名", "必填")]


def test_too_many_rows(world):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(OFFICER_HEADERS)
    for _ in range(20_001):
        ws.append([None, None, "x"])
    buf = io.BytesIO()
    wb.save(buf)
    report = import_officers(io.BytesIO(buf.getvalue()), acting_user=world["head"])
    assert problems(report) == [(0, "", "数据超过 20000 行，请拆分为多个文件分批导入")]


def test_template_example_row_must_be_removed(world):
    report = import_officers(io.BytesIO(officer_template(world["head"])), acting_user=world["head"])
    assert problems(report) == [(2, "身份证号", "这是模板中的示例行，请删除后再导入")]
    wb = openpyxl.load_workbook(io.BytesIO(officer_template(world["head"])))
    assert [c.value for c in wb.worksheets[0][1]] == OFFICER_HEADERS
    assert wb.worksheets[0]["D2"].value == EXAMPLE_ID_NUMBER and "填写说明" in wb.sheetnames


def test_round_trip_export_edit_import(client, world):
    """Export, replace the data rows by edited copies (new person, new certificate), import."""
    head = world["head"]
    client.force_login(head)
    content = download(client.get(reverse("officers-export"), {"q": "李明"}))
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    template_row = [c.value for c in ws[2]]
    ws.delete_rows(2, ws.max_row)
    for i in range(3):
        row = dict(zip(headers, template_row))
        row.update(姓名=f"李明{i}", 身份证号=make_id_number("520502", dt.date(1991, 2, 3), 40 + i),
                   执法证号=f"RT{i:06d}")
        ws.append([row[h] for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    report = import_officers(buf, acting_user=head)
    assert report.ok, problems(report)
    assert report.created == 3
    o = Officer.objects.get(name="李明1")
    src = world["o1"]
    assert (o.entity, o.unit, o.gender, o.status) == (src.entity, src.unit, src.gender, src.status)
    c, sc = o.certificates.get(), src.certificates.get()
    assert (c.fields, c.issuing_authority, c.issued_on, c.expires_on, c.status) == \
        (sc.fields, sc.issuing_authority, sc.issued_on, sc.expires_on, sc.status)
    # re-importing the unchanged export reports the existing person instead of duplicating it
    report = import_officers(io.BytesIO(content), acting_user=head)
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号"), (2, "执法证号")]


def test_id_number_typed_as_number_gets_a_hint(world):
    row = officer_row()
    # typed as a number, Excel keeps 15 significant digits: 520502198506071234 → 520502198506071000
    row["身份证号"] = int(make_id_number("520502", dt.date(1985, 6, 7), 617))
    report = import_officers(officers_file([row]), acting_user=world["head"])
    assert report.errors[0].column == "身份证号" and "文本格式" in report.errors[0].message
