"""Audit records are kept online at least 180 days (GB/T 22239-2019 8.1.4.3 c, 网络安全法 Art. 21:
network logs kept no less than six months).

ZHIFA_AUDIT_RETENTION_DAYS (default 180) is how long; below 180 the platform refuses to start
(zhifa/settings.py) and `zhifa check` reports it (zhifa.accounts.checks). Whatever deletes audit rows —
axes' `axes_reset_logs`, the Django admin, a shell — goes through `pre_delete`, and a row younger
than the retention is refused (ActionRefused: one line on the command line, nothing deleted). The
ledger's tables refuse every DELETE anyway (database triggers).
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models.signals import pre_delete
from django.utils import timezone

from zhifa.common.actions import ActionRefused

MINIMUM_DAYS = 180
# model label → the field holding when the row was written
AUDIT_TABLES = {"common.ChangeLog": "time", "records.AccessLog": "time", "ledger.LedgerEntry": "created_at",
                "axes.AccessLog": "attempt_time", "axes.AccessFailureLog": "attempt_time"}


def retention_days() -> int:
    return int(getattr(settings, "ZHIFA_AUDIT_RETENTION_DAYS", MINIMUM_DAYS))


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Rows written after this instant must be kept."""
    return (now or timezone.now()) - dt.timedelta(days=max(retention_days(), MINIMUM_DAYS))


def _refuse_young(sender, instance, **kwargs) -> None:
    field = AUDIT_TABLES.get(sender._meta.label)
    written = getattr(instance, field, None) if field else None
    if written is not None and written > cutoff():
        days = max(retention_days(), MINIMUM_DAYS)
        raise ActionRefused("audit.retention",
                            f"{sender._meta.verbose_name}：审计记录须在线保存至少{days}天，"
                            f"{timezone.localtime(written):%Y-%m-%d %H:%M} 的记录不能删除", "time")


def connect() -> None:
    for label in AUDIT_TABLES:
        pre_delete.connect(_refuse_young, sender=label, dispatch_uid=f"zhifa.retention.{label}", weak=False)
