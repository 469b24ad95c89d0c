"""Case list (search, filters, HTMX live refresh) and the work queue (我的待办)."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch, Q
from django.shortcuts import render
from django.utils import timezone

from zhifa.cases.deadlines import work_queue
from zhifa.cases.forms import DUE_CHOICES, KIND_SLUGS, CaseFilterForm
from zhifa.cases.machine import transitions
from zhifa.cases.models import Case, CaseOfficer, Deadline, Party
from zhifa.cases.views.display import days_text, queue_deadline
from zhifa.common.crud import search_q
from zhifa.common.paging import CappedPaginator

PAGE_SIZE = 30
OPEN_STATES = (Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.BREACHED)


def _page_rows(page, today):
    """Prefetch parties, officers and open deadlines for one page only."""
    cases = list(page.object_list)
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        cases,
        Prefetch("parties", queryset=Party.objects.only("id", "case_id", "name", "kind")),
        Prefetch("officers", queryset=CaseOfficer.objects.filter(active=True).select_related("officer"),
                 to_attr="active_officers"),
        Prefetch("deadlines", queryset=Deadline.objects.filter(state__in=OPEN_STATES), to_attr="open_deadlines"),
    )
    rows = []
    for c in cases:
        dl = queue_deadline(c, today)
        if dl:
            dl["days_text"] = days_text(dl["days_left"])
        rows.append({"case": c, "dl": dl})
    return rows


def filter_cases(request):
    form = CaseFilterForm(request.GET or None, user=request.user)
    qs = Case.objects.restrict(request.user, "view").select_related("entity", "unit")
    today = timezone.localdate()
    if form.is_bound:
        form.is_valid()  # invalid values drop out of cleaned_data and are ignored
        d = getattr(form, "cleaned_data", {})
        q = (d.get("q") or "").strip()
        if q:
            qs = qs.filter(search_q(Case, "number", q) | search_q(Case, "title", q)
                           | search_q(Case, "decision_number", q) | search_q(Case, "parties__name", q))
        if d.get("kind"):
            qs = qs.filter(kind=d["kind"])
        if d.get("state"):
            qs = qs.filter(state=d["state"])
        if d.get("unit"):
            qs = qs.filter(unit_id=d["unit"])
        if d.get("officer"):
            qs = qs.filter(pk__in=CaseOfficer.objects.filter(officer_id=d["officer"], active=True).values("case_id"))
        due = form.due_days() if hasattr(form, "cleaned_data") else None
        if due == "overdue":
            late = Deadline.objects.filter(Q(state=Deadline.State.BREACHED)
                                           | Q(state=Deadline.State.RUNNING, known=True, due_on__lt=today))
            qs = qs.filter(pk__in=late.values("case_id"))
        elif due is not None:
            soon = Deadline.objects.filter(state=Deadline.State.RUNNING, known=True, due_on__gte=today,
                                           due_on__lte=today + dt.timedelta(days=due))
            qs = qs.filter(pk__in=soon.values("case_id"))
        if d.get("year"):
            y = int(d["year"])
            qs = qs.filter(Q(filed_on__year=y) | Q(filed_on__isnull=True, registered_on__year=y))
    # Case.next_due_on is the earliest running due date, kept by the engine: no join and GROUP BY
    # over the deadlines of every case in scope.
    qs = qs.annotate(next_due=F("next_due_on"))
    return form, qs.order_by("-id")


def creatable_kinds(user):
    """[(slug, label)] of the new-case forms the user's role may use."""
    from zhifa.cases.forms import NEW_FORMS

    if not user.entity_id:
        return []
    out = []
    for slug, kind in KIND_SLUGS.items():
        t = transitions(kind)[NEW_FORMS[slug].transition]
        if user.role in t.roles:
            out.append((slug, NEW_FORMS[slug].heading))
    return out


@login_required
def case_list(request):
    form, qs = filter_cases(request)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"form": form, "page": page, "rows": _page_rows(page, timezone.localdate()),
           "new_kinds": creatable_kinds(request.user), "due_choices": DUE_CHOICES}
    template = "cases/_list_table.html" if getattr(request, "htmx", False) else "cases/list.html"
    return render(request, template, ctx)


# The heads' approvals: state → the transition that brought the case there (its date starts the wait).
APPROVAL_STATES = {"filing_pending": "file_case"}


def awaiting_approval(user, today, limit=None):
    """(count, rows) of the cases waiting in an approval state that `user` may approve, oldest request
    first. 立案审批中 carries no deadline in the machine, so each row says how long it has waited."""
    from django.db.models import Max, OuterRef, Subquery

    from zhifa.cases.models import CaseEvent

    if user.role not in transitions("penalty_general")["approve_filing"].roles:
        return 0, []
    since = (CaseEvent.objects.filter(case=OuterRef("pk"), transition__in=APPROVAL_STATES.values())
             .values("case").annotate(on=Max("on")).values("on"))
    qs = (Case.objects.restrict(user, "view").filter(state__in=APPROVAL_STATES).select_related("entity", "unit")
          .annotate(waiting_since=Subquery(since)).order_by(F("waiting_since").asc(nulls_last=True), "id"))
    rows = []
    for c in qs[:limit] if limit else qs:
        waited = (today - c.waiting_since).days if c.waiting_since else None
        rows.append({"case": c, "since": c.waiting_since, "waited": waited,
                     "css": "soon" if waited is not None and waited >= 3 else ""})
    return qs.count(), rows


@login_required
def work_queue_view(request):
    today = timezone.localdate()
    page = CappedPaginator(work_queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    n_approvals, approvals = awaiting_approval(request.user, today, limit=50)
    return render(request, "cases/queue.html", {
        "page": page, "rows": _page_rows(page, today), "new_kinds": creatable_kinds(request.user),
        "approvals": approvals, "n_approvals": n_approvals})
