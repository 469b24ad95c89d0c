"""The public site (公示平台, /gs/): no login; reads only through zhifa.disclosure.public."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhifa.disclosure import public
from zhifa.disclosure.models import Publication


def portal_context(request, module, **kw):
    from zhifa.ledger import log

    return {"module": module, "tree_head": log.latest_tree_head(), **kw}


def home(request):
    latest = public.published()[:10]
    return render(request, "disclosure/public/home.html", portal_context(
        request, "home", latest=latest, published_count=public.published_count(),
        withdrawn=Publication.objects.filter(state=Publication.State.WITHDRAWN).order_by("-withdrawn_on")[:10]))


def entities(request):
    from zhifa.orgs.models import Entity

    rows = Entity.objects.filter(is_active=True).select_related("region").order_by("region__code", "name")
    return render(request, "disclosure/public/entities.html", portal_context(request, "entities", rows=rows))


def officers(request):
    from zhifa.orgs.models import Certificate

    today = timezone.localdate()
    certs = (Certificate.objects.filter(status="valid", issued_on__lte=today, expires_on__gte=today)
             .select_related("officer", "officer__entity").order_by("officer__entity__name", "number"))
    if q := (request.GET.get("q") or "").strip():
        certs = certs.filter(officer__name__icontains=q) | certs.filter(number__icontains=q)
    page = Paginator(certs, 30).get_page(request.GET.get("page"))
    return render(request, "disclosure/public/officers.html", portal_context(request, "officers", page=page, q=q))


def powers(request):
    from zhifa.powers.models import Flowchart, InspectionItem, PowerItem, ServiceGuide

    return render(request, "disclosure/public/powers.html", portal_context(
        request, "powers",
        items=PowerItem.objects.published().select_related("entity").order_by("entity__name", "code")[:300],
        inspections=InspectionItem.objects.published().select_related("entity").order_by("entity__name", "code")[:300],
        guides=ServiceGuide.objects.published().select_related("entity").order_by("entity__name", "title")[:300],
        flowcharts=Flowchart.objects.published().select_related("entity").order_by("entity__name", "title")[:100]))


def results(request):
    page, q = public.search_page(request.GET, request.GET.get("page"))
    rows = [{"pub": p, "title": public.highlight(p.public_title, q),
             "snippet": public.highlight(p.public_body, q, limit=120)} for p in page]
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "disclosure/public/results.html", portal_context(
        request, "results", page=page, rows=rows, q=request.GET.get("q", ""), params=params.urlencode(),
        max_results=public.search_index.MAX_RESULTS, get=request.GET, **public.filter_options()))


def _published_or_404(pk):
    pub = public.published().filter(pk=pk).first()
    if pub is None:
        raise Http404("该公示信息不存在或已撤下")
    return pub


def decision(request, pk):
    pub = _published_or_404(pk)
    return render(request, "disclosure/public/decision.html", portal_context(request, "results", pub=pub))


def decision_proof(request, pk):
    pub = _published_or_404(pk)
    resp = HttpResponse(public.proof_json(pub), content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="proof-{pub.pk}.json"'
    return resp


def progress(request):
    page = Paginator(public.in_progress(), 30).get_page(request.GET.get("page"))
    rows = [{"number": c.number, "entity": c.entity.name, "stage": public.stage_of(c), "on": c.last_action_on}
            for c in page]
    mine, tried = None, False
    if request.GET.get("number") or request.GET.get("code"):
        tried = True
        mine = public.party_view(request.GET.get("number", ""), request.GET.get("code", ""))
    return render(request, "disclosure/public/progress.html", portal_context(
        request, "progress", page=page, rows=rows, mine=mine, tried=tried, get=request.GET))


def contact(request):
    from zhifa.common.actions import ActionRefused
    from zhifa.disclosure import complaints
    from zhifa.orgs.models import Entity

    rows = Entity.objects.filter(is_active=True).order_by("name")
    submitted, error, form = None, None, {}
    if request.method == "POST":
        form = request.POST
        entity = rows.filter(pk=form.get("entity")).first() if str(form.get("entity", "")).isdigit() else None
        try:
            submitted = complaints.do_submit_complaint(
                entity=entity, kind=form.get("kind", ""), content=form.get("content", ""),
                contact=form.get("contact", ""), client=complaints.client_of(request))
        except ActionRefused as e:
            error = e.message
    found = complaints.lookup(request.GET.get("code", "")) if request.GET.get("code") else None
    return render(request, "disclosure/public/contact.html", portal_context(
        request, "contact", rows=rows, submitted=submitted, error=error, form=form, found=found,
        code=request.GET.get("code", "")))


def certificate(request, number=None):
    number = number or (request.GET.get("number") or "").strip()
    result = public.certificate_check(number) if number else None
    return render(request, "disclosure/public/certificate.html", portal_context(
        request, "cert", number=number, result=result))
