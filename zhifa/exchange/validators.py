"""A validator for every code the exchange writes; `validate(table, record)` returns the reasons a
record is refused (empty: it may be sent). A refused record stays on the platform, in the batch's
rejected list with its reason; it is never sent."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from zhifa.common.identifiers import check_credit_code, check_id_number, check_region_code
from zhifa.exchange.choices import INSPECTION_RESULT, PENALTY_CODES, Operation, Table

_CATALOGUE_RE = re.compile(r"^\d{14}$")
_IMPL_TAIL_RE = re.compile(r"^\d{14}\d{2}$")
_BATCH_RE = re.compile(r"^\d{6}\d{8}\d{3}$")
# 执法证号: the issuing region's 6-digit code, then 2–14 digits or capitals (year, sequence …), as the
# provinces number them (贵州: 520502 + 26 + 000123).
_CERT_RE = re.compile(r"^\d{6}[0-9A-Z]{2,14}$")
_POWER_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_.]{0,39}$")


def check_catalogue_code(value: str) -> str | None:
    """监管事项目录编码: 14 digits."""
    if not _CATALOGUE_RE.match(value or ""):
        return "监管事项目录编码应为14位数字"
    return None


def check_implementation_code(value: str, credit_code: str = "") -> str | None:
    """检查实施清单编码: the body's 统一社会信用代码 (18) + 监管事项目录编码 (14) + a 2-digit sequence."""
    value = value or ""
    if len(value) != 34:
        return "检查实施清单编码应为34位（统一社会信用代码18位＋监管事项目录编码14位＋序号2位）"
    if (reason := check_credit_code(value[:18])) is not None:
        return f"检查实施清单编码前18位：{reason}"
    if credit_code and value[:18] != credit_code:
        return "检查实施清单编码前18位应为实施主体的统一社会信用代码"
    if not _IMPL_TAIL_RE.match(value[18:]):
        return "检查实施清单编码第19-34位应为监管事项目录编码及2位序号"
    return None


def check_certificate_number(value: str) -> str | None:
    """执法证号: 8–20 characters, the issuing region's 行政区划代码 first, then digits or capital letters."""
    value = value or ""
    if not _CERT_RE.match(value):
        return "执法证号应为8-20位：前6位为发证地行政区划代码，其后为数字或大写字母"
    if (reason := check_region_code(value[:6])) is not None:
        return f"执法证号前6位：{reason}"
    return None


def check_power_code(value: str) -> str | None:
    """事项编码 of a power item: 1–40 letters, digits, '-', '_' or '.'."""
    if not _POWER_CODE_RE.match(value or ""):
        return "事项编码应为1-40位字母、数字或“-_.”"
    return None


def check_party_code(value: str, category: str, today: dt.date | None = None) -> str | None:
    """行政相对人编码: the 统一社会信用代码 of an organisation, the 身份证号 of a person."""
    if category == "1":
        return check_credit_code(value)
    if category == "2":
        return check_id_number(value, today=today)
    return "行政相对人类别应为1（法人及非法人组织）或2（自然人）"


def check_region6(value: str) -> str | None:
    if len(value or "") != 6:
        return "行政区划代码应为6位"
    return check_region_code(value)


def _date(value: str) -> str | None:
    try:
        dt.date.fromisoformat(value or "")
    except ValueError:
        return "日期应为YYYY-MM-DD"
    return None


def _datetime(value: str) -> str | None:
    try:
        dt.datetime.strptime(value or "", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return "时间应为YYYY-MM-DD HH:MM:SS"
    return None


def _money(value: str) -> str | None:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError):
        return "金额应为数字（元，两位小数）"
    if amount < 0 or amount.as_tuple().exponent != -2:
        return "金额应为非负数，保留两位小数"
    return None


def _text(limit: int) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if not (value or "").strip():
            return "不能为空"
        if len(value) > limit:
            return f"不能超过{limit}个字符"
        return None
    return check


def _one_of(allowed: set[str], what: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in allowed else f"{what}应为{'、'.join(sorted(allowed))}之一"
    return check


def _optional(check: Callable[[str], str | None]) -> Callable[[str], str | None]:
    def optional(value: str) -> str | None:
        return None if not (value or "").strip() else check(value)
    return optional


def _whole(lo: int, hi: int) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if not (value or "").isdigit() or not lo <= int(value) <= hi:
            return f"应为{lo}-{hi}之间的整数"
        return None
    return check


def _penalty_codes(value: str) -> str | None:
    codes = set(PENALTY_CODES.values())
    parts = (value or "").split(",")
    if not value or any(p not in codes for p in parts):
        return "处罚类别应为处罚类别代码（以逗号分隔）"
    return None


ENVELOPE: dict[str, Callable[[str], str | None]] = {
    "cd_id": _text(64), "cd_time": _datetime,
    "cd_source": check_region6, "cd_batch": lambda v: None if _BATCH_RE.match(v or "") else "批次号应为17位数字",
    "cd_operation": _one_of({o.value for o in Operation}, "操作标识"),
}

# field → (label, check); checks that need another field of the record are in `_cross`.
SCHEMAS: dict[str, dict[str, tuple[str, Callable[[str], str | None]]]] = {
    Table.JGXW_XZJC: {
        "JGSXBM": ("监管事项目录编码", check_catalogue_code),
        "JCSSQDBM": ("检查实施清单编码", lambda v: check_implementation_code(v)),
        "JGXWBM": ("监管行为编码", _text(64)),
        "SSJGMC": ("实施机构名称", _text(120)),
        "SSJGBM": ("实施机构统一社会信用代码", check_credit_code),
        "XZQHDM": ("行政区划代码", check_region6),
        "XDRLB": ("行政相对人类别", _one_of({"1", "2"}, "行政相对人类别")),
        "XDRMC": ("行政相对人名称", _text(200)),
        "XDRBM": ("行政相对人编码", _text(18)),
        "JCRQ": ("检查日期", _date),
        "JCJG": ("检查结果", _one_of({code for code, _ in INSPECTION_RESULT.values()}, "检查结果")),
        "JCJGMS": ("检查结果描述", _text(2000)),
    },
    Table.JGXW_XZCF: {
        "JGSXBM": ("监管事项目录编码", check_catalogue_code),
        "JCSSQDBM": ("检查实施清单编码", lambda v: check_implementation_code(v)),
        "JGXWBM": ("监管行为编码", _text(64)),
        "SSJGMC": ("实施机构名称", _text(120)),
        "SSJGBM": ("实施机构统一社会信用代码", check_credit_code),
        "XZQHDM": ("行政区划代码", check_region6),
        "XDRLB": ("行政相对人类别", _one_of({"1", "2"}, "行政相对人类别")),
        "XDRMC": ("行政相对人名称", _text(200)),
        "XDRBM": ("行政相对人编码", _text(18)),
        "CFJDSWH": ("处罚决定书文号", _text(60)),
        "CFLB": ("处罚类别", _penalty_codes),
        "CFJDRQ": ("处罚决定日期", _date),
        "FKJE": ("罚款金额（元）", _money),
        "MSJE": ("没收违法所得、没收非法财物的金额（元）", _money),
    },
    Table.SGS_XZCF: {
        "XDR_MC": ("行政相对人名称", _text(200)),
        "XDR_LB": ("行政相对人类别", _one_of({"1", "2"}, "行政相对人类别")),
        "XDR_BM": ("行政相对人代码", _text(18)),
        "CF_WSH": ("行政处罚决定书文号", _text(60)),
        "CF_CFLB": ("处罚类别", _penalty_codes),
        "CF_NR": ("处罚内容", _text(4000)),
        "CF_JDRQ": ("处罚决定日期", _date),
        "CF_GSJZQ": ("公示截止期", _date),
        "CF_JG": ("处罚机关", _text(120)),
        "CF_JGDM": ("处罚机关统一社会信用代码", check_credit_code),
        "XZQHDM": ("行政区划代码", check_region6),
    },
}


def _cross(table: str, record: dict, today: dt.date | None) -> list[str]:
    out = []
    code = record.get("JCSSQDBM") or ""
    if code and check_implementation_code(code) is None:
        if code[:18] != record.get("SSJGBM"):
            out.append("检查实施清单编码（JCSSQDBM）：前18位应为实施机构的统一社会信用代码")
        if code[18:32] != record.get("JGSXBM"):
            out.append("检查实施清单编码（JCSSQDBM）：第19-32位应为监管事项目录编码")
    for code_field, kind_field in (("XDRBM", "XDRLB"), ("XDR_BM", "XDR_LB")):
        if code_field in record:
            reason = check_party_code(record[code_field], record.get(kind_field, ""), today)
            if reason:
                out.append(f"行政相对人编码（{code_field}）：{reason}")
    return out


def validate(table: str, record: dict, *, today: dt.date | None = None) -> list[str]:
    """Every reason `record` (envelope + data fields) may not be sent; [] when it passes."""
    from zhifa.exchange import provincial

    schema = SCHEMAS.get(table) or provincial.SCHEMAS.get(table)
    if schema is None:
        return [f"未知的交换表“{table}”"]
    reasons = []
    for name, check in ENVELOPE.items():
        if (reason := check(str(record.get(name, "")))) is not None:
            reasons.append(f"{name}：{reason}")
    delete = record.get("cd_operation") == Operation.DELETE
    for name, (label, check) in schema.items():
        value = record.get(name)
        if value is None and delete:
            continue  # a deletion names its record; the data fields are optional
        if (reason := check("" if value is None else str(value))) is not None:
            reasons.append(f"{label}（{name}）：{reason}")
    if not delete:
        reasons += _cross(table, record, today) + provincial.cross(table, record, today)
    return reasons
