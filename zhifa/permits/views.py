"""Permit pages: the register (list, new, detail with 暂扣/吊销), the case page's panel (naming the
permit a penalty acts on) and the 一户式 panel (the holder's permits beside its cases)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.scope import can, can_on_entity, get_or_deny
from zhifa.permits import actions
from zhifa.permits.actions.permits import FIELDS
from zhifa.permits.choices import PENALTY_MEASURES, PermitState
from zhifa.permits.models import Permit, PermitSanction


def _visible(user):
    return Permit.objects.restrict(user, "view").select_related("entity")


@login_required
def index(request):
    qs = _visible(request.user)
    q, state = request.GET.get("q", "").strip(), request.GET.get("state", "")
    if q:
        qs = qs.filter(Q(holder_name__icontains=q) | Q(number__icontains=q) | Q(holder_credit_code=q.upper())
                       | Q(kind__icontains=q))
    today = timezone.localdate()
    if state == PermitState.EXPIRED:  # a valid permit past its validity reads as expired (Permit.state_on)
        qs = qs.filter(Q(state=PermitState.EXPIRED) | Q(state=PermitState.VALID, valid_until__lt=today))
    elif state == PermitState.VALID:
        qs = qs.filter(state=state, valid_until__gte=today)
    elif state in PermitState.values:
        qs = qs.filter(state=state)
    return render(request, "permits/index.html", {
        "rows": qs[:300], "total": qs.count(), "q": q, "state": state, "states": PermitState.choices,
        "today": today,
        "may_grant": request.user.entity_id and can_on_entity(request.user, "change", Permit, request.user.entity)})


@login_required
def new(request):
    user = request.user
    if not (user.entity_id and can_on_entity(user, "change", Permit, user.entity)):
        raise PermissionDenied("只有许可机关的负责人可以登记行政许可决定")
    error, field, post = None, None, {}
    if request.method == "POST":
        post = {f: request.POST.get(f, "") for f in FIELDS}
        try:
            permit = actions.do_grant_permit({k: v for k, v in post.items() if v != "" or k == "number"},
                                             acting_user=user)
            messages.success(request, "已登记行政许可决定，公示信息已生成，待审核公示")
            return redirect("permits-detail", pk=permit.pk)
        except ActionRefused as e:
            error, field = e.message, e.field
    return render(request, "permits/new.html", {"post": post, "error": error, "field": field},
                  status=422 if error else 200)


@login_required
def detail(request, pk):
    user = request.user
    permit = get_or_deny(_visible(user).select_related("publication", "state_case", "granted_by"), pk=pk)
    error, op = None, request.POST.get("op", "")
    if request.method == "POST":
        try:
            if op == "suspend":
                actions.do_suspend_permit(permit, acting_user=user, reason=request.POST.get("reason", ""),
                                          until=request.POST.get("suspended_until") or None)
                messages.success(request, "已暂扣许可证件")
            elif op == "revoke":
                actions.do_revoke_permit(permit, acting_user=user, reason=request.POST.get("reason", ""))
                messages.success(request, "已吊销许可证件")
            else:
                raise ActionRefused("validation", "未知的操作", "op")
            return redirect("permits-detail", pk=permit.pk)
        except (ActionRefused, OutOfScope) as e:
            error = getattr(e, "message", str(e))
            permit.refresh_from_db()
    sanctions = PermitSanction.objects.restrict(user, "view").filter(permit=permit).select_related("case")
    return render(request, "permits/detail.html", {
        "permit": permit, "state": permit.state_on(timezone.localdate()), "sanctions": sanctions,
        "may_change": can(user, "change", permit), "error": error, "op": op,
        "pub_visible": permit.publication_id and can(user, "view", permit.publication)},
        status=422 if error else 200)


def _case(request, pk):
    return get_or_deny(Case.objects.restrict(request.user, "view").select_related("entity"), pk=pk)


@login_required
def case_panel(request, pk):
    """The case page's panel (HTMX): the permits of the case's parties held from the case's entity,
    and which of them the penalty's 暂扣/吊销许可证件 acts on."""
    case = _case(request, pk)
    codes = [c.upper() for c in case.parties.exclude(credit_code="").values_list("credit_code", flat=True)]
    named = {s.permit_id: s for s in PermitSanction.objects.filter(case=case)}
    permits = list(_visible(request.user).filter(holder_credit_code__in=codes))
    for p in permits:
        p.sanction = named.get(p.pk)
    licence = [k for k in (case.penalty_kinds or []) if k in PENALTY_MEASURES] and not case.no_penalty
    return render(request, "permits/case_panel.html", {
        "case": case, "permits": permits, "licence": licence,
        "may_name": bool(licence) and not case.decided_on and request.user.entity_id == case.entity_id})


@login_required
@require_POST
def name_permit(request, pk):
    case = _case(request, pk)
    permit = get_or_deny(_visible(request.user), pk=request.POST.get("permit") or 0) \
        if (request.POST.get("permit") or "").isdigit() else None
    try:
        if permit is None:
            raise ActionRefused("validation", "请选择许可证件", "permit")
        actions.do_name_permit(case, permit, acting_user=request.user)
        messages.success(request, f"已指定本案处罚涉及的许可证件：{permit}")
    except (ActionRefused, OutOfScope) as e:
        messages.error(request, getattr(e, "message", str(e)))
    return redirect(reverse("cases-detail", args=[case.pk]) + "#panel-permits")


@login_required
def target_panel(request):
    """The 一户式 page's panel (HTMX): the holder's permits within the user's scope."""
    key = request.GET.get("key", "").strip().upper()
    rows = _visible(request.user).filter(holder_credit_code=key) if key else Permit.objects.none()
    return render(request, "permits/target_panel.html", {"rows": rows[:200], "today": timezone.localdate()})
