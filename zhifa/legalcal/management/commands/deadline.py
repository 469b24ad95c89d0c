"""`zhifa deadline --from 2025-09-26 --working-days 5` (or --days N, --months N, --period KEY).

Prints the last day of the period with its weekday ("2025-10-10 星期五") and, when the
nominal last day was a rest day, a note on the roll-forward. If the calendar of a year
involved has not been entered, prints the reason and exits with status 3.
"""
import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.legalcal import periods

EXIT_UNKNOWN = 3


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "按法定工作日历计算期限届满日（起算日当日不计入，届满日遇法定休假日顺延）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="起算日 YYYY-MM-DD（当日不计入）")
        g = parser.add_mutually_exclusive_group(required=True)
        g.add_argument("--working-days", type=int, help="N 个工作日")
        g.add_argument("--days", type=int, help="N 日（自然日，届满日遇休息日顺延）")
        g.add_argument("--months", type=int, help="N 个月（届满日遇休息日顺延）")
        g.add_argument("--period", choices=sorted(periods.PERIODS), help="法定期限代码")

    def handle(self, *args: Any, start: str, working_days: int | None = None, days: int | None = None,
               months: int | None = None, period: str | None = None, **options: Any) -> None:
        begin = _date(start)
        if period:
            p = periods.PERIODS[period]
            n, unit = p.n, p.unit
        elif working_days is not None:
            n, unit = working_days, periods.WORKING
        elif days is not None:
            n, unit = days, periods.CALENDAR
        else:
            assert months is not None  # the argument group is required
            n, unit = months, periods.MONTHS
        if n < 0:
            raise CommandError("期间长度不能为负数")
        due = periods.add_period(begin, n, unit)
        if not due.known:
            self.stderr.write(due.reason)
            sys.exit(EXIT_UNKNOWN)
        assert due.date is not None  # a known Due always has its date
        self.stdout.write(periods.fmt(due.date))
        if due.rolled_from:
            self.stdout.write(f"注：{due.reason}")
        elif due.date.weekday() >= 5:
            self.stdout.write(f"注：{due.date:%Y-%m-%d}为{periods.current().describe(due.date)}日，计为工作日")
        if period:
            self.stdout.write(f"{periods.PERIODS[period].label}：{periods.PERIODS[period].text}"
                              f"（{periods.PERIODS[period].basis}）")
