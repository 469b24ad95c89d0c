"""Who enforces what (执法主体, 执法人员, 权责清单) and 亮证 (checking an officer's certificate).
Public pages (/gs/, no login): the active entities, officers with a valid certificate, the published
power lists, the certificate check. Staff pages (/disclosure/certificates/): each certificate's QR
code pointing at its public check."""
from __future__ import annotations

from dataclasses import dataclass

import segno
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from zhifa.common.scope import get_or_deny
from zhifa.disclosure import public
from zhifa.orgs.models import Certificate, Entity, Region
from zhifa.powers.models import Flowchart, InspectionItem, PowerItem, ServiceGuide

PER_PAGE = 30


def _q(request) -> str:
    return (request.GET.get("q") or "").strip()[:50]


def _params(request) -> str:
    """The query string without the page number, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def region_choices() -> list[Region]:
    """The city and counties that hold active entities (their towns count under the county): the
    region filter of the entity list, the power list and the complaint form. At 毕节 scale about ten
    rows instead of 632 entities."""
    paths = set(Entity.objects.filter(is_active=True).values_list("region__path", flat=True).distinct())
    codes = {code for path in paths for code in path.strip("/").split("/")}
    return list(Region.objects.filter(code__in=codes, level__lte=Region.Level.COUNTY).order_by("code"))


def _region(code):
    return Region.objects.filter(code=code).first() if code and str(code).isdigit() else None


def entities_in(region: Region | None):
    """Active entities of a county (with its towns), or of a city or province itself (本级): the list
    a region filter narrows to, a few dozen rows."""
    qs = Entity.objects.filter(is_active=True)
    if region is None:
        return qs
    if region.level >= Region.Level.COUNTY:
        return qs.filter(region__path__startswith=region.path)
    return qs.filter(region=region)


def region_label(region: Region) -> str:
    return f"{region.name}本级" if region.level < Region.Level.COUNTY else region.name


def entity_picker(request, *, name="entity", required=False) -> dict:
    """The two selects that replace one dropdown of every entity: a region, then that region's
    entities (HTMX refreshes the second from /gs/entities/options/; without script a 筛选 button
    reloads the page). No region chosen: no entity options."""
    region = _region(request.GET.get("region") or request.POST.get("region"))
    selected = request.GET.get(name) or request.POST.get(name) or ""
    if region is None and str(selected).isdigit():
        # an entity given alone (a link from the entity list): open its county's list
        entity = Entity.objects.filter(pk=int(selected)).select_related("region").first()
        if entity is not None:
            codes = entity.region.path.strip("/").split("/")
            region = Region.objects.filter(code__in=codes, level__lte=Region.Level.COUNTY).order_by("-level").first()
    options = list(entities_in(region).order_by("name").values("pk", "name")) if region else []
    return {"regions": [(r.code, region_label(r)) for r in region_choices()], "region": region.code if region else "",
            "options": options, "selected": str(selected), "name": name, "required": required}


def entity_options(request):
    """The entity <option>s of one region (HTMX partial of the entity picker)."""
    ctx = entity_picker(request, name=request.GET.get("name") or "entity")
    return render(request, "disclosure/public/_entity_options.html", ctx)


def entities(request):
    q, region = _q(request), _region(request.GET.get("region"))
    rows = entities_in(region).select_related("region").order_by("region__code", "name")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(fields__icontains=q) | Q(address__icontains=q))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "disclosure/public/entities.html", {
        "module": "entities", "page": page, "q": q, "region": region.code if region else "",
        "regions": [(r.code, region_label(r)) for r in region_choices()], "params": _params(request)})


def officers(request):
    today = timezone.localdate()
    certs = (Certificate.objects.filter(status="valid", issued_on__lte=today, expires_on__gte=today)
             .select_related("officer", "officer__entity").order_by("officer__entity__name", "number"))
    if q := (request.GET.get("q") or "").strip():
        certs = certs.filter(officer__name__icontains=q) | certs.filter(number__icontains=q)
    page = Paginator(certs, 30).get_page(request.GET.get("page"))
    return render(request, "disclosure/public/officers.html", {"module": "officers", "page": page, "q": q})


@dataclass(frozen=True)
class PowerList:
    """One published list of the 权责清单 section: its model, the fields the search looks in, the
    field its kind filter reads and the order of its rows."""
    label: str
    model: type
    search: tuple[str, ...]
    kind_field: str | None
    kinds: tuple
    order: tuple[str, ...]


POWER_LISTS = {
    "items": PowerList("权责事项", PowerItem, ("name", "code", "law", "article"), "category",
                       tuple(PowerItem.Category.choices), ("entity__name", "code")),
    "inspections": PowerList("随机抽查事项", InspectionItem, ("name", "code", "law", "power_item_code"), "kind",
                             tuple(InspectionItem.Kind.choices), ("entity__name", "code")),
    "guides": PowerList("服务指南", ServiceGuide, ("title", "power_item_code", "basis"), None, (),
                        ("entity__name", "title")),
    "flowcharts": PowerList("执法流程图", Flowchart, ("title",), "power_category",
                            tuple(PowerItem.Category.choices), ("entity__name", "title")),
}


def power_rows(params, today=None):
    """(list key, published rows narrowed by q / region / entity / kind) — every match, paged by
    the caller; the count is the total, never a silent cap."""
    key = params.get("list") if params.get("list") in POWER_LISTS else "items"
    spec = POWER_LISTS[key]
    rows = spec.model.objects.published(today).select_related("entity").order_by(*spec.order, "id")
    if q := (params.get("q") or "").strip()[:50]:
        cond = Q()
        for f in spec.search:
            cond |= Q(**{f"{f}__icontains": q})
        rows = rows.filter(cond)
    if (entity := params.get("entity")) and str(entity).isdigit():
        rows = rows.filter(entity_id=int(entity))
    elif region := _region(params.get("region")):
        rows = rows.filter(entity__in=entities_in(region))
    if spec.kind_field and (kind := params.get("kind")) in dict(spec.kinds):
        rows = rows.filter(**{spec.kind_field: kind})
    return key, rows


def powers(request):
    key, rows = power_rows(request.GET)
    spec = POWER_LISTS[key]
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "disclosure/public/powers.html", {
        "module": "powers", "list": key, "spec": spec, "lists": [(k, v.label) for k, v in POWER_LISTS.items()],
        "page": page, "q": _q(request), "kind": request.GET.get("kind", ""), "params": _params(request),
        "picker": entity_picker(request)})


def certificate(request, number=None):
    number = number or (request.GET.get("number") or "").strip()
    result = public.certificate_check(number) if number else None
    return render(request, "disclosure/public/certificate.html", {"module": "cert", "number": number, "result": result})


# ---- staff: a certificate's QR code (/disclosure/certificates/<pk>/) -----------------------------

def _cert(request, pk):
    return get_or_deny(Certificate.objects.restrict(request.user, "view").select_related("officer"), pk=pk)


def check_url(request, cert) -> str:
    return request.build_absolute_uri(reverse("gs-cert-number", args=[cert.number]))


@login_required
def certificate_qr(request, pk):
    cert = _cert(request, pk)
    return HttpResponse(qr_svg_document(check_url(request, cert)), content_type="image/svg+xml")


def qr_svg_document(text: str) -> bytes:
    """A standalone SVG document (XML declaration, `xmlns`): what an <img src> needs. segno's
    svg_inline() leaves out the namespace, which only works pasted into HTML; as an image file
    a browser refuses to render it."""
    import io

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="svg", scale=4, dark="#000", light="#fff", xmldecl=True)
    return buf.getvalue()


def cert_tasks(cert):
    """The open tasks and cases the certificate's officer is on: a 亮证码 may name one (到场)."""
    from zhifa.cases.models import Case
    from zhifa.records.field import CLOSED_STATES

    return (Case.objects.filter(officers__officer=cert.officer, officers__active=True)
            .exclude(state__in=CLOSED_STATES).distinct().order_by("-id")[:50])


def _task(request, cert):
    raw = request.GET.get("task", "")
    return next((c for c in cert_tasks(cert) if str(c.pk) == raw), None) if raw.isdigit() else None


@login_required
def certificate_qr_page(request, pk):
    cert = _cert(request, pk)
    return render(request, "disclosure/certificate_qr.html", {"cert": cert, "url": check_url(request, cert),
                                                              "tasks": cert_tasks(cert), "task": _task(request, cert)})


# ---- 亮证 that verifies offline (issue 20): a signed, short-lived QR and the public check page ----

def signed_check_url(request, cert, task=None) -> str:
    from zhifa.disclosure import cert_token

    return request.build_absolute_uri(reverse("gs-cert-verify")) + "#" + cert_token.issue(cert, task=task)


@login_required
def certificate_signed_qr(request, pk):
    cert = _cert(request, pk)
    resp = HttpResponse(qr_svg_document(signed_check_url(request, cert, _task(request, cert))),
                        content_type="image/svg+xml")
    resp["Cache-Control"] = "no-store"
    return resp


def certificate_verify(request):
    """/gs/cert/v/#<token>: the citizen's browser checks the token's Ed25519 signature with the
    platform key printed in this page (static/disclosure/cert-verify.js); the token never reaches
    the server. Once opened, the page and its scripts are kept by a service worker: it verifies
    with the network off."""
    from zhifa.disclosure import cert_token
    from zhifa.ledger import signing

    return render(request, "disclosure/public/certificate_verify.html", {
        "module": "cert", "keys": signing.trusted_keys(), "version": cert_token.VERSION})


def certificate_verify_sw(request):
    from zhifa.records.field import service_worker_response

    return service_worker_response(scope=reverse("gs-cert-verify"), name="liangzheng", static_files=(
        "zhifa.js", "vendor/htmx.min.js", "vendor/tweetnacl.min.js", "disclosure/cert-verify.js"))
