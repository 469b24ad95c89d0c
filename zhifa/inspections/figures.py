"""Figures of 双随机、一公开 within a user's scope (the 双随机 home shows them to planners, heads and
supervisors): per entity, the draws made, tasks, results entered, results published on time,
problems found, overdue tasks and the share of the roster inspected (coverage)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q

from zhifa.inspections.choices import PROBLEM_RESULTS
from zhifa.inspections.models import Draw, RosterObject, Task


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
