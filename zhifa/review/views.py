"""Review pages (server-rendered + HTMX): the reviewer's queue, the review form, the case's review
panel (submit a packet, object, discuss), packet diffs, the catalogue and staffing."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.cases.models import Case, LegalReview
from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.common.scope import get_or_deny
from zhifa.orgs.models import Entity, LegalAdviser, User
from zhifa.review import actions as review_actions
from zhifa.review.catalogue import current_catalogue, is_major, packet_defaults, packet_diff, review_heading, staffing
from zhifa.review.gate import gate_refusal
from zhifa.review.models import (
    CHECKLIST,
    PACKET_FIELDS,
    AdviserOpinion,
    Catalogue,
    DiscussionRecord,
    Notice,
    Objection,
    Opinion,
    Packet,
)
from zhifa.review.queue import reviewer_queue


def _case(request, pk):
    return get_or_deny(Case.objects.restrict(request.user, "view").select_related("entity"), pk=pk)


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def queue(request):
    notices = Notice.objects.filter(user=request.user).select_related("case")[:30]
    return render(request, "review/queue.html", {"rows": reviewer_queue(request.user), "notices": notices})


@login_required
@require_POST
def notices_read(request):
    review_actions.do_mark_notices_read(request.user)
    return redirect("review-queue")


def panel_context(request, case, *, error=None, posted=None):
    major, reasons, version = is_major(case)
    packets = list(Packet.objects.filter(case=case).order_by("-version"))
    reviews = list(LegalReview.objects.filter(case=case).select_related("reviewer").order_by("-id"))
    opinions = {o.review_id: o for o in Opinion.objects.filter(review__case=case).select_related("document")}
    objections = {o.review_id: o for o in Objection.objects.filter(review__case=case)}
    for r in reviews:
        r.checklist_opinion_ = opinions.get(r.pk)
        r.objection_ = objections.get(r.pk)
        r.packet_ = next((p for p in packets if p.review_id == r.pk), None)
    user = request.user
    from zhifa.cases.rules import handler_ids, user_officer

    officer = user_officer(user)
    is_handler = officer is not None and officer.pk in handler_ids(case)
    last_decided = next((r for r in reviews if r.outcome), None)
    return {
        "case": case, "major": major, "reasons": reasons, "review_heading": review_heading(reasons), "catalogue_version": version, "packets": packets,
        "reviews": reviews, "gate": gate_refusal(case) if case.state not in ("decided", "served", "executing",
                                                                           "closed", "archived") else None,
        "may_submit": is_handler and case.state in ("proposed", "notified", "hearing"),
        "defaults": posted or packet_defaults(case), "packet_fields": PACKET_FIELDS,
        "reviewers": User.objects.filter(entity=case.entity, role=Role.LEGAL_REVIEWER, is_active=True,
                                         officer__is_legal_reviewer=True, officer__status="active"),
        "may_object": is_handler and last_decided is not None and last_decided.outcome == "problems"
        and last_decided.pk not in objections, "last_decided": last_decided,
        "may_discuss": user.role == Role.AGENCY_HEAD and user.entity_id == case.entity_id
        and case.state in ("proposed", "notified", "hearing", "reviewed"),
        "discussions": DiscussionRecord.objects.filter(discussion__case=case).select_related("discussion"),
        "advisers": LegalAdviser.objects.filter(entity=case.entity),
        "adviser_opinions": AdviserOpinion.objects.filter(case=case).select_related("adviser"),
        "error": error, "today": timezone.localdate().isoformat(),
    }


@login_required
def case_panel(request, pk):
    case = _case(request, pk)
    return render(request, "review/panel.html", panel_context(request, case))


def _panel_or_refusal(request, case, fn):
    try:
        fn()
    except ActionRefused as e:
        case.refresh_from_db()
        ctx = panel_context(request, case, error=e, posted={f: request.POST.get(f, "") for f, _l in PACKET_FIELDS})
        status = 200 if getattr(request, "htmx", False) else 409 if e.rule != "validation" else 422
        return render(request, "review/panel.html", ctx, status=status)  # htmx swaps 2xx only
    messages.success(request, "已保存")
    url = reverse("cases-detail", args=[case.pk]) + "#review"
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url.split("#")[0]  # same page + fragment would not reload
        return response
    return redirect(url)


@login_required
@require_POST
def submit(request, pk):
    case = _case(request, pk)
    reviewer = User.objects.filter(pk=_int(request.POST.get("reviewer")), entity=case.entity).first()
    packet = {f: request.POST.get(f, "") for f, _l in PACKET_FIELDS}
    return _panel_or_refusal(request, case, lambda: review_actions.do_submit_packet(
        case, reviewer=reviewer, packet=packet, acting_user=request.user, correction_note=request.POST.get("note", ""),
        expected_version=_int(request.POST.get("expected_version"), -1)))


@login_required
@require_POST
def objection(request, pk):
    review = get_or_deny(LegalReview.objects.filter(case__in=Case.objects.restrict(request.user, "view")), pk=pk)
    return _panel_or_refusal(request, review.case, lambda: review_actions.do_record_objection(
        review, text=request.POST.get("text", ""), acting_user=request.user))


@login_required
@require_POST
def discussion(request, pk):
    case = _case(request, pk)
    names, titles, views = (request.POST.getlist(k) for k in ("att_name", "att_title", "att_view"))
    attendees = [{"name": n, "title": t, "view": v} for n, t, v in zip(names, titles, views) if n.strip() or v.strip()]
    return _panel_or_refusal(request, case, lambda: review_actions.do_hold_discussion(
        case, trigger=request.POST.get("trigger", ""), attendees=attendees, minutes=request.POST.get("minutes", ""),
        conclusion=request.POST.get("conclusion", ""), acting_user=request.user,
        expected_version=_int(request.POST.get("expected_version"), -1)))


@login_required
@require_POST
def adviser_opinion(request, pk):
    case = _case(request, pk)
    adviser = LegalAdviser.objects.filter(pk=_int(request.POST.get("adviser"))).first()
    return _panel_or_refusal(request, case, lambda: review_actions.do_record_adviser_opinion(
        case, adviser=adviser, question=request.POST.get("question", ""), opinion=request.POST.get("opinion", ""),
        given_on=timezone.localdate(), acting_user=request.user))


@login_required
def review_form(request, pk):
    review = get_or_deny(LegalReview.objects.filter(case__in=Case.objects.restrict(request.user, "view"))
                         .select_related("case", "reviewer"), pk=pk)
    case = review.case
    packet = Packet.objects.filter(review=review).first()
    previous = Packet.objects.filter(case=case, version__lt=packet.version).order_by("-version").first() if packet else None
    error, posted = None, {}
    if request.method == "POST":
        checklist = {k: {"status": request.POST.get(f"item_{k}", ""), "note": request.POST.get(f"note_{k}", "")}
                     for k, _l in CHECKLIST}
        posted = {"checklist": checklist, "opinion": request.POST.get("opinion", ""),
                  "corrections": request.POST.get("corrections", ""), "outcome": request.POST.get("outcome", "")}
        try:
            review_actions.do_review(case, outcome=posted["outcome"], packet_version=_int(request.POST.get("packet_version")),
                        checklist=checklist, opinion=posted["opinion"], corrections=posted["corrections"],
                        acting_user=request.user, expected_version=_int(request.POST.get("expected_version"), -1))
        except ActionRefused as e:
            error = e
        else:
            messages.success(request, "审核意见已提交，法制审核意见书已生成")
            return redirect("review-queue")
    items = [{"key": k, "label": label, **(posted.get("checklist", {}).get(k) or {})} for k, label in CHECKLIST]
    return render(request, "review/form.html", {
        "review": review, "case": case, "packet": packet, "items": items, "posted": posted, "error": error,
        "diff": packet_diff(previous, packet) if packet and previous else None, "previous": previous,
        "pending": review.outcome == "" and review.reviewer_id == request.user.pk}, status=409 if error else 200)


@login_required
def diff(request, pk, version):
    case = _case(request, pk)
    new = Packet.objects.filter(case=case, version=version).first()
    if new is None:
        raise Http404
    old = Packet.objects.filter(case=case, version__lt=version).order_by("-version").first()
    return render(request, "review/diff.html", {"case": case, "new": new, "old": old, "diff": packet_diff(old, new)})


def _entity_for(request):
    if request.user.role == Role.ADMIN or request.user.is_superuser:
        return get_or_deny(Entity.objects.all(), pk=_int(request.GET.get("entity") or request.POST.get("entity")))
    return request.user.entity


BOOL_FIELDS = ("revoke_licence", "suspend_or_close", "hearing_held", "public_interest", "complex", "suspected_crime",
               "all_general")


@login_required
def catalogue(request):
    entity = _entity_for(request) if (request.GET.get("entity") or request.POST.get("entity")
                                      or request.user.role != Role.ADMIN) else None
    error = None
    if request.method == "POST" and entity is not None:
        data = {f: request.POST.get(f) == "on" for f in BOOL_FIELDS}
        try:
            for f in ("fine_threshold_citizen", "fine_threshold_org"):
                data[f] = Decimal(request.POST[f]) if request.POST.get(f) else None
        except InvalidOperation:
            error = ActionRefused("validation", "数额应为数字", f)
        data["review_days"] = _int(request.POST.get("review_days"), 0)
        data["note"] = request.POST.get("note", "")[:300]
        if error is None:
            try:
                review_actions.do_save_catalogue(entity, data, acting_user=request.user)
            except ActionRefused as e:
                error = e
            else:
                messages.success(request, "已保存为新版本")
                return redirect(reverse("review-catalogue") + (f"?entity={entity.pk}" if request.user.role == Role.ADMIN else ""))
    versions = Catalogue.objects.restrict(request.user, "view").filter(entity=entity) if entity else []
    current = current_catalogue(entity.pk) if entity else None
    bools = [(f, Catalogue._meta.get_field(f).verbose_name,
              getattr(current, f) if current else Catalogue._meta.get_field(f).default) for f in BOOL_FIELDS]
    return render(request, "review/catalogue.html", {
        "entity": entity, "current": current, "versions": versions, "error": error, "bool_fields": bools,
        "entities": Entity.objects.restrict(request.user, "view")}, status=409 if error else 200)


@login_required
def staffing_view(request):
    entities = Entity.objects.restrict(request.user, "view").filter(is_justice_bureau=False).order_by("name")
    return render(request, "review/staffing.html", {"rows": [staffing(e) for e in entities]})
