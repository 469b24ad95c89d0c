"""年度行政执法统计年报 on the portal: list and page with charts, downloads (.xlsx, PDF), nothing
unpublished is reachable; the staff page generates and publishes through the actions."""
import datetime as dt
import io

import openpyxl
import pytest

from tests.disclosure.conftest import decided_case
from zhifa.common.xlsx import XLSX_CONTENT_TYPE
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.models import AnnualReport
from zhifa.supervision.actions import reports


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def xlsx_text(resp) -> str:
    """Every cell of a downloaded workbook, as text (the leak scan reads downloads this way)."""
    wb = openpyxl.load_workbook(io.BytesIO(resp.content), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)


@pytest.fixture
def published(cw):
    one = decided_case(cw)
    publication_actions.do_approve(one.publication, acting_user=cw["head"], on=dt.date(2026, 4, 23))
    decided_case(cw, penalty={"penalty_kinds": ["warning", "fine"], "fine_amount": "2000"})
    rep = reports.do_generate_annual_report(cw["smj"], 2026, acting_user=cw["head"])
    return reports.do_publish_annual_report(rep, acting_user=cw["head"])


def test_public_list_and_page_with_charts(cw, published, client):
    html = client.get("/gs/reports/").content.decode()
    assert f"/gs/reports/{published.pk}/" in html and "七星关区市场监督管理局2026年度行政执法统计年报" in html
    assert "统计年报" in client.get("/gs/").content.decode()  # in the portal's navigation
    html = client.get(f"/gs/reports/{published.pk}/").content.decode()
    assert 'data-testid="fig-all">2<' in html and 'data-testid="fig-fines">¥7,000.00<' in html
    assert 'id="rc-month"' in html and "echarts.min.js" in html and 'id="report-chart"' in html
    assert 'data-testid="fig-timeliness">50.0%<' in html  # one published on time, one still missing
    assert client.get("/gs/reports/?year=2025").content.decode().count("report-item") == 0


def test_unpublished_report_is_nowhere_public(cw, client):
    decided_case(cw)
    rep = reports.do_generate_annual_report(cw["smj"], 2026, acting_user=cw["head"])
    assert client.get(f"/gs/reports/{rep.pk}/").status_code == 404
    assert client.get(f"/gs/reports/{rep.pk}/report.xlsx").status_code == 404
    assert client.get(f"/api/v1/public/reports/{rep.pk}").status_code == 404
    assert client.get("/api/v1/public/reports").json() == []
    assert f"/gs/reports/{rep.pk}/" not in client.get("/gs/reports/").content.decode()


def test_xlsx_download_holds_the_figures(cw, published, client):
    resp = client.get(f"/gs/reports/{published.pk}/report.xlsx")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX_CONTENT_TYPE
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames[:3] == ["总体情况", "按案件类别", "按执法领域"]
    rows = [[c.value for c in r] for r in wb["总体情况"].iter_rows()]
    assert ["案件", "案件总数", 2] in rows and ["金额", "罚款金额（元）", 7000] in rows
    assert ["处罚种类", "警告", 1] in rows and ["公示", "按时公示", 1] in rows
    months = [[c.value for c in r] for r in wb["按月份"].iter_rows()]
    assert len(months) == 13 and months[3][:2] == ["3月", 2]


@pytest.mark.slow
def test_pdf_download_is_a_pdf(cw, published, client):
    resp = client.get(f"/gs/reports/{published.pk}/report.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    # Cached per version: the second download is the same file.
    assert client.get(f"/gs/reports/{published.pk}/report.pdf").content == resp.content


@pytest.mark.slow
def test_supervisor_stats_pdf_exports(cw, published, client):
    client.force_login(cw["sup_city"])
    for url in ("/supervision/stats/query.pdf?year=2026&dims=kind", "/supervision/stats/report.pdf?year=2026"):
        resp = client.get(url)
        assert resp.status_code == 200 and resp.content.startswith(b"%PDF"), url


def test_public_api(cw, published, client):
    rows = client.get("/api/v1/public/reports").json()
    assert [r["id"] for r in rows] == [published.pk] and rows[0]["xlsx"].endswith("report.xlsx")
    one = client.get(f"/api/v1/public/reports/{published.pk}").json()
    assert one["figures"]["summary"]["all"] == 2 and one["figures"]["summary"]["fines"] == "7000.00"


def test_staff_page_generates_and_publishes(cw, client):
    decided_case(cw)
    client.force_login(cw["head"])
    r = client.post("/disclosure/reports/", {"action": "generate", "entity": cw["smj"].pk, "year": "2026"})
    assert r.status_code == 302
    rep = AnnualReport.objects.get(entity=cw["smj"], year=2026)
    html = client.get("/disclosure/reports/").content.decode()
    assert f'data-testid="publish-{rep.pk}"' in html
    assert client.get(f"/disclosure/reports/{rep.pk}/").status_code == 200
    client.post("/disclosure/reports/", {"action": "publish", "report": rep.pk})
    rep.refresh_from_db()
    assert rep.published_on is not None
    # A refused action is shown on the page, with the field named.
    html = client.post("/disclosure/reports/", {"action": "generate", "entity": cw["smj"].pk, "year": "1990"}
                       ).content.decode()
    assert "年度应为2000年" in html
    # The supervisor of another county sees nothing of it.
    from tests import factories
    from zhifa.common.roles import Role

    other = factories.user(Role.SUPERVISOR, factories.entity(cw["regions"]["county2"], "大方县司法局", justice=True,
                                                             short_code="大司"), None, "supdf")
    client.force_login(other)
    assert client.get(f"/disclosure/reports/{rep.pk}/").status_code == 404
    assert f"/disclosure/reports/{rep.pk}/" not in client.get("/disclosure/reports/").content.decode()
