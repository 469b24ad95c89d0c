"""统计报表 for supervisors (/supervision/stats/): the period report of their region (year,
quarter or month) with charts, and free queries by dimension, both exportable to .xlsx and PDF.
Scope: the supervisor's region subtree (stats.parse_spec refuses other regions with 404)."""
from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from zhifa.cases.models import Case, Kind
from zhifa.common.actions import ActionRefused
from zhifa.common.xlsx import XLSX_CONTENT_TYPE
from zhifa.documents.render import PdfUnavailable
from zhifa.orgs.models import Region
from zhifa.supervision import export, figures, stats
from zhifa.supervision.actions import reports
from zhifa.supervision.views.access import require_supervisor

CHART_KEYS = ["all", "penalty", "not_punished", "hearing", "reviewed", "discussed"]


def _params(request):
    """GET parameters with the page's defaults: this year, grouped by entity."""
    g = request.GET.copy()
    if "year" not in g:
        g["year"] = str(figures.today().year)
    if "dims" not in g:
        g["dims"] = "entity"
    return g


def _spec(request):
    user = require_supervisor(request)
    spec = stats.parse_spec(user, _params(request))
    if spec.region is None and spec.entity is None:
        spec.region = figures.home_region(user)
    return user, spec


def _chart(result: stats.Result, metric: str) -> dict:
    """Bars of `metric` by the first dimension, one series per value of the second (if any)."""
    if not result.dims:
        return {"categories": [], "series": []}
    cats, series = [], {}
    for r in result.rows:
        c = r["labels"][0]
        if c not in cats:
            cats.append(c)
        s = r["labels"][1] if len(r["labels"]) > 1 else result.metrics[[m.key for m in result.metrics].index(metric)].label
        series.setdefault(s, {})[c] = float(r[metric])
    return {"categories": cats, "series": [{"name": n, "data": [v.get(c, 0) for c in cats]} for n, v in series.items()]}


@login_required
def stats_page(request):
    error, result, report, spec = None, None, None, None
    user = require_supervisor(request)
    try:
        user, spec = _spec(request)
        result = stats.query(user, spec)
        report = reports.region_report(user, stats.Spec(region=spec.region, entity=spec.entity, year=spec.year,
                                              quarter=spec.quarter, month=spec.month))
    except ActionRefused as e:
        error = e
    today = figures.today()
    known = stats.metrics(today)
    if result:
        for row in result.rows:
            row["values"] = [row[m.key] for m in result.metrics]
    metric = request.GET.get("chart") or (spec.metrics[0] if spec else "all")
    if spec and metric not in spec.metrics:
        metric = spec.metrics[0]
    g = _params(request)
    query = urlencode(spec.params()) if spec else ""
    period = {k: getattr(spec, k) for k in ("year", "quarter", "month")} if spec else {}
    base = {k: v for k, v in period.items() if v}
    if spec and spec.region is not None:
        base["region"] = spec.region.pk
    if spec and spec.entity is not None:
        base["entity"] = spec.entity.pk
    ctx = {
        "error": error, "result": result, "report": report, "spec": spec, "g": g,
        "query": query, "report_query": urlencode(base),
        "chart": _chart(result, metric) if result else None, "chart_metric": metric,
        "report_chart": _report_chart(report) if report else None,
        "dimensions": stats.DIMENSIONS.items(), "dims_selected": spec.dims if spec else [],
        "metric_groups": _groups(known), "metrics_selected": spec.metrics if spec else stats.DEFAULT,
        "years": range(today.year, today.year - 8, -1), "quarters": range(1, 5), "months": range(1, 13),
        "kinds": Kind.choices, "outcomes": stats.OUTCOME_LABELS.items(),
        "categories": _categories(user),
        "regions": _regions(user), "summary": export.summary_rows(report) if report else [],
        "tables": export.sections(report)[1:] if report else [],
        "total_values": [result.total[m.key] for m in result.metrics] if result else [],
    }
    return render(request, "supervision/stats.html", ctx)


def _groups(known):
    out = {}
    for m in known.values():
        out.setdefault(m.group, []).append(m)
    return list(out.items())


def _categories(user):
    return sorted(set(Case.objects.restrict(user).exclude(field="").order_by().values_list("field", flat=True)
                      .distinct()[:200]))


def _regions(user):
    base = figures.home_region(user)
    if base is None:
        return []
    return list(Region.objects.filter(path__startswith=base.path, level__lte=base.level + 1).order_by("path"))


def _report_chart(report) -> dict:
    months = report["tables"]["by_month"] or report["tables"]["by_quarter"]
    return {"months": [r["label"] for r in months],
            "series": [{"name": report["labels"][k], "data": [r[k] for r in months]} for k in ("all", "penalty")],
            "outcomes": [{"name": r["label"], "value": r["all"]} for r in report["tables"]["by_outcome"]],
            "kinds": [{"name": r["label"], "value": r["all"]} for r in report["tables"]["by_kind"]]}


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return resp


def _quote(name):
    return quote(name)


def _refused(e: ActionRefused):
    return HttpResponse(e.message, status=422, content_type="text/plain; charset=utf-8")


def _pdf_or_message(docx: bytes, filename: str):
    try:
        return _download(export.to_pdf(docx), filename, "application/pdf")
    except PdfUnavailable as e:
        return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")


@login_required
def query_export(request, fmt):
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    try:
        user, spec = _spec(request)
        result = stats.query(user, spec)
    except ActionRefused as e:
        return _refused(e)
    title = f"{(spec.entity or spec.region).name}行政执法统计查询（{spec.period_label}）"
    if fmt == "xlsx":
        return _download(export.query_xlsx(result, title), f"{title}.xlsx", XLSX_CONTENT_TYPE)
    return _pdf_or_message(export.query_docx(result, title), f"{title}.pdf")


@login_required
def report_export(request, fmt):
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    try:
        user, spec = _spec(request)
        report = reports.region_report(user, stats.Spec(region=spec.region, entity=spec.entity, year=spec.year,
                                              quarter=spec.quarter, month=spec.month))
    except ActionRefused as e:
        return _refused(e)
    title = report["title"]
    if fmt == "xlsx":
        return _download(export.report_xlsx(report, title), f"{title}.xlsx", XLSX_CONTENT_TYPE)
    return _pdf_or_message(export.report_docx(report, title), f"{title}.pdf")
