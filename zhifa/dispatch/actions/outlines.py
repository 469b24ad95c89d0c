"""Region outlines for the map layer (reference data: the administrator, or the demo)."""
from __future__ import annotations

from django.db import transaction

from zhifa.common.actions import ActionRefused, OutOfScope, snapshot
from zhifa.common.scope import rule_for
from zhifa.dispatch import geo
from zhifa.dispatch.actions.common import step
from zhifa.dispatch.models import RegionOutline


@transaction.atomic
def do_save_outline(region, geometry: dict, *, acting_user, source: str = "") -> RegionOutline:
    if rule_for(RegionOutline, acting_user, "change") != "all":
        raise OutOfScope("只有系统管理员可以维护区划边界")
    problem = geo.check_geometry(geometry)
    if problem:
        raise ActionRefused("validation", f"边界：{problem}", "geometry")
    row = RegionOutline.objects.filter(region=region).first()
    before = snapshot(row) if row else None
    if row is None:
        row = RegionOutline(region=region)
    row.geometry, row.source = geometry, (source or "")[:100]
    row.save()
    step(row, "dispatch.outline_saved", acting_user=acting_user, before=before, reason=source or "区划边界",
         region=region.code)
    return row
