"""What the public may see: published decisions (search, highlight, proof), certificate checks
(亮证), the stage of cases in progress (办理动态). Views and the public API both read through here,
so nothing else reaches a public page.

Search: zhifa/disclosure/search.py (segmented text, tsvector/pg_trgm on PostgreSQL, FTS5 on
SQLite, exact substring semantics so 1–2 character queries work; counts estimated past 2000).
Measured figures in docs/benchmarks.md.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from zhifa.cases import machine
from zhifa.cases.models import Case
from zhifa.disclosure import search as search_index
from zhifa.disclosure.models import Publication
from zhifa.disclosure.pipeline import access_code_matches, normalise, number_variants
from zhifa.ledger import log
from zhifa.ledger.models import LedgerEntry
from zhifa.orgs.models import Certificate, Entity
from zhifa.witness import heads as witness_heads

PAGE_SIZE = 20


def published(today: dt.date | None = None):
    """The single source of what is public: published, not withdrawn, and still within its
    publication period (公示期限) by date, whether or not the expiry job has run yet."""

    today = today or timezone.localdate()
    return (Publication.objects.filter(state=Publication.State.PUBLISHED)
            .filter(Q(public_until__isnull=True) | Q(public_until__gte=today))
            .select_related("entity", "entity__region"))


def _date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _amount(value):
    try:
        return Decimal(value) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None


def filtered(params) -> tuple:
    """(published rows narrowed by the GET parameters entity, region, category, from, to,
    min_amount, max_amount; normalised query q)."""
    qs = published()
    q = normalise(params.get("q") or "")[:50]
    if (entity := params.get("entity")) and str(entity).isdigit():
        qs = qs.filter(entity_id=int(entity))
    if region := params.get("region"):

        # the region's entities as a list: lets the planner filter without joining per row
        qs = qs.filter(entity_id__in=list(Entity.objects.filter(region__code__startswith=str(region)[:9])
                                          .values_list("id", flat=True)))
    if category := params.get("category"):
        qs = qs.filter(category=category)
    if d := _date(params.get("from")):
        qs = qs.filter(decided_on__gte=d)
    if d := _date(params.get("to")):
        qs = qs.filter(decided_on__lte=d)
    if (a := _amount(params.get("min_amount"))) is not None:
        qs = qs.filter(fine_amount__gte=a)
    if (a := _amount(params.get("max_amount"))) is not None:
        qs = qs.filter(fine_amount__lte=a)
    return qs, q


def search(params) -> tuple:
    """(queryset of every match newest first, normalised query): exact, through the text indexes."""
    qs, q = filtered(params)
    if q:
        qs, _path = search_index.candidates(qs, q)
    return qs.order_by("-published_on", "-id"), q


def search_page(params, page=1, per_page: int = PAGE_SIZE):
    """(one page of results as search.Result — rows, count, approximate, paging; normalised query)."""
    qs, q = filtered(params)
    try:
        page = int(page or 1)
    except (TypeError, ValueError):
        page = 1
    return search_index.find(qs, q, page, per_page), q


def filter_options() -> dict:
    """The entity and category choices of the search form. Cached (a minute at most; any saved
    publication clears it, see apps.py): at a million decisions a DISTINCT over the table costs
    more than the search itself."""


    opts = cache.get("disclosure.search.filter_options")
    if opts is None:
        pubs = published()
        entities = list(Entity.objects.filter(Exists(pubs.filter(entity=OuterRef("pk")))).order_by("name")
                        .values("pk", "name"))
        categories = sorted(c for c in _categories() if c and pubs.filter(category=c).exists())
        opts = {"entities": entities, "categories": categories}
        cache.set("disclosure.search.filter_options", opts, 60)
    return opts


def _categories() -> list[str]:
    """Every distinct category of the table (published or not; the caller checks each). PostgreSQL
    has no skip scan, and a DISTINCT over a million rows took a second: a recursive query walks the
    (category, published_on, id) index once per category instead."""


    if connection.vendor != "postgresql":
        return list(Publication.objects.order_by().values_list("category", flat=True).distinct())
    with connection.cursor() as c:
        c.execute("WITH RECURSIVE t(c) AS ("
                  " (SELECT category FROM disclosure_publication ORDER BY category LIMIT 1)"
                  " UNION ALL SELECT (SELECT category FROM disclosure_publication WHERE category > t.c"
                  " ORDER BY category LIMIT 1) FROM t WHERE t.c IS NOT NULL)"
                  " SELECT c FROM t WHERE c IS NOT NULL")
        return [r[0] for r in c.fetchall()]


def published_count() -> int:
    """How many decisions are public (the home page's figure): cached like filter_options, since
    counting a million rows on every visit to the home page would cost more than the page."""

    n = cache.get("disclosure.published_count")
    if n is None:
        n = published().count()
        cache.set("disclosure.published_count", n, 60)
    return n


def clear_filter_options(*args, **kwargs):
    cache.delete_many(["disclosure.search.filter_options", "disclosure.published_count"])


def highlight(text: str, q: str, limit: int | None = None) -> str:
    """Escape `text` and wrap each occurrence of `q` (case-insensitive, whitespace-free) in <mark>."""
    if limit and len(text) > limit:
        pos = text.lower().find(q) if q else -1
        start = max(0, pos - limit // 3) if pos >= 0 else 0
        text = ("…" if start else "") + text[start:start + limit] + "…"
    if not q:
        return escape(text)
    out, low, i = [], text.lower(), 0
    while (j := low.find(q, i)) >= 0:
        out += [escape(text[i:j]), "<mark>", escape(text[j:j + len(q)]), "</mark>"]
        i = j + len(q)
    out.append(escape(text[i:]))
    return mark_safe("".join(out))


def decision_dict(pub) -> dict:
    """The published set of fields of one decision (the public API returns exactly these)."""
    return {"id": pub.pk, "title": pub.public_title, "entity": pub.entity.name, "entity_id": pub.entity_id,
            "region": pub.entity.region.name, "kind": pub.get_kind_display(), "category": pub.category,
            "decision_number": pub.decision_number, "target": pub.public_target,
            "decided_on": pub.decided_on.isoformat(), "published_on": pub.published_on.isoformat(),
            "fine_amount": str(pub.fine_amount) if pub.fine_amount is not None else None,
            "confiscation": pub.confiscation_label or None,
            "confiscation_amount": str(pub.confiscation_amount) if pub.confiscation_amount is not None else None,
            "body": pub.public_body, "ledger_seq": pub.ledger_seq}


def proof(pub) -> dict:
    """Inclusion proof of the publication's ledger entry in a signed tree head that covers it: the
    newest one a witness has co-signed if there is one (an insider holding the key cannot re-sign
    that head without the witness noticing), else the latest, signed fresh if it does not cover the
    entry. The head's co-signatures come with it, for the page to check too."""
    head = witness_heads.cosigned_covering(pub.ledger_seq) or log.latest_tree_head()
    if head is None or head.tree_size <= pub.ledger_seq:
        with transaction.atomic():
            head = log.sign_tree_head()
    entry = LedgerEntry.objects.get(seq=pub.ledger_seq)
    path = log.inclusion_proof(pub.ledger_seq, head.tree_size)
    return {"format": "zhifa-inclusion-proof/1", "decision": decision_dict(pub), "seq": entry.seq,
            "entry": entry.body, "tree_size": head.tree_size, "proof": [h.hex() for h in path],
            "tree_head": head.as_dict(), "cosignatures": witness_heads.cosignatures_of(head)}


def proof_json(pub) -> str:
    return json.dumps(proof(pub), ensure_ascii=False, indent=2)


# ---- 亮证 -----------------------------------------------------------------------------------
def certificate_status(cert, today: dt.date) -> str:
    """The one status the public sees (Certificate.status_on: state and dates together)."""
    return cert.status_on(today)


def certificate_check(number: str, today: dt.date | None = None) -> dict | None:
    cert = (Certificate.objects.select_related("officer", "officer__entity")
            .filter(number=(number or "").strip()).first())
    if cert is None:
        return None
    today = today or timezone.localdate()
    return {"number": cert.number, "name": cert.officer.name, "entity": cert.officer.entity.name,
            "fields": cert.fields, "issuing_authority": cert.issuing_authority,
            "issued_on": cert.issued_on.isoformat(), "expires_on": cert.expires_on.isoformat(),
            "status": certificate_status(cert, today), "valid_today": cert.is_valid_on(today), "today": today.isoformat()}


# ---- 办理动态 ---------------------------------------------------------------------------------
OPEN_EXCLUDED = ("", "closed", "archived", "not_filed", "revoked", "transferred")


def in_progress():
    return (Case.objects.exclude(state__in=OPEN_EXCLUDED).exclude(number="")
            .select_related("entity").order_by("-last_action_on", "-id"))


def stage_of(case) -> str:
    return machine.state_label(case.kind, case.state)


def party_view(number: str, code: str) -> dict | None:
    """The party's own view of its case: number + access code printed on its documents."""
    case = Case.objects.filter(number__in=number_variants(number)).select_related("entity").first()
    if case is None or not code or not access_code_matches(case, code):
        return None
    return {"number": case.number, "title": case.title, "entity": case.entity.name, "stage": stage_of(case),
            "decision_number": case.decision_number,
            "events": [{"on": e.on.isoformat(), "label": e.label} for e in case.events.order_by("time", "id")]}
