"""Staff pages (/disclosure/): the publication queue with due dates and overdue items, timeliness
per entity, the approver's redaction editor, withdrawal, and each certificate's QR code."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from zhifa.common.actions import ActionRefused
from zhifa.common.scope import can, get_or_deny
from zhifa.disclosure import actions, actions_repair, redact, timeliness
from zhifa.disclosure.models import WITHDRAWAL_GROUNDS, Publication
from zhifa.disclosure.pipeline import access_code


@login_required
def queue(request):
    qs = Publication.objects.restrict(request.user, "view").select_related("entity")
    today = timezone.localdate()
    pending = [(p, timeliness.status(p, today)) for p in timeliness.pending(qs)]
    return render(request, "disclosure/queue.html", {
        "pending": pending, "labels": timeliness.LABELS, "today": today,
        "published": qs.filter(state=Publication.State.PUBLISHED).order_by("-published_on")[:50],
        "overdue_withdrawals": timeliness.overdue_withdrawals(qs, today),
        "pending_repairs": actions_repair.pending_for(request.user),
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
                actions.do_set_spans(pub, _edited_spans(pub, request.POST), acting_user=request.user)
                messages.success(request, "已更新隐去内容")
            elif op == "approve":
                actions.do_approve(pub, acting_user=request.user)
                messages.success(request, "已审核通过并公示")
            elif op == "flag":
                on = dt.date.fromisoformat(request.POST.get("occurred_on") or timezone.localdate().isoformat())
                actions.do_flag_withdrawal(pub, acting_user=request.user, ground=request.POST.get("ground", ""),
                                           occurred_on=on)
                messages.success(request, "已登记撤下事由")
            elif op == "withdraw":
                actions.do_withdraw(pub, acting_user=request.user, public_reason=request.POST.get("public_reason", ""))
                messages.success(request, "已撤下公示")
        except ActionRefused as e:
            messages.error(request, e.message)
        except ValueError:
            messages.error(request, "日期格式不正确")
        return redirect(reverse("disclosure-detail", args=[pub.pk]))
    return render(request, "disclosure/detail.html", {
        "pub": pub, "segments": segments(pub.source_text, pub.spans), "kinds": redact.KINDS,
        "grounds": WITHDRAWAL_GROUNDS, "can_change": can(request.user, "change", pub),
        "status": timeliness.LABELS[timeliness.status(pub, timezone.localdate())],
        "access_code": access_code(pub.case)})


def _cert(request, pk):
    from zhifa.orgs.models import Certificate

    return get_or_deny(Certificate.objects.restrict(request.user, "view").select_related("officer"), pk=pk)


def check_url(request, cert) -> str:
    return request.build_absolute_uri(reverse("gs-cert-number", args=[cert.number]))


@login_required
def certificate_qr(request, pk):
    import segno

    cert = _cert(request, pk)
    svg = segno.make(check_url(request, cert), error="m").svg_inline(scale=4)
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
def certificate_qr_page(request, pk):
    cert = _cert(request, pk)
    return render(request, "disclosure/certificate_qr.html", {"cert": cert, "url": check_url(request, cert)})
