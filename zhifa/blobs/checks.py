"""Integrity of the stored bytes, for `zhifa verify` (the lead registers check_blobs in
zhifa.ledger.verify.CHECKS).

Every live blob is re-read and re-hashed (SHA-256, SM3, size) against its row; a destroyed blob
must have no content left. Rows are streamed with .iterator(), the bytes in 1 MiB chunks, so
memory stays flat however large the store.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from zhifa.blobs.backends import BlobMissing
from zhifa.blobs.models import Blob
from zhifa.blobs.store import blob_store, rehash


class BlobDiscrepancy(NamedTuple):
    kind: str    # stable name: blob.missing, blob.sha256_mismatch, blob.sm3_mismatch, blob.size_mismatch,
    where: str   # blob.destroyed_content_present; `where` is "blobs.blob:<sha256>" (ledger subject style)
    detail: str  # Chinese explanation

    def __str__(self):  # as zhifa.ledger.verify.Discrepancy prints
        return f"[{self.kind}] {self.where}：{self.detail}"


def check_blobs() -> Iterator[BlobDiscrepancy]:
    store = blob_store()
    for blob in Blob.objects.order_by("pk").iterator(chunk_size=500):
        where = f"blobs.blob:{blob.sha256}"
        if blob.destroyed:
            if store.exists(blob.sha256):
                yield BlobDiscrepancy("blob.destroyed_content_present", where,
                                      "文件已登记销毁，但存储中仍有其内容（可运行 zhifa blobs gc 清除）")
            continue
        try:
            sha256, sm3, size = rehash(blob)
        except BlobMissing:
            yield BlobDiscrepancy("blob.missing", where, "存储中找不到该文件的内容")
            continue
        if size != blob.size:
            yield BlobDiscrepancy("blob.size_mismatch", where, f"文件大小不符：登记 {blob.size} 字节，存储中为 {size} 字节")
        if sha256 != blob.sha256:
            yield BlobDiscrepancy("blob.sha256_mismatch", where, f"SHA-256 不符：存储内容的摘要为 {sha256}")
        if sm3 != blob.sm3:
            yield BlobDiscrepancy("blob.sm3_mismatch", where, f"SM3 不符：登记 {blob.sm3}，存储内容为 {sm3}")
