"""Actions on the legal calendar. Only administrators enter a year; the package data is
loaded by `seed_from_chinesecalendar` (post_migrate), which never touches admin-entered years.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeGuard

from django.db import transaction

from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.legalcal import pending, periods
from zhifa.legalcal.models import CalendarDay, CalendarYear
from zhifa.legalcal.periods import DayList

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from zhifa.orgs.models import User

MIN_YEAR, MAX_YEAR = 2000, 2100

# chinese_calendar names its holidays in English.
PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def is_calendar_admin(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(user and user.is_authenticated and user.is_active
                and (user.is_superuser or user.role == Role.ADMIN))


def check_admin(user: User | AnonymousUser | None) -> User:
    """Refuses a non-administrator; returns the user, now known to be a User."""
    if not is_calendar_admin(user):
        raise ActionRefused("calendar.admin_only", "只有系统管理员可以录入或修改法定节假日安排")
    return user


def year_snapshot(cy: CalendarYear) -> dict[str, Any]:
    """The year row plus its days, for the change log."""
    data = snapshot(cy)
    data.pop("updated_at", None)
    days = list(cy.days.order_by("date"))
    data["holidays"] = [day_text(d.date, d.name) for d in days if d.kind == CalendarDay.Kind.HOLIDAY]
    data["workdays"] = [day_text(d.date, d.name) for d in days if d.kind == CalendarDay.Kind.WORKDAY]
    return data


def day_text(date: dt.date, name: str) -> str:
    """One day as the change log writes it: '2027-01-01 元旦' (the verify check compares these)."""
    return f"{date:%Y-%m-%d} {name}".strip()


def _expand(items: Iterable[Sequence[Any]], label: str) -> DayList:
    """[(date, name)] from (date, name), ((start, end), name) or (start, end, name) items."""
    out: DayList = []
    for item in items:
        if len(item) == 3:
            (start, end), name = item[:2], item[2]
        elif isinstance(item[0], (tuple, list)):
            (start, end), name = item
        else:
            start = end = item[0]
            name = item[1]
        if end < start:
            raise ActionRefused("calendar.bad_range", f"{label}：结束日期{end}早于开始日期{start}")
        d = start
        while d <= end:
            out.append((d, (name or "").strip()[:50]))
            d += dt.timedelta(days=1)
    return out


def _validate_days(year: int, holidays: DayList, workdays: DayList) -> None:
    seen: dict[dt.date, str] = {}
    for kind, label, days in (("holiday", "放假日", holidays), ("workday", "调休上班日", workdays)):
        for d, _name in days:
            if d.year != year:
                raise ActionRefused("calendar.date_outside_year", f"{label}{d:%Y-%m-%d}不在{year}年内")
            if d in seen:
                if seen[d] != kind:
                    raise ActionRefused("calendar.both_kinds",
                                        f"{d:%Y-%m-%d}不能既是放假日又是调休上班日")
                raise ActionRefused("calendar.duplicate_date", f"{d:%Y-%m-%d}重复列出")
            seen[d] = kind
            if kind == "workday" and d.weekday() < 5:
                raise ActionRefused("calendar.workday_not_weekend",
                                    f"{d:%Y-%m-%d}是{periods.weekday_cn(d)}，本来就是工作日，"
                                    f"只有周六、周日才能列为调休上班日")


@transaction.atomic
def do_enter_calendar_year(year: int, holidays: Iterable[Sequence[Any]], workdays: Iterable[Sequence[Any]],
                           notice: str, *, acting_user: User | AnonymousUser | None,
                           replace: bool = False, confirmed: bool = True, reason: str = "",
                           source_text: str = "", on: dt.date | None = None) -> CalendarYear:
    """Enter (or re-enter) a year's holiday arrangement from the State Council notice.

    holidays / workdays: lists of (date, name), ((start, end), name) or (start, end, name).
    An admin-entered year may be edited freely; a year loaded from chinesecalendar is only
    replaced with replace=True (the replacement is logged).
    """
    admin = check_admin(acting_user)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ActionRefused("calendar.year_invalid", f"年度应在{MIN_YEAR}—{MAX_YEAR}之间", field="year")
    notice = (notice or "").strip()
    if not notice:
        raise ActionRefused("calendar.notice_required", "请填写国务院办公厅放假安排通知的文号", field="notice")
    holidays = _expand(holidays, "放假日")
    workdays = _expand(workdays, "调休上班日")
    if not holidays:
        raise ActionRefused("calendar.no_holidays", f"未录入{year}年的任何放假日", field="text")
    _validate_days(year, holidays, workdays)

    cy = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = None
    if cy is not None:
        if cy.source == CalendarYear.Source.PACKAGE and not replace:
            raise ActionRefused("calendar.replace_required",
                                f"{year}年的安排已由 chinesecalendar 数据包载入；"
                                f"如确需以官方通知替换，请勾选“替换已有数据”", field="replace")
        before = year_snapshot(cy)
        if cy.source == CalendarYear.Source.PACKAGE:
            reason = (reason + "；" if reason else "") + "以管理员录入的数据替换 chinesecalendar 数据包的数据"
        cy.days.all().delete()
        cy.source, cy.notice, cy.entered_by, cy.confirmed, cy.source_text = (
            CalendarYear.Source.ADMIN, notice[:200], admin, confirmed, source_text or "")
        cy.save()
    else:
        cy = CalendarYear.objects.create(year=year, source=CalendarYear.Source.ADMIN, notice=notice[:200],
                                         entered_by=admin, confirmed=confirmed,
                                         source_text=source_text or "")
    CalendarDay.objects.bulk_create(
        [CalendarDay(calendar_year=cy, date=d, kind=CalendarDay.Kind.HOLIDAY, name=n) for d, n in holidays]
        + [CalendarDay(calendar_year=cy, date=d, kind=CalendarDay.Kind.WORKDAY, name=n) for d, n in workdays])
    after = year_snapshot(cy)
    if before is None:
        log_change(cy, ChangeLog.Action.CREATE, acting_user=acting_user, after=after, reason=reason)
    elif before != after:
        log_change(cy, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=after,
                   reason=reason)
    periods.invalidate()
    # Every due date left pending on this year is computed now, in this transaction.
    pending.resolve_year(year, acting_user=acting_user, on=on)
    return cy


@transaction.atomic
def do_delete_calendar_year(cy: CalendarYear, *, acting_user: User | AnonymousUser | None, reason: str = "") -> None:
    """Remove an admin-entered year (its periods become unknown again)."""
    check_admin(acting_user)
    if cy.source == CalendarYear.Source.PACKAGE:
        raise ActionRefused("calendar.package_year_locked",
                            "chinesecalendar 数据包载入的年度不能删除（可以用官方通知替换）")
    before, pk = year_snapshot(cy), cy.pk
    cy.delete()
    cy.pk = pk
    log_change(cy, ChangeLog.Action.DELETE, acting_user=acting_user, before=before, reason=reason)
    periods.invalidate()


# ---- chinesecalendar package data --------------------------------------------------------
def package_data() -> dict[int, tuple[DayList, DayList]]:
    """{year: ([(date, 中文名)] holidays, [(date, 中文名)] make-up working days)}."""
    from chinese_calendar import constants

    data: dict[int, tuple[DayList, DayList]] = {}
    for d, name in constants.holidays.items():
        data.setdefault(d.year, ([], []))[0].append((d, PACKAGE_NAMES.get(name, name)))
    for d, name in constants.workdays.items():
        data.setdefault(d.year, ([], []))[1].append((d, PACKAGE_NAMES.get(name, name) + "调休"))
    for hol, work in data.values():
        hol.sort()
        work.sort()
    return data


def package_label() -> str:
    try:
        from importlib.metadata import version

        return f"chinesecalendar {version('chinesecalendar')}（据国务院办公厅历年放假安排通知）"
    except Exception:  # noqa: BLE001 - metadata missing in odd installs
        return "chinesecalendar（据国务院办公厅历年放假安排通知）"


@transaction.atomic
def seed_from_chinesecalendar(*, acting_user: User | None = None) -> dict[str, list[int]]:
    """Load every year the package covers; idempotent.

    Missing years are created (not change-logged: reference data loaded at migrate time,
    its source and package version are on the row); package-sourced years whose data changed
    (a newer package) are refreshed and logged; admin-entered years are never touched.
    """
    result: dict[str, list[int]] = {"created": [], "updated": [], "kept_admin": []}
    # The first load (the first migrate) finds nothing pending, and other apps' tables may not exist yet.
    first_load = not CalendarYear.objects.exists()
    data = package_data()
    existing = {cy.year: cy for cy in CalendarYear.objects.filter(year__in=list(data))}
    stored: dict[int, set[tuple[dt.date, str, str]]] = {}
    for year, date, kind, name in CalendarDay.objects.filter(calendar_year__year__in=list(data)).values_list(
            "calendar_year__year", "date", "kind", "name"):
        stored.setdefault(year, set()).add((date, kind, name))
    label = package_label()
    new_days, touched = [], []
    for year, (hol, work) in sorted(data.items()):
        wanted = {(d, CalendarDay.Kind.HOLIDAY, n) for d, n in hol} | {(d, CalendarDay.Kind.WORKDAY, n)
                                                                       for d, n in work}
        cy = existing.get(year)
        if cy is not None and cy.source != CalendarYear.Source.PACKAGE:
            result["kept_admin"].append(year)
            continue
        if cy is not None and stored.get(year, set()) == wanted:
            continue
        before = None
        if cy is None:
            cy = CalendarYear.objects.create(year=year, source=CalendarYear.Source.PACKAGE, notice=label,
                                             confirmed=True)
            result["created"].append(year)
        else:
            before = year_snapshot(cy)
            cy.days.all().delete()
            cy.notice = label
            cy.save()
            result["updated"].append(year)
        new_days += [CalendarDay(calendar_year=cy, date=d, kind=k, name=n) for d, k, n in sorted(wanted)]
        touched.append((cy, before))
    CalendarDay.objects.bulk_create(new_days, batch_size=1000)
    for cy, before in touched:
        if before is not None:  # first loads are reference data like a migration's; the row says its source
            log_change(cy, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before,
                       after=year_snapshot(cy), reason="按新版 chinesecalendar 数据包更新")
    if touched:
        periods.invalidate()
    for year in [] if first_load else result["created"]:  # a newer package brings a year due dates wait for
        pending.resolve_year(year, acting_user=acting_user)
    return result
