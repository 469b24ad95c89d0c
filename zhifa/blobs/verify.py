"""`zhifa verify`: evidence files no record references (zhifa/blobs/orphans.py), each named by its key.
Younger than the grace period it is a note (the record may still be written); older, a finding until
the scheduler's daily `blobs` job (or `zhifa blobs gc`) collects it."""
from zhifa.ledger.verify import Discrepancy, check


@check
def orphan_blobs():
    from django.utils import timezone

    from zhifa.blobs.orphans import grace, iter_orphans

    hours = grace().total_seconds() / 3600
    for blob, expired in iter_orphans():
        stored = timezone.localtime(blob.created_at).strftime("%Y-%m-%d %H:%M")
        if expired:
            yield Discrepancy("blob.orphan", f"blobs.blob:{blob.sha256}",
                              f"{stored} 存入的文件未被任何记录引用，已超过宽限期 {hours:g} 小时"
                              "（定时任务或 zhifa blobs gc 将清除）")
        else:
            yield Discrepancy("blob.orphan_pending", f"blobs.blob:{blob.sha256}",
                              f"{stored} 存入的文件尚未被记录引用（宽限期 {hours:g} 小时内，不计为不一致）",
                              failure=False)
