"""法定期限 near or breached: the case's handlers are told once per deadline and due date (the
dedupe key holds both, so an extension that moves the date warns again)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Q

from zhifa.cases.models import Deadline
from zhifa.notify.choices import DEADLINE_NEAR_DAYS
from zhifa.notify.outbox import post


def deadline_notices(today: dt.date) -> dict:
    from zhifa.review.actions import case_users

    near = breached = 0
    live = Q(state=Deadline.State.RUNNING) | Q(state=Deadline.State.BREACHED, met_on__isnull=True)
    # Breached within the last month only: a first run on an old database does not flood anyone.
    qs = (Deadline.objects.filter(live, known=True, due_on__gte=today - dt.timedelta(days=30),
                                  due_on__lte=today + dt.timedelta(days=DEADLINE_NEAR_DAYS))
          .select_related("case").order_by("due_on", "id"))
    for dl in qs.iterator(chunk_size=500):
        case = dl.case
        users = case_users(case, handlers=True)
        if dl.due_on < today:
            made = post(users, "deadline.breached", f"案件“{case.title}”的{dl.label}已于{dl.due_on:%Y-%m-%d}届满，已超期",
                        case=case, dedupe=f"deadline.breached:{dl.pk}:{dl.due_on}")
            breached += bool(made)
        else:
            made = post(users, "deadline.near", f"案件“{case.title}”的{dl.label}将于{dl.due_on:%Y-%m-%d}届满",
                        case=case, dedupe=f"deadline.near:{dl.pk}:{dl.due_on}")
            near += bool(made)
    return {"near": near, "breached": breached}
