"""评议考核 pages: the year's scores per entity with the breakdown, indicator weights, entered
复议/诉讼 results, finalisation and finalised snapshots."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from zhifa.common.actions import ActionRefused
from zhifa.common.scope import get_or_deny
from zhifa.orgs.models import Entity, Region
from zhifa.supervision import figures
from zhifa.supervision.actions import appraisal as appraisal_actions
from zhifa.supervision.models import AppraisalResult, AppraisalSnapshot
from zhifa.supervision.views.access import require_supervisor_or_admin


def _year(request):
    y = (request.POST.get("year") or request.GET.get("year") or "").strip()
    return int(y) if y.isdigit() and 2000 <= int(y) <= 2100 else figures.today().year


def _region(request, user):
    rid = (request.POST.get("region") or request.GET.get("region") or "").strip()
    if not rid:
        region = figures.home_region(user)
        if region is None:
            raise Http404
        return region
    region = Region.objects.filter(pk=rid).first() if rid.isdigit() else None
    if region is None or not figures.region_allowed(user, region):
        raise Http404
    return region


def _qs(region, year):
    return f"?region={region.pk}&year={year}"


@login_required
def home(request):
    user = require_supervisor_or_admin(request)
    region, year = _region(request, user), _year(request)
    snap = AppraisalSnapshot.objects.restrict(user).filter(region=region, year=year).first()
    error = None
    if request.method == "POST":
        try:
            snap = appraisal_actions.do_finalise(acting_user=user, region=region, year=year)
            messages.success(request, f"{year}年度评议考核已定稿")
            return redirect(reverse("appraisal-home") + _qs(region, year))
        except ActionRefused as e:
            error = e
    rows = snap.rows if snap else appraisal_actions.compute(user, region, year)
    weights = snap.weights if snap else appraisal_actions.weights_for(region, year)
    return render(request, "supervision/appraisal.html", {
        "region": region, "year": year, "rows": rows, "snap": snap, "error": error, "qs": _qs(region, year),
        "indicators": [(k, label, weights.get(k, 0), how) for k, label, _w, how in appraisal_actions.INDICATORS],
        "years": range(figures.today().year, figures.today().year - 6, -1),
        "snapshots": AppraisalSnapshot.objects.restrict(user).select_related("region")[:20]},
        status=422 if error else 200)


@login_required
def entity_view(request, pk):
    user = require_supervisor_or_admin(request)
    entity = get_or_deny(Entity.objects.restrict(user).select_related("region"), pk=pk)
    year = _year(request)
    region = figures.home_region(user) or entity.region
    snap = next((s for s in AppraisalSnapshot.objects.restrict(user).filter(year=year).select_related("region")
                 if entity.region.path.startswith(s.region.path)), None)
    rows = snap.rows if snap else appraisal_actions.compute(user, entity.region, year,
                                                            weights=appraisal_actions.weights_for(region, year))
    row = next((r for r in rows if r["entity_id"] == entity.pk), None)
    if row is None:
        raise Http404
    return render(request, "supervision/appraisal_entity.html", {"entity": entity, "year": year, "row": row,
                                                                  "snap": snap})


@login_required
def scheme(request):
    user = require_supervisor_or_admin(request)
    region, year = _region(request, user), _year(request)
    weights, error = appraisal_actions.weights_for(region, year), None
    if request.method == "POST":
        weights = {k: request.POST.get(f"w_{k}", "") for k, *_ in appraisal_actions.INDICATORS}
        try:
            appraisal_actions.do_save_scheme(acting_user=user, region=region, year=year, weights=weights)
            messages.success(request, "指标权重已保存")
            return redirect(reverse("appraisal-home") + _qs(region, year))
        except ActionRefused as e:
            error = e
    return render(request, "supervision/appraisal_scheme.html", {
        "region": region, "year": year, "error": error, "qs": _qs(region, year),
        "rows": [(k, label, weights.get(k, ""), how) for k, label, _w, how in appraisal_actions.INDICATORS]},
        status=422 if error else 200)


@login_required
def results(request):
    user = require_supervisor_or_admin(request)
    region, year = _region(request, user), _year(request)
    error, posted = None, {}
    if request.method == "POST":
        entity = get_or_deny(Entity.objects.restrict(user), pk=request.POST.get("entity") or 0)
        posted = {f: request.POST.get(f, "") for f in (*appraisal_actions.RESULT_FIELDS, "note")}
        try:
            appraisal_actions.do_enter_results(acting_user=user, entity=entity, year=year, data=posted)
            messages.success(request, f"已录入{entity.name}{year}年复议诉讼结果")
            return redirect(reverse("appraisal-results") + _qs(region, year))
        except ActionRefused as e:
            error, posted["entity"] = e, entity.pk
    entities = list(appraisal_actions.entities_of(user, region))
    entered = {r.entity_id: r for r in AppraisalResult.objects.restrict(user).filter(year=year,
                                                                                     entity__in=entities)}
    return render(request, "supervision/appraisal_results.html", {
        "region": region, "year": year, "error": error, "posted": posted, "qs": _qs(region, year),
        "rows": [(e, entered.get(e.pk)) for e in entities]}, status=422 if error else 200)


@login_required
def officers(request):
    """执法人员考核: each officer's cases handled, periods breached, reviews returned, 复议/诉讼 reversals and
    complaints found true, and the score feeding the entity's "执法人员考核" indicator; findings entered here."""
    from django.core.exceptions import PermissionDenied

    from zhifa.cases.models import Case
    from zhifa.common.roles import Role
    from zhifa.orgs.models import Officer
    from zhifa.supervision.models import OfficerFinding

    user = request.user
    year = _year(request)
    if user.is_superuser or user.role in (Role.SUPERVISOR, Role.ADMIN):
        region = _region(request, user)
        ids = list(appraisal_actions.entities_of(user, region).values_list("pk", flat=True))
        qs = _qs(region, year)
    elif user.role in (Role.AGENCY_HEAD, Role.UNIT_HEAD) and user.entity_id:
        region, ids, qs = None, [user.entity_id], f"?year={year}"
    else:
        raise PermissionDenied
    error = None
    if request.method == "POST":
        g = request.POST
        officer = Officer.objects.restrict(user).filter(pk=g.get("officer") or 0, entity_id__in=ids).first()
        case = Case.objects.restrict(user).filter(number=g.get("case_number", "").strip()).first() \
            if g.get("case_number", "").strip() else None
        try:
            if officer is None:
                raise ActionRefused("validation", "执法人员：请选择执法人员", "officer")
            if g.get("case_number", "").strip() and case is None:
                raise ActionRefused("validation", "相关案件编号：未找到该案件", "case")
            appraisal_actions.do_record_officer_finding(acting_user=user, officer=officer, kind=g.get("kind", ""),
                                                        note=g.get("note", ""), case=case)
            messages.success(request, "已录入")
            return redirect(reverse("appraisal-officers") + qs)
        except ActionRefused as e:
            error = e
    rows = appraisal_actions.officer_rows(ids, year)
    rows.sort(key=lambda r: (r["score"] is None, r["score"] if r["score"] is not None else 0, r["entity"], r["officer"]))
    return render(request, "supervision/appraisal_officers.html", {
        "rows": rows, "year": year, "region": region, "error": error, "qs": qs,
        "officers": Officer.objects.restrict(user).filter(entity_id__in=ids).select_related("entity").order_by("entity_id", "name"),
        "kinds": OfficerFinding.Kind.choices, "deductions": appraisal_actions.OFFICER_DEDUCTIONS,
        "findings": OfficerFinding.objects.restrict(user).filter(entity_id__in=ids, found_on__year=year)
        .select_related("officer", "case")[:100],
        "years": range(figures.today().year, figures.today().year - 6, -1)})
