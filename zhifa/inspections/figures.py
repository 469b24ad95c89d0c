"""Figures of 双随机、一公开 within a user's scope (the 双随机 home shows them to planners, heads and
supervisors): per entity, the draws made, tasks, results entered, results published on time,
problems found, overdue tasks and the share of the roster inspected (coverage). The supervision
home shows a region's figures (plans, draws, tasks done and overdue, results published on time)
through common.registry.supervision_sections: supervision never imports this app."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.template.loader import render_to_string

from zhifa.common.registry import SupervisionSection, supervision_sections
from zhifa.inspections.choices import PROBLEM_RESULTS
from zhifa.inspections.models import Draw, Plan, RosterObject, Task


def _pct(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def figures(user, today: dt.date) -> list[dict]:
    tasks = (Task.objects.restrict(user, "view").values("entity_id", "entity__name").annotate(
        total=Count("id"), done=Count("id", filter=~Q(result="")),
        problems=Count("id", filter=Q(result__in=list(PROBLEM_RESULTS))),
        overdue=Count("id", filter=Q(result="", due_on__lt=today)),
        published=Count("id", filter=Q(published_on__isnull=False)),
        on_time=Count("id", filter=Q(published_on__isnull=False, published_on__lte=F("publish_due_on"))),
        objects=Count("object_key", distinct=True)))
    draws = dict(Draw.objects.restrict(user, "view").filter(state=Draw.State.DRAWN).values("entity_id")
                 .annotate(n=Count("id")).values_list("entity_id", "n"))
    roster = dict(RosterObject.objects.restrict(user, "view").filter(is_active=True).values("entity_id")
                  .annotate(n=Count("id")).values_list("entity_id", "n"))
    rows = []
    for t in sorted(tasks, key=lambda t: t["entity__name"]):
        rows.append({"entity": t["entity__name"], "draws": draws.get(t["entity_id"], 0), "tasks": t["total"],
                     "done": t["done"], "done_pct": _pct(t["done"], t["total"]), "overdue": t["overdue"],
                     "published": t["published"], "on_time_pct": _pct(t["on_time"], t["published"]),
                     "problem_pct": _pct(t["problems"], t["done"]),
                     "coverage_pct": _pct(t["objects"], roster.get(t["entity_id"], 0))})
    return rows


def _per_entity(qs, **counts) -> dict[int, dict]:
    return {row.pop("entity_id"): row for row in qs.values("entity_id").annotate(**counts)}


def region_figures(user, today: dt.date, region, year: int | None = None) -> dict:
    """双随机 of a region's subtree (the supervision home): plans, draws, tasks done and overdue,
    results published and published on time, per entity and in total; `year` is the plan's year."""
    from zhifa.orgs.models import Entity

    under = {"entity__region__path__startswith": region.path}
    plans = Plan.objects.restrict(user, "view").filter(**under)
    draws = Draw.objects.restrict(user, "view").filter(**under)
    tasks = Task.objects.restrict(user, "view").filter(**under)
    if year:
        plans, draws, tasks = plans.filter(year=year), draws.filter(batch__plan__year=year), \
            tasks.filter(draw__batch__plan__year=year)
    by_plan = _per_entity(plans, plans=Count("id"),
                          filed=Count("id", filter=Q(state__in=[Plan.State.FILED, Plan.State.ACKNOWLEDGED])))
    by_draw = _per_entity(draws, drawn=Count("id", filter=Q(state=Draw.State.DRAWN)),
                          waiting=Count("id", filter=Q(state=Draw.State.COMMITTED)))
    by_task = _per_entity(
        tasks, tasks=Count("id"), done=Count("id", filter=~Q(result="")),
        overdue=Count("id", filter=Q(result="", due_on__lt=today)),
        problems=Count("id", filter=Q(result__in=list(PROBLEM_RESULTS))),
        published=Count("id", filter=Q(published_on__isnull=False)),
        on_time=Count("id", filter=Q(published_on__isnull=False, published_on__lte=F("publish_due_on"))),
        late=Count("id", filter=Q(published_on__isnull=True, publish_due_on__lt=today) & ~Q(result="")))
    keys = ("plans", "filed", "drawn", "waiting", "tasks", "done", "overdue", "problems", "published", "on_time",
            "late")
    ids = set(by_plan) | set(by_draw) | set(by_task)
    names = dict(Entity.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows, total = [], dict.fromkeys(keys, 0)
    for pk in sorted(ids, key=lambda i: names.get(i, "")):
        row = {"entity_id": pk, "entity": names.get(pk, ""), **dict.fromkeys(keys, 0),
               **by_plan.get(pk, {}), **by_draw.get(pk, {}), **by_task.get(pk, {})}
        for k in keys:
            total[k] += row[k]
        rows.append(_rates(row))
    return {"rows": rows, "total": _rates(total)}


def _rates(row: dict) -> dict:
    row["done_pct"] = _pct(row["done"], row["tasks"])
    row["on_time_pct"] = _pct(row["on_time"], row["published"])
    row["problem_pct"] = _pct(row["problems"], row["done"])
    return row


@supervision_sections.register("inspections", order=50)
def supervision_section(user, today: dt.date, region, year: int | None = None) -> SupervisionSection | None:
    """The 双随机 figures on the supervision home (common.registry.supervision_sections)."""
    figs = region_figures(user, today, region, year)
    if not figs["rows"]:
        return None
    html = render_to_string("inspections/_supervision.html", {**figs, "region": region, "year": year})
    return SupervisionSection("双随机、一公开" + (f"（{year}年度计划）" if year else ""), html)
