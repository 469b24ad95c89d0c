"""Credit linkage (信用联动): a penalty decision goes to the credit publicity feed (the 双公示 行政处罚
table) when its publication is approved, and is withdrawn from it (cd_operation d) when the publication
leaves public view — withdrawn, credit repair (信用修复) or the end of its 公示期限. Called by the
disclosure app through `common.registry.publication_hooks`; disclosure never imports this app."""
from __future__ import annotations

from zhifa.common.registry import publication_hooks
from zhifa.exchange import records
from zhifa.exchange.choices import Operation, Table


@publication_hooks.register("exchange.credit_feed")
def credit_feed(event: str, pub, on) -> None:
    from zhifa.exchange.actions.batches import queue

    if pub.kind != "penalty":
        return
    key = f"publication:{pub.pk}"
    if event == "published":
        queue(Table.SGS_XZCF, key, pub.entity_id, records.credit_record(records.publication_facts(pub)))
    else:  # withdrawn / expired (credit repair, period over): out of the credit publicity feed
        queue(Table.SGS_XZCF, key, pub.entity_id, {"CF_WSH": pub.decision_number}, Operation.DELETE)
