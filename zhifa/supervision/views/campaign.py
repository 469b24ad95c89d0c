"""专项监督: the campaigns of the user's subtree and a new one, a campaign (sampling, the sampled cases,
finishing it), the findings on one sampled case, and the campaign report (page with a bar chart, .xlsx)."""
from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from zhifa.common.actions import ActionRefused
from zhifa.common.scope import can, get_or_deny
from zhifa.common.xlsx import Column, workbook_bytes
from zhifa.orgs.models import Entity
from zhifa.supervision.actions import campaign as campaign_actions
from zhifa.supervision.choices import CAMPAIGN_CHECKLIST
from zhifa.supervision.models import Campaign, CampaignCase
from zhifa.supervision.views.access import require_supervisor


def _campaign(request, pk):
    return get_or_deny(Campaign.objects.restrict(request.user).select_related("owner"), pk=pk)


@login_required
def campaign_list(request):
    user = require_supervisor(request)
    g = request.POST if request.method == "POST" else None
    error = None
    entities = Entity.objects.restrict(user).filter(is_active=True, is_justice_bureau=False).order_by("region__path", "name")
    if g is not None:
        try:
            c = campaign_actions.do_create_campaign(
                acting_user=user, name=g.get("name", ""), fields=g.get("fields", ""),
                entities=list(entities.filter(pk__in=[x for x in g.getlist("entities") if x.isdigit()])),
                period_from=g.get("period_from"), period_to=g.get("period_to"),
                checklist=[ln for ln in g.get("checklist", "").splitlines() if ln.strip()], sample_size=g.get("sample_size"))
            messages.success(request, "专项监督已启动，请抽取案件")
            return redirect("supervision-campaign", pk=c.pk)
        except ActionRefused as e:
            error = e
    return render(request, "supervision/campaigns.html", {
        "campaigns": Campaign.objects.restrict(user).select_related("owner"), "entities": entities, "error": error,
        "form": g or {"checklist": "\n".join(CAMPAIGN_CHECKLIST), "sample_size": "10"},
        "chosen": set(g.getlist("entities")) if g is not None else set()})


@login_required
def campaign_detail(request, pk):
    user = require_supervisor(request)
    c = _campaign(request, pk)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "sample":
                rows = campaign_actions.do_sample_cases(c, acting_user=user)
                messages.success(request, f"已随机抽取案件{len(rows)}件")
            else:
                campaign_actions.do_finish_campaign(c, acting_user=user, summary=request.POST.get("summary", ""))
                messages.success(request, "专项监督已完成")
            return redirect("supervision-campaign", pk=c.pk)
        except ActionRefused as e:
            error = e
    return render(request, "supervision/campaign.html", {
        "c": c, "rows": c.cases.select_related("case__entity", "order"), "error": error,
        "can_act": c.state == Campaign.State.OPEN and can(user, "change", c),
        "pool": campaign_actions.candidates(c).count()})


@login_required
def campaign_case(request, pk):
    user = require_supervisor(request)
    row = get_or_deny(CampaignCase.objects.restrict(user).select_related("campaign", "case__entity", "order"), pk=pk)
    error, chosen = None, dict(row.findings and {p: ("yes" if ok else "no") for p, ok in row.findings.items()})
    if request.method == "POST":
        chosen = {p: request.POST.get(f"point_{i}", "") for i, p in enumerate(row.campaign.checklist)}
        try:
            campaign_actions.do_record_finding(row, acting_user=user, findings=chosen,
                                               problems=request.POST.get("problems", ""),
                                               order_days=request.POST.get("order_days") or 15)
            messages.success(request, "检查结果已保存")
            return redirect("supervision-campaign", pk=row.campaign_id)
        except ActionRefused as e:
            error = e
    points = [{"i": i, "label": p, "chosen": chosen.get(p, "")} for i, p in enumerate(row.campaign.checklist)]
    return render(request, "supervision/campaign_case.html", {
        "row": row, "points": points, "error": error, "problems": request.POST.get("problems", row.problems),
        "can_act": row.campaign.state == Campaign.State.OPEN and can(user, "change", row.campaign)})


REPORT_COLUMNS = [Column("案件编号", "number", 24), Column("案件名称", "title", 40), Column("执法主体", "entity", 28),
                  Column("检查结果", "result", 12), Column("发现的问题", "problems", 50), Column("整改通知", "order", 24),
                  Column("整改答复", "reply", 12)]


@login_required
def campaign_report(request, pk, fmt="html"):
    require_supervisor(request)
    c = _campaign(request, pk)
    data = campaign_actions.report(c)
    if fmt == "xlsx":
        rows = [[r.case.number, r.case.title, r.case.entity.name,
                 "待检查" if r.state == "pending" else ("存在问题" if r.failed else "符合要求"),
                 "；".join(r.failed) + (f"。{r.problems}" if r.problems else ""),
                 r.order.number if r.order else "", r.order.get_state_display() if r.order else ""]
                for r in data["rows"]]
        resp = HttpResponse(workbook_bytes(REPORT_COLUMNS, rows, sheet_title="专项监督报告"),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(c.name + '报告.xlsx')}"
        return resp
    return render(request, "supervision/campaign_report.html", {"c": c, **data})
