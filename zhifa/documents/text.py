"""Chinese renderings used in documents: dates (二〇二六年十一月二十二日), amounts in capitals
(伍仟元整) and numerals (第十二条)."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "〇一二三四五六七八九"
CAPITALS = "零壹贰叁肆伍陆柒捌玖"


def _as_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def cn_small_number(n: int) -> str:
    """1–99 the way dates and articles read: 十, 十一, 二十二, 三十一."""
    if not 0 <= n < 100:
        raise ValueError(n)
    if n < 10:
        return "〇" if n == 0 else DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def cn_date(value) -> str:
    """2026-11-22 → 二〇二六年十一月二十二日 (empty for no date)."""
    d = _as_date(value)
    if d is None:
        return ""
    year = "".join(DIGITS[int(c)] for c in f"{d.year:04d}")
    return f"{year}年{cn_small_number(d.month)}月{cn_small_number(d.day)}日"


def num_date(value) -> str:
    """2026-04-02 → 2026年4月2日 (for forms, where the statute-style date is too long)."""
    d = _as_date(value)
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None


def money(value) -> str:
    """5000 → 5,000.00"""
    d = _decimal(value)
    return "" if d is None else f"{d:,.2f}"


def _four(n: int) -> str:
    """0 < n < 10000 in capitals, with inner zeros (1005 → 壹仟零伍)."""
    out, zero = "", False
    for i, unit in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
        digit = n // 10 ** i % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += CAPITALS[digit] + unit
    return out


def rmb_upper(value) -> str:
    """Amount in capitals as on a Chinese financial document: 5000 → 伍仟元整,
    10020.5 → 壹万零贰拾元伍角, 0.08 → 捌分."""
    d = _decimal(value)
    if d is None:
        return ""
    if d < 0:
        return "负" + rmb_upper(-d)
    fen_total = int(d * 100)
    yuan, fen_part = divmod(fen_total, 100)
    jiao, fen = divmod(fen_part, 10)
    groups = []
    n = yuan
    while n:
        n, g = divmod(n, 10000)
        groups.append(g)
    text, pending_zero = "", False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        unit = ("", "万", "亿", "万亿")[idx]
        if g == 0:
            pending_zero = bool(text)
            continue
        if text and (pending_zero or g < 1000):
            text += "零"
        text += _four(g) + unit
        pending_zero = False
    if text:
        text += "元"
    if jiao == 0 and fen == 0:
        return (text or "零元") + "整"
    if jiao:
        text += CAPITALS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += CAPITALS[fen] + "分"
    else:
        text += "整"
    return text


def rmb_phrase(value) -> str:
    """人民币伍仟元整（¥5,000.00）"""
    return f"人民币{rmb_upper(value)}（¥{money(value)}）" if _decimal(value) is not None else ""
