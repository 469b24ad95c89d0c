"""Deadline arithmetic on the legal working calendar (法定期限计算).

Counting rules (民法典 Arts. 201–203, 民事诉讼法 Art. 85, 行政处罚法 Art. 85):

* the starting day is not counted — counting begins the next day;
* a period in working days counts only working days (weekdays that are not statutory
  holidays, plus make-up working weekends 调休上班日);
* a period in calendar days or months whose last day is a rest day (weekend or statutory
  holiday) ends on the next working day; a make-up working weekend is a working day and
  does not roll;
* months: the corresponding day of the final month, or its last day if it has none
  (民法典 Art. 202: 8月31日 + 6个月 = 2月28/29日).

A year is known iff its holiday arrangement is on file (a CalendarYear row). Any day examined
in an unknown year makes the result unknown (`Due.known is False`, the reason names the
year): the module never guesses. `is_working_day` and `working_days_between` raise
`CalendarUnknown` instead.

The arithmetic runs on an immutable `Calendar` snapshot (pure Python sets) loaded from the
database once and cached in-process; `invalidate()` drops it (called by the calendar actions
and by model signals, again on commit) and it also expires after
settings.ZHIFA_CALENDAR_CACHE_SECONDS (default 300) so that other processes see a newly
entered year. Every function takes an optional `cal=` to compute on a given snapshot.
"""
from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

ONE_DAY = dt.timedelta(days=1)
WEEKDAYS_CN = "一二三四五六日"

WORKING, CALENDAR, MONTHS = "working", "calendar", "months"
UNIT_LABELS = {WORKING: "个工作日", CALENDAR: "日", MONTHS: "个月"}
DayList = list[tuple[dt.date, str]]  # [(date, name)]: listed holidays or make-up working days


def weekday_cn(d: dt.date) -> str:
    return "星期" + WEEKDAYS_CN[d.weekday()]


def fmt(d: dt.date) -> str:
    """'2025-10-09 星期四'."""
    return f"{d:%Y-%m-%d} {weekday_cn(d)}"


def unknown_reason(year: int) -> str:
    return f"{year}年法定节假日安排尚未录入，期限无法确定"


class CalendarUnknown(Exception):
    """A day was examined in a year whose holiday arrangement is not on file."""

    def __init__(self, year: int):
        self.year = year
        self.message = unknown_reason(year)
        super().__init__(self.message)


@dataclass(frozen=True)
class Due:
    """Result of a period computation.

    date: the last day of the period (None when unknown)
    known: False iff a day in a year without calendar data had to be examined
    reason: why unknown, or a note when the last day was rolled forward; else ""
    rolled_from: the nominal last day when it was a rest day and the period was extended
    unknown_year: the first year lacking data
    """

    date: dt.date | None
    known: bool
    reason: str = ""
    rolled_from: dt.date | None = None
    unknown_year: int | None = None

    @property
    def weekday(self) -> str:
        return weekday_cn(self.date) if self.date else ""

    def __str__(self) -> str:
        if not self.known:
            return self.reason
        assert self.date is not None  # a known Due always has its date
        return fmt(self.date)


class Calendar:
    """Immutable snapshot: known years, listed holidays and make-up working days (date → name)."""

    __slots__ = ("years", "holidays", "workdays", "loaded_at")

    def __init__(self, years: Iterable[int], holidays: dict[dt.date, str], workdays: dict[dt.date, str]) -> None:
        self.years = frozenset(years)
        self.holidays = dict(holidays)
        self.workdays = dict(workdays)
        self.loaded_at = time.monotonic()

    def check(self, d: dt.date) -> None:
        if d.year not in self.years:
            raise CalendarUnknown(d.year)

    def is_working(self, d: dt.date) -> bool:
        if d.year not in self.years:
            raise CalendarUnknown(d.year)
        return d in self.workdays or (d.weekday() < 5 and d not in self.holidays)

    def describe(self, d: dt.date) -> str:
        """'国庆节' / '春节调休上班' / '星期六' — why a day is (not) working."""
        if d in self.holidays:
            return self.holidays[d] or "法定节假日"
        if d in self.workdays:
            return (self.workdays[d] or "调休") + "上班"
        return weekday_cn(d)


# ---- the cached snapshot -----------------------------------------------------------------
_lock = threading.Lock()
_cached: Calendar | None = None


def _ttl() -> float:
    from django.conf import settings

    return float(getattr(settings, "ZHIFA_CALENDAR_CACHE_SECONDS", 300))


def load() -> Calendar:
    """A fresh snapshot from the database (two queries)."""
    from zhifa.legalcal.models import CalendarDay, CalendarYear

    years = CalendarYear.objects.values_list("year", flat=True)
    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    for date, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays)[date] = name
    return Calendar(years, holidays, workdays)


def current() -> Calendar:
    global _cached
    cal = _cached
    if cal is None or time.monotonic() - cal.loaded_at > _ttl():
        with _lock:
            cal = load()
            _cached = cal
    return cal


def clear_cache() -> None:
    global _cached
    _cached = None


def invalidate() -> None:
    """Drop the cached snapshot now and again when the current transaction commits."""
    from django.db import transaction

    clear_cache()
    transaction.on_commit(clear_cache)


def known_years(cal: Calendar | None = None) -> frozenset[int]:
    return (cal or current()).years


# ---- arithmetic --------------------------------------------------------------------------
def _check_n(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"期间长度必须是非负整数：{n!r}")


def _unknown(year: int) -> Due:
    return Due(None, False, unknown_reason(year), unknown_year=year)


def is_working_day(d: dt.date, *, cal: Calendar | None = None) -> bool:
    """Raises CalendarUnknown for a day in a year without data."""
    return (cal or current()).is_working(d)


def next_working_day(d: dt.date, *, cal: Calendar | None = None) -> dt.date:
    """The first working day on or after d (raises CalendarUnknown)."""
    c = cal or current()
    while not c.is_working(d):
        d += ONE_DAY
    return d


def add_working_days(start: dt.date, n: int, *, cal: Calendar | None = None) -> Due:
    """The n-th working day after `start` (start itself not counted; n=0 gives start)."""
    _check_n(n)
    c = cal or current()
    years, holidays, workdays = c.years, c.holidays, c.workdays
    d, count = start, 0
    while count < n:
        d += ONE_DAY
        if d.year not in years:
            return _unknown(d.year)
        if d in workdays or (d.weekday() < 5 and d not in holidays):
            count += 1
    return Due(d, True)


def _roll(last: dt.date, c: Calendar) -> Due:
    """Art. 203: a last day that is a rest day moves to the next working day."""
    d = last
    while True:
        if d.year not in c.years:
            return _unknown(d.year)
        if c.is_working(d):
            break
        d += ONE_DAY
    if d == last:
        return Due(d, True)
    note = (f"期限届满日{last:%Y-%m-%d}（{c.describe(last)}）为法定休假日，"
            f"顺延至其后第一个工作日{d:%Y-%m-%d}（{weekday_cn(d)}）")
    return Due(d, True, note, rolled_from=last)


def add_calendar_days(start: dt.date, n: int, *, cal: Calendar | None = None) -> Due:
    """start + n days (start not counted), rolled forward if that day is a rest day."""
    _check_n(n)
    return _roll(start + dt.timedelta(days=n), cal or current())


def shift_months(start: dt.date, n: int) -> dt.date:
    """Corresponding day n months later, clipped to the month's end (民法典 Art. 202)."""
    y, m = divmod(start.month - 1 + n, 12)
    year, month = start.year + y, m + 1
    return dt.date(year, month, min(start.day, _stdcal.monthrange(year, month)[1]))


def add_months(start: dt.date, n: int, *, cal: Calendar | None = None) -> Due:
    """A period of n months, rolled forward if its last day is a rest day."""
    _check_n(n)
    return _roll(shift_months(start, n), cal or current())


def add_period(start: dt.date, n: int, unit: str, *, cal: Calendar | None = None) -> Due:
    """Dispatch on unit: 'working' | 'calendar' | 'months'."""
    try:
        fn = {WORKING: add_working_days, CALENDAR: add_calendar_days, MONTHS: add_months}[unit]
    except KeyError:
        raise ValueError(f"未知的期间单位：{unit!r}") from None
    return fn(start, n, cal=cal)


def working_days_between(a: dt.date, b: dt.date, *, cal: Calendar | None = None) -> int:
    """Working days d with a < d <= b (negative if b < a). Raises CalendarUnknown.

    working_days_between(d, add_working_days(d, n).date) == n.
    """
    if b < a:
        return -working_days_between(b, a, cal=cal)
    if a == b:
        return 0
    c = cal or current()
    for year in range((a + ONE_DAY).year, b.year + 1):
        if year not in c.years:
            raise CalendarUnknown(year)
    holidays, workdays = c.holidays, c.workdays
    # Whole weeks contribute 5 weekdays; adjust for listed days afterwards.
    days = (b - a).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    d = a + dt.timedelta(days=weeks * 7)
    for _ in range(rest):
        d += ONE_DAY
        if d.weekday() < 5:
            count += 1
    for h in holidays:
        if a < h <= b and h.weekday() < 5:
            count -= 1
    for w in workdays:
        if a < w <= b and w.weekday() >= 5:
            count += 1
    return count


# ---- statutory periods -------------------------------------------------------------------
class Period(NamedTuple):
    n: int
    unit: str      # WORKING | CALENDAR | MONTHS
    basis: str     # the article it comes from
    label: str     # Chinese name of the period

    @property
    def text(self) -> str:
        return f"{self.n}{UNIT_LABELS[self.unit]}"


# The statutory periods the case-handling module uses; one place, as data. Where a statute
# says "日" the unit follows that statute's own counting article (行政处罚法 Art. 85,
# 行政许可法 Art. 82, 行政强制法 Art. 69, 行政复议法 Art. 88).
PERIODS: dict[str, Period] = {
    # 案源 to the head's decision whether to file (立案 or 不予立案); a further 15 with approval.
    "filing": Period(15, WORKING, "《市场监督管理行政处罚程序规定》第十八条", "核查案源、决定是否立案期限（自发现线索或者收到材料之日起）"),
    "statement_defence": Period(5, WORKING, "《市场监督管理行政处罚程序规定》第五十七条", "陈述、申辩期限（自告知书送达之日起）"),
    "hearing_request": Period(5, WORKING, "《行政处罚法》第六十四条第（一）项", "申请听证期限（自告知之日起）"),
    "hearing_notice": Period(7, WORKING, "《行政处罚法》第六十四条第（二）项", "听证通知提前期（自通知之日起，最早举行听证日）"),
    "decision": Period(90, CALENDAR, "《行政处罚法》第六十条", "作出行政处罚决定期限（自立案之日起）"),
    "service": Period(7, WORKING, "《行政处罚法》第六十一条", "送达行政处罚决定书期限（当事人不在场的）"),
    "payment": Period(15, CALENDAR, "《行政处罚法》第六十七条", "缴纳罚款期限（自收到决定书之日起）"),
    "publicity": Period(7, WORKING, "国办发〔2018〕118号", "行政许可、行政处罚决定信息公开期限"),
    "publicity_withdraw": Period(3, WORKING, "《行政处罚法》第四十八条第二款", "撤回已公开的行政处罚决定信息期限"),
    "samr_publicity": Period(20, WORKING, "《市场监督管理行政处罚信息公示规定》第九条", "市场监管行政处罚信息公示期限"),
    "crime_transfer_decision": Period(3, WORKING, "《行政执法机关移送涉嫌犯罪案件的规定》第五条", "批准或者不批准移送涉嫌犯罪案件的决定期限（自接到报告之日起）"),
    "seizure": Period(30, CALENDAR, "《行政强制法》第二十五条", "查封、扣押期限"),
    "seizure_extension": Period(30, CALENDAR, "《行政强制法》第二十五条", "查封、扣押延长期限"),
    "permit_decision": Period(20, WORKING, "《行政许可法》第四十二条、第八十二条", "作出行政许可决定期限（自受理之日起）"),
    "permit_extension": Period(10, WORKING, "《行政许可法》第四十二条、第八十二条", "行政许可决定延长期限"),
    "permit_delivery": Period(10, WORKING, "《行政许可法》第四十四条、第八十二条", "颁发、送达行政许可证件期限（自作出决定之日起）"),
    "review": Period(60, CALENDAR, "《行政复议法》第二十条", "申请行政复议期限（自知道或者应当知道之日起）"),
    "litigation": Period(6, MONTHS, "《行政诉讼法》第四十六条", "提起行政诉讼期限（自知道或者应当知道之日起）"),
}


def compute(key: str, start: dt.date, *, cal: Calendar | None = None) -> Due:
    """The due date of statutory period PERIODS[key] starting on `start`."""
    p = PERIODS[key]
    return add_period(start, p.n, p.unit, cal=cal)


PENALTY_WORKING_DAYS = frozenset({2, 3, 5, 7})


def penalty_days(n: int) -> str:
    """Unit of an 'n日' period written in 行政处罚法: working days for 二日/三日/五日/七日
    (Art. 85), calendar days otherwise (e.g. 十五日, 九十日)."""
    return WORKING if n in PENALTY_WORKING_DAYS else CALENDAR


def add_penalty_days(start: dt.date, n: int, *, cal: Calendar | None = None) -> Due:
    """An 'n日' period of 行政处罚法 counted by its Art. 85."""
    return add_period(start, n, penalty_days(n), cal=cal)
