"""The case page's panel: norms for the step, circumstances → suggestion, similar cases, legal bases."""
from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.scope import get_or_deny
from zhifa.discretion import library
from zhifa.discretion import similar as sim
from zhifa.discretion import suggest as sg
from zhifa.discretion.actions import do_set_circumstances
from zhifa.discretion.actions.circumstances import OPEN_STATES, _is_handler, case_benchmark
from zhifa.discretion.actions.norms import norms_for
from zhifa.discretion.models import CaseCircumstances
from zhifa.discretion.rules import discussion_distance
from zhifa.powers import discretion as bench

SIMILAR_STATES = ("proposed", "notified", "hearing", "legal_review", "reviewed", "collective_discussion")


def legal_bases(case) -> list[dict]:
    """Every article the case cites (its legal basis and its power items), resolved in the law library
    as in force on the violation date."""
    on = case.violation_on or case.registered_on
    text = "；".join([case.legal_basis or ""] + [f"《{i.law}》{i.article}" for i in case.power_items.all()])
    out = []
    for r in library.resolve_text(text, on):
        url = ""
        if r.law is not None:
            url = reverse("discretion-law", args=[r.law.pk]) + (f"#a{r.citation.number}" if r.article else "")
        out.append({"cite": f"《{r.citation.law}》{r.citation.label}{r.citation.rest}", "article": r.article,
                    "law": r.law, "url": url, "flag": r.flag, "flagged": r.flagged, "message": r.message})
    return out


def panel_context(case, user):
    item, benchmark = case_benchmark(case, timezone.localdate())
    row = CaseCircumstances.objects.filter(case=case).first()
    factors = sg.available_factors(case.entity_id, [item.code] if item else [])
    ticked = set(row.factors if row else [])
    levels = []
    if benchmark is not None:
        for lv in benchmark.levels:
            lo, hi, how = sg.band(lv, case.illegal_gains)
            levels.append({"level": lv["level"], "circumstances": lv.get("circumstances", ""), "how": how,
                           "sanctions": bench.sanction_labels(lv.get("sanctions", [])),
                           "current": bool(row and row.suggestion.get("level") == lv["level"])})
    s = row.suggestion if row else {}
    gap = sg.distance(s, Decimal(0) if case.no_penalty else case.fine_amount) if (s and case.proposed_on) else Decimal(0)
    similar, warning = [], ""
    if case.state in SIMILAR_STATES or case.decided_on:
        similar = sim.similar_cases(case)
        if case.state in SIMILAR_STATES:
            warning = sim.amount_warning(case, similar)
    visible = set(Case.objects.restrict(user, "view").filter(pk__in=[x["case"].pk for x in similar])
                  .values_list("pk", flat=True))
    for x in similar:
        x["visible"] = x["case"].pk in visible
    return {
        "case": case, "item": item, "benchmark": benchmark, "levels": levels, "row": row, "s": s,
        "factors": [{**f, "effect_label": sg.Effect(f["effect"]).label, "cite": sg.cite(f), "ticked": f["code"] in ticked}
                    for f in factors],
        "may_edit": benchmark is not None and case.state in OPEN_STATES and _is_handler(user, case),
        "gap": int(gap * 100), "far": gap > discussion_distance(), "limit": int(discussion_distance() * 100),
        "norms": norms_for(case), "similar": similar, "amount_warning": warning, "bases": legal_bases(case),
        "show_similar": case.state in SIMILAR_STATES or bool(case.decided_on),
    }


@login_required
def case_panel(request, pk):
    case = get_or_deny(Case.objects.restrict(request.user, "view").select_related("entity", "entity__region"), pk=pk)
    return render(request, "discretion/case_panel.html", panel_context(case, request.user))


@login_required
@require_POST
def set_circumstances(request, pk):
    case = get_or_deny(Case.objects.restrict(request.user, "view"), pk=pk)
    try:
        row = do_set_circumstances(case, acting_user=request.user, factors=request.POST.getlist("factors"),
                                   note=request.POST.get("note", ""), base=request.POST.get("base") or None)
        s = row.suggestion
        amount = f"，建议罚款{s['amount']}元" if s.get("amount") else ""
        messages.success(request, f"已保存裁量情节：建议适用“{s.get('level')}”档位{amount}")
    except OutOfScope as e:
        messages.error(request, str(e))
    except ActionRefused as e:
        messages.error(request, e.message)
    return redirect(reverse("cases-detail", args=[case.pk]) + "#panel-discretion")
