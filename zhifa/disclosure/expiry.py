"""公示期限: how long a published decision stays public, and taking it down when that ends.

SAMR style (市场监督管理行政处罚信息公示规定 Art. 13), configured in settings.ZHIFA_PUBLICATION_PERIOD:
penalties of warning / 通报批评 only, or a fine (alone or with them) below the 较低数额 threshold
(per party kind), stay public `low_months` (3); everything else `months` (36), counted from the
publication date. `public_until` is the last public day ("届满" on the corresponding date), fixed
at approval by `apply_period`.

public.published() already hides entries past `public_until` by date, so nothing depends on this
job having run; `expire_publications(today)` records the removal (state "expired", a ChangeLog
row and an "expiry" ledger event) and is run daily by zhifa.supervision.tasks and
`zhifa expire_publications`.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.registry import publication_event
from zhifa.disclosure.models import Publication
from zhifa.ledger import log as ledger
from zhifa.legalcal.periods import shift_months

DEFAULTS = {"low_months": 3, "months": 36, "low_fine_citizen": "1000", "low_fine_org": "10000",
            "repair_min_months": 3}
LOW_KINDS = {"warning", "criticism"}
BATCH = 200


def config() -> dict:
    return {**DEFAULTS, **getattr(settings, "ZHIFA_PUBLICATION_PERIOD", {})}


def _has_org_party(case) -> bool:
    return case.parties.filter(kind="org").exists()


def is_low(pub) -> tuple[bool, str]:
    """(low?, why) for the publication's decision."""
    if pub.kind != Publication.Kind.PENALTY:
        return False, ""
    case, cfg = pub.case, config()
    kinds = set(case.penalty_kinds or [])
    if not kinds:
        return False, ""
    if kinds <= LOW_KINDS:
        return True, "仅给予警告或通报批评"
    if kinds <= LOW_KINDS | {"fine"} and pub.fine_amount is not None:
        org = _has_org_party(case)
        limit = Decimal(str(cfg["low_fine_org"] if org else cfg["low_fine_citizen"]))
        if pub.fine_amount < limit:
            who = "法人或其他组织" if org else "自然人"
            return True, f"较低数额罚款（{who}{limit:.0f}元以下）"
    return False, ""


def period_for(pub) -> tuple[int, str]:
    """(months, human-readable basis)."""
    cfg = config()
    low, why = is_low(pub)
    if low:
        return int(cfg["low_months"]), f"{why}，公示{cfg['low_months']}个月"
    return int(cfg["months"]), f"公示{cfg['months']}个月"


def apply_period(pub) -> None:
    """Set public_until / period_rule from published_on (called by do_approve before saving)."""
    months, rule = period_for(pub)
    pub.public_until = shift_months(pub.published_on, months)
    pub.period_rule = rule[:100]


def take_down(pub, *, cause: str, on: dt.date, acting_user=None, reason: str = "") -> Publication:
    """Move a locked, published row to "expired" with its ledger event (callers hold the transaction)."""
    before = snapshot(pub)
    pub.state, pub.expiry_cause, pub.expired_on = Publication.State.EXPIRED, cause, on
    pub.save()
    entry = ledger.append("expiry", subject=pub, actor=acting_user, data={
        "publication": pub.pk, "decision_number": pub.decision_number, "cause": cause,
        "public_until": pub.public_until.isoformat() if pub.public_until else None, "expired_on": on.isoformat()})
    pub.expiry_seq = entry.seq
    pub.save(update_fields=["expiry_seq"])
    log_change(pub, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(pub),
               reason=reason or str(Publication.ExpiryCause(cause).label))
    publication_event("expired", pub, on)
    return pub


def expire_publications(today: dt.date | None = None) -> int:
    """Mark every published entry whose public_until is before `today` as expired; returns how many."""
    today = today or timezone.localdate()
    done = 0
    while True:
        with transaction.atomic():
            batch = list(Publication.objects.select_for_update()
                         .filter(state=Publication.State.PUBLISHED, public_until__lt=today).order_by("id")[:BATCH])
            for pub in batch:
                take_down(pub, cause=Publication.ExpiryCause.PERIOD, on=pub.public_until + dt.timedelta(days=1),
                          reason=f"公示期满（{pub.period_rule or '公示期限'}，截至{pub.public_until:%Y-%m-%d}），停止公示")
        done += len(batch)
        if len(batch) < BATCH:
            return done
