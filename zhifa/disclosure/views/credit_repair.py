"""信用修复 (credit repair). Staff forms (/disclosure/<pk>/repair/…): register a request, approve or
reject it; refusals come back as messages. The public page (/gs/results/<id>/repair/, no login): the
party applies with the access code printed on its documents, and later looks up the state of its
request with the same code; refusals come back next to the field (status 422, 429 when rate
limited), never as a 500, and the page shows only what the decision page already shows. Every write
goes through zhifa.disclosure.actions.credit_repair."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused
from zhifa.common.scope import get_or_deny
from zhifa.disclosure import public
from zhifa.disclosure.actions import complaints
from zhifa.disclosure.actions import credit_repair as repair_actions
from zhifa.disclosure.models import CreditRepair, Publication

FORM_FIELDS = ("access_code", "applicant", "contact", "reason")
ART14 = ("依据《市场监督管理行政处罚信息公示规定》第十四条，行政处罚信息公示达到规定时限要求，且同时符合下列条件的，"
         "当事人可以向作出行政处罚决定的部门申请提前停止公示：")
SEVERE_NOTE = ("受到责令停产停业、限制开展生产经营活动、限制从业、降低资质等级、吊销许可证件、责令关闭等"
               "行政处罚的，不得提前停止公示。")


@login_required
@require_POST
def request_repair(request, pk):
    pub = get_or_deny(Publication.objects.restrict(request.user, "view"), pk=pk)
    p = request.POST
    try:
        repair_actions.do_request_repair(pub, acting_user=request.user, reason=p.get("reason", ""),
                                         applicant_kind=p.get("applicant_kind", "party"),
                                         applicant=p.get("applicant", ""),
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


# ---- public (/gs/results/<id>/repair/) ----------------------------------------------------------

def _publication(pk):
    """(publication, public today). An entry no longer public keeps the page only if it had a credit
    repair request (so the party can read the outcome); nothing of the decision is shown then."""
    pub = public.published().select_related("case").filter(pk=pk).first()
    if pub is not None:
        return pub, True
    pub = Publication.objects.select_related("case").filter(pk=pk, credit_repairs__isnull=False).first()
    if pub is None:
        raise Http404("该公示信息不存在或已撤下")
    return pub, False


def repair(request, pk):
    pub, is_public = _publication(pk)
    today = timezone.localdate()
    errors, form, submitted, status, looked_up, code = {}, {}, None, None, False, 200
    if request.method == "POST":
        p = request.POST
        if p.get("op") == "status":
            looked_up = True
            try:
                status = repair_actions.online_status(pub, access_code=p.get("access_code", ""),
                                                      client=complaints.client_of(request))
            except ActionRefused as e:
                errors["status"] = e.message
                code = 429 if e.rule == "repair.rate_limited" else 422
        else:
            form = {k: p.get(k, "") for k in ("applicant", "contact", "reason")}
            form.update({f: p.get(f) == "on" for f in CreditRepair.CONDITIONS})
            try:
                submitted = repair_actions.do_submit_repair_online(
                    pub, access_code=p.get("access_code", ""), client=complaints.client_of(request),
                    **{k: form[k] for k in ("applicant", "contact", "reason")},
                    **{f: form[f] for f in CreditRepair.CONDITIONS})
                form = {}
            except ActionRefused as e:
                errors[e.field if e.field in FORM_FIELDS else "form"] = e.message
                code = 429 if e.rule == "repair.rate_limited" else 422
    earliest = repair_actions.earliest_repair_on(pub) if is_public else None
    severe = repair_actions.severe_kinds(pub) if is_public else []
    conditions = [(f, label, form.get(f, False)) for f, label in repair_actions.CONDITION_LABELS.items()]
    return render(request, "disclosure/public/repair.html", {
        "module": "results", "pub": pub, "is_public": is_public, "earliest": earliest,
        "too_early": bool(earliest and today < earliest), "severe": "、".join(severe), "art14": ART14,
        "severe_note": SEVERE_NOTE, "conditions": conditions, "form": form, "errors": errors, "submitted": submitted,
        "status": status, "looked_up": looked_up}, status=code)
