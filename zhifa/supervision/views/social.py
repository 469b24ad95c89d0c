"""社会监督员 pages: the registry and appointment (justice bureau supervisors), the lead queue with
conversion into a complaint, an alert or a 督办 order, and the social supervisor's own login-free
feedback page (/gs/jiandu/<token>/). Every write goes through zhifa.supervision.actions.social."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from zhifa.common.actions import ActionRefused
from zhifa.common.crud import changelog_for
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity, get_or_deny
from zhifa.orgs.models import Entity, Region
from zhifa.supervision.actions import social
from zhifa.supervision.models import Alert, SocialSupervisor, SupervisionLead, SupervisionOrder


def _supervisor(request):
    u = request.user
    if not (u.is_superuser or u.role == Role.SUPERVISOR):
        raise PermissionDenied
    return u


def _date(value, label, field):
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise ActionRefused("validation", f"{label}格式不正确", field) from None


@login_required
def registry(request):
    user = _supervisor(request)
    qs = SocialSupervisor.objects.restrict(user).select_related("bureau", "region")
    state = request.GET.get("state", "active")
    if state in SocialSupervisor.State.values:
        qs = qs.filter(state=state)
    if request.GET.get("kind") in SocialSupervisor.Kind.values:
        qs = qs.filter(kind=request.GET["kind"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    may_appoint = bool(user.entity and user.entity.is_justice_bureau
                       and can_on_entity(user, "appoint", SocialSupervisor, user.entity))
    return render(request, "supervision/social/registry.html", {
        "page": page, "state": state, "kind": request.GET.get("kind", ""), "kinds": SocialSupervisor.Kind.choices,
        "states": SocialSupervisor.State.choices, "may_appoint": may_appoint,
        "new_leads": SupervisionLead.objects.restrict(user).filter(state=SupervisionLead.State.NEW).count()})


def _regions(user):
    base = user.entity.region if user.entity else None
    if base is None:
        return []
    return list(Region.objects.filter(path__startswith=base.path).order_by("path")[:500])


@login_required
def appoint(request):
    user = _supervisor(request)
    today = timezone.localdate()
    form = request.POST if request.method == "POST" else {
        "appointed_on": today.isoformat(), "term_ends_on": today.replace(year=today.year + 3).isoformat()
        if not (today.month == 2 and today.day == 29) else (today + dt.timedelta(days=1095)).isoformat()}
    error = None
    regions = _regions(user)
    entities = list(Entity.objects.restrict(user).filter(is_active=True).order_by("region__path", "name")[:2000])
    if request.method == "POST":
        p = request.POST
        try:
            region = next((r for r in regions if str(r.pk) == p.get("region")), None)
            chosen = [e for e in entities if str(e.pk) in set(p.getlist("entities"))]
            s = social.do_appoint_supervisor(
                acting_user=user, name=p.get("name", ""), kind=p.get("kind", ""), workplace=p.get("workplace", ""),
                contact=p.get("contact", ""), region=region, entities=chosen,
                appointed_on=_date(p.get("appointed_on"), "聘任日期", "appointed_on"),
                term_ends_on=_date(p.get("term_ends_on"), "任期届满日期", "term_ends_on"))
            messages.success(request, f"已聘任{s.name}")
            return redirect("social-detail", pk=s.pk)
        except ActionRefused as e:
            error = e
    return render(request, "supervision/social/appoint.html", {
        "form": form, "error": error, "regions": regions, "entities": entities,
        "kinds": SocialSupervisor.Kind.choices, "chosen": set(request.POST.getlist("entities"))})


@login_required
def supervisor_detail(request, pk):
    user = _supervisor(request)
    s = get_or_deny(SocialSupervisor.objects.restrict(user).select_related("bureau", "region", "appointed_by"), pk=pk)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("op") == "end":
                social.do_end_supervisor(s, acting_user=user, reason=request.POST.get("reason", ""))
                messages.success(request, "已解聘")
            elif request.POST.get("op") == "renew":
                social.do_renew_link(s, acting_user=user)
                messages.success(request, "已更换反馈链接，原链接作废")
            return redirect("social-detail", pk=s.pk)
        except ActionRefused as e:
            error = e
    manage = can(user, "change", s)
    return render(request, "supervision/social/detail.html", {
        "s": s, "error": error, "manage": manage, "today": timezone.localdate(),
        "link": request.build_absolute_uri(reverse("gs-social-feedback", args=[social.token_for(s)]))
        if manage and s.state == SocialSupervisor.State.ACTIVE else "",
        "leads": s.leads.select_related("entity").order_by("-received_on", "-id")[:100],
        "watched": s.entities.all(), "log": changelog_for(s, request.user)[:50],
        "ct": ContentType.objects.get_for_model(SocialSupervisor).pk, "obj": s})


@login_required
def lead_list(request):
    user = _supervisor(request)
    qs = SupervisionLead.objects.restrict(user).select_related("supervisor", "entity")
    state = request.GET.get("state", "new")
    if state in SupervisionLead.State.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/social/leads.html", {"page": page, "state": state,
                                                             "states": SupervisionLead.State.choices})


@login_required
def lead_detail(request, pk):
    user = _supervisor(request)
    lead = get_or_deny(SupervisionLead.objects.restrict(user).select_related(
        "supervisor", "entity", "complaint", "alert", "order", "handled_by"), pk=pk)
    entities = [e for e in Entity.objects.restrict(user).filter(is_active=True).select_related("region")
                .order_by("region__path", "name")[:2000] if can_on_entity(user, "change", Alert, e)]
    error = None
    if request.method == "POST":
        p = request.POST
        try:
            entity = next((e for e in entities if str(e.pk) == p.get("entity")), None)
            if p.get("entity") and entity is None:
                raise ActionRefused("lead.entity_in_scope", "涉及的执法主体不在您的监督区域内", "entity")
            social.do_convert_lead(lead, acting_user=user, to=p.get("to", ""), entity=entity, note=p.get("note", ""),
                              order_kind=p.get("order_kind", "duban"), days=p.get("days") or 10,
                              complaint_kind=p.get("complaint_kind", "complaint"))
            messages.success(request, "线索已处理")
            return redirect("social-lead", pk=lead.pk)
        except ActionRefused as e:
            error = e
    return render(request, "supervision/social/lead.html", {
        "lead": lead, "error": error, "entities": entities, "targets": social.TARGETS, "outcome": social.outcome(lead),
        "can_act": lead.state == SupervisionLead.State.NEW and can(user, "change", lead),
        "order_kinds": SupervisionOrder.Kind.choices, "form": request.POST if request.method == "POST" else {}})


def public_feedback(request, token):
    """The social supervisor's own page: submit feedback, follow earlier leads. No account."""
    s = social.supervisor_for_token(token)
    if s is None:
        raise Http404
    error, done = None, None
    entities = list(social.watched_entities(s).order_by("region__path", "name")[:500])
    if request.method == "POST":
        p = request.POST
        entity = next((e for e in entities if str(e.pk) == p.get("entity")), None)
        try:
            if p.get("entity") and entity is None:
                raise ActionRefused("lead.entity_in_scope", "所选执法部门不在您的监督范围内", "entity")
            done = social.do_submit_lead(token, content=p.get("content", ""), entity=entity, case_ref=p.get("case_ref", ""))
        except ActionRefused as e:
            error = e
    leads = [(lead, social.outcome(lead)) for lead in s.leads.select_related(
        "entity", "complaint__entity", "order__entity").order_by("-received_on", "-id")[:50]]
    return render(request, "supervision/social/public_feedback.html", {
        "s": s, "serving": s.is_serving(timezone.localdate()), "entities": entities, "error": error, "done": done,
        "leads": leads, "form": request.POST if error else {}, "module": "contact"})
