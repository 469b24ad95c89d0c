"""案例指导 pages: the supervisors' list, candidates (closed cases in scope), the editor; the
public list and detail on the portal (/gs/guidance/)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.common.scope import can, get_or_deny
from zhifa.guidance import actions as guidance_actions
from zhifa.guidance.models import GuidingCase, published


def _supervisor(request):
    u = request.user
    if not (u.is_superuser or u.role == Role.SUPERVISOR):
        raise PermissionDenied
    return u


@login_required
def guidance_list(request):
    user = request.user
    drafts = GuidingCase.objects.restrict(user).exclude(state=GuidingCase.State.PUBLISHED).select_related("entity")
    return render(request, "guidance/list.html", {
        "drafts": drafts[:200], "published": published().select_related("entity")[:200],
        "is_supervisor": user.is_superuser or user.role == Role.SUPERVISOR})


@login_required
def candidates(request):
    user = _supervisor(request)
    taken = GuidingCase.objects.exclude(state=GuidingCase.State.WITHDRAWN).values("case_id")
    qs = (Case.objects.restrict(user).filter(state__in=guidance_actions.CLOSED).exclude(pk__in=taken)
          .select_related("entity").order_by("-closed_on", "-id"))
    if q := (request.GET.get("q") or "").strip():
        qs = qs.filter(title__icontains=q)
    if request.GET.get("field"):
        qs = qs.filter(field=request.GET["field"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "guidance/candidates.html", {"page": page, "q": q})


@login_required
@require_POST
def select(request, case_id):
    user = _supervisor(request)
    case = get_or_deny(Case.objects.restrict(user), pk=case_id)
    try:
        g = guidance_actions.do_select_guidance(case, acting_user=user)
    except ActionRefused as e:
        messages.error(request, e.message)
        return redirect("guidance-candidates")
    return redirect("guidance-edit", pk=g.pk)


@login_required
def edit(request, pk):
    user = _supervisor(request)
    g = get_or_deny(GuidingCase.objects.restrict(user).select_related("case", "entity"), pk=pk)
    error, form = None, {"title": g.title, "body": g.body, "key_points": g.key_points,
                         "significance": g.significance}
    if request.method == "POST":
        p, op = request.POST, request.POST.get("op", "save")
        try:
            if op in ("save", "publish"):
                form = {k: p.get(k, "") for k in form}
                g = guidance_actions.do_edit_guidance(g, acting_user=user, **form)
                if op == "publish":
                    g = guidance_actions.do_publish_guidance(g, acting_user=user)
                    messages.success(request, f"已发布为指导案例第{g.number}号")
                else:
                    messages.success(request, "已保存")
            elif op == "withdraw":
                guidance_actions.do_withdraw_guidance(g, acting_user=user, reason=p.get("reason", ""))
                messages.success(request, "已撤回")
            else:
                raise ActionRefused("validation", "未知的操作", "op")
            return redirect("guidance-edit", pk=g.pk)
        except ActionRefused as e:
            error = e
    return render(request, "guidance/edit.html", {
        "g": g, "form": form, "error": error, "can_change": can(user, "change", g),
        "spans": g.spans, "leaks": guidance_actions.private_leaks(g.case, form["body"]) if g.state == "draft" else []})


# ---- public portal -------------------------------------------------------------------------------

def _public_ctx(**kw):
    return {"module": "guidance", **kw}


def public_list(request):
    qs = published().select_related("entity")
    if q := (request.GET.get("q") or "").strip():
        qs = qs.filter(title__icontains=q) | qs.filter(key_points__icontains=q)
    if request.GET.get("field"):
        qs = qs.filter(field=request.GET["field"])
    fields = published().exclude(field="").values_list("field", flat=True).distinct().order_by("field")
    page = Paginator(qs.order_by("-number"), 20).get_page(request.GET.get("page"))
    return render(request, "guidance/public_list.html", _public_ctx(page=page, q=q, fields=list(fields),
                                                                     field=request.GET.get("field", "")))


def public_detail(request, pk):
    g = get_object_or_404(published().select_related("entity"), pk=pk)
    return render(request, "guidance/public_detail.html", _public_ctx(g=g))
