"""预警 conditions found in review: 法制审核 staffing (registered in zhifa.common.registry.alert_checks; the supervision
app's alert engine opens, keeps and closes the alerts)."""
from __future__ import annotations

from zhifa.common.registry import Finding, alert_checks
from zhifa.orgs.models import Entity
from zhifa.review.catalogue import staffing


@alert_checks.register("reviewers", order=40)
def check_reviewers(today):
    for e in Entity.objects.filter(is_active=True, is_justice_bureau=False):
        s = staffing(e)
        if s["officers"] and s["below_floor"]:
            yield Finding(f"reviewers:{e.pk}", "reviewers", e.pk,
                          f"{e.name}：法制审核人员{s['reviewers']}名，占执法人员{s['percent']}，低于{s['floor_percent']}")
