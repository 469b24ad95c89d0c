"""Background housekeeping of the evidence store, enqueued daily by the scheduler
(zhifa.supervision.tasks.periodic_jobs): expired upload sessions, orphan bytes and spool files, and
evidence files no record took within the grace period (zhifa/blobs/orphans.py)."""
from django_tasks import task


@task()
def blobs_gc_task(today: str | None = None) -> dict:  # `today`: the daily jobs' common argument
    from zhifa.blobs.orphans import collect
    from zhifa.blobs.store import gc
    from zhifa.blobs.uploads import gc_uploads

    return {**gc_uploads(), **gc(), **collect()}
