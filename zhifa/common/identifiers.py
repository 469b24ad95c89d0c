"""Check-digit rules for Chinese identifiers (domain.md §4).

Each `check_*` returns None when valid or a Chinese reason; `validate_*` are Django
validators raising ValidationError. Forms, imports and the API all use these.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# GB 32100: 统一社会信用代码 alphabet (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 3^(i-1) mod 31 for positions 1..17
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
# GB/T 2260 province-level prefixes (incl. 71 台湾, 81 香港, 82 澳门).
PROVINCE_PREFIXES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}
_REGION_RE = re.compile(r"^\d{6}$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Landline: optional area code 0xx/0xxx, 7-8 digit number, optional extension; 400/800 numbers; 12345.
_LANDLINE_RE = re.compile(r"^(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?$")
_SERVICE_RE = re.compile(r"^(400|800)-?\d{3}-?\d{4}$|^12\d{3}$")


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str | None:
    value = (value or "").strip().upper()
    if len(value) != 18:
        return _("统一社会信用代码应为18位")
    bad = [c for c in value if c not in USCC_ALPHABET]
    if bad:
        return _("统一社会信用代码含有非法字符“%(c)s”") % {"c": bad[0]}
    if not _REGION_RE.match(value[2:8]) or value[2:4] not in PROVINCE_PREFIXES:
        return _("统一社会信用代码第3-8位不是有效的行政区划代码")
    if uscc_check_char(value[:17]) != value[17]:
        return _("统一社会信用代码校验位错误")
    return None


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def check_id_number(value: str, *, today: dt.date | None = None) -> str | None:
    value = (value or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return _("身份证号应为18位，前17位为数字，末位为数字或X")
    if value[:2] not in PROVINCE_PREFIXES:
        return _("身份证号前6位不是有效的行政区划代码")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("身份证号中的出生日期无效")
    if born.year < 1900 or born > (today or timezone.localdate()):
        return _("身份证号中的出生日期无效")
    if id_check_char(value[:17]) != value[17]:
        return _("身份证号校验位错误")
    return None


def id_number_birth_date(value: str) -> dt.date:
    return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def id_number_gender(value: str) -> str:
    return "M" if int(value[16]) % 2 else "F"


def check_region_code(value: str) -> str | None:
    value = (value or "").strip()
    if not (_REGION_RE.match(value) or re.match(r"^\d{9}$", value)):
        return _("行政区划代码应为6位（县级以上）或9位（乡镇）数字")
    if value[:2] not in PROVINCE_PREFIXES:
        return _("行政区划代码的省级部分无效")
    return None


def check_phone(value: str) -> str | None:
    value = (value or "").strip().replace(" ", "")
    if _MOBILE_RE.match(value) or _LANDLINE_RE.match(value) or _SERVICE_RE.match(value):
        return None
    return _("电话号码格式无效（手机号11位，座机如0857-8221234）")


def _validator(check: Callable[[str], str | None]) -> Callable[[str], None]:
    def validate(value: str) -> None:
        reason = check(value)
        if reason:
            raise ValidationError(reason, code="invalid")

    validate.__name__ = validate.__qualname__ = "validate_" + check.__name__.removeprefix("check_")
    return validate


validate_credit_code = _validator(check_credit_code)
validate_id_number = _validator(check_id_number)
validate_region_code = _validator(check_region_code)
validate_phone = _validator(check_phone)


def make_credit_code(region_code: str, org_code8: str, *, authority: str = "1", kind: str = "1") -> str:
    """A valid 统一社会信用代码 (for demo data and tests): authority, kind, region, 9-char org code, check."""
    body = f"{authority}{kind}{region_code[:6]}{org_code8[:8]}"
    # The organisation code (GB 11714) carries its own check char; any alphabet char is accepted here.
    body += USCC_ALPHABET[sum(USCC_ALPHABET.index(c) for c in body) % 10]
    return body + uscc_check_char(body)


def make_id_number(region_code: str, born: dt.date, seq: int, gender: str = "M") -> str:
    """A valid 居民身份证号: region, birth date, sequence (odd = male), check digit."""
    seq = seq % 500 * 2 + (1 if gender == "M" else 0)
    body = f"{region_code[:6]}{born:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)
