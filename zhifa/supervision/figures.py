"""Live supervision figures (cases by kind and state, decisions, fines, hearings, reviews,
overdue deadlines) per region level, entity and officer. Every figure is the count of
`metric_cases(...)`, so a figure and the list behind it can never disagree.

At province scale (a million cases) aggregating on every request is too slow, so the background alerts
task also builds a rollup (FigureRollup: per entity, year, kind and open/finished) with a watermark
(the newest case and CaseEvent ids). A page built on the day of the rollup reads it for every entity
with no case and no transition since the watermark, and aggregates the cases of the changed entities
live (a transition touches one entity; an entity holds hundreds of cases, not a million). So the
figures are exact right after a transition, and the task that the transition queued folds the change
into the rollup. Overdue moves with the date: the rollup carries it as of its day and of the next, so
the pages between midnight and the nightly rebuild still read it; should the rebuild not run, from the
second day on the entities with an agency's period falling due since are aggregated live as well.
Lists behind figures are always live.
"""
from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from zhifa.cases.deadlines import PARTY_WINDOWS
from zhifa.cases.machine import TERMINAL_STATES
from zhifa.cases.models import Case, CaseEvent, CaseOfficer, Deadline, Kind, LegalReview
from zhifa.common.roles import Role
from zhifa.disclosure.models import Publication
from zhifa.orgs.models import Entity, Officer, Region
from zhifa.supervision.models import FigureRollup, FigureRollupState


def _overdue_q(today, entity_ids=None):
    """Cases with an agency's period breached, or running past its due date (not yet marked by the
    daily refresh). A party's own window (陈述申辩, 听证申请) lapsing is no breach by the agency: not
    counted, as in the alerts."""
    late = Deadline.objects.filter(Q(state=Deadline.State.BREACHED)
                                   | Q(state=Deadline.State.RUNNING, known=True, due_on__lt=today)
                                   ).exclude(kind__in=PARTY_WINDOWS)
    if entity_ids is not None:
        late = late.filter(case__entity_id__in=entity_ids)
    return Q(pk__in=late.values("case_id"))


def metrics(today, entity_ids=None) -> dict[str, tuple[str, Q]]:
    """Each figure's condition on a case. `entity_ids` narrows the subqueries to those entities' cases:
    the live part of a page aggregates a few changed entities, and hashing every late deadline of
    the province for them cost more than the rest of the page."""
    reviews = LegalReview.objects.all()
    if entity_ids is not None:
        reviews = reviews.filter(case__entity_id__in=entity_ids)
    m = {"all": ("案件总数", Q()), "open": ("在办", ~Q(state__in=TERMINAL_STATES)),
         "finished": ("已办结", Q(state__in=TERMINAL_STATES))}
    for k in Kind:
        m[k.value] = (str(k.label).replace("（", "(").replace("）", ")"), Q(kind=k.value))
    m.update({
        "decided": ("作出决定", Q(decided_on__isnull=False)),
        "fined": ("罚款案件", Q(decided_on__isnull=False, fine_amount__gt=0)),
        "hearing": ("举行听证", Q(hearing_held_on__isnull=False)),
        "reviewed": ("法制审核", Q(pk__in=reviews.values("case_id"))),
        "published": ("已公示", Q(publication__published_on__isnull=False)),
        "overdue": ("期限超期", _overdue_q(today, entity_ids)),
    })
    return m


def _aggregates(today, entity_ids=None):
    out = {name: Count("id", filter=q) for name, (_, q) in metrics(today, entity_ids).items()}
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
    rows, live, changed = split_rollup(user, today, **where)
    if rows is None:
        return _clean(live.order_by().aggregate(**_aggregates(today, changed)))
    out = _from_rollup(rows.aggregate(**ROLLUP_SUMS))
    if live is not None:
        out = _sum_rows([out, _clean(live.order_by().aggregate(**_aggregates(today, changed)))])
    return out


def by_entity(user, today, region=None, year=None) -> list[dict]:
    out = _entity_rows(user, today, region=region, year=year)
    for r in out:
        del r["_path"]
    return out


def region_figures(user, today, region: Region, year=None) -> tuple[dict, list[dict], list[dict]]:
    """(totals, by_child_region, by_entity) of a region from one aggregation per entity: every case has
    exactly one entity, so the region's and each child's figures are sums of its entities' rows."""
    rows = _entity_rows(user, today, region=region, year=year)
    total = _sum_rows(rows) if rows else _clean(dict.fromkeys(ROLLUP_METRICS, 0))
    children = []
    for child in Region.objects.filter(parent=region).order_by("code"):
        mine = [r for r in rows if r["_path"].startswith(child.path)]
        if mine:
            row = _sum_rows(mine)
            if row["all"]:
                children.append({"region": child, **row})
    for r in rows:
        del r["_path"]
    return total, children, rows


def _sum_rows(rows) -> dict:
    out = {k: sum(r[k] for r in rows) for k in ROLLUP_METRICS}
    out["fines"] = sum((r["fines"] for r in rows), Decimal(0))
    return out


def _entity_rows(user, today, region=None, year=None) -> list[dict]:
    keys = ("entity_id", "entity__name", "entity__region__name")
    rows, live, changed = split_rollup(user, today, region=region, year=year)
    out = []
    if rows is not None:
        # grouped by the entity id alone (the rollup's index order, no sort on names), names after
        sums = {r["entity_id"]: _from_rollup(r) for r in rows.values("entity_id").annotate(**ROLLUP_SUMS)}

        for e in (Entity.objects.filter(pk__in=list(sums)).order_by()
                  .values("id", "name", "region__name", "region__path")):
            out.append({"entity_id": e["id"], "entity__name": e["name"], "entity__region__name": e["region__name"],
                        **sums[e["id"]], "_path": e["region__path"]})
    if live is not None:
        for r in live.order_by().values(*keys, "entity__region__path").annotate(**_aggregates(today, changed)):
            path = r.pop("entity__region__path")
            out.append({**_clean(r), "_path": path})
    out.sort(key=lambda r: (r["_path"], r["entity__name"]))
    return out


def by_child_region(user, today, region: Region, year=None) -> list[dict]:
    return region_figures(user, today, region, year)[1]


# ---- the rollup -------------------------------------------------------------------------------------
ROLLUP_METRICS = ("all", "open", "finished", *Kind.values, "decided", "fined", "hearing", "reviewed", "published",
                  "overdue")
ROLLUP_SUMS = {
    "all": Sum("n_all"), "open": Sum("n_all", filter=Q(is_open=True)),
    "finished": Sum("n_all", filter=Q(is_open=False)),
    **{k: Sum("n_all", filter=Q(kind=k)) for k in Kind.values},
    **{k: Sum(f"n_{k}") for k in ("decided", "fined", "hearing", "reviewed", "published")},
    "overdue": Sum("n_over"),  # n_overdue or n_overdue_next, by the day (split_rollup annotates it)
    "fines": Sum("sum_fines"),
}
USE_ROLLUP = True  # the benchmark switches it off to time the live aggregation


def _from_rollup(row) -> dict:
    out = {k: row.get(k) or 0 for k in ROLLUP_METRICS}
    out["fines"] = row.get("fines") or Decimal("0")
    return out


def _watermark():
    return (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0,
            CaseEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0)


def rollup_state(today):
    """The rollup's state if it was built for `today` or an earlier day, else None."""
    state = FigureRollupState.objects.filter(pk=1).first()
    return state if state is not None and state.built_for <= today else None


def changed_entities(state, today=None) -> set[int]:
    """Entities whose figures may differ from the rollup: a case or a transition after its watermark
    (both ids are indexed), a decision published since it was built and, from the second day after it was built, an agency's period falling due
    since the first (the rollup carries overdue as of its day and of the next)."""
    ids = set(Case.objects.filter(pk__gt=state.case_max).order_by().values_list("entity_id", flat=True).distinct())
    ids |= set(CaseEvent.objects.filter(pk__gt=state.event_max).order_by()
               .values_list("case__entity_id", flat=True).distinct())
    # decisions made public since (approval is no case transition); the margin covers approvals that
    # began before the build's snapshot and committed after it

    since = state.built_at - dt.timedelta(seconds=state.seconds + 60)
    ids |= set(Publication.objects.filter(published_on__gte=since.date(), published_at__gte=since).order_by()
               .values_list("entity_id", flat=True).distinct())
    if today is not None and today > state.built_for + dt.timedelta(days=1):
        DeadlineState = Deadline.State
        # running past its due date, or already marked breached by the daily refresh; anything else that
        # changes a deadline is a transition, caught above
        falling = (Deadline.objects.filter(state__in=[DeadlineState.RUNNING, DeadlineState.BREACHED], known=True,
                                           due_on__gte=state.built_for + dt.timedelta(days=1), due_on__lt=today)
                   .exclude(kind__in=PARTY_WINDOWS))
        ids |= set(falling.order_by().values_list("case__entity_id", flat=True).distinct())
    return ids


def rollup_fresh(today) -> bool:
    """Built today and nothing changed since (no entity needs the live aggregation)."""
    state = rollup_state(today)
    return state is not None and state.built_for == today and (state.case_max, state.event_max) == _watermark()


def split_rollup(user, today, *, region=None, entity=None, officer=None, year=None):
    """(rollup rows, live cases, changed entity ids): the rollup for entities unchanged since it was
    built, the cases of the changed ones aggregated live. (None, all cases, None) when the rollup
    cannot serve the query."""
    def live():
        return scoped_cases(user, region=region, entity=entity, officer=officer, year=year)

    if not USE_ROLLUP or officer is not None or set(metrics(today)) != set(ROLLUP_METRICS):
        return None, live(), None
    if not (user.is_superuser or (user.role == Role.SUPERVISOR and user.entity_id)):
        return None, live(), None
    state = rollup_state(today)
    if state is None:
        return None, live(), None
    rows = FigureRollup.objects.annotate(n_over=F("n_overdue_next") if today > state.built_for else F("n_overdue"))
    if not user.is_superuser:
        rows = rows.filter(entity__region__path__startswith=user.entity.region.path)
    if region is not None:
        rows = rows.filter(entity__region__path__startswith=region.path)
    if entity is not None:
        rows = rows.filter(entity=entity)
    if year is not None:
        rows = rows.filter(year=int(year))
    changed = changed_entities(state, today)
    if changed:  # only the changed entities this query covers (the subqueries are narrowed to them)

        scope = Entity.objects.filter(pk__in=changed)
        if not user.is_superuser:
            scope = scope.filter(region__path__startswith=user.entity.region.path)
        if region is not None:
            scope = scope.filter(region__path__startswith=region.path)
        if entity is not None:
            scope = scope.filter(pk=entity.pk)
        changed = set(scope.values_list("pk", flat=True))
    if not changed:
        return rows, None, None
    changed = sorted(changed)
    return rows.exclude(entity_id__in=changed), live().filter(entity_id__in=changed), changed


def refresh_rollup(today) -> dict:
    """Rebuild the rollup from the cases (one GROUP BY) in one transaction; the background task runs it."""
    t = time.perf_counter()
    m = metrics(today)
    with transaction.atomic():
        mark = _watermark()
        rows = (Case.objects.order_by()
                .annotate(y=ExtractYear(Coalesce("filed_on", "registered_on")),
                          o=ExpressionWrapper(~Q(state__in=TERMINAL_STATES), output_field=BooleanField()))
                .values("entity_id", "y", "kind", "o")
                .annotate(n=Count("id"), **{k: Count("id", filter=m[k][1])
                                            for k in ("decided", "fined", "hearing", "reviewed", "published",
                                                      "overdue")},
                          overdue_next=Count("id", filter=_overdue_q(today + dt.timedelta(days=1))),
                          f=Sum("fine_amount", filter=Q(decided_on__isnull=False, fine_amount__gt=0))))
        objs = [FigureRollup(entity_id=r["entity_id"], year=r["y"], kind=r["kind"], is_open=bool(r["o"]),
                             n_all=r["n"], n_decided=r["decided"], n_fined=r["fined"], n_hearing=r["hearing"],
                             n_reviewed=r["reviewed"], n_published=r["published"], n_overdue=r["overdue"],
                             n_overdue_next=r["overdue_next"], sum_fines=r["f"] or 0) for r in rows]
        FigureRollup.objects.all().delete()
        FigureRollup.objects.bulk_create(objs, batch_size=5000)
        seconds = time.perf_counter() - t
        FigureRollupState.objects.update_or_create(pk=1, defaults={"built_for": today, "case_max": mark[0],
                                                                  "event_max": mark[1], "seconds": seconds})
    return {"rows": len(objs), "seconds": seconds}


def by_officer(user, today, entity, year=None) -> list[dict]:
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
