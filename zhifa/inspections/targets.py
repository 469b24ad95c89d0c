"""双随机 history on the 一户式 page (common.registry.target_sections, read by records): every
random inspection of one credit code / ID within the user's scope, with its draw and result, and
the object's row in the entity rosters (credit risk, last inspected)."""
from __future__ import annotations

from django.template.loader import render_to_string

from zhifa.common.registry import TargetSection, target_sections
from zhifa.inspections.models import RosterObject, Task


@target_sections.register("inspections", order=50)
def inspection_history(user, key: str) -> TargetSection | None:
    tasks = list(Task.objects.restrict(user, "view").filter(object_key=key)
                 .select_related("draw__batch__plan", "entity", "case").prefetch_related("inspectors")
                 .order_by("-draw__drawn_at", "-id")[:200])
    rosters = list(RosterObject.objects.restrict(user, "view").filter(key=key).select_related("entity"))
    if not tasks and not rosters:
        return None
    html = render_to_string("inspections/_target.html", {"tasks": tasks, "rosters": rosters})
    return TargetSection("双随机抽查记录", html, len(tasks))
