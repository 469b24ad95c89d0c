"""行政执法协调监督权责清单: the public page (/gs/jiandu-qingdan/, by level and bureau, with each
bureau's supervision staff) and the bureau's staff page (its items and their state; its head starts
the list from the standard items of its level — editing, submitting and confirming are the powers
pages' own)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.orgs.models import Entity
from zhifa.powers.models import PowerItem
from zhifa.supervision.actions import powerlist


def staffing(bureau_ids) -> dict[int, int]:
    """Active supervisor accounts per justice bureau (执法监督人员配备)."""
    rows = (Entity.objects.filter(pk__in=bureau_ids)
            .annotate(n=Count("users", filter=Q(users__role=Role.SUPERVISOR, users__is_active=True))))
    return {e.pk: e.n for e in rows}


def public_powers(request):
    levels = powerlist.published_by_level()
    staff = staffing([b["bureau"].pk for lv in levels for b in lv["bureaus"]])
    for lv in levels:
        for b in lv["bureaus"]:
            b["staff"] = staff.get(b["bureau"].pk, 0)
    return render(request, "supervision/public/powers.html", {"module": "jiandu-powers", "levels": levels,
                                                               "count": sum(len(b["items"]) for lv in levels
                                                                            for b in lv["bureaus"])})


def may_open(user) -> bool:
    return user.is_superuser or bool(user.entity_id and user.entity.is_justice_bureau
                                     and user.role in (Role.SUPERVISOR, Role.AGENCY_HEAD))


@login_required
def staff_powers(request):
    user = request.user
    if not may_open(user):
        raise PermissionDenied
    bureau = user.entity if user.entity_id else None
    if bureau is None and request.GET.get("bureau", "").isdigit():
        bureau = Entity.objects.filter(pk=request.GET["bureau"], is_justice_bureau=True).first()
    error = None
    if request.method == "POST" and bureau is not None:
        try:
            made = powerlist.do_draft_supervision_powers(bureau, acting_user=user)
            messages.success(request, f"已按本级标准生成{len(made)}项草稿，请逐项核对依据后提交确认")
            return redirect(request.get_full_path())
        except ActionRefused as e:
            error = e
    items = (PowerItem.objects.restrict(user).current().filter(entity=bureau, category=powerlist.SUPERVISION)
             .order_by("code") if bureau else PowerItem.objects.none())
    return render(request, "supervision/powers.html", {
        "bureau": bureau, "items": items, "error": error,
        "may_draft": bureau is not None and (user.is_superuser or user.role == Role.AGENCY_HEAD),
        "bureaus": Entity.objects.filter(is_justice_bureau=True).order_by("region__path") if bureau is None else []})
