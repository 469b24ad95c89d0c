import calendar as stdcal
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused
from zhifa.common.crud import changelog_for
from zhifa.common.scope import get_or_deny
from zhifa.legalcal import notice as notice_mod
from zhifa.legalcal import periods, text
from zhifa.legalcal.actions import do_delete_calendar_year, do_enter_calendar_year, is_calendar_admin
from zhifa.legalcal.forms import CalendarYearForm, DeadlineForm, NoticePasteForm
from zhifa.legalcal.models import CalendarDay, CalendarYear

EXPLAIN_MAX_DAYS = 400


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    years = (CalendarYear.objects.restrict(request.user).select_related("entered_by")
             .annotate(n_holidays=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
                       n_workdays=Count("days", filter=Q(days__kind=CalendarDay.Kind.WORKDAY))))
    known = {y.year for y in years}
    this_year = timezone.localdate().year
    missing = [y for y in (this_year, this_year + 1) if y not in known]
    return render(request, "legalcal/year_list.html", {
        "years": years, "can_enter": is_calendar_admin(request.user), "missing": missing})


class _Listed(NamedTuple):
    kind: str
    name: str


def _grid(year: int, listed: Mapping[dt.date, CalendarDay | _Listed],
          is_working: Callable[[dt.date], bool]) -> list[dict[str, Any]]:
    """Twelve month tables of the year; `listed` maps a date to what the notice says of it."""
    out: list[dict[str, Any]] = []
    for month in range(1, 13):
        weeks: list[list[dict[str, Any] | None]] = []
        for week in stdcal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[dict[str, Any] | None] = []
            for d in week:
                if d.month != month:
                    row.append(None)
                    continue
                item = listed.get(d)
                working = is_working(d)
                css = "work" if working else "rest"
                if item:
                    css += " listed " + item.kind
                row.append({"date": d, "css": css, "listed": item,
                            "title": f"{d:%Y-%m-%d} {periods.weekday_cn(d)} "
                                     f"{'工作日' if working else '休息日'} {item.name if item else ''}".strip()})
            weeks.append(row)
        out.append({"month": month, "weeks": weeks})
    return out


def _months(cy: CalendarYear, cal: periods.Calendar) -> list[dict[str, Any]]:
    days = {d.date: d for d in cy.days.all()}
    return _grid(cy.year, days, lambda d: cal.is_working(d) if d.year in cal.years else d.weekday() < 5)


@login_required
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    cy: CalendarYear = get_or_deny(CalendarYear.objects.restrict(request.user).select_related("entered_by"), year=year)
    cal = periods.current()
    days = list(cy.days.all())
    return render(request, "legalcal/year_detail.html", {
        "cy": cy, "obj": cy, "months": _months(cy, cal), "weekday_heads": list(periods.WEEKDAYS_CN),
        "holidays": _ranges([(d.date, d.name or "放假") for d in days if d.kind == CalendarDay.Kind.HOLIDAY]),
        "workdays": _ranges([(d.date, d.name or "调休") for d in days if d.kind == CalendarDay.Kind.WORKDAY]),
        "can_edit": is_calendar_admin(request.user),
        "log": changelog_for(cy, request.user)[:50], "ct": ContentType.objects.get_for_model(CalendarYear).pk,
    })


@login_required
def year_edit(request: HttpRequest, year: int | None = None) -> HttpResponse:
    if not is_calendar_admin(request.user):
        raise PermissionDenied
    cy: CalendarYear | None = get_or_deny(CalendarYear.objects.all(), year=year) if year is not None else None
    initial: dict[str, Any] = {"confirmed": True}
    if cy is not None:
        initial.update(year=cy.year, notice=cy.notice if cy.source == CalendarYear.Source.ADMIN else "",
                       text=text.render(cy.days.all()), confirmed=cy.confirmed)
    elif request.GET.get("year", "").isdigit():
        initial["year"] = int(request.GET["year"])
    form = CalendarYearForm(request.POST or None, initial=initial)
    if cy is not None:
        form.fields["year"].disabled = True
    if cy is not None and cy.source == CalendarYear.Source.ADMIN:
        form.fields.pop("replace")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if cy is None and CalendarYear.objects.filter(year=d["year"], source=CalendarYear.Source.ADMIN).exists():
            form.add_error("year", f"{d['year']}年的安排已由管理员录入，请在该年度页面点击“修改”")
            return render(request, "legalcal/year_edit.html", {"form": form, "cy": cy})
        try:
            holidays, workdays = text.parse(d["text"], d["year"])
            saved = do_enter_calendar_year(
                d["year"], holidays, workdays, d["notice"], acting_user=request.user,
                replace=d.get("replace", False), confirmed=d["confirmed"])
            return redirect("calendar-year", saved.year)
        except text.CalendarTextError as e:
            for msg in e.errors:
                form.add_error("text", msg)
        except ActionRefused as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
    return render(request, "legalcal/year_edit.html", {"form": form, "cy": cy})


@login_required
def notice_paste(request: HttpRequest) -> HttpResponse:
    """Paste the State Council notice: parse, show the year, save on confirmation."""
    if not is_calendar_admin(request.user):
        raise PermissionDenied
    form = NoticePasteForm(request.POST or None)
    ctx: dict[str, Any] = {"form": form, "weekday_heads": list(periods.WEEKDAYS_CN)}
    if request.method == "POST" and form.is_valid():
        pasted = form.cleaned_data["text"]
        try:
            parsed = notice_mod.parse_notice(pasted)
        except ActionRefused as e:
            form.add_error("text", e.message)
            return render(request, "legalcal/notice_paste.html", ctx)
        holidays, workdays = parsed.in_year()
        off = {d for d, _n in holidays}
        on = {d for d, _n in workdays}
        listed = {d: _Listed(CalendarDay.Kind.HOLIDAY, n) for d, n in holidays}
        listed.update({d: _Listed(CalendarDay.Kind.WORKDAY, n) for d, n in workdays})
        existing = CalendarYear.objects.filter(year=parsed.year).select_related("entered_by").first()
        ctx.update(parsed=parsed, existing=existing,
                   months=_grid(parsed.year, listed, lambda d: d in on or (d.weekday() < 5 and d not in off)),
                   holidays=_ranges([(d, n or "放假") for d, n in holidays]),
                   workdays=_ranges([(d, n or "调休") for d, n in workdays]),
                   outside=parsed.outside_year)
        if existing is None or existing.source != CalendarYear.Source.PACKAGE:
            form.fields.pop("replace")
        if "confirm" in request.POST:
            try:
                saved = do_enter_calendar_year(
                    parsed.year, holidays, workdays, parsed.title or "国务院办公厅放假安排通知",
                    acting_user=request.user, replace=form.cleaned_data.get("replace", False),
                    confirmed=True, source_text=pasted.strip())
            except ActionRefused as e:
                if e.rule == "calendar.admin_only":
                    raise PermissionDenied from e
                form.add_error(e.field if e.field in form.fields else None, e.message)
            else:
                messages.success(request, f"已按通知录入{saved.year}年放假安排")
                return redirect("calendar-year", saved.year)
    return render(request, "legalcal/notice_paste.html", ctx)


@login_required
@require_POST
def year_delete(request: HttpRequest, year: int) -> HttpResponse:
    cy: CalendarYear = get_or_deny(CalendarYear.objects.restrict(request.user), year=year)
    try:
        do_delete_calendar_year(cy, acting_user=request.user, reason=request.POST.get("reason", ""))
    except ActionRefused as e:
        if e.rule == "calendar.admin_only":
            raise PermissionDenied from e
        messages.error(request, e.message)
        return redirect("calendar-year", year)
    return redirect("calendar-years")


def _ranges(items: Iterable[tuple[dt.date, str]]) -> list[str]:
    """[(date, label)] → ['2025-10-01~2025-10-08 国庆节', …] joining consecutive equal labels."""
    out: list[list[Any]] = []
    for d, label in items:
        if out and out[-1][2] == label and (d - out[-1][1]).days == 1:
            out[-1][1] = d
        else:
            out.append([d, d, label])
    return [f"{a:%Y-%m-%d}" + (f"~{b:%Y-%m-%d}" if b != a else "") + f"（{label}）" for a, b, label in out]


def explain(start: dt.date, due: dt.date, cal: periods.Calendar) -> dict[str, list[str]] | None:
    """Rest days and make-up working days in (start, due], for the calculator's explanation."""
    if (due - start).days > EXPLAIN_MAX_DAYS:
        return None
    rest: list[tuple[dt.date, str]] = []
    makeup: list[tuple[dt.date, str]] = []
    d = start + periods.ONE_DAY
    while d <= due:
        if not cal.is_working(d):
            rest.append((d, cal.describe(d)))
        elif d.weekday() >= 5:
            makeup.append((d, cal.describe(d)))
        d += periods.ONE_DAY
    return {"rest": _ranges(rest), "makeup": _ranges(makeup)}


@login_required
def deadline(request: HttpRequest) -> HttpResponse:
    form = DeadlineForm(request.GET or None)
    ctx: dict[str, Any] = {"form": form, "can_enter": is_calendar_admin(request.user)}
    if form.is_bound and not form.is_valid():
        ctx["errors"] = [f"{form.fields[k].label}：{e}" if k in form.fields else e
                         for k, errs in form.errors.items() for e in errs]
    elif form.is_bound:
        d = form.cleaned_data
        cal = periods.current()
        due = periods.add_period(d["start"], d["n"], d["unit"], cal=cal)
        ctx.update(due=due, start=d["start"], n=d["n"], unit_label=periods.UNIT_LABELS[d["unit"]],
                   unit=d["unit"], basis=d["basis"], label=d["label"],
                   start_weekday=periods.weekday_cn(d["start"]))
        if due.known:
            assert due.date is not None  # a known Due always has its date
            ctx["explain"] = explain(d["start"], due.date, cal)
        elif is_calendar_admin(request.user):
            ctx["enter_url"] = reverse("calendar-year-create") + f"?year={due.unknown_year}"
    template = "legalcal/_deadline_result.html" if getattr(request, "htmx", False) else "legalcal/deadline.html"
    return render(request, template, ctx)
