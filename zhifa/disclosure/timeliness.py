"""Queues and timeliness (公示及时性) of publications, for the staff pages and the API."""
from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from zhifa.disclosure.choices import TIMELINESS_LABELS
from zhifa.disclosure.models import Publication

PubState = Publication.State


def status(pub, today) -> str:
    """on_time | late | missing | pending | held."""
    if pub.state == PubState.HELD:
        return "held"
    if pub.published_on:
        return "on_time" if pub.due_on and pub.published_on <= pub.due_on else "late"
    if pub.due_on and pub.due_on < today:
        return "missing"
    return "pending"




def per_entity(qs, today=None) -> list[dict]:
    today = today or timezone.localdate()
    rows = defaultdict(lambda: dict.fromkeys(TIMELINESS_LABELS, 0))
    names = {}
    for pub in qs.select_related("entity"):
        rows[pub.entity_id][status(pub, today)] += 1
        names[pub.entity_id] = pub.entity.name
    return [{"entity_id": k, "entity": names[k], **v} for k, v in sorted(rows.items(), key=lambda kv: names[kv[0]])]


def overdue_withdrawals(qs, today=None):
    today = today or timezone.localdate()
    return qs.filter(state=PubState.PUBLISHED, withdrawal_due_on__lt=today)


def pending(qs):
    return qs.filter(state__in=[PubState.DRAFT, PubState.HELD]).order_by("due_on", "id")
