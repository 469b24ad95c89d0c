"""执法规范: the norms the signed-in user's cases show (own entity, region and above), and adding one."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render

from zhifa.cases.machine import STATES
from zhifa.common.actions import ActionRefused
from zhifa.discretion.actions import do_add_norm
from zhifa.discretion.choices import NormKind
from zhifa.discretion.models import Norm


@login_required
def norms(request):
    user = request.user
    if request.method == "POST":
        entity = user.entity if request.POST.get("scope") == "entity" else None
        region = user.entity.region if request.POST.get("scope") == "region" and user.entity_id else None
        try:
            do_add_norm(acting_user=user, kind=request.POST.get("kind", ""), title=request.POST.get("title", ""),
                        text=request.POST.get("text", ""), step=request.POST.get("step", ""), entity=entity,
                        region=region, basis=request.POST.get("basis", ""))
            messages.success(request, "已录入执法规范")
            return redirect("discretion-norms")
        except ActionRefused as e:
            messages.error(request, e.message)
    regions, r = [], user.entity.region if user.entity_id else None
    while r is not None:
        regions.append(r.pk)
        r = r.parent
    q = Q(entity__isnull=True, region__isnull=True) | Q(entity__isnull=True, region_id__in=regions)
    if user.entity_id:
        q |= Q(entity_id=user.entity_id)
    rows = Norm.objects.filter(q, active=True).select_related("entity", "region") if not user.is_superuser else Norm.objects.all()
    steps = STATES["penalty_general"]
    return render(request, "discretion/norms.html", {
        "norms": [{"n": n, "step_label": steps.get(n.step, "全部环节")} for n in rows],
        "kinds": NormKind.choices, "steps": list(steps.items()),
        "may_add": user.is_superuser or user.role in ("agency_head", "supervisor", "admin")})
