"""Checks of `zhifa verify` for the exchange: each batch's files still hash to the manifest SHA-256
recorded (and ledgered) when it was built — a record edited after it was sent shows here."""
import hashlib

from zhifa.ledger.verify import Discrepancy, check


@check
def batch_manifests():
    from zhifa.exchange.actions.batches import files
    from zhifa.exchange.models import Batch

    for batch in Batch.objects.order_by("id").iterator(chunk_size=200):
        found = hashlib.sha256(files(batch)["manifest.json"]).hexdigest()
        if found != batch.manifest_sha256:
            yield Discrepancy("exchange.batch_manifest", f"exchange_batch pk={batch.pk}",
                              f"交换批次{batch.number}的文件摘要 {found[:12]}… 与生成时记录的 {batch.manifest_sha256[:12]}… 不符")
