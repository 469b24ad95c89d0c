"""What every inspections action shares: the change log + ledger step."""
from __future__ import annotations

from zhifa.common.actions import log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.ledger import log as ledger


def step(obj, event: str | None, *, acting_user, before=None, reason: str = "", **data):
    """The ChangeLog row (itself a ledger "change" entry) and a typed ledger entry whose subject is
    the row (its fingerprint now: `zhifa verify` compares a subject with its latest entry)."""
    log_change(obj, ChangeLog.Action.UPDATE if before is not None else ChangeLog.Action.CREATE,
               acting_user=acting_user, before=before, after=snapshot(obj), reason=reason)
    return ledger.append(event or f"inspections.{obj._meta.model_name}.changed", subject=obj, actor=acting_user,
                         data={"id": obj.pk, **data})
