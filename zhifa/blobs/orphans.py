"""Orphan blobs: stored evidence files that no record references. A chunked upload makes its Blob when
the upload completes, before the record that will hold it is written; if that write fails (the
issue's "database is locked" under two SQLite workers) or the client never sends it, the bytes stay
with nobody pointing at them — personal data kept without purpose.

    orphans(older_than=None)          live Blob rows no model references (UploadSession does not count)
    collect(grace, dry_run=False)     remove those older than the grace period: row and bytes, each
                                      ledgered as "blob.orphan_collected" (sha256, size, stored at)

`zhifa verify` reports each orphan by its key (blobs/verify.py): a note while it is younger than the
grace period (its record may still come), a finding after it; `zhifa blobs gc` and the scheduler's
daily job (blobs/tasks.py) collect them. The grace period is ZHIFA_ORPHAN_BLOB_GRACE_HOURS (24: an
upload session's own expiry).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from zhifa.blobs.models import Blob, UploadSession


def grace() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "ZHIFA_ORPHAN_BLOB_GRACE_HOURS", 24)))


def _references() -> list[tuple[type, str]]:
    """(model, field name) of every foreign key to Blob, found from the model registry so that a new
    model holding evidence counts without a change here; upload sessions only remember their result."""
    out = []
    for f in Blob._meta.get_fields(include_hidden=True):
        if (f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
                and f.related_model is not UploadSession):
            out.append((f.related_model, f.field.name))
    return out


def orphans(older_than: dt.timedelta | None = None) -> QuerySet[Blob]:
    qs = Blob.objects.filter(destroyed_at__isnull=True)
    for model, field in _references():
        qs = qs.exclude(Exists(model._base_manager.filter(**{field: OuterRef("pk")})))
    if older_than is not None:
        qs = qs.filter(created_at__lt=timezone.now() - older_than)
    return qs.order_by("created_at")


def iter_orphans() -> Iterator[tuple[Blob, bool]]:
    """(blob, past the grace period) of every orphan."""
    cutoff = timezone.now() - grace()
    for blob in orphans().iterator(chunk_size=500):
        yield blob, blob.created_at < cutoff


def collect(older_than: dt.timedelta | None = None, *, dry_run: bool = False) -> dict:
    from zhifa.blobs.store import blob_store
    from zhifa.ledger import log as ledger

    older_than = grace() if older_than is None else older_than
    keys = list(orphans(older_than).values_list("pk", flat=True)[:10_000])
    removed = 0
    for sha256 in keys:
        if dry_run:
            removed += 1
            continue
        with transaction.atomic():
            blob = Blob.objects.select_for_update().filter(pk=sha256).first()
            # Checked again under the lock: a record may have taken it since the list was read.
            if blob is None or not orphans(older_than).filter(pk=sha256).exists():
                continue
            UploadSession.objects.filter(blob=blob).update(blob=None)
            ledger.append("blob.orphan_collected", data={
                "sha256": blob.sha256, "size": blob.size, "mime": blob.mime,
                "stored_at": blob.created_at.isoformat(), "reason": "未被任何记录引用，超过宽限期"})
            blob.delete()  # never evidence: no record ever held it, so no tombstone is kept
            transaction.on_commit(lambda k=sha256: blob_store().delete(k), robust=True)
            removed += 1
    return {"orphans_collected": removed}
