"""Deadline arithmetic: hand-checked cases against the State Council notices 2024–2026,
the whole package range cross-checked, unknown years, and properties."""
import datetime as dt
import time

import chinese_calendar
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from zhifa.legalcal import periods
from zhifa.legalcal.periods import (
    PERIODS,
    CalendarUnknown,
    add_calendar_days,
    add_months,
    add_working_days,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def rng(a, b):
    out, d = [], a
    while d <= b:
        out.append(d)
        d += dt.timedelta(days=1)
    return out


# Typed in from the notices (国办发明电), independently of the chinesecalendar package.
HOLIDAYS = {
    2024: [*rng(dt.date(2024, 1, 1), dt.date(2024, 1, 1)), *rng(dt.date(2024, 2, 10), dt.date(2024, 2, 17)),
           *rng(dt.date(2024, 4, 4), dt.date(2024, 4, 6)), *rng(dt.date(2024, 5, 1), dt.date(2024, 5, 5)), dt.date(2024, 6, 10),
           *rng(dt.date(2024, 9, 15), dt.date(2024, 9, 17)), *rng(dt.date(2024, 10, 1), dt.date(2024, 10, 7))],
    2025: [dt.date(2025, 1, 1), *rng(dt.date(2025, 1, 28), dt.date(2025, 2, 4)), *rng(dt.date(2025, 4, 4), dt.date(2025, 4, 6)),
           *rng(dt.date(2025, 5, 1), dt.date(2025, 5, 5)), *rng(dt.date(2025, 5, 31), dt.date(2025, 6, 2)),
           *rng(dt.date(2025, 10, 1), dt.date(2025, 10, 8))],
    2026: [*rng(dt.date(2026, 1, 1), dt.date(2026, 1, 3)), *rng(dt.date(2026, 2, 15), dt.date(2026, 2, 23)),
           *rng(dt.date(2026, 4, 4), dt.date(2026, 4, 6)), *rng(dt.date(2026, 5, 1), dt.date(2026, 5, 5)),
           *rng(dt.date(2026, 6, 19), dt.date(2026, 6, 21)), *rng(dt.date(2026, 9, 25), dt.date(2026, 9, 27)),
           *rng(dt.date(2026, 10, 1), dt.date(2026, 10, 7))],
}
MAKEUP = {
    2024: [dt.date(2024, 2, 4), dt.date(2024, 2, 18), dt.date(2024, 4, 7), dt.date(2024, 4, 28), dt.date(2024, 5, 11), dt.date(2024, 9, 14),
           dt.date(2024, 9, 29), dt.date(2024, 10, 12)],
    2025: [dt.date(2025, 1, 26), dt.date(2025, 2, 8), dt.date(2025, 4, 27), dt.date(2025, 9, 28), dt.date(2025, 10, 11)],
    2026: [dt.date(2026, 1, 4), dt.date(2026, 2, 14), dt.date(2026, 2, 28), dt.date(2026, 5, 9), dt.date(2026, 9, 20), dt.date(2026, 10, 10)],
}


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_day_of_2024_to_2026_matches_the_notices(year):
    holidays, makeup = set(HOLIDAYS[year]), set(MAKEUP[year])
    assert all(d.weekday() >= 5 for d in makeup)
    for d in rng(dt.date(year, 1, 1), dt.date(year, 12, 31)):
        expected = d in makeup or (d.weekday() < 5 and d not in holidays)
        assert is_working_day(d) is expected, d


def test_whole_package_range_agrees_with_chinese_calendar():
    for d in rng(dt.date(2004, 1, 1), dt.date(2026, 12, 31)):
        assert is_working_day(d) == chinese_calendar.is_workday(d), d


# (function, start, n, expected due, rolled_from) — each checked by hand.
CASES = [
    # 9/27 Sat rest, 9/28 Sun make-up (1), 9/29 (2), 9/30 (3), 10/1–8 holiday, 10/9 (4), 10/10 (5)
    (add_working_days, dt.date(2025, 9, 26), 5, dt.date(2025, 10, 10), None),
    # 15 days from 9/16 ends 10/1 (国庆) → first working day after the holiday
    (add_calendar_days, dt.date(2025, 9, 16), 15, dt.date(2025, 10, 9), dt.date(2025, 10, 1)),
    # 2026-02-14 (Sat) is a make-up working day
    (add_working_days, dt.date(2026, 2, 13), 1, dt.date(2026, 2, 14), None),
    (add_working_days, dt.date(2026, 2, 13), 2, dt.date(2026, 2, 24), None),
    (add_working_days, dt.date(2026, 2, 27), 1, dt.date(2026, 2, 28), None),
    # 2025 春节 1/28–2/4: last day 1/31 rolls over the weekend and 2/3, 2/4 to 2/5
    (add_calendar_days, dt.date(2025, 1, 16), 15, dt.date(2025, 2, 5), dt.date(2025, 1, 31)),
    # last day on a make-up Sunday is a working day: no roll
    (add_calendar_days, dt.date(2025, 1, 11), 15, dt.date(2025, 1, 26), None),
    # ordinary Saturday rolls to Monday
    (add_calendar_days, dt.date(2025, 3, 7), 15, dt.date(2025, 3, 24), dt.date(2025, 3, 22)),
    (add_working_days, dt.date(2025, 4, 30), 1, dt.date(2025, 5, 6), None),
    (add_working_days, dt.date(2025, 4, 25), 1, dt.date(2025, 4, 27), None),
    # 2024 国庆: 9/29 Sun make-up (1), 9/30 (2), 10/1–7, 10/8 (3)
    (add_working_days, dt.date(2024, 9, 27), 3, dt.date(2024, 10, 8), None),
    (add_working_days, dt.date(2024, 12, 31), 1, dt.date(2025, 1, 2), None),
    # 2026 元旦 1/1–3, 1/4 Sun make-up
    (add_working_days, dt.date(2025, 12, 31), 1, dt.date(2026, 1, 4), None),
    (add_working_days, dt.date(2026, 5, 8), 1, dt.date(2026, 5, 9), None),
    (add_working_days, dt.date(2026, 9, 30), 1, dt.date(2026, 10, 8), None),
    (add_calendar_days, dt.date(2026, 9, 5), 15, dt.date(2026, 9, 20), None),
    # 90-day decision period from filing on 2025-07-03 ends 10/1 → 10/9
    (add_calendar_days, dt.date(2025, 7, 3), 90, dt.date(2025, 10, 9), dt.date(2025, 10, 1)),
    (add_calendar_days, dt.date(2025, 7, 2), 90, dt.date(2025, 9, 30), None),
    # 7 working days across 2024 清明 (4/4–6) with 4/7 Sun make-up: 4/1,2,3,7,8,9,10
    (add_working_days, dt.date(2024, 3, 29), 7, dt.date(2024, 4, 10), None),
    # months: month-end clipping, leap year, make-up Saturday, rolling
    (add_months, dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28), None),
    (add_months, dt.date(2025, 3, 31), 1, dt.date(2025, 4, 30), None),
    (add_months, dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29), None),
    (add_months, dt.date(2025, 4, 1), 6, dt.date(2025, 10, 9), dt.date(2025, 10, 1)),
    (add_months, dt.date(2025, 6, 14), 6, dt.date(2025, 12, 15), dt.date(2025, 12, 14)),
    (add_months, dt.date(2024, 7, 31), 3, dt.date(2024, 10, 31), None),
    # n = 0: the start itself (working) / rolled (calendar)
    (add_working_days, dt.date(2025, 10, 1), 0, dt.date(2025, 10, 1), None),
    (add_calendar_days, dt.date(2025, 10, 1), 0, dt.date(2025, 10, 9), dt.date(2025, 10, 1)),
]


@pytest.mark.parametrize("fn,start,n,expected,rolled", CASES,
                         ids=[f"{c[0].__name__}-{c[1]}-{c[2]}" for c in CASES])
def test_hand_checked(fn, start, n, expected, rolled):
    due = fn(start, n)
    assert due.known and due.date == expected and due.rolled_from == rolled
    if rolled:
        assert "顺延" in due.reason and f"{rolled:%Y-%m-%d}" in due.reason
    else:
        assert due.reason == ""


def test_rolled_note_names_the_holiday():
    due = add_calendar_days(dt.date(2025, 9, 16), 15)
    assert due.reason == "期限届满日2025-10-01（国庆节）为法定休假日，顺延至其后第一个工作日2025-10-09（星期四）"
    assert str(due) == "2025-10-09 星期四" and due.weekday == "星期四"


def test_working_days_between():
    assert working_days_between(dt.date(2025, 9, 26), dt.date(2025, 10, 10)) == 5
    assert working_days_between(dt.date(2025, 10, 10), dt.date(2025, 9, 26)) == -5
    assert working_days_between(dt.date(2025, 10, 1), dt.date(2025, 10, 8)) == 0
    assert working_days_between(dt.date(2025, 10, 1), dt.date(2025, 10, 1)) == 0
    # 2025: 365 days − 104 weekend days − 18 weekday holidays + 5 make-up weekends = 248
    assert working_days_between(dt.date(2024, 12, 31), dt.date(2025, 12, 31)) == 248


def test_unknown_year_is_never_guessed(enter_2027):
    due = add_calendar_days(dt.date(2026, 12, 20), 15)  # 2027-01-04
    assert not due.known and due.date is None and due.unknown_year == 2027
    assert due.reason == "2027年法定节假日安排尚未录入，期限无法确定"
    assert not add_working_days(dt.date(2026, 12, 30), 5).known
    assert not add_months(dt.date(2026, 8, 1), 6).known
    # A period inside 2026 does not need 2027.
    assert add_working_days(dt.date(2026, 12, 29), 2).date == dt.date(2026, 12, 31)
    with pytest.raises(CalendarUnknown) as e:
        is_working_day(dt.date(2027, 1, 4))
    assert e.value.year == 2027 and "2027年" in e.value.message
    with pytest.raises(CalendarUnknown):
        working_days_between(dt.date(2026, 12, 1), dt.date(2027, 1, 10))
    assert working_days_between(dt.date(2026, 12, 1), dt.date(2026, 12, 31)) == 22
    # Years before the package's range are unknown too.
    assert not add_working_days(dt.date(2003, 12, 30), 3).known

    enter_2027()  # the administrator enters 2027
    due = add_calendar_days(dt.date(2026, 12, 20), 15)
    assert due.known and due.date == dt.date(2027, 1, 4)
    assert add_working_days(dt.date(2026, 12, 30), 5).date == dt.date(2027, 1, 7)  # 12/31, (1/1 元旦), 1/4, 5, 6, 7
    assert add_working_days(dt.date(2027, 2, 19), 1).date == dt.date(2027, 2, 20)  # the entered make-up Saturday
    assert add_calendar_days(dt.date(2027, 1, 26), 15).date == dt.date(2027, 2, 15)  # 2/10 in 春节 2/5–12, then a weekend
    assert not add_months(dt.date(2027, 8, 1), 6).known  # 2028 still unknown
    assert add_months(dt.date(2027, 8, 1), 6).reason == "2028年法定节假日安排尚未录入，期限无法确定"


def test_statutory_periods_table():
    assert PERIODS["statement_defence"][:2] == (5, "working")
    assert PERIODS["hearing_request"][:2] == (5, "working")
    assert PERIODS["hearing_notice"][:2] == (7, "working")
    assert PERIODS["service"][:2] == (7, "working")
    assert PERIODS["decision"][:2] == (90, "calendar")
    assert PERIODS["payment"][:2] == (15, "calendar")
    assert PERIODS["seizure"][:2] == (30, "calendar")
    assert PERIODS["permit_decision"][:2] == (20, "working")
    assert PERIODS["review"][:2] == (60, "calendar")
    assert PERIODS["litigation"][:2] == (6, "months")
    assert PERIODS["crime_transfer_decision"][:2] == (3, "working")
    for key, p in PERIODS.items():
        assert p.basis and p.label and p.n > 0 and p.unit in periods.UNIT_LABELS, key
    assert periods.compute("payment", dt.date(2025, 9, 16)).date == dt.date(2025, 10, 9)
    assert periods.compute("statement_defence", dt.date(2025, 9, 26)).date == dt.date(2025, 10, 10)


def test_penalty_days_follow_art_85():
    assert [periods.penalty_days(n) for n in (2, 3, 5, 7)] == ["working"] * 4
    assert periods.penalty_days(15) == periods.penalty_days(90) == "calendar"
    assert periods.add_penalty_days(dt.date(2025, 9, 26), 5).date == dt.date(2025, 10, 10)
    assert periods.add_penalty_days(dt.date(2025, 9, 16), 15).date == dt.date(2025, 10, 9)


def test_bad_arguments():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2025, 1, 1), -1)
    with pytest.raises(ValueError):
        periods.add_period(dt.date(2025, 1, 1), 1, "weeks")


def test_cache_invalidated_by_direct_change_and_ttl(settings, enter_2027):
    from zhifa.legalcal.models import CalendarDay

    cy = enter_2027()
    assert is_working_day(dt.date(2027, 3, 1))
    CalendarDay.objects.create(calendar_year=cy, date=dt.date(2027, 3, 1), kind="holiday", name="测试")  # signal
    assert not is_working_day(dt.date(2027, 3, 1))
    CalendarDay.objects.filter(date=dt.date(2027, 3, 1)).update(kind="workday")  # no signal: TTL
    settings.ZHIFA_CALENDAR_CACHE_SECONDS = 0
    assert is_working_day(dt.date(2027, 3, 1))


def test_fast_on_cached_sets(django_assert_num_queries):
    periods.current()
    with django_assert_num_queries(0):
        started = time.perf_counter()
        for start in rng(dt.date(2024, 1, 1), dt.date(2024, 4, 9)):  # 100 starts
            assert add_working_days(start, 365).known
        elapsed = time.perf_counter() - started
    assert elapsed < 0.5  # ~1 ms per call at most; typically ~0.1 ms


# ---- properties -------------------------------------------------------------------------------
DATES = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 6, 30))
PROP = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROP
@given(DATES, st.integers(0, 365))
def test_working_day_result_is_working_and_counts_back(start, n):
    due = add_working_days(start, n)
    assume(due.known)
    if n > 0:
        assert is_working_day(due.date)
    assert working_days_between(start, due.date) == n


@PROP
@given(DATES, st.integers(0, 200), st.integers(0, 200))
def test_working_day_count_is_monotone(start, a, b):
    a, b = sorted((a, b))
    da, db = add_working_days(start, a), add_working_days(start, b)
    assume(db.known)
    assert da.date <= db.date and (a == b) == (da.date == db.date)
    end1, end2 = start + dt.timedelta(days=a), start + dt.timedelta(days=b)
    assert working_days_between(start, end1) <= working_days_between(start, end2)


@PROP
@given(DATES, st.integers(0, 400))
def test_calendar_due_is_never_a_rest_day(start, n):
    due = add_calendar_days(start, n)
    assume(due.known)
    nominal = start + dt.timedelta(days=n)
    assert is_working_day(due.date) and due.date >= nominal
    # every day between the nominal last day and the due date is a rest day
    assert not any(is_working_day(d) for d in rng(nominal, due.date - dt.timedelta(1)))
    assert (due.rolled_from is not None) == (due.date != nominal)


@PROP
@given(DATES, st.integers(0, 24))
def test_months_due_is_a_working_day_on_or_after_the_corresponding_day(start, n):
    due = add_months(start, n)
    assume(due.known)
    nominal = periods.shift_months(start, n)
    assert is_working_day(due.date) and due.date >= nominal
    assert nominal.day == start.day or nominal.day < start.day and (nominal + dt.timedelta(1)).day == 1
