"""现场执法 on the public site (/gs/xc/, issue 20): the arrival (到场) a party's verified 亮证码 reports,
and a task's 亮码入企 page (the officers, the 检查通知, a feedback form)."""
from __future__ import annotations

import contextlib
import json

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused
from zhifa.disclosure import arrival


@csrf_exempt  # authenticated by the token's Ed25519 signature, not by a session; replays add nothing
@require_POST
def report_arrival(request):
    """POST {"token": …} (the 亮证码 the party's phone verified): the officers' arrival on the task the
    code names. 201 logged, 200 already logged, 422 refused with the rule named."""
    try:
        body = json.loads(request.body or b"{}")
        token = str(body.get("token", "")) if isinstance(body, dict) else ""
    except (ValueError, UnicodeDecodeError):
        token = ""
    try:
        a = arrival.do_log_officer_scan(token)
    except ActionRefused as e:
        return JsonResponse({"ok": False, "rule": e.rule, "message": e.message}, status=422)
    return JsonResponse({"ok": True, "arrival": a.pk, "replayed": a.replayed,
                         "message": "已记录执法人员到场"}, status=200 if a.replayed else 201)


def _officers(case):
    from zhifa.orgs.models import Certificate

    rows = []
    for h in case.officers.filter(active=True).select_related("officer").order_by("id"):
        cert = (Certificate.objects.filter(officer=h.officer, status=Certificate.Status.VALID)
                .order_by("-expires_on").first())
        rows.append({"name": h.officer.name, "role": h.get_role_display() if hasattr(h, "get_role_display") else "",
                     "cert": cert.number if cert else ""})
    return rows


@never_cache
def task_page(request, ref):
    """亮码入企: the task's officers, the 检查通知 and a feedback form (a 咨询 or 投诉举报 to the entity)."""
    from zhifa.disclosure.actions import complaints

    try:
        case = arrival.case_from_ref(ref)
    except ActionRefused as e:
        return render(request, "disclosure/public/field_task.html", {"module": "", "refused": e}, status=404)
    submitted, error, form = None, None, {}
    if request.method == "POST":
        form = request.POST
        label = case.number or case.title
        try:
            submitted = complaints.do_submit_complaint(
                entity=case.entity, kind=form.get("kind", ""),
                content=f"【亮码入企·{label}】" + (form.get("content", "") or "").strip()
                if (form.get("content", "") or "").strip() else "",
                contact=form.get("contact", ""), client=complaints.client_of(request))
        except ActionRefused as e:
            error = e.message
    else:
        with contextlib.suppress(ActionRefused):  # a finished task: the page still shows who inspected
            arrival.do_log_task_page_open(case)
    return render(request, "disclosure/public/field_task.html", {
        "module": "", "case": case, "officers": _officers(case), "submitted": submitted, "error": error,
        "form": form})


# ---- staff: the task's 亮码入企 QR (shown on the officer's field page of the case) ----------------------
def task_url(request, case) -> str:
    from django.urls import reverse

    return request.build_absolute_uri(reverse("gs-field-task", args=[arrival.task_ref(case)]))


def _staff_case(request, case_id):
    from zhifa.cases.models import Case
    from zhifa.common.scope import get_or_deny

    return get_or_deny(Case.objects.restrict(request.user, "view"), pk=case_id)


@login_required
def task_qr(request, case_id):
    """亮码入企: the QR of the task's public page (officers, 检查通知, feedback), a standalone SVG."""
    from django.http import HttpResponse

    from zhifa.disclosure.views.directory import qr_svg_document

    case = _staff_case(request, case_id)
    return HttpResponse(qr_svg_document(task_url(request, case)), content_type="image/svg+xml")


@login_required
def task_link(request, case_id):
    """The task's public 亮码入企 page (for an officer to open or share the link)."""
    from django.shortcuts import redirect

    return redirect(task_url(request, _staff_case(request, case_id)))
