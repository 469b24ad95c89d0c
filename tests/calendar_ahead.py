"""Flows that run on today's date (a portal submission, a 督办 issued in the browser) count working
days from today: the legal calendar must know this year and the next, even once chinesecalendar's
data (2004–2026 in the installed package) runs out. A year the package lacks is entered as an
administrator would — 元旦 only, weekends otherwise — so these tests do not start failing in a later
year or in the last weeks of December."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone


def ensure_calendar_ahead(admin, years: int = 1):
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import do_enter_calendar_year, seed_from_chinesecalendar
    from zhifa.legalcal.models import CalendarYear

    periods.clear_cache()
    seed_from_chinesecalendar()
    today = timezone.localdate()
    for year in range(today.year, today.year + years + 1):
        if not CalendarYear.objects.filter(year=year).exists():
            do_enter_calendar_year(year, [(dt.date(year, 1, 1), "元旦")], [], "测试用：仅元旦", acting_user=admin)
    periods.clear_cache()
