"""Excel (.xlsx) helpers shared by the imports and exports of every app.

Reading: `read_table` opens an upload in openpyxl's read-only mode, maps the header row to
`Column`s (Chinese headers, a few aliases) and yields plain rows keyed by `Column.key`; every
file-level problem (not an xlsx, missing columns, empty, too many rows) lands in the
`ImportReport` instead of raising. Cell parsers (`text`, `parse_date`, `parse_bool`,
`parse_choice`) return `(value, reason)` so importers can collect every problem of a row.

Writing: `write_xlsx` builds a write-only workbook (bold frozen header, column widths) from any
row iterable and returns a streaming `FileResponse`; `workbook_bytes` gives the same in memory.
"""
from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.http import FileResponse

from zhifa.common import exports

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Limits of an import (settings ZHIFA_IMPORT_*; docs/deploy.md). An .xlsx is a zip: a 205 KB file can
# unpack to one 200 MB cell, so the unpacked size is capped before openpyxl reads a byte of XML.
MAX_ROWS = int(getattr(settings, "ZHIFA_IMPORT_MAX_ROWS", 20_000))
MAX_UPLOAD_BYTES = int(getattr(settings, "ZHIFA_IMPORT_MAX_BYTES", 10 * 1024 * 1024))
MAX_UNPACKED_BYTES = int(getattr(settings, "ZHIFA_IMPORT_MAX_UNPACKED_BYTES", 64 * 1024 * 1024))
MAX_CELL_CHARS = int(getattr(settings, "ZHIFA_IMPORT_MAX_CELL_CHARS", 2000))
QUOTE_CHARS = 30  # an error message quotes at most this much of a bad value
FILE_ROW = 0  # RowError.row for problems of the whole file (not one row)

TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", ""}


@dataclass
class RowError:
    row: int        # row number as Excel shows it (header = 1); 0 = the whole file
    column: str     # Chinese column header ("" when not about one column)
    message: str    # Chinese reason


@dataclass
class ImportReport:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0   # data rows read (blank rows skipped)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message: str):
        self.errors.append(RowError(row, column, message))


@dataclass(frozen=True)
class Column:
    header: str                      # Chinese header, as exported
    key: str                         # key of the row dicts read / written
    width: int = 12                  # Excel column width (characters)
    required: bool = True            # the header must be present in an upload
    aliases: tuple[str, ...] = ()    # other accepted headers
    help: str = ""                   # shown on the import page


class FileProblem(Exception):
    """The upload cannot be read as a table at all."""


# ---- reading -------------------------------------------------------------------------------

def quote(value, limit: int = QUOTE_CHARS) -> str:
    """A bad value as an error message shows it: at most `limit` characters, then how long it was."""
    s = "" if value is None else str(value)
    return s if len(s) <= limit else f"{s[:limit]}…（共 {len(s)} 字）"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _check_unpacked(file_obj):
    """Refuse a zip whose members would unpack beyond MAX_UNPACKED_BYTES (a zip bomb of text). The sizes
    are the zip's own declarations; zipfile never reads past a declared size, so a lie cannot get more."""
    try:
        with zipfile.ZipFile(file_obj) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise FileProblem("文件不是有效的 Excel（.xlsx）文件，或文件已损坏") from e
    finally:
        file_obj.seek(0)
    if total > MAX_UNPACKED_BYTES:
        raise FileProblem(f"文件解压后内容过大（{_mb(total)}，上限 {_mb(MAX_UNPACKED_BYTES)}），"
                          "可能含有超长的单元格，请检查后重新导入")


def _norm_header(value) -> str:
    s = "" if value is None else str(value)
    return re.sub(r"[\s*＊]", "", s)


def _open(file_obj):
    import openpyxl

    size = getattr(file_obj, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise FileProblem(f"文件过大（{_mb(size)}，上限 {_mb(MAX_UPLOAD_BYTES)}），请拆分后分批导入")
    try:
        if hasattr(file_obj, "seek"):
            file_obj.seek(0)
        head = file_obj.read(4)
        file_obj.seek(0)
    except Exception as e:
        raise FileProblem("无法读取上传的文件") from e
    if not head:
        raise FileProblem("文件是空的")
    if head[:4] == b"\xd0\xcf\x11\xe0":
        raise FileProblem("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 格式后再导入")
    if head[:2] != b"PK":
        raise FileProblem("文件不是有效的 Excel（.xlsx）文件，请使用本页提供的模板")
    _check_unpacked(file_obj)
    try:
        return openpyxl.load_workbook(file_obj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as e:
        raise FileProblem("文件不是有效的 Excel（.xlsx）文件，或文件已损坏") from e
    except Exception as e:
        raise FileProblem("文件不是有效的 Excel（.xlsx）文件，或文件已损坏") from e


def read_table(file_obj, columns: Sequence[Column], report: ImportReport, *,
               max_rows: int = MAX_ROWS) -> list[tuple[int, dict]] | None:
    """[(excel row number, {key: raw cell value})] of the first sheet, or None after
    recording why the file is unusable in `report`. Entirely blank rows are skipped."""
    try:
        wb = _open(file_obj)
    except FileProblem as e:
        report.add(FILE_ROW, "", str(e))
        return None
    try:
        return _read_sheet(wb, columns, report, max_rows)
    except FileProblem as e:
        report.add(FILE_ROW, "", str(e))
        return None
    except Exception:  # noqa: BLE001 - broken XML inside a zip that opened
        report.add(FILE_ROW, "", "文件内容无法解析，请确认是 Excel（.xlsx）文件")
        return None
    finally:
        wb.close()


def _read_sheet(wb, columns, report, max_rows):
    if not wb.worksheets:
        raise FileProblem("文件中没有工作表")
    ws = wb.worksheets[0]
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # some writers store a wrong dimension; read every row
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or all(v is None or str(v).strip() == "" for v in header):
        raise FileProblem("文件是空的：第1行应为表头（列名），请使用本页提供的模板")
    names = {}
    for col in columns:
        for alias in (col.header, *col.aliases):
            names.setdefault(_norm_header(alias), col)
    index: dict[str, int] = {}
    for i, value in enumerate(header):
        col = names.get(_norm_header(value))
        if col is not None and col.key not in index:
            index[col.key] = i
    missing = [c.header for c in columns if c.required and c.key not in index]
    if missing:
        for h in missing:
            report.add(1, h, "缺少此列（表头须与模板一致）")
        return None
    out = []
    headers = {i: next(c.header for c in columns if c.key == k) for k, i in index.items()}
    for n, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(out) >= max_rows:
            raise FileProblem(f"数据超过 {max_rows} 行，请拆分为多个文件分批导入")
        long = [(i, v) for i, v in enumerate(values) if isinstance(v, str) and len(v) > MAX_CELL_CHARS]
        for i, v in long:
            report.add(n, headers.get(i, f"第{i + 1}列"),
                       f"内容超过 {MAX_CELL_CHARS} 字：“{quote(v)}”，请检查是否粘贴了多余的内容")
        if long:
            continue
        width = len(values)
        out.append((n, {k: values[i] if i < width else None for k, i in index.items()}))
    if not out:
        if report.errors:  # every row was refused above: that is the message, not "no rows"
            return None
        raise FileProblem("文件中没有数据行（第2行起为数据）")
    report.rows = len(out)
    return out


# ---- cell parsers: (value, reason or None) ---------------------------------------------------

def text(value, *, max_length: int | None = None, label: str = "") -> tuple[str, str | None]:
    """Cell → stripped string; integral numbers lose their '.0' (phone typed as a number)."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        s = "是" if value else "否"
    elif isinstance(value, float) and value.is_integer():
        s = str(int(value))
    elif isinstance(value, dt.datetime):
        s = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, dt.date):
        s = value.isoformat()
    else:
        s = str(value).strip()
    if max_length is not None and len(s) > max_length:
        return s, f"{label or '内容'}不能超过 {max_length} 个字"
    return s, None


class RowReader:
    """Reads the cells of one import row, each problem appended to `problems` as (header, reason)."""

    def __init__(self, raw: dict, problems: list[tuple[str, str]], headers: dict, max_lengths: dict):
        self.raw, self.problems, self.headers, self.max_lengths = raw, problems, headers, max_lengths

    def txt(self, key, required=False):
        """`text` of the cell; a required empty cell is a problem ("必填")."""
        value, reason = text(self.raw.get(key), max_length=self.max_lengths.get(key), label=self.headers[key])
        if reason:
            self.problems.append((self.headers[key], reason))
        elif required and not value:
            self.problems.append((self.headers[key], "必填"))
        return value

    def pick(self, key, parse, *args, **kw):
        """`parse(cell, *args, **kw)`, its reason (if any) a problem."""
        value, reason = parse(self.raw.get(key), *args, **kw)
        if reason:
            self.problems.append((self.headers[key], reason))
        return value


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value) -> tuple[dt.date | None, str | None]:
    """Real Excel dates, 'YYYY-MM-DD' (also / . 年月日) strings, or date serial numbers."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serial (1900 system), e.g. a date cell formatted as number
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(value).date(), None
            except (ValueError, OverflowError):
                pass
        return None, "日期格式无效，应为日期或“YYYY-MM-DD”"
    m = _DATE_RE.match(str(value).strip())
    if not m:
        return None, "日期格式无效，应为日期或“YYYY-MM-DD”"
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])), None
    except ValueError:
        return None, "日期不存在（请检查年月日）"


def parse_bool(value) -> tuple[bool, str | None]:
    if value is None or isinstance(value, bool):
        return bool(value), None
    s, _ = text(value)
    s = s.lower()
    if s in TRUE_WORDS:
        return True, None
    if s in FALSE_WORDS:
        return False, None
    return False, "应填“是”或“否”"


def parse_choice(value, choices, *, default=None) -> tuple[str | None, str | None]:
    """Chinese label (or the stored value) of a TextChoices → stored value."""
    s, _ = text(value)
    if not s:
        return default, None
    for v, label in choices:
        if s == str(label) or s == v:
            return v, None
    return None, "应为：" + "、".join(str(label) for v, label in choices if v != "")


def label_map(choices) -> dict:
    return {v: str(label) for v, label in choices}


# ---- writing -------------------------------------------------------------------------------

def _write(target, columns: Sequence[Column], rows: Iterable[Sequence], sheet_title: str,
           notes: Sequence[Sequence] = ()):
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31] or "Sheet1")
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    centre = Alignment(horizontal="center", vertical="center")
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font, cell.fill, cell.alignment = bold, fill, centre
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append(exports.row(row))  # formula-leading text neutralised (zhifa/common/exports.py)
    if notes:
        ns = wb.create_sheet("填写说明")
        ns.column_dimensions["A"].width, ns.column_dimensions["B"].width = 24, 80
        for note in notes:
            ns.append(list(note))
    wb.save(target)


def workbook_bytes(columns: Sequence[Column], rows: Iterable[Sequence], sheet_title="Sheet1",
                   notes: Sequence[Sequence] = ()) -> bytes:
    """A whole .xlsx in memory (templates, tests, the benchmark's generated files)."""
    import io

    buf = io.BytesIO()
    _write(buf, columns, rows, sheet_title, notes)
    return buf.getvalue()


def template_notes(columns: Sequence[Column], extra: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Rows of the “填写说明” sheet: one per column, then general remarks."""
    notes = [("列名", "填写要求")]
    notes += [(c.header, c.help or ("必须有此列" if c.required else "可选列")) for c in columns]
    notes += [("", "")] + [("说明", line) for line in extra]
    return notes


def write_xlsx(columns: Sequence[Column], rows: Iterable[Sequence], *, filename: str,
               sheet_title="Sheet1") -> FileResponse:
    """Streaming download: rows are written to a temporary file, then sent in chunks."""
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse streams it and closes it when sent
    _write(tmp, columns, rows, sheet_title)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def batched(iterable: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
