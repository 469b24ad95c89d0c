"""New-case forms per kind (案源登记, 当场处罚, 行政检查, 查封扣押) and the power-item chooser."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from zhifa.cases.forms import KIND_SLUGS, NEW_FORMS, party_formset, search_items
from zhifa.cases.views.lists import creatable_kinds
from zhifa.common.actions import ActionRefused

PARTY_FIELDS = {"kind", "name", "id_number", "credit_code", "legal_representative", "address", "phone", "is_minor"}


@login_required
def new_case_choose(request):
    kinds = creatable_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    return render(request, "cases/new_choose.html", {"kinds": kinds})


def _attach(form, parties, e: ActionRefused):
    """Put a refusal on the field it names (case field, officers or a party), else on top."""
    e.on_field = e.field in form.fields or e.field in PARTY_FIELDS or e.field == "parties"
    if e.field in form.fields:
        form.add_error(e.field, e.message)
    elif e.on_field:
        parties._non_form_errors = parties.error_class([e.message])


@login_required
def new_case(request, slug):
    if slug not in KIND_SLUGS:
        raise Http404
    if slug not in dict(creatable_kinds(request.user)):
        raise PermissionDenied
    form_class = NEW_FORMS[slug]
    max_parties = form_class.max_parties
    refusal, show_errors = None, True
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        adding = "add_party" in request.POST
        parties = party_formset(max_parties, request.POST, add=adding)
        if adding:
            show_errors = False
        elif form.is_valid() & parties.is_valid():
            try:
                case = form.create(parties.parties(), request.user)
            except ActionRefused as e:
                refusal = e
                _attach(form, parties, e)
            else:
                messages.success(request, f"已登记：{case.number or case.title}")
                return redirect("cases-detail", pk=case.pk)
    else:
        form = form_class(user=request.user)
        parties = party_formset(max_parties)
    ctx = {"form": form, "parties": parties, "slug": slug, "refusal": refusal, "show_errors": show_errors,
           "heading": form_class.heading, "max_parties": max_parties,
           "items": form.item_rows() if "power_items" in form.fields else None}
    template = "cases/new.html"
    if getattr(request, "htmx", False) and request.htmx.target == "case-form":
        template = "cases/_new_form.html"
    return render(request, template, ctx)


@login_required
def power_item_search(request):
    """The chooser's rows for a search (HTMX): the checked items stay, then up to 30 matches."""
    if not request.user.entity_id:
        raise Http404
    q = request.GET.get("q", "").strip()[:100]
    rows = search_items(request.user, q, request.GET.getlist("power_items"))
    no_match = bool(q) and all(checked for _item, checked in rows)
    return render(request, "cases/_power_items.html", {"items": rows, "q": q, "no_match": no_match})
