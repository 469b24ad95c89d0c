"""重大行政处罚备案审查: the list of major decisions to file and to review, one filing's page (the agency
files it, the bureau reviews it with the checklist), and a bureau's periods."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.common.scope import can, get_or_deny
from zhifa.supervision import figures
from zhifa.supervision.actions import filing as filing_actions
from zhifa.supervision.choices import FILING_CHECKLIST
from zhifa.supervision.models import MajorFiling, SupervisionOrder

ROLES = (Role.SUPERVISOR, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER)


def may_open(user) -> bool:
    return user.is_superuser or user.role in ROLES


def _require(request):
    if not may_open(request.user):
        raise PermissionDenied
    return request.user


@login_required
def filing_list(request):
    user, today = _require(request), figures.today()
    qs = MajorFiling.objects.restrict(user).select_related("entity", "bureau", "case")
    state = request.GET.get("state", "")
    if state in MajorFiling.State.values:
        qs = qs.filter(state=state)
    if request.GET.get("mine") == "1" and user.entity_id:
        qs = qs.filter(bureau_id=user.entity_id)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    bureau = user.entity if (user.role == Role.SUPERVISOR and user.entity and user.entity.is_justice_bureau) else None
    error = None
    if bureau is not None and request.method == "POST":
        try:
            filing_actions.do_set_filing_periods(bureau, acting_user=user, filing_days=request.POST.get("filing_days"),
                                                 review_days=request.POST.get("review_days"))
            messages.success(request, "备案审查期限已保存")
            return redirect("supervision-filings")
        except ActionRefused as e:
            error = e
    periods = filing_actions.periods_of(bureau) if bureau else None
    return render(request, "supervision/filings.html", {
        "page": page, "state": state, "states": MajorFiling.State.choices, "today": today, "bureau": bureau,
        "periods": periods, "error": error})


@login_required
def filing_detail(request, pk):
    user = _require(request)
    filing = get_or_deny(MajorFiling.objects.restrict(user).select_related(
        "entity", "bureau", "case", "filed_by", "reviewed_by", "order"), pk=pk)
    error, form = None, {"checklist": {}, "opinion": "", "text": "", "order_kind": "rectify", "order_days": "15"}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "file":
                filing_actions.do_file_major(filing, acting_user=user, note=request.POST.get("note", ""))
                messages.success(request, "已报送备案")
            elif action == "review":
                form = {"checklist": {k: request.POST.get(f"point_{k}", "") for k, _label in FILING_CHECKLIST},
                        "opinion": request.POST.get("opinion", ""), "text": request.POST.get("text", ""),
                        "order_kind": request.POST.get("order_kind", "rectify"),
                        "order_days": request.POST.get("order_days", "15")}
                try:
                    days = int(form["order_days"])
                except ValueError:
                    days = 0
                filing_actions.do_review_filing(filing, acting_user=user, checklist=form["checklist"],
                                                opinion=form["opinion"], text=form["text"],
                                                order_kind=form["order_kind"], order_days=days)
                messages.success(request, "备案审查意见已提交")
            else:
                raise ActionRefused("validation", "请选择操作", "action")
            return redirect("supervision-filing", pk=filing.pk)
        except ActionRefused as e:
            error = e
    checklist = [{"key": k, "label": label, "value": filing.checklist.get(k), "chosen": form["checklist"].get(k, "")}
                 for k, label in FILING_CHECKLIST]
    return render(request, "supervision/filing.html", {
        "filing": filing, "error": error, "form": form, "checklist": checklist, "today": figures.today(),
        "can_file": filing.state == MajorFiling.State.PENDING and can(user, "file", filing),
        "can_review": (filing.state == MajorFiling.State.FILED and user.entity_id is not None
                       and user.entity_id == filing.bureau_id and can(user, "review", filing)),
        "opinions": MajorFiling.Opinion.choices,
        "order_kinds": [(k, SupervisionOrder.Kind(k).label) for k in filing_actions.ORDER_KINDS]})
