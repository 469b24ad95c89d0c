"""Staff pages of the notify app: my notification preferences, and a case's 电子送达 (consents,
sending a document, what was served and when it arrived)."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.cases.models import Case, Party
from zhifa.common.actions import ActionRefused
from zhifa.notify.actions import eservice as es
from zhifa.notify.actions.preferences import do_save_preferences
from zhifa.notify.choices import CONSENT_VERSION, EVENTS, Channel
from zhifa.notify.models import Consent, Message, Preference, Service
from zhifa.notify.outbox import channels_for


@login_required
def preferences(request):
    pref = Preference.objects.filter(user=request.user).first()
    error = None
    if request.method == "POST":
        chosen = {ev: request.POST.getlist(f"ch_{ev}") for ev in EVENTS}
        try:
            do_save_preferences(request.user, acting_user=request.user, email=request.POST.get("email", ""),
                                mobile=request.POST.get("mobile", ""), channels=chosen)
        except ActionRefused as e:
            error = e
        else:
            messages.success(request, "已保存通知设置")
            return redirect("notify-preferences")
    rows = [{"code": ev, "label": label, "chosen": channels_for(request.user, ev, pref)}
            for ev, (label, _d) in EVENTS.items() if not ev.startswith(("complaint.", "eservice.document"))]
    sent = Message.objects.filter(user=request.user).exclude(channel=Channel.INAPP)[:30]
    return render(request, "notify/preferences.html", {"pref": pref, "rows": rows, "error": error, "sent": sent,
                                                        "status": 422 if error else 200},
                  status=422 if error else 200)


def _case(request, pk):
    case = Case.objects.restrict(request.user, "view").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def _documents(case):
    from zhifa.documents.models import GeneratedDocument

    docs = GeneratedDocument.objects.filter(case=case, pdf_status=GeneratedDocument.PdfStatus.READY).order_by(
        "doc_type", "-version")
    seen, out = set(), []
    for d in docs:
        if d.doc_type not in seen:
            seen.add(d.doc_type)
            out.append(d)
    return out


@login_required
def case_eservice(request, pk, error=None, status=200):
    case = _case(request, pk)
    ctx = {"case": case, "parties": list(case.parties.all()),
           "consents": Consent.objects.filter(case=case).select_related("party"),
           "services": Service.objects.filter(case=case).select_related("party", "document", "message"),
           "documents": _documents(case), "error": error, "version": CONSENT_VERSION,
           "today": timezone.localdate().isoformat()}
    return render(request, "notify/case.html", ctx, status=status)


def _refused(request, pk, e):
    return case_eservice(request, pk, error=e, status=422 if e.rule in ("validation", "eservice.consent_valid")
                         else 409)


@login_required
@require_POST
def record_consent(request, pk):
    case = _case(request, pk)
    party = Party.objects.filter(case=case, pk=request.POST.get("party") or 0).first()
    try:
        if party is None:
            raise ActionRefused("validation", "请选择当事人", "party")
        try:
            signed = dt.date.fromisoformat(request.POST.get("signed_on", ""))
        except ValueError:
            raise ActionRefused("eservice.consent_valid", "请填写确认书签署日期", "signed_on") from None
        es.do_record_consent(party, acting_user=request.user, channels=request.POST.getlist("channels"),
                             email=request.POST.get("email", ""), mobile=request.POST.get("mobile", ""),
                             signed_on=signed, confirmation_version=request.POST.get("version", CONSENT_VERSION))
    except ActionRefused as e:
        return _refused(request, pk, e)
    messages.success(request, "已登记电子送达地址确认书")
    return redirect("notify-case", pk)


@login_required
@require_POST
def withdraw_consent(request, pk, consent_pk):
    case = _case(request, pk)
    consent = Consent.objects.filter(case=case, pk=consent_pk).first()
    if consent is None:
        raise Http404
    try:
        es.do_withdraw_consent(consent, acting_user=request.user, reason=request.POST.get("reason", ""))
    except ActionRefused as e:
        return _refused(request, pk, e)
    messages.success(request, "已登记撤回")
    return redirect("notify-case", pk)


@login_required
@require_POST
def send_document(request, pk):
    from zhifa.documents.models import GeneratedDocument

    case = _case(request, pk)
    party = Party.objects.filter(case=case, pk=request.POST.get("party") or 0).first()
    doc = GeneratedDocument.objects.filter(case=case, pk=request.POST.get("document") or 0).first()
    try:
        if party is None:
            raise ActionRefused("validation", "请选择当事人", "party")
        if doc is None:
            raise ActionRefused("validation", "请选择要送达的文书", "document")
        es.do_send_document(doc, party, acting_user=request.user, channel=request.POST.get("channel", ""))
    except ActionRefused as e:
        return _refused(request, pk, e)
    messages.success(request, "已发出电子送达，当事人打开链接之日为送达日期")
    return redirect("notify-case", pk)
