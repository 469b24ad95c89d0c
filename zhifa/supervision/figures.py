"""Live supervision figures (cases by kind and state, decisions, fines, hearings, reviews,
overdue deadlines) per region level, entity and officer. Every figure is the count of
`metric_cases(...)`, so a figure and the list behind it can never disagree.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from decimal import Decimal

from django.db.models import Count, Q, Sum

from zhifa.cases.machine import TERMINAL_STATES
from zhifa.cases.models import Case, CaseOfficer, Deadline, Kind, LegalReview
from zhifa.orgs.models import Region


def _overdue_q(today):
    late = Deadline.objects.filter(Q(state=Deadline.State.BREACHED)
                                   | Q(state=Deadline.State.RUNNING, known=True, due_on__lt=today))
    return Q(pk__in=late.values("case_id"))


def metrics(today) -> dict[str, tuple[str, Q]]:
    m = {"all": ("案件总数", Q()), "open": ("在办", ~Q(state__in=TERMINAL_STATES)),
         "finished": ("已办结", Q(state__in=TERMINAL_STATES))}
    for k in Kind:
        m[k.value] = (str(k.label).replace("（", "(").replace("）", ")"), Q(kind=k.value))
    m.update({
        "decided": ("作出决定", Q(decided_on__isnull=False)),
        "fined": ("罚款案件", Q(decided_on__isnull=False, fine_amount__gt=0)),
        "hearing": ("举行听证", Q(hearing_held_on__isnull=False)),
        "reviewed": ("法制审核", Q(pk__in=LegalReview.objects.values("case_id"))),
        "overdue": ("期限超期", _overdue_q(today)),
    })
    return m


def _aggregates(today):
    out = {name: Count("id", filter=q) for name, (_, q) in metrics(today).items()}
    out["fines"] = Sum("fine_amount", filter=Q(decided_on__isnull=False, fine_amount__gt=0))
    return out


def _clean(row):
    row["fines"] = row.get("fines") or Decimal("0")
    return row


def year_q(year: int) -> Q:
    """Cases of a year: filed (立案) that year, or registered that year if never filed."""
    return Q(filed_on__year=year) | Q(filed_on__isnull=True, registered_on__year=year)


def scoped_cases(user, *, region=None, entity=None, officer=None, year=None):
    qs = Case.objects.restrict(user, "view")
    if year is not None:
        qs = qs.filter(year_q(int(year)))
    if region is not None:
        qs = qs.filter(entity__region__path__startswith=region.path)
    if entity is not None:
        qs = qs.filter(entity=entity)
    if officer is not None:
        qs = qs.filter(pk__in=CaseOfficer.objects.filter(officer=officer).values("case_id"))
    return qs


def metric_cases(user, metric: str, today, **where):
    qs = scoped_cases(user, **where)
    m = metrics(today)
    if metric not in m:
        return qs.none()
    return qs.filter(m[metric][1])


def totals(user, today, **where) -> dict:
    return _clean(scoped_cases(user, **where).order_by().aggregate(**_aggregates(today)))


def by_entity(user, today, region=None, year=None) -> list[dict]:
    rows = (scoped_cases(user, region=region, year=year).order_by().values("entity_id", "entity__name", "entity__region__name")
            .annotate(**_aggregates(today)).order_by("entity__region__path", "entity__name"))
    return [_clean(r) for r in rows]


def by_child_region(user, today, region: Region, year=None) -> list[dict]:
    out = []
    for child in Region.objects.filter(parent=region).order_by("code"):
        row = totals(user, today, region=child, year=year)
        if row["all"]:
            out.append({"region": child, **row})
    return out


def by_officer(user, today, entity, year=None) -> list[dict]:
    from zhifa.orgs.models import Officer

    out = []
    for o in Officer.objects.restrict(user, "view").filter(entity=entity).order_by("name"):
        row = totals(user, today, entity=entity, officer=o, year=year)
        if row["all"]:
            out.append({"officer": o, **row})
    return out


def home_region(user) -> Region | None:
    """The region a user's figures start from: a supervisor's own (the subtree they oversee)."""
    if user.entity_id:
        return user.entity.region
    return Region.objects.filter(parent__isnull=True).order_by("code").first()


def region_allowed(user, region: Region) -> bool:
    base = home_region(user)
    if user.is_superuser or base is None:
        return True
    return region.path.startswith(base.path)


def today():
    return timezone.localdate()
