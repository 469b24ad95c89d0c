"""The legal calendar's part of `zhifa verify`: every year's days are what their source says.

A year loaded from the chinesecalendar package must hold exactly the package's days (those rows
are reference data written at migrate time, without a change-log row); a year an administrator
entered must hold exactly the days of its latest (ledgered) change-log row. An edited, added or
deleted CalendarDay would silently move every statutory deadline that crosses it.
"""
from __future__ import annotations

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType

from zhifa.common.models import ChangeLog
from zhifa.ledger import drift
from zhifa.ledger.verify import Discrepancy, check
from zhifa.legalcal.actions import day_text, package_data, year_snapshot
from zhifa.legalcal.models import CalendarDay, CalendarYear

drift.unlogged_ok("legalcal.calendaryear", source=CalendarYear.Source.PACKAGE,
                  why="数据包年度随迁移载入，由 legalcal 核验与数据包逐日比对")


def _days(holidays: list[str], workdays: list[str]) -> set[tuple[str, str]]:
    return {(CalendarDay.Kind.HOLIDAY, text) for text in holidays} | {(CalendarDay.Kind.WORKDAY, text)
                                                                      for text in workdays}


@check
def calendar_days() -> Iterator[Discrepancy]:
    """Each calendar year's days equal the package's (package years) or its latest logged entry."""
    package = package_data()
    ct = ContentType.objects.get_for_model(CalendarYear)
    for cy in CalendarYear.objects.order_by("year"):
        where = f"legalcal_calendaryear year={cy.year}"
        stored = year_snapshot(cy)
        found = _days(stored["holidays"], stored["workdays"])
        if cy.source == CalendarYear.Source.PACKAGE:
            if cy.year not in package:
                continue  # a year an older package had; the row itself says its source
            holidays, workdays = package[cy.year]
            expected = _days([day_text(d, n) for d, n in holidays], [day_text(d, n) for d, n in workdays])
            source = "chinesecalendar 数据包"
        else:
            latest = (ChangeLog.objects.filter(content_type=ct, object_id=str(cy.pk)).order_by("-id")
                      .values_list("after", flat=True).first())
            if not isinstance(latest, dict):
                continue  # reported by the row-drift check (ledger.row_unlogged)
            expected = _days(latest.get("holidays", []), latest.get("workdays", []))
            source = "最近一次录入记录"
        if found != expected:
            extra, missing = sorted(found - expected), sorted(expected - found)
            detail = "；".join(part for part in (
                ("多出 " + "、".join(text for _, text in extra[:5])) if extra else "",
                ("缺少 " + "、".join(text for _, text in missing[:5])) if missing else "") if part)
            yield Discrepancy("legalcal.days", where, f"节假日安排与{source}不符：{detail}")
