"""类案偏离报告: per power item, the decided fines far from the item's median, in the user's scope."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from zhifa.cases.models import Case
from zhifa.common.roles import Role
from zhifa.discretion.similar import outliers as find_outliers
from zhifa.orgs.models import Entity


@login_required
def outliers(request):
    user = request.user
    if not (user.is_superuser or user.role in (Role.SUPERVISOR, Role.AGENCY_HEAD)):
        raise PermissionDenied
    entity_ids = None if user.is_superuser else list(Entity.objects.restrict(user, "view").values_list("pk", flat=True))
    if user.role == Role.AGENCY_HEAD:
        entity_ids = [user.entity_id]
    groups = find_outliers(entity_ids=entity_ids)
    cases = {c.pk: c for c in Case.objects.restrict(user, "view").filter(
        pk__in=[r["case_id"] for g in groups for r in g["outliers"] + g["proposed"]]).select_related("entity")}
    for g in groups:
        g["rows"] = [{**r, "case": cases.get(r["case_id"]), "pending": False} for r in g["outliers"]]
        g["rows"] += [{**r, "case": cases.get(r["case_id"]), "pending": True} for r in g["proposed"]]
    return render(request, "discretion/outliers.html", {"groups": groups})
