"""The case page: header, facts, timeline, deadlines, allowed next actions, documents, change log."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhifa.cases import machine
from zhifa.cases.forms import transition_form
from zhifa.cases.models import Case, Kind, PenaltyKind
from zhifa.cases.views.display import (
    CaseLogEntry,
    days_text,
    deadline_row,
    documents_url,
    offers_for,
    officer_rows,
    progress_steps,
    run_transition,
)
from zhifa.common.actions import ActionRefused
from zhifa.common.crud import changelog_for
from zhifa.common.roles import Role
from zhifa.common.scope import get_or_deny
from zhifa.common.templatetags.money import format_yuan

HANDLER_ROLES = {Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER}


def _case(request, pk):
    qs = Case.objects.restrict(request.user, "view").select_related(
        "entity", "unit", "unit__entity", "hearing_chair", "decided_by", "created_by", "source_case")
    return get_or_deny(qs, pk=pk)


def _money(v):
    return format_yuan(v, "")


def info_rows(case):
    """(label, value) of what is on file, skipping empty fields."""
    rows = [
        ("案由", case.title), ("执法领域", case.field), ("案件来源", case.get_source_display()),
        ("来源说明", case.source_detail),
        ("来源案件", str(case.source_case) if case.source_case_id else ""),
        ("登记日期", case.registered_on), ("发现日期", case.discovered_on),
        ("违法行为发生（终了）日", case.violation_on),
        ("立案日期", case.filed_on), ("时效提示", case.limitation_warning),
        ("超过时效仍予立案的理由", case.limitation_reason),
        ("违法事实", case.facts), ("法律依据", case.legal_basis),
    ]
    if case.kind in (Kind.PENALTY_GENERAL, Kind.PENALTY_SIMPLE):
        kinds = "、".join(str(PenaltyKind(k).label) for k in case.penalty_kinds or [] if k in PenaltyKind.values)
        label = "决定" if case.decided_on else "拟"
        rows += [(f"{label}处罚种类", "不予行政处罚" if case.no_penalty else kinds),
                 (f"{label}罚款金额", _money(case.fine_amount)), (f"{label}没收金额", _money(case.confiscation_amount)),
                 ("事先告知送达日期", case.rights_notice_served_on),
                 ("告知听证权利", "是" if case.rights_notice_served_on and case.notice_includes_hearing else ""),
                 ("陈述申辩", "当事人明确放弃" if case.statement_waived else case.statement_text),
                 ("要求听证日期", case.hearing_requested_on),
                 ("听证", f"{case.hearing_scheduled_on or ''} 主持人：{case.hearing_chair}" if case.hearing_chair_id else ""),
                 ("听证日期", case.hearing_held_on), ("听证笔录摘要", case.hearing_record),
                 ("决定书文号", case.decision_number), ("决定日期", case.decided_on),
                 ("决定人", str(case.decided_by) if case.decided_by_id else ""),
                 ("决定书送达", f"{case.served_on} {case.service_method}" if case.served_on else ""),
                 *_payment_rows(case), ("缴纳日期", case.paid_on),
                 ("执行情况", case.execution_note)]
    if case.kind == Kind.INSPECTION:
        rows += [("检查结果", case.inspection_result),
                 ("发现问题", "是" if case.problems_found else ("否" if case.inspection_result else ""))]
    rows += [("结案日期", case.closed_on), ("归档日期", case.archived_on), ("保管期限", case.retention_period),
             ("备考表", case.archive_note), ("不予立案/撤销/移送理由", case.exit_reason),
             ("移送", f"{case.get_transfer_kind_display()}：{case.transfer_to}" if case.transfer_kind else ""),
             ("中止中", "是（期限暂停计算）" if case.suspended else "")]
    return [(label, value) for label, value in rows if value not in (None, "", [])]


def _payment_rows(case):
    """Paid and outstanding per item (罚款 / 没收违法所得), once the decision is served."""
    from zhifa.cases.rules_procedure import confiscation_owed, outstanding

    if not case.served_on or case.no_penalty:
        return []
    left = outstanding(case, timezone.localdate())
    rows = []
    if case.fine_amount:
        rows += [("已缴罚款", _money(case.paid_amount)), ("罚款未缴（含加处罚款）", _money(left["fine"]))]
    if confiscation_owed(case):
        rows += [("已缴没收违法所得", _money(case.confiscation_paid)), ("没收违法所得未缴", _money(left["confiscation"]))]
    return rows


def _event_rows(case):
    rows = []
    for e in case.events.select_related("actor"):
        p = e.payload or {}
        notes = []
        for key, label in (("number", "案件编号"), ("decision_number", "决定书文号"), ("due_on", "新的届满日")):
            if p.get(key):
                notes.append(f"{label}：{p[key]}")
        for key, label in (("reviewer", "审核人"), ("chair", "听证主持人"), ("officer", "回避人员")):
            if isinstance(p.get(key), dict):
                notes.append(f"{label}：{p[key].get('repr', '')}")
        if p.get("hearing_rights") is not None:
            notes.append("已告知听证权利" if p["hearing_rights"] else "未涉及听证权利")
        for w in p.get("warnings") or []:
            notes.append(f"⚠ {w}")
        rows.append({"e": e, "from": machine.state_label(case.kind, e.from_state) if e.from_state else "",
                     "to": machine.state_label(case.kind, e.to_state), "notes": notes,
                     "new_case": p.get("new_case")})
    return rows


def _panels(case):
    """Panels other apps register for the case page (common.registry.case_panels)."""
    from zhifa.common.registry import case_panels

    return [{"key": e.key, "title": e.value.title, "select": e.value.select,
             "url": reverse(e.value.url_name, args=[case.pk])}
            for e in case_panels.entries() if not e.value.kinds or case.kind in e.value.kinds]


def render_case(request, case, *, posted=None, status=200):
    today = timezone.localdate()
    deadlines = [deadline_row(d, today) for d in case.deadlines.all()]
    for r in deadlines:
        r["days_text"] = days_text(r["days_left"]) if r["open"] else ""
    offers = offers_for(case, request.user, posted=posted)
    events = _event_rows(case)
    ctx = {
        "case": case, "obj": case, "today": today,
        "parties": list(case.parties.all()),
        "officers": officer_rows(case, today),
        "power_items": list(case.power_items.all()),
        "info": info_rows(case),
        "events": events,
        "progress": progress_steps(case, {r["e"].to_state for r in events}),
        "deadlines": deadlines,
        "offers": offers,
        "has_main": any(o.group == "main" for o in offers),
        "seizures": list(case.seizures.all()) if case.kind == Kind.COERCIVE else [],
        "simple": getattr(case, "simple", None) if case.kind == Kind.PENALTY_SIMPLE else None,
        "reviews": list(case.reviews.select_related("reviewer")),
        "discussions": list(case.discussions.select_related("chaired_by")),
        "recusals": list(case.recusals.select_related("officer")),
        "extensions": list(case.extensions.select_related("approved_by")),
        "docs_url": documents_url(case),
        "records_url": reverse("records-case", args=[case.pk]),
        # No "ct": the shared full-log page (common.views.changelog) cannot show list values yet.
        "log": [CaseLogEntry(e, case.kind) for e in changelog_for(case, request.user)[:50]],
        "handler_roles": HANDLER_ROLES,
        "panels": _panels(case),
    }
    return render(request, "cases/detail.html", ctx, status=status)


@login_required
def case_detail(request, pk):
    return render_case(request, _case(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request, pk, name):
    """GET shows the case page with this action's form open; POST runs the transition through
    the core. A refusal re-shows the form with the rule's message; success goes back to the case."""
    case = _case(request, pk)
    t = machine.transitions(case.kind).get(name)
    if t is None or t.sources == ("",):
        raise Http404
    form_class = transition_form(name)
    if request.method == "GET":
        form = form_class(case=case, user=request.user, prefix=name, offer_label=t.label)
        return render_case(request, case, posted=(name, form, None))
    form = form_class(request.POST, case=case, user=request.user, prefix=name, offer_label=t.label)
    refusal = None
    if form.is_valid():
        try:
            run_transition(case, name, form, request.user)
        except ActionRefused as e:
            refusal = e
            e.on_field = e.field in form.fields and not form.fields[e.field].widget.is_hidden
            if e.on_field:
                form.add_error(e.field, e.message)
        else:
            messages.success(request, f"已办理：{t.label}")
            return redirect("cases-detail", pk=case.pk)
        case = _case(request, pk)  # what is on file now (the refusal changed nothing)
    return render_case(request, case, posted=(name, form, refusal))
