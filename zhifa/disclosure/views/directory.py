"""Who enforces what (执法主体, 执法人员, 权责清单) and 亮证 (checking an officer's certificate).
Public pages (/gs/, no login): the active entities, officers with a valid certificate, the published
power lists, the certificate check. Staff pages (/disclosure/certificates/): each certificate's QR
code pointing at its public check."""
from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from zhifa.common.scope import get_or_deny
from zhifa.disclosure import public
from zhifa.orgs.models import Certificate, Entity
from zhifa.powers.models import Flowchart, InspectionItem, PowerItem, ServiceGuide


def entities(request):
    rows = Entity.objects.filter(is_active=True).select_related("region").order_by("region__code", "name")
    return render(request, "disclosure/public/entities.html", {"module": "entities", "rows": rows})


def officers(request):
    today = timezone.localdate()
    certs = (Certificate.objects.filter(status="valid", issued_on__lte=today, expires_on__gte=today)
             .select_related("officer", "officer__entity").order_by("officer__entity__name", "number"))
    if q := (request.GET.get("q") or "").strip():
        certs = certs.filter(officer__name__icontains=q) | certs.filter(number__icontains=q)
    page = Paginator(certs, 30).get_page(request.GET.get("page"))
    return render(request, "disclosure/public/officers.html", {"module": "officers", "page": page, "q": q})


def powers(request):
    return render(request, "disclosure/public/powers.html", {
        "module": "powers",
        "items": PowerItem.objects.published().select_related("entity").order_by("entity__name", "code")[:300],
        "inspections": InspectionItem.objects.published().select_related("entity").order_by("entity__name", "code")[:300],
        "guides": ServiceGuide.objects.published().select_related("entity").order_by("entity__name", "title")[:300],
        "flowcharts": Flowchart.objects.published().select_related("entity").order_by("entity__name", "title")[:100]})


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
    svg = segno.make(check_url(request, cert), error="m").svg_inline(scale=4)
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
def certificate_qr_page(request, pk):
    cert = _cert(request, pk)
    return render(request, "disclosure/certificate_qr.html", {"cert": cert, "url": check_url(request, cert)})
