"""The administrators' text format for a year's holiday arrangement, one entry a line:

    2027-01-01 元旦 休
    2027-02-07 春节调休 班
    2027-02-15~2027-02-21 春节 休

`休` (also 放假) marks rest days, `班` (also 上班) make-up working days; the name may be
left out; `~`, `～` or `至` join a range; blank lines and lines starting with # are ignored.
Errors name the line (第3行：…).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from itertools import groupby
from typing import TYPE_CHECKING

from zhifa.common.actions import ActionRefused
from zhifa.legalcal.periods import DayList, weekday_cn

if TYPE_CHECKING:
    from zhifa.legalcal.models import CalendarDay

HOLIDAY_WORDS = {"休", "放假", "假", "holiday"}
WORKDAY_WORDS = {"班", "上班", "workday"}
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_LINE = re.compile(rf"^(?P<start>{_DATE})\s*(?:(?:~|～|至|－|—)\s*(?P<end>{_DATE}))?(?P<rest>.*)$")


class CalendarTextError(ActionRefused):
    """Every bad line, each message naming its line."""

    def __init__(self, errors: list[str]):
        super().__init__("calendar.bad_line", "；".join(errors), field="text")
        self.errors = errors


def _date(text: str) -> dt.date:
    y, m, d = (int(x) for x in re.findall(r"\d+", text))
    return dt.date(y, m, d)


def parse(text: str, year: int | None = None) -> tuple[DayList, DayList]:
    """→ (holidays, workdays), each a list of (date, name) in date order.

    With `year`, dates outside that year are errors. A date listed twice, or a make-up
    working day that is not a Saturday or Sunday, is an error. Raises CalendarTextError.
    """
    errors: list[str] = []
    seen: dict[dt.date, tuple[int, str]] = {}
    holidays: DayList = []
    workdays: DayList = []
    for no, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            errors.append(f"第{no}行：无法识别“{line}”，应为“2027-01-01 元旦 休”或"
                          f"“2027-02-15~2027-02-21 春节 休”")
            continue
        try:
            start = _date(m["start"])
            end = _date(m["end"]) if m["end"] else start
        except ValueError:
            errors.append(f"第{no}行：日期无效“{line}”")
            continue
        words = m["rest"].replace("，", " ").replace(",", " ").split()
        if not words or words[-1] not in HOLIDAY_WORDS | WORKDAY_WORDS:
            errors.append(f"第{no}行：行末应注明“休”或“班”")
            continue
        kind = "holiday" if words[-1] in HOLIDAY_WORDS else "workday"
        name = "".join(words[:-1])[:50]
        if end < start:
            errors.append(f"第{no}行：结束日期{end:%Y-%m-%d}早于开始日期{start:%Y-%m-%d}")
            continue
        if year is not None and (start.year != year or end.year != year):
            bad = start if start.year != year else end
            errors.append(f"第{no}行：{bad:%Y-%m-%d}不在{year}年内")
            continue
        d = start
        while d <= end:
            if d in seen:
                other, other_kind = seen[d]
                what = "既列为放假日又列为调休上班日" if other_kind != kind else "重复列出"
                errors.append(f"第{no}行：{d:%Y-%m-%d}{what}（另见第{other}行）")
            elif kind == "workday" and d.weekday() < 5:
                errors.append(f"第{no}行：{d:%Y-%m-%d}是{weekday_cn(d)}，本来就是工作日，"
                              f"只有周六、周日才能列为调休上班日")
            else:
                seen[d] = (no, kind)
                (holidays if kind == "holiday" else workdays).append((d, name))
            d += dt.timedelta(days=1)
    if errors:
        raise CalendarTextError(errors)
    holidays.sort()
    workdays.sort()
    return holidays, workdays


def render(days: Iterable[CalendarDay]) -> str:
    """CalendarDay rows (date order) back to text, consecutive same-name days as ranges."""
    lines: list[str] = []
    rows = sorted(days, key=lambda x: x.date)

    def key(i_day: tuple[int, CalendarDay]) -> tuple[str, str, int]:
        i, day = i_day
        return (day.kind, day.name, day.date.toordinal() - i)

    for (kind, name, _), pairs in groupby(enumerate(rows), key=key):
        group = [d for _, d in pairs]
        word = "休" if kind == "holiday" else "班"
        first, last = group[0].date, group[-1].date
        span = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d}~{last:%Y-%m-%d}"
        lines.append(" ".join(x for x in (span, name, word) if x))
    return "\n".join(lines)
