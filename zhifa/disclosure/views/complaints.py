"""咨询投诉 / 投诉举报. Staff pages (/disclosure/complaints/): the list with filters (HTMX refresh),
staff entry, the detail page with the handling record and the forms for assign / dispute / step /
answer. Public pages (/gs/contact/, no login): submitting one, following it with the tracking code,
and the satisfaction form. Every write goes through zhifa.disclosure.actions.complaints."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.common import site_info
from zhifa.common.actions import ActionRefused
from zhifa.common.crud import changelog_for
from zhifa.common.fields import match
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity, get_or_deny
from zhifa.disclosure import choices
from zhifa.disclosure.actions import complaints
from zhifa.disclosure.models import Complaint
from zhifa.orgs.models import Entity


def _filtered(request):
    g = request.GET
    qs = Complaint.objects.restrict(request.user, "view").select_related("entity")
    if g.get("state") in Complaint.State.values:
        qs = qs.filter(state=g["state"])
    elif g.get("state") == "open":
        qs = qs.filter(state__in=choices.COMPLAINT_OPEN_STATES)
    if g.get("source") in Complaint.Source.values:
        qs = qs.filter(source=g["source"])
    if g.get("kind") in Complaint.Kind.values:
        qs = qs.filter(kind=g["kind"])
    if g.get("entity", "").isdigit():
        qs = qs.filter(entity_id=int(g["entity"]))
    if g.get("overdue") == "1":
        qs = qs.filter(pk__in=complaints.overdue(timezone.localdate()).values("pk"))
    if g.get("satisfaction") in Complaint.Satisfaction.values:
        qs = qs.filter(satisfaction=g["satisfaction"])
    q = (g.get("q") or "").strip()[:50]
    if q:
        # The contact is encrypted at rest: a phone number finds it through its blind index.
        qs = qs.filter(Q(tracking_code__iexact=q) | Q(content__icontains=q) | Q(source_ref__icontains=q)
                       | match(Complaint, "contact", q))
    return qs.order_by("state", "due_on", "id")


@login_required
def complaint_list(request):
    if request.method == "POST":  # the quick reply of the former queue page
        c = get_or_deny(Complaint.objects.restrict(request.user, "view"), pk=request.POST.get("pk") or 0)
        try:
            complaints.do_answer_complaint(c, acting_user=request.user, answer=request.POST.get("answer", ""))
            messages.success(request, "已答复")
        except ActionRefused as e:
            messages.error(request, e.message)
        return redirect(reverse("disclosure-complaints"))
    today = timezone.localdate()
    page = Paginator(_filtered(request), 50).get_page(request.GET.get("page"))
    for c in page.object_list:
        c.overdue = complaints.is_overdue(c, today)
    ctx = {"page": page, "today": today, "g": request.GET, "states": Complaint.State.choices,
           "sources": Complaint.Source.choices, "kinds": Complaint.Kind.choices,
           "satisfactions": Complaint.Satisfaction.choices,
           "entities": Entity.objects.restrict(request.user, "view").filter(is_active=True).order_by("name"),
           "query": request.GET.urlencode().replace("page=", "_p="),
           "can_register": bool(_register_entities(request.user))}
    if request.headers.get("HX-Request"):
        return render(request, "disclosure/complaints/_rows.html", ctx)
    return render(request, "disclosure/complaints/list.html", ctx)


def _register_entities(user):
    return [e for e in Entity.objects.restrict(user, "view").filter(is_active=True).select_related("region")
            .order_by("region__path", "name") if can_on_entity(user, "register", Complaint, e)]


def _assign_entities(user):
    return [e for e in Entity.objects.restrict(user, "view").filter(is_active=True).select_related("region")
            .order_by("region__path", "name") if can_on_entity(user, "assign", Complaint, e)]


@login_required
def complaint_new(request):
    user = request.user
    entities = _register_entities(user)
    if not entities:
        return render(request, "403.html", status=403)
    supervisor = user.role == Role.SUPERVISOR
    form = request.POST if request.method == "POST" else {"received_on": timezone.localdate().isoformat(),
                                                          "source": "12345", "kind": "complaint"}
    error = None
    if request.method == "POST":
        p = request.POST
        entity = next((e for e in entities if str(e.pk) == p.get("entity")), None)
        try:
            try:
                received = dt.date.fromisoformat(p.get("received_on") or "")
            except ValueError:
                raise ActionRefused("validation", "收到日期格式不正确", "received_on") from None
            if entity is None and not (supervisor and p.get("entity") == ""):
                raise ActionRefused("complaint.entity_required", "请选择办理主体", "entity")
            c = complaints.do_register_complaint(
                acting_user=user, kind=p.get("kind", ""), content=p.get("content", ""), source=p.get("source", ""),
                entity=entity, source_ref=p.get("source_ref", ""), complainant=p.get("complainant", ""),
                contact=p.get("contact", ""), received_on=received, note=p.get("note", ""))
            messages.success(request, f"已登记，查询码 {c.tracking_code}")
            return redirect("complaint-detail", pk=c.pk)
        except ActionRefused as e:
            error = e
    return render(request, "disclosure/complaints/new.html", {
        "entities": entities, "supervisor": supervisor, "form": form, "error": error,
        "sources": [(v, label) for v, label in Complaint.Source.choices if v in choices.COMPLAINT_STAFF_SOURCES],
        "kinds": Complaint.Kind.choices})


OPS = {"assign", "dispute", "step", "answer"}


@login_required
def complaint_detail(request, pk):
    user = request.user
    c = get_or_deny(Complaint.objects.restrict(user, "view").select_related("entity", "registered_by",
                                                                            "assigned_by", "answered_by"), pk=pk)
    error, op = None, request.POST.get("op")
    if request.method == "POST" and op in OPS:
        p = request.POST
        try:
            if op == "assign":
                entity = next((e for e in _assign_entities(user) if str(e.pk) == p.get("entity")), None)
                if entity is None:
                    raise ActionRefused("complaint.assign_in_scope", "请选择您监督区域内的有效执法主体", "entity")
                complaints.do_assign_complaint(c, acting_user=user, entity=entity, reason=p.get("reason", ""))
                messages.success(request, f"已分派至{entity.name}")
            elif op == "dispute":
                complaints.do_dispute_jurisdiction(c, acting_user=user, reason=p.get("reason", ""))
                messages.success(request, "已提出管辖异议，退回司法局重新分派")
            elif op == "step":
                complaints.do_add_step(c, acting_user=user, note=p.get("note", ""))
                messages.success(request, "已记录办理情况")
            else:
                complaints.do_answer_complaint(c, acting_user=user, answer=p.get("answer", ""))
                messages.success(request, "已答复")
            return redirect("complaint-detail", pk=c.pk)
        except ActionRefused as e:
            error = e
    open_ = c.state in choices.COMPLAINT_OPEN_STATES
    received = c.state == Complaint.State.RECEIVED
    return render(request, "disclosure/complaints/detail.html", {
        "c": c, "error": error, "op": op, "today": timezone.localdate(), "overdue": complaints.is_overdue(c, timezone.localdate()),
        "steps": c.steps.select_related("entity", "by").order_by("at", "id"),
        "can_assign": open_ and can(user, "assign", c),
        "assign_entities": _assign_entities(user) if open_ and can(user, "assign", c) else [],
        "can_dispute": received and can(user, "change", c),
        "can_answer": received and can(user, "change", c),
        "can_step": received and can(user, "handle", c),
        "log": changelog_for(c, request.user)[:50], "ct": ContentType.objects.get_for_model(Complaint).pk, "obj": c})


@require_POST
def public_feedback(request):
    """满意度评价 on the public site: whoever holds the tracking code."""
    code = (request.POST.get("code") or "").strip().upper()
    c = complaints.lookup(code)
    url = reverse("gs-contact") + (f"?code={code}" if c else "")
    if c is None:
        messages.error(request, "查询码不正确")
        return redirect(url)
    try:
        complaints.do_give_feedback(c, satisfaction=request.POST.get("satisfaction", ""),
                           comment=request.POST.get("comment", ""))
        messages.success(request, "感谢您的评价")
    except ActionRefused as e:
        messages.error(request, e.message)
    return redirect(url)


def contact(request):
    """咨询投诉 on the public site: submit one, or look one up by its tracking code."""
    from zhifa.disclosure.views.directory import entity_picker

    rows = Entity.objects.filter(is_active=True)
    submitted, error, form = None, None, {}
    if request.method == "POST":
        form = request.POST
        entity = rows.filter(pk=form.get("entity")).first() if str(form.get("entity", "")).isdigit() else None
        try:
            submitted = complaints.do_submit_complaint(
                entity=entity, kind=form.get("kind", ""), content=form.get("content", ""),
                contact=form.get("contact", ""), client=complaints.client_of(request))
        except ActionRefused as e:
            error = e.message
    elif request.GET.get("pick"):  # the no-script 筛选主体 button: keep what was typed
        form = request.GET
    found = complaints.lookup(request.GET.get("code", "")) if request.GET.get("code") else None
    return render(request, "disclosure/public/contact.html", {
        "module": "contact", "picker": entity_picker(request, required=True),
        "supervision_phone": site_info.info()["supervision_phone"], "submitted": submitted, "error": error, "form": form, "found": found,
        "code": request.GET.get("code", "")})
