"""What every inspections action shares: the change log + ledger step."""
from __future__ import annotations

from zhifa.common.actions import log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.ledger import log as ledger


def step(obj, event: str | None, *, acting_user, before=None, reason: str = "", **data):
    """The ChangeLog row (itself a ledger "change" entry) and, with `event`, a typed ledger entry."""
    log_change(obj, ChangeLog.Action.UPDATE if before is not None else ChangeLog.Action.CREATE,
               acting_user=acting_user, before=before, after=snapshot(obj), reason=reason)
    if event:
        return ledger.append(event, subject=obj, actor=acting_user, data={"id": obj.pk, **data})
    return None
