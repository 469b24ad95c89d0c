"""争议协调 pages: the coordinations the user sees (a supervisor: its region's; a head: its entity's) and a
new one, and one coordination (the parties' positions, the bureau's decision, the follow-up)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.common.scope import get_or_deny
from zhifa.orgs.models import Entity
from zhifa.supervision.actions import coordination as coord_actions
from zhifa.supervision.models import Coordination

ROLES = (Role.SUPERVISOR, Role.AGENCY_HEAD, Role.UNIT_HEAD)


def may_open(user) -> bool:
    return user.is_superuser or user.role in ROLES


def _require(request):
    if not may_open(request.user):
        raise PermissionDenied
    return request.user


def party_choices(user):
    """Entities a dispute may name: a supervisor's subtree; a head's county (and the city) — a dispute
    crosses regions, so a head may name an entity of a neighbouring county too."""
    qs = Entity.objects.filter(is_active=True, is_justice_bureau=False)
    if user.role == Role.SUPERVISOR and user.entity_id:
        return qs.filter(region__path__startswith=user.entity.region.path).order_by("region__path", "name")
    if user.entity_id:
        region = user.entity.region
        top = region.parent.parent if region.parent and region.parent.parent else (region.parent or region)
        return qs.filter(region__path__startswith=top.path).order_by("region__path", "name")
    return qs.order_by("region__path", "name")


@login_required
def coordination_list(request):
    user = _require(request)
    error, g = None, (request.POST if request.method == "POST" else None)
    choices = party_choices(user)
    if g is not None:
        chosen = [x for x in g.getlist("parties") if x.isdigit()]
        if user.role in (Role.AGENCY_HEAD, Role.UNIT_HEAD) and str(user.entity_id) not in chosen:
            chosen.append(str(user.entity_id))  # a head brings its own entity's dispute
        case = None
        if g.get("case_number", "").strip():
            case = Case.objects.restrict(user).filter(number=g["case_number"].strip()).first()
            if case is None:
                error = ActionRefused("validation", "相关案件编号：未找到该案件（或不在您的范围内）", "case")
        if error is None:
            try:
                c = coord_actions.do_open_coordination(
                    acting_user=user, kind=g.get("kind", ""), title=g.get("title", ""),
                    description=g.get("description", ""), case=case,
                    parties=list(Entity.objects.filter(pk__in=chosen, is_active=True)))
                messages.success(request, f"已提请{c.bureau.name}协调")
                return redirect("supervision-coordination", pk=c.pk)
            except ActionRefused as e:
                error = e
    rows = Coordination.objects.restrict(user).select_related("bureau", "decided_entity").prefetch_related("parties__entity")
    state = request.GET.get("state", "")
    if state == "overdue":
        rows = rows.filter(state=Coordination.State.DECIDED, follow_up_due_on__lt=timezone.localdate())
    elif state in Coordination.State.values:
        rows = rows.filter(state=state)
    return render(request, "supervision/coordinations.html", {
        "rows": rows, "error": error, "form": g or {}, "kinds": Coordination.Kind.choices, "choices": choices,
        "chosen": set(g.getlist("parties")) if g is not None else set(), "state": state,
        "states": Coordination.State.choices, "today": timezone.localdate(),
        "own_entity": user.entity_id if user.role != Role.SUPERVISOR else None})


@login_required
def coordination_detail(request, pk):
    user = _require(request)
    c = get_or_deny(Coordination.objects.restrict(user).select_related("bureau", "decided_entity", "case"), pk=pk)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "position":
                coord_actions.do_submit_position(c, acting_user=user, position=request.POST.get("position", ""))
                messages.success(request, "意见已提交")
            elif action == "decide":
                entity = c.parties.filter(entity_id=request.POST.get("entity") or 0).first()
                coord_actions.do_decide_coordination(
                    c, acting_user=user, entity=entity.entity if entity else None,
                    decision=request.POST.get("decision", ""), follow_up_days=request.POST.get("follow_up_days") or 0)
                messages.success(request, "协调决定已作出")
            elif action == "take":
                coord_actions.do_take_on(c, acting_user=user, note=request.POST.get("note", ""))
                messages.success(request, "已登记承接")
            else:
                raise ActionRefused("validation", "操作：未知的操作", "action")
            return redirect("supervision-coordination", pk=c.pk)
        except ActionRefused as e:
            error = e
    parties = list(c.parties.select_related("entity", "submitted_by"))
    mine = next((p for p in parties if p.entity_id == user.entity_id), None)
    return render(request, "supervision/coordination.html", {
        "c": c, "parties": parties, "error": error, "post": request.POST,
        "can_position": c.state == Coordination.State.OPEN and mine is not None
        and user.role in (Role.AGENCY_HEAD, Role.UNIT_HEAD),
        "mine": mine, "can_decide": c.state == Coordination.State.OPEN and coord_actions.may_decide(user, c),
        "can_take": c.state == Coordination.State.DECIDED and user.entity_id == c.decided_entity_id
        and user.role in (Role.AGENCY_HEAD, Role.UNIT_HEAD),
        "overdue": c.overdue(), "default_days": 10})
