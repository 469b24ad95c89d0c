"""`zhifa verify` check: every published or withdrawn publication points at its own ledger entry
("publication" / "withdrawal", subject the publication) and the public text matches the digest
recorded in the publication entry."""
import hashlib
import json

from zhifa.disclosure.models import Publication
from zhifa.ledger.models import LedgerEntry
from zhifa.ledger.verify import Discrepancy, check


@check
def publications():
    for pub in Publication.objects.filter(state__in=["published", "withdrawn", "expired"]).iterator():
        where = f"disclosure_publication id={pub.pk}"
        pairs = [("publication", pub.ledger_seq)] + ([("withdrawal", pub.withdrawal_seq)] if pub.state == "withdrawn" else [])
        pairs += [("expiry", pub.expiry_seq)] if pub.state == "expired" else []
        for kind, seq in pairs:
            entry = LedgerEntry.objects.filter(seq=seq).first() if seq is not None else None
            body = json.loads(entry.body) if entry else {}
            if not entry or entry.event_type != kind or body.get("subject") != f"disclosure.publication:{pub.pk}":
                yield Discrepancy("disclosure.entry", where, f"缺少或不匹配的“{kind}”日志条目（序号 {seq}）")
            elif kind == "publication" and body["data"].get("body_sha256") != hashlib.sha256(
                    pub.public_body.encode()).hexdigest():
                yield Discrepancy("disclosure.body", where, "公示正文与日志记录的摘要不一致")
