"""The web pages: buttons, upload page, template download, results, refusals."""
import io

import pytest
from django.urls import reverse

from tests.excel.util import download, officer_row, officers_file, power_file, power_row, read_xlsx
from zhifa.orgs.excel import OFFICER_HEADERS
from zhifa.orgs.models import Officer
from zhifa.powers.models import PowerItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


PAGES = [("officers", officers_file, officer_row), ("power-items", power_file, power_row)]


@pytest.mark.parametrize("slug, _f, _r", PAGES)
def test_list_buttons(client, world, slug, _f, _r):
    client.force_login(world["head"])
    body = client.get(reverse(f"{slug}-list"), {"q": "李"}).content.decode()
    assert "导出Excel" in body and "导入" in body
    assert f'{reverse(f"{slug}-export")}?q=%E6%9D%8E' in body
    client.force_login(world["officer"])
    body = client.get(reverse(f"{slug}-list")).content.decode()
    assert "导出Excel" in body and reverse(f"{slug}-import") not in body


@pytest.mark.parametrize("slug, _f, _r", PAGES)
def test_officer_role_gets_403(client, world, slug, _f, _r):
    client.force_login(world["officer"])
    assert client.get(reverse(f"{slug}-import")).status_code == 403
    assert client.post(reverse(f"{slug}-import"), {}).status_code == 403
    assert client.get(reverse(f"{slug}-import-template")).status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    for name in ("officers-export", "officers-import", "power-items-export"):
        r = client.get(reverse(name))
        assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.parametrize("slug, make_file, make_row", PAGES)
def test_upload_success_and_failure(client, world, slug, make_file, make_row):
    client.force_login(world["head"])
    url = reverse(f"{slug}-import")
    page = client.get(url).content.decode()
    assert "下载模板" in page and reverse(f"{slug}-import-template") in page
    r = client.post(url, {"file": make_file([make_row(), make_row()])})
    body = r.content.decode()
    assert r.status_code == 200 and "成功导入 2 条" in body and reverse(f"{slug}-list") in body
    bad = make_row()
    bad[list(bad)[2]] = ""  # 姓名 / 权力类别 left empty
    r = client.post(url, {"file": make_file([make_row(), bad])})
    body = r.content.decode()
    assert r.status_code == 400 and "未导入任何数据" in body and "<th>行</th><th>列</th><th>原因</th>" in body
    assert "<td>3</td>" in body


@pytest.mark.parametrize("name, content", [
    ("人员.xlsx", b"this is not a spreadsheet"),
    ("人员.csv", b"a,b\n1,2\n"),
    ("人员.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
    ("人员.xlsx", b""),
])
def test_not_an_xlsx_is_never_a_500(client, world, name, content):
    client.force_login(world["head"])
    f = io.BytesIO(content)
    f.name = name
    before = Officer.objects.count()
    r = client.post(reverse("officers-import"), {"file": f})
    assert r.status_code == 400
    body = r.content.decode()
    assert ("Excel" in body or "xlsx" in body) and "未导入任何数据" in body
    assert Officer.objects.count() == before


def test_no_file_selected(client, world):
    client.force_login(world["head"])
    r = client.post(reverse("power-items-import"), {})
    assert r.status_code == 400 and "请选择要导入的 Excel 文件" in r.content.decode()


def test_template_download(client, world):
    client.force_login(world["head"])
    r = client.get(reverse("officers-import-template"))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    headers, rows = read_xlsx(download(r))
    assert headers == OFFICER_HEADERS and len(rows) == 1 and rows[0]["执法主体"] == "七星关区市场监督管理局"
    r = client.get(reverse("power-items-import-template"))
    assert r.status_code == 200


def test_export_then_import_via_pages(client, world):
    """The file a user downloads from the list can be uploaded again (for new rows)."""
    import openpyxl

    client.force_login(world["head"])
    wb = openpyxl.load_workbook(io.BytesIO(download(client.get(reverse("power-items-export")))))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    row = power_row()
    ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "权责清单.xlsx"
    r = client.post(reverse("power-items-import"), {"file": buf})
    assert "成功导入 1 条" in r.content.decode()
    assert PowerItem.objects.get(code=row["事项编码"]).status == "draft"
