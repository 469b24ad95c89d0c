"""The portal's home page (综合信息): the latest publications and the latest withdrawals."""
from __future__ import annotations

from django.shortcuts import render

from zhifa.disclosure import public
from zhifa.disclosure.models import Publication


def home(request):
    latest = public.published()[:10]
    withdrawn = Publication.objects.filter(state=Publication.State.WITHDRAWN).order_by("-withdrawn_on")[:10]
    return render(request, "portal/home.html", {
        "module": "home", "latest": latest, "published_count": public.published_count(), "withdrawn": withdrawn})
