"""Staff forms of 信用修复 (/disclosure/<pk>/repair/…): register a request, approve or reject it.
Every write goes through zhifa.disclosure.actions_repair; refusals come back as messages."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused
from zhifa.common.scope import get_or_deny
from zhifa.disclosure import actions_repair as repair_actions
from zhifa.disclosure.models import CreditRepair, Publication


@login_required
@require_POST
def request_repair(request, pk):
    pub = get_or_deny(Publication.objects.restrict(request.user, "view"), pk=pk)
    p = request.POST
    try:
        repair_actions.do_request_repair(pub, acting_user=request.user, reason=p.get("reason", ""),
                            applicant_kind=p.get("applicant_kind", "party"), applicant=p.get("applicant", ""),
                            **{f: p.get(f) == "on" for f in CreditRepair.CONDITIONS})
        messages.success(request, "已登记信用修复申请，待行政机关负责人审批")
    except ActionRefused as e:
        messages.error(request, e.message)
    return redirect(reverse("disclosure-detail", args=[pub.pk]))


@login_required
@require_POST
def decide_repair(request, pk):
    repair = get_or_deny(CreditRepair.objects.restrict(request.user, "view").select_related("publication"), pk=pk)
    try:
        if request.POST.get("op") == "approve":
            repair_actions.do_approve_repair(repair, acting_user=request.user, note=request.POST.get("note", ""))
            messages.success(request, "已批准信用修复，该信息已停止公示")
        else:
            repair_actions.do_reject_repair(repair, acting_user=request.user, note=request.POST.get("note", ""))
            messages.success(request, "已作出不予批准的决定")
    except ActionRefused as e:
        messages.error(request, e.message)
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("disclosure-queue")
                    else reverse("disclosure-detail", args=[repair.publication_id]))
