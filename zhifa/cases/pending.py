"""Pending due dates of case periods (statutory periods, the legal review period): computed when
the year they wait for is entered; a period already closed is judged met or breached then."""
from __future__ import annotations

from django.db.models import Count

from zhifa.cases import deadlines
from zhifa.cases.models import Deadline
from zhifa.common.actions import log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.legalcal import pending


def count_by_year() -> dict[int, int]:
    return dict(Deadline.objects.filter(known=False, unknown_year__isnull=False)
                .exclude(state=Deadline.State.CANCELLED).order_by()
                .values_list("unknown_year").annotate(n=Count("id")))


def resolve(year: int, *, acting_user, on) -> int:
    n, case_ids = 0, set()
    for dl in Deadline.objects.select_for_update().filter(known=False, unknown_year=year):
        before = snapshot(dl)
        deadlines.compute_due(dl)
        fields = ["due_on", "known", "unknown_year", "unknown_reason"]
        if (dl.known and dl.state == Deadline.State.MET and dl.met_on and dl.met_on > dl.due_on
                and dl.kind not in deadlines.PARTY_WINDOWS):
            dl.state = Deadline.State.BREACHED  # done, but after the period now known to have ended
            fields.append("state")
        dl.save(update_fields=fields)
        log_change(dl, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(dl),
                   reason=f"录入{year}年节假日安排后计算{dl.label}")
        case_ids.add(dl.case_id)
        n += dl.known
    deadlines.sync_next_due(case_ids)
    return n


def mark_breached(*, year, acting_user, on, resolved) -> None:
    """Periods whose newly computed last day has passed are breached as of today."""
    if resolved.get("cases.deadline"):
        deadlines.refresh_deadlines(on)


pending.register("cases.deadline", "案件法定期限", count=count_by_year, resolve=resolve)
pending.after_resolve(mark_breached)
