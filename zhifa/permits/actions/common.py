from __future__ import annotations

from django.utils import timezone

from zhifa.common.actions import log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.ledger import log as ledger


def today(on):
    return on or timezone.localdate()


def step(obj, event, *, acting_user, before=None, case=None, reason="", **data):
    """One step: the ChangeLog row (itself ledgered) and a typed ledger event, in the caller's transaction."""
    log_change(obj, ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE, acting_user=acting_user,
               before=before, after=snapshot(obj), reason=reason)
    ledger.append(event, subject=obj, actor=acting_user, case=case, data={"id": obj.pk, **data})
