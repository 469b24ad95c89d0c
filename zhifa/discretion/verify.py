"""`zhifa verify` checks of the law library: each law's articles still hash to the digest ledgered
when it was loaded (an article edited behind the platform's back is found)."""
from __future__ import annotations

from collections.abc import Iterator

from zhifa.ledger.verify import Discrepancy, check


@check
def check_law_texts() -> Iterator[Discrepancy]:
    from zhifa.discretion.actions.laws import articles_digest
    from zhifa.discretion.models import LawText

    for law in LawText.objects.all():
        arts = [{"number": a.number, "text": a.text} for a in law.articles.order_by("number")]
        if articles_digest(arts) != law.sha256:
            yield Discrepancy("discretion.law_text", f"discretion_lawtext id={law.pk}",
                              f"《{law.name}》（{law.edition}）的条文与录入时的摘要不一致")
