"""`zhifa verify`: every received co-signature is a valid signature of its witness key over the
head it names (an edited co-signature row, or one sneaked in behind the application, is caught).
Witness keys are change-logged, so the ledger's row-drift check covers their current rows."""
from __future__ import annotations

from collections.abc import Iterator

from zhifa.ledger import privileges
from zhifa.ledger.verify import Discrepancy, check

# Co-signatures received are append-only: the application role cannot change them (docs/deploy.md §3).
privileges.log_table("witness.cosignature", why="见证方联署")


@check
def check_cosignatures() -> Iterator[Discrepancy]:
    from zhifa.witness import protocol
    from zhifa.witness.models import Cosignature

    table = Cosignature._meta.db_table
    qs = Cosignature.objects.select_related("head", "witness").order_by("id")
    for c in qs.iterator(chunk_size=2000):
        if not protocol.verify_cosignature(c.head.as_dict(), c.signature, c.witness.public_key):
            yield Discrepancy("witness.cosignature", f"{table} id={c.pk}",
                              f"见证方{c.witness.name}对树头 {c.head_id} 的联署签名无效（联署记录被改动或伪造）")


@check
def check_cosignature_triggers() -> Iterator[Discrepancy]:
    from zhifa.ledger.appendonly import triggers_present
    from zhifa.witness.models import Cosignature

    if not triggers_present(Cosignature._meta.db_table):
        yield Discrepancy("witness.triggers", Cosignature._meta.db_table, "防篡改触发器缺失（联署记录可被修改或删除）")
