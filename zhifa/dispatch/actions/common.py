from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.common.actions import log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.dispatch.choices import WORKDAY_ENDS, LimitUnit
from zhifa.ledger import log as ledger
from zhifa.legalcal.periods import add_working_days


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def step(obj, event, *, acting_user, before=None, reason="", **data):
    """One step: the ChangeLog row (itself ledgered) and a typed ledger event, in the caller's transaction."""
    log_change(obj, ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE, acting_user=acting_user,
               before=before, after=snapshot(obj), reason=reason)
    ledger.append(event, subject=obj, actor=acting_user, data={"id": obj.pk, **data})


def due_after(start: dt.datetime, unit: str, amount: int) -> tuple[dt.datetime | None, int | None]:
    """When a limit that starts at `start` ends: hours on the clock, or the close (WORKDAY_ENDS, local
    time) of the amount-th working day after the start's day on the legal calendar (the start day not
    counted). A working-day limit running into a year without its holiday arrangement is pending:
    (None, that year) — never guessed."""
    if unit == LimitUnit.HOURS:
        return start + dt.timedelta(hours=amount), None
    due = add_working_days(timezone.localdate(start), amount)
    if not due.known or due.date is None:
        return None, due.unknown_year
    return timezone.make_aware(dt.datetime.combine(due.date, WORKDAY_ENDS)), None


def escalation_chain(task) -> list:
    """The heads an overdue task rises to, in order: the assignee's unit head, then the entity's head
    (指挥中心). The assignee is never their own next head."""
    from zhifa.orgs.models import User

    chain = []
    assignee = task.assignee
    if assignee.unit_id:
        chain += list(User.objects.filter(entity_id=task.entity_id, unit_id=assignee.unit_id, role=Role.UNIT_HEAD,
                                          is_active=True).order_by("id")[:1])
    chain += list(User.objects.filter(entity_id=task.entity_id, role=Role.AGENCY_HEAD, is_active=True)
                  .order_by("id")[:1])
    seen, out = {assignee.pk}, []
    for u in chain:
        if u.pk not in seen:
            seen.add(u.pk)
            out.append(u)
    return out


def tell(users, text: str, *, dedupe: str | None = None) -> None:
    """站内提醒 (and e-mail/SMS by preference) through the one outbox, in the caller's transaction."""
    from zhifa.notify import outbox

    outbox.post(users, "notice", text, subject="执法指挥", dedupe=dedupe)
