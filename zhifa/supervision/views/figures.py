"""Supervision home: the figures per region level and entity (drill-down, charts) and the case
list behind every figure (zhifa.supervision.figures)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from zhifa.common.scope import get_or_deny
from zhifa.orgs.models import Entity, Officer, Region
from zhifa.supervision import figures
from zhifa.supervision.models import Alert, SupervisionOrder
from zhifa.supervision.views.access import require_supervisor

HOME_ENTITIES = 50  # entities listed (and charted) on a region's home; the busiest first
COLUMNS = ["all", "open", "penalty_general", "penalty_simple", "inspection", "coercive", "decided", "hearing",
           "reviewed", "published", "overdue"]


def _cells(row, **where):
    """[(value, url of the cases behind it)] for one row of figures, in COLUMNS order, and the row's
    cells as HTML: a province home has ~700 linked cells, a template loop over them cost more than
    the figures' query. Values are numbers and the query is made of ids, but both are escaped anyway."""
    base = reverse("supervision-cases")
    query = "&".join(f"{k}={v}" for k, v in where.items())
    row["cells"] = [(row[k], f"{base}?metric={k}&{query}") for k in COLUMNS]
    row["fines_url"] = f"{base}?metric=fined&{query}"
    row["cells_html"] = mark_safe("".join(
        f'<td><a href="{escape(url)}" data-metric="{key}">{escape(value)}</a></td>'
        for key, (value, url) in zip(COLUMNS, row["cells"]))
        + f'<td><a href="{escape(row["fines_url"])}">{escape(row["fines"])}</a></td>')
    return row


def _year(request):
    y = request.GET.get("year", "")
    return int(y) if y.isdigit() and 2000 <= int(y) <= 2100 else None


def _columns(today):
    m = figures.metrics(today)
    return [(c, m[c][0]) for c in COLUMNS]


@login_required
def home(request):
    user, today, year = require_supervisor(request), figures.today(), _year(request)
    region = figures.home_region(user)
    if request.GET.get("region"):
        region = Region.objects.filter(pk=request.GET["region"]).first() if request.GET["region"].isdigit() else None
        if region is None or not figures.region_allowed(user, region):
            raise Http404
    y = {"year": year} if year else {}
    total, children, rows = figures.region_figures(user, today, region, year)
    entity_count = len(rows)
    if entity_count > HOME_ENTITIES:  # a province has thousands: show the busiest, the regions lead to the rest
        keep = {r["entity_id"] for r in sorted(rows, key=lambda r: -r["all"])[:HOME_ENTITIES]}
        rows = [r for r in rows if r["entity_id"] in keep]
    entities = [_cells(r, entity=r["entity_id"], **y) for r in rows]
    chart = {"entities": [r["entity__name"] for r in entities], "ids": [r["entity_id"] for r in entities],
             "series": [{"key": k, "name": label, "data": [r[k] for r in entities]}
                        for k, label in _columns(today)[2:6]],
             "overdue": [r["overdue"] for r in entities]}
    ctx = {"region": region, "parents": _ancestors(user, region),
           "total": _cells(total, region=region.pk, **y),
           "children": [_cells(r, region=r["region"].pk, **y) for r in children],
           "year": year, "years": range(today.year, today.year - 6, -1), "entities": entities,
           "entity_count": entity_count,
           "columns": _columns(today),
           "chart": chart, "chart_url": reverse("supervision-cases"),
           "open_alerts": Alert.objects.restrict(user).exclude(state=Alert.State.CLOSED)
           .filter(entity__region__path__startswith=region.path).count(),
           "open_orders": SupervisionOrder.objects.restrict(user).filter(state=SupervisionOrder.State.OPEN).count(),
           "sections": _sections(user, today, region, year)}
    return render(request, "supervision/home.html", ctx)


def _sections(user, today, region, year):
    """Other apps' figures for this region (common.registry.supervision_sections; never imported here)."""
    from zhifa.common.registry import supervision_sections

    out = []
    for entry in supervision_sections.entries():
        section = entry.value(user, today, region, year)
        if section is not None:
            out.append({"key": entry.key, "title": section.title, "html": section.html})
    return out


def _ancestors(user, region):
    base, out, r = figures.home_region(user), [], region
    while r is not None:
        out.insert(0, r)
        if base and r.pk == base.pk:
            break
        r = r.parent
    return out


@login_required
def entity_view(request, pk):
    user, today, year = require_supervisor(request), figures.today(), _year(request)
    entity = get_or_deny(Entity.objects.restrict(user), pk=pk)
    y = {"year": year} if year else {}
    return render(request, "supervision/entity.html", {
        "entity": entity, "year": year, "columns": _columns(today),
        "total": _cells(figures.totals(user, today, entity=entity, year=year), entity=entity.pk, **y),
        "officers": [_cells(r, entity=entity.pk, officer=r["officer"].pk, **y)
                     for r in figures.by_officer(user, today, entity, year)],
        "alerts": Alert.objects.restrict(user).filter(entity=entity).exclude(state=Alert.State.CLOSED)
        .annotate(rank=Alert.severity_rank()).order_by("rank", "-last_seen", "-id")[:50],
        "orders": SupervisionOrder.objects.restrict(user).filter(entity=entity)[:50]})


@login_required
def case_list(request):
    user, today = require_supervisor(request), figures.today()
    g, where, title = request.GET, {}, []
    metric = g.get("metric", "all")
    m = figures.metrics(today)
    if metric not in m:
        raise Http404
    title.append(m[metric][0])
    if g.get("region", "").isdigit():
        where["region"] = get_or_deny(Region.objects.all(), pk=g["region"])
        if not figures.region_allowed(user, where["region"]):
            raise Http404
        title.insert(0, where["region"].name)
    if g.get("entity", "").isdigit():
        where["entity"] = get_or_deny(Entity.objects.restrict(user), pk=g["entity"])
        title.insert(0, where["entity"].name)
    if _year(request):
        where["year"] = _year(request)
        title.insert(0, f"{where['year']}年")
    if g.get("officer", "").isdigit():
        where["officer"] = get_or_deny(Officer.objects.restrict(user), pk=g["officer"])
        title.insert(-1, where["officer"].name)
    qs = figures.metric_cases(user, metric, today, **where).select_related("entity").order_by("-id")
    page = Paginator(qs, 50).get_page(g.get("page"))
    return render(request, "supervision/cases.html", {"page": page, "title": " · ".join(title),
                                                      "count": page.paginator.count})
