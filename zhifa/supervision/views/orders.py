"""Alerts (预警) and their handling; 督办/整改通知 (and 建议书、决定书), issued by supervisors and
answered by the agency."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.common.scope import can, get_or_deny
from zhifa.orgs.models import Entity, User
from zhifa.supervision import figures
from zhifa.supervision.actions import orders as order_actions
from zhifa.supervision.choices import ALERT_SEVERITY
from zhifa.supervision.models import Alert, SupervisionOrder
from zhifa.supervision.views.access import require_supervisor


@login_required
def alert_list(request):
    user, today = request.user, figures.today()
    qs = Alert.objects.restrict(user).select_related("entity", "case", "officer", "assignee")
    state = request.GET.get("state", "live")
    if state == "live":
        qs = qs.exclude(state=Alert.State.CLOSED)
    elif state in Alert.State.values:
        qs = qs.filter(state=state)
    if request.GET.get("kind") in Alert.Kind.values:
        qs = qs.filter(kind=request.GET["kind"])
    if request.GET.get("severity") in Alert.Severity.values:
        qs = qs.filter(kind__in=[k for k, s in ALERT_SEVERITY.items() if s == request.GET["severity"]])
    # gravest first, then the model's order (open before handled, newest first)
    qs = qs.annotate(rank=Alert.severity_rank()).order_by("rank", "state", "-last_seen", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for a in page.object_list:
        a.age = a.age_days(today)
    return render(request, "supervision/alerts.html", {
        "page": page, "state": state, "kinds": Alert.Kind.choices, "states": Alert.State.choices,
        "kind": request.GET.get("kind", ""), "severities": Alert.Severity.choices,
        "severity": request.GET.get("severity", "")})


def _assignees(alert):
    return [u for u in User.objects.filter(role=Role.SUPERVISOR, is_active=True).select_related("entity__region")
            if u.entity and alert.entity.region.path.startswith(u.entity.region.path)]


@login_required
def alert_detail(request, pk):
    user = request.user
    alert = get_or_deny(Alert.objects.restrict(user).select_related("entity__region", "case", "officer"), pk=pk)
    error = None
    if request.method == "POST":
        assignee = User.objects.filter(pk=request.POST.get("assignee") or 0).first()
        try:
            order_actions.do_alert_action(alert, request.POST.get("action", ""), acting_user=user,
                                          note=request.POST.get("note", ""), assignee=assignee)
            messages.success(request, "预警已处理")
            return redirect("supervision-alert", pk=alert.pk)
        except ActionRefused as e:
            error = e
    return render(request, "supervision/alert.html", {
        "alert": alert, "age": alert.age_days(figures.today()), "error": error, "can_act": can(user, "change", alert),
        "assignees": _assignees(alert), "orders": alert.orders.all()})


@login_required
def order_list(request):
    user = request.user
    qs = SupervisionOrder.objects.restrict(user).select_related("entity", "case", "issued_by")
    if request.GET.get("state") in SupervisionOrder.State.values:
        qs = qs.filter(state=request.GET["state"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/orders.html", {"page": page, "today": figures.today()})


@login_required
def order_new(request):
    user = require_supervisor(request)
    g = request.POST if request.method == "POST" else request.GET
    case = alert = None
    if g.get("alert", "").isdigit():
        alert = get_or_deny(Alert.objects.restrict(user), pk=g["alert"])
        case = alert.case
    if g.get("case", "").isdigit():
        case = get_or_deny(Case.objects.restrict(user), pk=g["case"])
    entity = case.entity if case else alert.entity if alert else None
    if entity is None and g.get("entity", "").isdigit():
        entity = get_or_deny(Entity.objects.restrict(user), pk=g["entity"])
    if entity is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            order = order_actions.do_issue_order(acting_user=user, entity=entity, case=case, alert=alert,
                                                 kind=g.get("kind", ""), text=g.get("text", ""), days=g.get("days"))
            messages.success(request, f"{order.get_kind_display()}已发出")
            return redirect("supervision-order", pk=order.pk)
        except ActionRefused as e:
            error = e
    return render(request, "supervision/order_new.html", {
        "entity": entity, "case": case, "alert": alert, "error": error, "kinds": SupervisionOrder.Kind.choices,
        "form": {"kind": g.get("kind", "duban"), "text": g.get("text", ""), "days": g.get("days", "5")}})


@login_required
def order_detail(request, pk):
    user = request.user
    order = get_or_deny(SupervisionOrder.objects.restrict(user).select_related("entity", "case", "issued_by",
                                                                                 "replied_by"), pk=pk)
    error = None
    if request.method == "POST":
        try:
            order_actions.do_reply_order(order, acting_user=user, text=request.POST.get("reply_text", ""))
            messages.success(request, "答复已提交")
            return redirect("supervision-order", pk=order.pk)
        except ActionRefused as e:
            error = e
    return render(request, "supervision/order.html", {
        "order": order, "error": error, "today": figures.today(),
        "can_reply": order.state == SupervisionOrder.State.OPEN and can(user, "reply", order)})
