"""In-memory .xlsx builders for the Excel tests."""
from __future__ import annotations

import datetime as dt
import io
import itertools

import openpyxl

from zhifa.common.identifiers import make_id_number
from zhifa.orgs.excel import OFFICER_HEADERS
from zhifa.powers.excel import POWER_ITEM_HEADERS

_seq = itertools.count(1)


def xlsx(headers, rows, name="upload.xlsx") -> io.BytesIO:
    """A file as a user would save it from Excel (normal workbook, cells as given)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append([r.get(h) for h in headers] if isinstance(r, dict) else list(r))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = name
    return buf


def officer_row(**over) -> dict:
    n = next(_seq)
    row = {
        "内设机构": "执法稽查大队", "姓名": f"导入{n}号",
        "身份证号": make_id_number("520502", dt.date(1970, 1, 1) + dt.timedelta(days=n), n),
        "性别": "男", "手机号": "13800138000", "职务": "科员", "状态": "在岗", "法律职业资格": "否",
        "法律职业资格证书编号": "", "是法制审核人员": "否", "执法证号": f"IMP{n:08d}", "执法领域": "市场监管",
        "发证机关": "贵州省人民政府", "发证日期": dt.date(2023, 1, 1), "有效期至": "2028-01-01", "证件状态": "有效",
    }
    row.update(over)
    return row


def officers_file(rows, headers=OFFICER_HEADERS, name="人员.xlsx"):
    return xlsx(headers, rows, name)


def power_row(**over) -> dict:
    n = next(_seq)
    row = {"事项编码": f"CF-{n:05d}", "事项名称": f"对违法行为{n}的处罚", "权力类别": "行政处罚",
           "依据法律法规": "中华人民共和国食品安全法", "条款": "第一百二十四条", "依据条文内容": "",
           "责任事项": "立案、调查、决定", "追责情形": "不依法履职的", "承办机构": "执法稽查大队"}
    row.update(over)
    return row


def power_file(rows, headers=POWER_ITEM_HEADERS, name="权责.xlsx"):
    return xlsx(headers, rows, name)


def read_xlsx(content: bytes):
    """(headers, [row dicts]) of the first sheet of a downloaded workbook."""
    ws = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    headers = list(rows[0])
    return headers, [dict(zip(headers, r)) for r in rows[1:]]


def download(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
