"""Downloads of statistics: .xlsx (openpyxl) and PDF.

PDF: WeasyPrint is not installed, LibreOffice is (the documents app already converts .docx to PDF
with it, with per-call profiles and a timeout). So a report becomes a .docx built with
python-docx (already a dependency through docxtpl) — tables in Noto CJK fonts, landscape — and
goes through zhifa.documents.render.convert_pdf: one converter, one set of fonts, no new
dependency. Charts are on the web page only; the PDF and the workbook carry the figures.
A published report's PDF is cached on disk per report version (it never changes).
"""
from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from django.conf import settings
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zhifa.common import exports
from zhifa.documents.render import convert_pdf
from zhifa.supervision import stats

BASIS_NOTE = "案件按立案日期（未立案的按登记日期）归入统计期间；“在办”“期限超期”为查询时的状态。"

FONT = "Noto Sans CJK SC"


def _num(v, money=False):
    if money:
        return float(Decimal(str(v or 0)))
    return v


# ---- figures (a stored or live report) → rows -------------------------------------------------

def summary_rows(fig) -> list[tuple[str, str, object]]:
    """(section, label, value) of every summary figure, sections in order."""
    labels, groups, money = fig["labels"], fig["groups"], set(fig["money"])
    out = []
    for section in fig["sections"]:
        for k, v in fig["summary"].items():
            if groups.get(k) == section:
                out.append((section, labels[k], _num(v, k in money)))
    return out


def table_rows(fig, name) -> tuple[list[str], list[list]]:
    keys, money = fig["table_keys"], set(fig["money"])
    header = [""] + [fig["labels"][k] for k in keys]
    rows = [[r["label"]] + [_num(r[k], k in money) for k in keys] for r in fig["tables"].get(name, [])]
    return header, rows


def entity_rows(fig):
    keys, money = fig["table_keys"], set(fig["money"])
    header = ["执法主体"] + [fig["labels"][k] for k in keys]
    return header, [[r["label"]] + [_num(r[k], k in money) for k in keys] for r in fig.get("entities", [])]


def sections(fig):
    """[(title, header, rows)] of every table of a report, in order."""
    out = [("总体情况", ["类别", "项目", "数值"], [list(r) for r in summary_rows(fig)])]
    for name, title in fig["table_titles"]:
        header, rows = table_rows(fig, name)
        header[0] = title.replace("按", "")
        out.append((title, header, rows))
    if fig.get("entities"):
        header, rows = entity_rows(fig)
        out.append(("按执法主体", header, rows))
    return out


# ---- xlsx -------------------------------------------------------------------------------------

def _sheet(wb, title, header, rows, notes=()):
    ws = wb.create_sheet(title[:31])
    for line in notes:
        ws.append([exports.cell(line)])
    ws.append(exports.row(header))
    hdr = ws.max_row
    for c in ws[hdr]:
        c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in rows:
        ws.append(exports.row(r))  # entity and region names are user data: no live formulas
    for i, _ in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 28 if i == 1 else 14
    ws.freeze_panes = ws.cell(row=hdr + 1, column=2)
    return ws


def report_xlsx(fig, title: str) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    period = fig.get("period") or [None, None]
    notes = [title, f"统计期间：{period[0] or '—'} 至 {period[1] or '—'}；生成日期：{fig.get('generated_on', '')}",
             fig.get("basis", "")]
    for i, (name, header, rows) in enumerate(sections(fig)):
        _sheet(wb, name, header, rows, notes if i == 0 else ())
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def query_xlsx(result: stats.Result, title: str) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    header, rows, total = result.table()
    money = {m.label for m in result.metrics if m.money}
    conv = [h in money for h in header]
    fix = [[_num(v, conv[i]) if i >= len(result.dims) else v for i, v in enumerate(r)] for r in rows + [total]]
    _sheet(wb, "查询结果", header, fix, [title, describe(result.spec), BASIS_NOTE])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def describe(spec: stats.Spec) -> str:
    parts = [f"统计期间：{spec.period_label}"]
    if spec.region is not None:
        parts.append(f"区划：{spec.region.name}")
    if spec.entity is not None:
        parts.append(f"执法主体：{spec.entity.name}")
    if spec.kind:
        parts.append(f"案件类别：{stats.Kind(spec.kind).label}")
    if spec.category:
        parts.append(f"执法领域：{spec.category}")
    if spec.outcome:
        parts.append(f"办理结果：{stats.OUTCOME_LABELS[spec.outcome]}")
    if spec.dims:
        parts.append("分组：" + "、".join(stats.DIMENSIONS[d] for d in spec.dims))
    return "；".join(parts)


# ---- docx → PDF -------------------------------------------------------------------------------

def _doc():
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for m in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, m, Cm(1.5))
    for style in ("Normal", "Title", "Heading 1", "Heading 2"):
        st = doc.styles[style]
        st.font.name = FONT
        rpr = st.element.get_or_add_rPr()
        rfonts = rpr.get_or_add_rFonts()
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            rfonts.set(qn(f"w:{attr}"), FONT)
    doc.styles["Normal"].font.size = Pt(9)
    return doc


def _table(doc, header, rows):
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for i, h in enumerate(header):
        cell = t.rows[0].cells[i]
        cell.text = str(h)
        for p in cell.paragraphs:
            for r in p.runs:
                r.font.bold, r.font.size = True, Pt(8)
    for row in rows:
        cells = t.add_row().cells
        for i, v in enumerate(row):
            cells[i].text = f"{v:,.2f}" if isinstance(v, float) else str(v)
            for p in cells[i].paragraphs:
                for r in p.runs:
                    r.font.size = Pt(8)


def report_docx(fig, title: str) -> bytes:
    doc = _doc()
    doc.add_heading(title, level=1)
    period = fig.get("period") or [None, None]
    doc.add_paragraph(f"统计期间：{period[0] or '—'} 至 {period[1] or '—'}    生成日期：{fig.get('generated_on', '')}")
    doc.add_paragraph(fig.get("basis", ""))
    for name, header, rows in sections(fig):
        doc.add_heading(name, level=2)
        if name == "总体情况":  # three items per line keeps the summary on one page
            flat = [(f"{sec}·{label}", f"{v:,.2f}" if isinstance(v, float) else v) for sec, label, v in
                    (tuple(r) for r in rows)]
            packed = [sum(([a, b] for a, b in flat[i:i + 3]), []) for i in range(0, len(flat), 3)]
            packed = [r + [""] * (6 - len(r)) for r in packed]
            _table(doc, ["项目", "数值"] * 3, packed)
        else:
            _table(doc, header, rows)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def query_docx(result: stats.Result, title: str) -> bytes:
    doc = _doc()
    doc.add_heading(title, level=1)
    doc.add_paragraph(describe(result.spec))
    header, rows, total = result.table()
    money = {m.label for m in result.metrics if m.money}
    conv = [h in money for h in header]
    fix = [[_num(v, conv[i]) if i >= len(result.dims) else v for i, v in enumerate(r)] for r in rows + [total]]
    _table(doc, header, fix)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def to_pdf(docx_bytes: bytes) -> bytes:
    """Raises zhifa.documents.render.PdfUnavailable with a Chinese reason."""
    return convert_pdf(docx_bytes)


def cached_report_pdf(report) -> bytes:
    """A stored report's PDF, made once per version and kept under DATA_DIR/reports/."""
    folder = settings.DATA_DIR / "reports"
    path = folder / f"annual-{report.pk}-v{report.version}-{report.generated_at:%Y%m%d%H%M%S%f}.pdf"
    if path.exists():
        return path.read_bytes()
    data = to_pdf(report_docx(report.figures, str(report)))
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data
