"""Transfer pages: the entity's incoming and outgoing transfers, the supervisors' coordination
queue, 两法衔接 from report to outcome, discipline referrals, and the case page's panel."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.common.scope import can, get_or_deny
from zhifa.orgs.models import Officer
from zhifa.transfers import actions as transfer_actions
from zhifa.transfers import crime
from zhifa.transfers.models import CaseTransfer, CrimeTransfer, DisciplineReferral


def _date(value, field):
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ActionRefused("validation", "日期格式应为 年-月-日（如 2026-03-05）", field) from None


def _is_supervisor(user):
    return user.is_superuser or user.role == Role.SUPERVISOR


@login_required
def index(request):
    user = request.user
    qs = CaseTransfer.objects.restrict(user).select_related("case", "from_entity", "to_entity")
    ctx = {"incoming": qs.filter(to_entity_id=user.entity_id).exclude(state=CaseTransfer.State.EXTERNAL)[:200],
           "outgoing": qs.filter(from_entity_id=user.entity_id)[:200],
           "coordination": [t for t in qs.filter(state__in=("refused", "disputed"))[:200]
                            if transfer_actions.may_coordinate(user, t)] if _is_supervisor(user) else [],
           "crimes": CrimeTransfer.objects.restrict(user).select_related("case", "entity")[:200],
           "referrals": DisciplineReferral.objects.restrict(user).select_related("officer", "entity")[:200],
           "is_supervisor": _is_supervisor(user)}
    if _is_supervisor(user):
        ctx["all_transfers"] = qs[:200]
    return render(request, "transfers/index.html", ctx)


def _officer_choices(entity):
    return Officer.objects.filter(entity=entity, status="active").order_by("name")


@login_required
def transfer_detail(request, pk):
    user = request.user
    t = get_or_deny(CaseTransfer.objects.restrict(user).select_related("case", "from_entity", "to_entity"), pk=pk)
    error, op = None, request.POST.get("op", "")
    if request.method == "POST":
        p = request.POST
        try:
            if op == "accept":
                officers = []
                if p.get("open_case"):
                    picks = Officer.objects.filter(entity=t.to_entity, pk__in=[x for x in (p.get("lead"), p.get("assist"))
                                                                               if (x or "").isdigit()])
                    by_id = {str(o.pk): o for o in picks}
                    officers = [(by_id[x], r) for x, r in ((p.get("lead"), "lead"), (p.get("assist"), "assist"))
                                if x in by_id]
                transfer_actions.do_accept_transfer(t, acting_user=user, note=p.get("note", ""), open_case=bool(p.get("open_case")),
                                     officers=officers)
            elif op == "refuse":
                transfer_actions.do_refuse_transfer(t, acting_user=user, reason=p.get("reason", ""))
            elif op == "dispute":
                transfer_actions.do_raise_dispute(t, acting_user=user, reason=p.get("reason", ""))
            elif op == "coordinate":
                chosen = {str(t.from_entity_id): t.from_entity, str(t.to_entity_id): t.to_entity}.get(p.get("entity"))
                transfer_actions.do_coordinate(t, acting_user=user, entity=chosen, reason=p.get("reason", ""))
            else:
                raise ActionRefused("validation", "未知的操作", "op")
            messages.success(request, "已办理")
            return redirect("transfers-detail", pk=t.pk)
        except ActionRefused as e:
            error = e
    is_receiver = user.role == Role.AGENCY_HEAD and user.entity_id == t.to_entity_id
    return render(request, "transfers/transfer.html", {
        "t": t, "error": error, "op": op, "post": request.POST,
        "can_receive": is_receiver and t.state == CaseTransfer.State.PENDING,
        "can_dispute": user.role == Role.AGENCY_HEAD and user.entity_id in (t.from_entity_id, t.to_entity_id)
        and t.state in ("pending", "accepted") and t.to_entity_id is not None,
        "can_coordinate": t.needs_coordination and transfer_actions.may_coordinate(user, t),
        "officers": _officer_choices(t.to_entity) if is_receiver else []})


@login_required
def crime_new(request):
    user = request.user
    g = request.POST if request.method == "POST" else request.GET
    case = get_or_deny(Case.objects.restrict(user), pk=g.get("case") if (g.get("case") or "").isdigit() else 0)
    error = None
    if request.method == "POST":
        team = list(_officer_choices(case.entity).filter(pk__in=[x for x in g.getlist("team") if x.isdigit()]))
        try:
            ct = crime.do_report_crime(case, acting_user=user, team=team, report_text=g.get("report_text", ""),
                                   police_name=g.get("police_name", ""))
            messages.success(request, "书面报告已提交负责人审批")
            return redirect("transfers-crime", pk=ct.pk)
        except ActionRefused as e:
            error = e
    return render(request, "transfers/crime_new.html", {
        "case": case, "error": error, "officers": _officer_choices(case.entity), "post": g,
        "chosen": g.getlist("team") if request.method == "POST" else []})


@login_required
def crime_detail(request, pk):
    user = request.user
    ct = get_or_deny(CrimeTransfer.objects.restrict(user).select_related("case", "entity"), pk=pk)
    error, op = None, request.POST.get("op", "")
    if request.method == "POST":
        p = request.POST
        try:
            if op in ("approve", "refuse"):
                crime.do_decide_crime(ct, acting_user=user, approve=op == "approve", reason=p.get("reason", ""))
            elif op == "handover":
                crime.do_hand_over_crime(ct, acting_user=user, materials=p.getlist("materials"),
                                     procuratorate=p.get("procuratorate", ""))
            elif op == "receipt":
                crime.do_record_receipt(ct, acting_user=user, received_on=_date(p.get("received_on"), "received_on"),
                                    receipt_number=p.get("receipt_number", ""))
            elif op == "outcome":
                crime.do_record_outcome(ct, acting_user=user, outcome=p.get("outcome", ""),
                                    notice_on=_date(p.get("notice_on"), "notice_on"), reason=p.get("reason", ""))
            elif op == "reconsider":
                crime.do_request_reconsideration(ct, acting_user=user, reason=p.get("reason", ""))
            elif op == "procuratorate":
                crime.do_suggest_procuratorate(ct, acting_user=user, note=p.get("note", ""))
            else:
                raise ActionRefused("validation", "未知的操作", "op")
            messages.success(request, "已办理")
            return redirect("transfers-crime", pk=ct.pk)
        except ActionRefused as e:
            error = e
    CrimeState = CrimeTransfer.State
    is_head = user.role == Role.AGENCY_HEAD and user.entity_id == ct.entity_id
    staff = can(user, "change", ct)
    return render(request, "transfers/crime.html", {
        "ct": ct, "error": error, "op": op, "post": request.POST, "materials": crime.MATERIALS.items(),
        "material_labels": [crime.MATERIALS.get(m, m) for m in ct.materials],
        "reconsider_due": crime.reconsider_due_display(ct),
        "can_decide": is_head and ct.state == CrimeState.REPORTED, "can_handover": is_head and ct.state == CrimeState.APPROVED,
        "can_receipt": staff and ct.state == CrimeState.HANDED_OVER,
        "can_outcome": staff and ct.state in (CrimeState.RECEIVED, CrimeState.RECONSIDERING),
        "can_reconsider": staff and ct.state == CrimeState.NOT_FILED and not ct.reconsidered,
        "can_procuratorate": staff and ct.state == CrimeState.NOT_FILED and not ct.procuratorate_suggested_on})


@login_required
def discipline_new(request):
    user = request.user
    if not _is_supervisor(user):
        raise PermissionDenied
    g = request.POST if request.method == "POST" else request.GET
    officer = get_or_deny(Officer.objects.restrict(user), pk=g.get("officer") if (g.get("officer") or "").isdigit()
                          else 0) if g.get("officer") else None
    case = None
    if (g.get("case") or "").isdigit():
        case = get_or_deny(Case.objects.restrict(user), pk=g["case"])
    error = None
    if request.method == "POST":
        try:
            if officer is None:
                raise ActionRefused("validation", "涉及执法人员：请选择", "officer")
            r = transfer_actions.do_refer_discipline(acting_user=user, officer=officer, facts=g.get("facts", ""),
                                      organ=g.get("organ", ""), case=case)
            messages.success(request, "违纪线索已移送")
            return redirect("transfers-discipline", pk=r.pk)
        except ActionRefused as e:
            error = e
    officers = Officer.objects.restrict(user).filter(status="active").select_related("entity").order_by("entity", "name")
    if case is not None:
        officers = officers.filter(pk__in=case.officers.values("officer_id"))
    return render(request, "transfers/discipline_new.html", {
        "error": error, "officers": officers[:500], "officer": officer, "case": case, "post": g})


@login_required
def discipline_detail(request, pk):
    user = request.user
    r = get_or_deny(DisciplineReferral.objects.restrict(user).select_related("officer", "entity", "case"), pk=pk)
    error = None
    if request.method == "POST":
        try:
            transfer_actions.do_record_discipline_outcome(r, acting_user=user, outcome=request.POST.get("outcome", ""))
            messages.success(request, "处理结果已记录")
            return redirect("transfers-discipline", pk=r.pk)
        except ActionRefused as e:
            error = e
    return render(request, "transfers/discipline.html", {
        "r": r, "error": error, "can_conclude": r.state == "referred" and can(user, "change", r)})


@login_required
def case_panel(request, pk):
    """The case page's panel (HTMX): its transfers, 两法衔接 and similar guiding cases."""
    from zhifa.cases.machine import TERMINAL_STATES
    from zhifa.guidance.actions import similar_to

    user = request.user
    case = get_or_deny(Case.objects.restrict(user), pk=pk)
    if case is None:
        raise Http404
    crimes = CrimeTransfer.objects.restrict(user).filter(case=case)
    return render(request, "transfers/case_panel.html", {
        "case": case, "transfers": CaseTransfer.objects.restrict(user).filter(case=case).select_related("to_entity"),
        "crimes": crimes, "guiding": similar_to(case),
        "can_report": case.state not in TERMINAL_STATES and user.entity_id == case.entity_id
        and user.role in (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)
        and not crimes.filter(state__in=CrimeTransfer.OPEN_STATES).exists(),
        "can_refer": _is_supervisor(user)})
