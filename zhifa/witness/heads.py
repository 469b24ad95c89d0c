"""The published history of signed tree heads with the co-signatures received for each: one
source for the portal pages (/gs/ledger/heads/), their JSON form and the API."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.utils import timezone

from zhifa.ledger.models import TreeHead
from zhifa.witness.models import Cosignature

PAGE_SIZE = 20


def signed_at(head: TreeHead) -> dt.datetime:
    return dt.datetime.fromtimestamp(head.timestamp / 1000, tz=dt.UTC).astimezone(timezone.get_current_timezone())


def _with_cosignatures(qs: Any) -> Any:
    return qs.prefetch_related(Prefetch("cosignatures", queryset=Cosignature.objects.select_related("witness")))


def page(number: Any) -> Page[TreeHead]:
    """One page of heads, newest first; a bad or out-of-range number gives the nearest page."""
    paginator = Paginator(_with_cosignatures(TreeHead.objects.order_by("-id")), PAGE_SIZE)
    return paginator.get_page(number)


def get(pk: int) -> TreeHead | None:
    head: TreeHead | None = _with_cosignatures(TreeHead.objects.filter(pk=pk)).first()
    return head


def head_dict(head: TreeHead) -> dict[str, Any]:
    return {"id": head.pk, **head.as_dict(), "signed_at": signed_at(head).isoformat(),
            "cosignatures": [c.as_dict() for c in head.cosignatures.all()]}


def page_dict(p: Page[TreeHead]) -> dict[str, Any]:
    return {"page": p.number, "pages": p.paginator.num_pages, "count": p.paginator.count,
            "heads": [head_dict(h) for h in p.object_list]}


def witness_lag() -> dict[str, Any] | None:
    """How long the log has been ahead of what any witness co-signed: the oldest head larger than
    the largest co-signed one, and its age in seconds. None when no active witness is registered
    (nobody is expected to co-sign)."""
    from zhifa.witness.models import WitnessKey

    if not WitnessKey.objects.filter(active=True).exists():
        return None
    covered = (Cosignature.objects.order_by("-head__tree_size").values_list("head__tree_size", flat=True).first())
    ahead = TreeHead.objects.order_by("id")
    if covered is not None:
        ahead = ahead.filter(tree_size__gt=covered)
    oldest = ahead.first()
    age = None if oldest is None else max(0.0, timezone.now().timestamp() - oldest.timestamp / 1000)
    return {"cosigned_size": covered, "oldest_uncosigned_head": oldest.pk if oldest else None, "age_seconds": age}


def cosigned_covering(seq: int) -> TreeHead | None:
    """The newest head that covers leaf `seq` and has at least one co-signature."""
    head: TreeHead | None = (TreeHead.objects.filter(tree_size__gt=seq, cosignatures__isnull=False)
                             .order_by("-id").first())
    return head


def cosignatures_of(head: TreeHead) -> list[dict[str, Any]]:
    return [c.as_dict() for c in head.cosignatures.select_related("witness").order_by("id")]
