"""Publications (行政执法结果公示). Staff pages (/disclosure/): the queue with due dates and overdue
items, timeliness per entity, the approver's redaction editor, withdrawal. Public pages (/gs/results/,
no login, published entries only, read through zhifa.disclosure.public): the search, one decision and
its inclusion proof."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from zhifa.common.actions import ActionRefused
from zhifa.common.scope import can, get_or_deny
from zhifa.disclosure import public, redact, timeliness
from zhifa.disclosure.actions import credit_repair as repair_actions
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.choices import TIMELINESS_LABELS, WITHDRAW_GROUNDS, WITHDRAWAL_GROUNDS
from zhifa.disclosure.models import Publication
from zhifa.disclosure.pipeline import access_code


@login_required
def queue(request):
    qs = Publication.objects.restrict(request.user, "view").select_related("entity")
    today = timezone.localdate()
    pending = [(p, timeliness.status(p, today)) for p in timeliness.pending(qs)]
    return render(request, "disclosure/queue.html", {
        "pending": pending, "labels": TIMELINESS_LABELS, "today": today,
        "published": qs.filter(state=Publication.State.PUBLISHED).order_by("-published_on")[:50],
        "overdue_withdrawals": timeliness.overdue_withdrawals(qs, today),
        "pending_repairs": repair_actions.pending_for(request.user),
        "per_entity": timeliness.per_entity(qs, today)})


def segments(text, spans):
    """Text split into plain and highlighted parts for the redaction editor."""
    out, pos = [], 0
    for i, s in enumerate(sorted(spans, key=lambda s: s["start"])):
        out.append({"text": text[pos:s["start"]]})
        out.append({"text": text[s["start"]:s["end"]], "span": s, "index": i, "label": redact.KINDS[s["kind"]]})
        pos = s["end"]
    out.append({"text": text[pos:]})
    return out


def _edited_spans(pub, post):
    spans = sorted(pub.spans, key=lambda s: s["start"])
    keep = set(post.getlist("keep"))
    kept = [s for i, s in enumerate(spans) if str(i) in keep]
    add, kind = (post.get("add_text") or "").strip(), post.get("add_kind") or "name"
    if add:
        start = 0
        while (i := pub.source_text.find(add, start)) >= 0:
            if all(i + len(add) <= s["start"] or i >= s["end"] for s in kept):
                kept.append({"start": i, "end": i + len(add), "kind": kind})
            start = i + len(add)
    return kept


@login_required
def detail(request, pk):
    pub = get_or_deny(Publication.objects.restrict(request.user, "view").select_related("entity", "case"), pk=pk)
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "spans":
                publication_actions.do_set_spans(pub, _edited_spans(pub, request.POST), acting_user=request.user)
                messages.success(request, "已更新隐去内容")
            elif op == "approve":
                publication_actions.do_approve(pub, acting_user=request.user)
                messages.success(request, "已审核通过并公示")
            elif op == "flag":
                on = dt.date.fromisoformat(request.POST.get("occurred_on") or timezone.localdate().isoformat())
                publication_actions.do_flag_withdrawal(pub, acting_user=request.user, ground=request.POST.get("ground", ""),
                                                       occurred_on=on)
                messages.success(request, "已登记撤下事由")
            elif op == "withdraw":
                publication_actions.do_withdraw(pub, acting_user=request.user, public_reason=request.POST.get("public_reason", ""),
                                                ground=request.POST.get("ground", ""))
                messages.success(request, "已撤下公示")
        except ActionRefused as e:
            messages.error(request, e.message)
        except ValueError:
            messages.error(request, "日期格式不正确")
        return redirect(reverse("disclosure-detail", args=[pub.pk]))
    return render(request, "disclosure/detail.html", {
        "pub": pub, "segments": segments(pub.source_text, pub.spans), "kinds": redact.KINDS,
        "grounds": WITHDRAWAL_GROUNDS, "withdraw_grounds": WITHDRAW_GROUNDS, "can_change": can(request.user, "change", pub),
        "status": TIMELINESS_LABELS[timeliness.status(pub, timezone.localdate())],
        "access_code": access_code(pub.case) if pub.case_id else ""})


# ---- public (/gs/results/) ----------------------------------------------------------------------

def results(request):
    page, q = public.search_page(request.GET, request.GET.get("page"))
    rows = [{"pub": p, "title": public.highlight(p.public_title, q),
             "snippet": public.highlight(p.public_body, q, limit=120)} for p in page]
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "disclosure/public/results.html", {
        "module": "results", "page": page, "rows": rows, "q": request.GET.get("q", ""), "params": params.urlencode(),
        "max_results": public.search_index.MAX_RESULTS, "get": request.GET, **public.filter_options()})


def _published_or_404(pk):
    pub = public.published().filter(pk=pk).first()
    if pub is None:
        raise Http404("该公示信息不存在或已撤下")
    return pub


def decision(request, pk):
    pub = _published_or_404(pk)
    return render(request, "disclosure/public/decision.html", {"module": "results", "pub": pub})


def decision_proof(request, pk):
    pub = _published_or_404(pk)
    resp = HttpResponse(public.proof_json(pub), content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="proof-{pub.pk}.json"'
    return resp
