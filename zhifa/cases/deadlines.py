"""Statutory periods on cases: opened and closed by the transitions, paused while a case is
suspended, breaches marked by refresh_deadlines(). Due dates come from zhifa.legalcal.periods;
a period reaching into a year without calendar data is stored as unknown, never guessed.
"""
from __future__ import annotations

import datetime as dt
import threading

from django.db.models import F, Min, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from zhifa.cases.models import Case, CaseOfficer, Deadline
from zhifa.legalcal import pending

RUNNING, PAUSED, MET, BREACHED, CANCELLED = (Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.MET,
                                             Deadline.State.BREACHED, Deadline.State.CANCELLED)
OPEN = (RUNNING, PAUSED)
# Periods the party has (not duties of the agency): they lapse, they are never "breached".
PARTY_WINDOWS = ("statement_defence", "hearing_request")


def _periods():
    from zhifa.legalcal import periods

    return periods


_writes = threading.local()


def writes() -> int:
    """How many Deadline rows this thread has saved or deleted so far: the engine recomputes
    Case.next_due_on only when a transition changed some (one MIN query less otherwise)."""
    return getattr(_writes, "n", 0)


@receiver([post_save, post_delete], sender=Deadline, dispatch_uid="cases.deadline_writes")
def _count_write(**_kw):
    _writes.n = writes() + 1


def compute_due(dl: Deadline):
    p = _periods()
    unit = p.WORKING if dl.working_days else p.CALENDAR
    due = p.add_period(dl.started_on, dl.base_days + dl.extended_days + dl.paused_days, unit)
    dl.due_on, dl.known = due.date, due.known
    # Pending (待定): computed when the year is entered (zhifa/cases/pending.py), never guessed.
    dl.unknown_year = None if due.known else due.unknown_year
    dl.unknown_reason = "" if due.known else pending.label(due.unknown_year)


def open_deadline(case: Case, kind: str, started_on: dt.date) -> Deadline:
    """Open the statutory period PERIODS[kind] starting on `started_on` (start day excluded)."""
    p = _periods()
    period = p.PERIODS[kind]
    dl = Deadline(case=case, kind=kind, label=period.label, basis=period.basis, started_on=started_on,
                  base_days=period.n, working_days=period.unit == p.WORKING)
    compute_due(dl)
    dl.save()
    return dl


def close_deadline(case: Case, kind: str, on: dt.date, *, cancel=False) -> None:
    """The act the period was for happened on `on`: met if in time, else breached."""
    pending = Q(state__in=OPEN) | Q(state=BREACHED, met_on__isnull=True)
    for dl in Deadline.objects.filter(pending, case=case, kind=kind):
        dl.met_on = on
        if dl.state == BREACHED:
            # Already marked late by refresh_deadlines: it stays a breach, now with its completion date.
            dl.save(update_fields=["met_on"])
            continue
        if cancel:
            dl.state = CANCELLED
        else:
            late = dl.known and dl.due_on and on > dl.due_on and kind not in PARTY_WINDOWS
            dl.state = BREACHED if late else MET
        dl.save()


def close_all(case: Case, on: dt.date, *, cancel=True) -> None:
    for kind in set(Deadline.objects.filter(case=case, state__in=OPEN).values_list("kind", flat=True)):
        close_deadline(case, kind, on, cancel=cancel)


def extend(case: Case, kind: str, days: int, ref: str) -> Deadline | None:
    dl = Deadline.objects.filter(case=case, kind=kind, state__in=OPEN).last()
    if dl is None:
        return None
    dl.extended_days += days
    dl.extension_ref = (dl.extension_ref + "；" if dl.extension_ref else "") + ref
    compute_due(dl)
    dl.save()
    return dl


def pause(case: Case, on: dt.date) -> None:
    """Suspension (中止): the calendar-day periods stop running (Art. 60 as applied by SAMR)."""
    for dl in Deadline.objects.filter(case=case, state=RUNNING, working_days=False):
        dl.state, dl.paused_from = PAUSED, on
        dl.save()


def resume(case: Case, on: dt.date) -> None:
    for dl in Deadline.objects.filter(case=case, state=PAUSED):
        dl.paused_days += (on - dl.paused_from).days
        dl.state, dl.paused_from = RUNNING, None
        compute_due(dl)
        dl.save()


def refresh_deadlines(today: dt.date) -> int:
    """Mark running periods whose due date has passed as breached (the party's own windows
    as lapsed, i.e. met on their last day); returns how many duties were breached."""
    past = Deadline.objects.filter(state=RUNNING, known=True, due_on__lt=today)
    case_ids = list(past.values_list("case_id", flat=True).distinct())
    for dl in past.filter(kind__in=PARTY_WINDOWS):
        dl.state, dl.met_on = MET, dl.due_on
        dl.save(update_fields=["state", "met_on"])
    breached = past.exclude(kind__in=PARTY_WINDOWS).update(state=BREACHED)
    sync_next_due(case_ids)
    return breached


def next_due_of(case) -> dt.date | None:
    return Deadline.objects.filter(case=case, state=RUNNING).aggregate(m=Min("due_on"))["m"]


def sync_next_due(case_ids=None) -> int:
    """Recompute Case.next_due_on (earliest running due date) for some or all cases in SQL."""
    nearest = (Deadline.objects.filter(case=OuterRef("pk"), state=RUNNING).order_by()
               .values("case").annotate(m=Min("due_on")).values("m"))
    if case_ids is None:
        return Case.objects.update(next_due_on=Subquery(nearest))
    ids = list(case_ids)
    return sum(Case.objects.filter(pk__in=ids[i:i + 5000]).update(next_due_on=Subquery(nearest))
               for i in range(0, len(ids), 5000))


def warnings(today: dt.date, within_days: int = 3, *, cases=None):
    """Running periods due within `within_days` calendar days (and those with unknown calendar)."""
    qs = Deadline.objects.filter(state=RUNNING).filter(
        Q(known=True, due_on__gte=today, due_on__lte=today + dt.timedelta(days=within_days)) | Q(known=False))
    if cases is not None:
        qs = qs.filter(case__in=cases)
    return qs.select_related("case").order_by("due_on")


def work_queue(user):
    """The user's open cases, nearest running due date first (one query).

    An officer sees the cases they handle; heads and reviewers see their scope's open cases.
    """
    from zhifa.common.roles import Role

    qs = Case.objects.restrict(user, "view").open()
    if user.role == Role.OFFICER:
        officer = getattr(user, "officer", None)
        if officer is None:
            return qs.none()
        qs = qs.filter(pk__in=CaseOfficer.objects.filter(officer=officer, active=True).values("case_id"))
    return (qs.select_related("entity", "unit").annotate(next_due=F("next_due_on"))
            .order_by(F("next_due_on").asc(nulls_last=True), "id"))
