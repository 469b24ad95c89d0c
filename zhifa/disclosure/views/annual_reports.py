"""年度行政执法统计年报 pages.

Public (/gs/reports/): published reports by year and entity, each with charts and .xlsx / PDF
downloads; nothing unpublished is reachable. Staff (/disclosure/reports/): the reports in the
user's scope, generation (supervisors for their subtree, the agency head for the entity) and
publication (the agency head), all through zhifa.supervision.actions.reports.
"""
from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.common.actions import ActionRefused
from zhifa.common.scope import can, can_on_entity, get_or_deny
from zhifa.common.xlsx import XLSX_CONTENT_TYPE
from zhifa.disclosure.models import AnnualReport
from zhifa.documents.render import PdfUnavailable
from zhifa.orgs.models import Entity
from zhifa.supervision import export
from zhifa.supervision.actions import reports

FORMATS = {"xlsx", "pdf"}


def _chart(fig) -> dict:
    return {"months": [r["label"] for r in fig["tables"]["by_month"]],
            "series": [{"name": fig["labels"][k], "data": [r[k] for r in fig["tables"]["by_month"]]}
                       for k in ("all", "penalty")],
            "outcomes": [{"name": r["label"], "value": r["all"]} for r in fig["tables"]["by_outcome"] if r["all"]],
            "kinds": [{"name": r["label"], "value": r["all"]} for r in fig["tables"]["by_kind"] if r["all"]],
            "categories": [r["label"] for r in fig["tables"]["by_category"]],
            "category_counts": [r["all"] for r in fig["tables"]["by_category"]]}


def _body(report) -> dict:
    fig = report.figures
    s = fig["summary"]
    on_time, late, missing = s["pub_on_time"], s["pub_late"], s["pub_missing"]
    due = on_time + late + missing
    return {"report": report, "fig": fig, "summary": export.summary_rows(fig), "tables": export.sections(fig)[1:],
            "chart": _chart(fig), "deadline": reports.deadline_of(report.year),
            "timeliness": f"{on_time * 100 / due:.1f}%" if due else "—"}


# ---- public ------------------------------------------------------------------------------------

def _public_ctx(**kw):
    return {"module": "reports", **kw}


def public_list(request):
    qs = reports.public_reports().order_by("-year", "entity__region__path", "entity__name")
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    entity = request.GET.get("entity", "")
    if entity.isdigit():
        qs = qs.filter(entity_id=int(entity))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    published = reports.public_reports()
    return render(request, "disclosure/public/reports.html", _public_ctx(
        page=page, year=year, entity=entity,
        years=sorted(set(published.values_list("year", flat=True)), reverse=True),
        entities=Entity.objects.filter(annual_reports__published_on__isnull=False).distinct().order_by("name")))


def _published_or_404(pk):
    report = reports.public_reports().filter(pk=pk).first()
    if report is None:
        raise Http404("该统计年报不存在或尚未公开")
    return report


def public_detail(request, pk):
    report = _published_or_404(pk)
    return render(request, "disclosure/public/reports_detail.html", _public_ctx(**_body(report)))


def _file(report, fmt):
    name = f"{report}"
    if fmt == "xlsx":
        data, ctype = export.report_xlsx(report.figures, name), XLSX_CONTENT_TYPE
    else:
        try:
            data, ctype = export.cached_report_pdf(report), "application/pdf"
        except PdfUnavailable as e:
            return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return resp


def public_download(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404
    return _file(_published_or_404(pk), fmt)


# ---- staff -------------------------------------------------------------------------------------

@login_required
def staff_list(request):
    user = request.user
    qs = AnnualReport.objects.restrict(user, "view").select_related("entity", "entity__region").order_by(
        "-year", "entity__name")
    today = timezone.localdate()
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                report = get_or_deny(qs, pk=request.POST.get("report") or 0)
                reports.do_publish_annual_report(report, acting_user=user)
                messages.success(request, f"{report}已公开")
            else:
                entity = Entity.objects.restrict(user).filter(pk=request.POST.get("entity") or 0).first() \
                    if str(request.POST.get("entity", "")).isdigit() else None
                if entity is None:
                    raise ActionRefused("validation", "请选择执法主体", "entity")
                report = reports.do_generate_annual_report(entity, request.POST.get("year"), acting_user=user)
                messages.success(request, f"{report}已生成")
            return redirect(request.get_full_path())
        except ActionRefused as e:
            error = e
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for r in page.object_list:
        r.can_publish = not r.published_on and can(user, "publish", r)
    generatable = [e for e in Entity.objects.restrict(user).filter(is_active=True).select_related("region")
                   .order_by("region__path", "name")[:500]
                   if user.is_superuser or can_on_entity(user, "generate", AnnualReport, e)]
    return render(request, "disclosure/reports_staff.html", {
        "page": page, "error": error, "year": year, "entities": generatable,
        "years": range(today.year, today.year - 6, -1), "default_year": today.year - 1 if today.month == 1 else today.year,
        "deadline": reports.deadline_of(today.year - 1), "today": today})


@login_required
def staff_detail(request, pk):
    report = get_or_deny(AnnualReport.objects.restrict(request.user, "view").select_related("entity"), pk=pk)
    return render(request, "disclosure/reports_staff_detail.html", {
        **_body(report), "can_publish": not report.published_on and can(request.user, "publish", report),
        "report_ct": ContentType.objects.get_for_model(AnnualReport).pk})


@login_required
def staff_download(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404
    return _file(get_or_deny(AnnualReport.objects.restrict(request.user, "view"), pk=pk), fmt)
