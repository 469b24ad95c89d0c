"""办理动态 (/gs/progress/, no login): the stage of each case in progress, and a party's own case
looked up with its number and the access code printed on its documents."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from zhifa.disclosure import public


def progress(request):
    page = Paginator(public.in_progress(), 30).get_page(request.GET.get("page"))
    rows = [{"number": c.number, "entity": c.entity.name, "stage": public.stage_of(c), "on": c.last_action_on}
            for c in page]
    mine, tried = None, False
    if request.GET.get("number") or request.GET.get("code"):
        tried = True
        mine = public.party_view(request.GET.get("number", ""), request.GET.get("code", ""))
    return render(request, "disclosure/public/progress.html", {
        "module": "progress", "page": page, "rows": rows, "mine": mine, "tried": tried, "get": request.GET})
