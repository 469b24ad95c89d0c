"""Which pending decisions are major (重大执法决定), what the packet holds, staffing, diffs.

is_major(case) -> (major, [reasons], catalogue_version): the statutory grounds of Art. 58 always
apply (zhifa.cases.rules.review_required); the entity's latest catalogue adds its own.
"""
from __future__ import annotations

import difflib
import hashlib
import json

from django.conf import settings

from zhifa.cases.models import HEARING_KINDS, PenaltyKind
from zhifa.review.models import PACKET_FIELDS, CaseFlags, Catalogue, Packet

REVOKE = {PenaltyKind.REVOKE_LICENCE, PenaltyKind.LOWER_QUALIFICATION}
SUSPEND = {PenaltyKind.SUSPEND_BUSINESS, PenaltyKind.CLOSE, PenaltyKind.RESTRICT_PRACTICE,
           PenaltyKind.LIMIT_ACTIVITY}
assert REVOKE | SUSPEND <= HEARING_KINDS


def current_catalogue(entity_id) -> Catalogue | None:
    return Catalogue.objects.filter(entity_id=entity_id).order_by("-version").first()


def flags_of(case) -> CaseFlags:
    return CaseFlags.objects.filter(case=case).first() or CaseFlags(case=case)


def is_major(case):
    from zhifa.cases.rules import party_kinds, review_required

    reasons = list(review_required(case))
    cat = current_catalogue(case.entity_id)
    if cat is None:
        return bool(reasons), reasons, None
    kinds = set(case.penalty_kinds or [])
    amount = (case.fine_amount or 0) + (case.confiscation_amount or 0)
    for kind in sorted(party_kinds(case)):
        limit = cat.fine_threshold_citizen if kind == "person" else cat.fine_threshold_org
        if limit is not None and amount and amount >= limit:
            who = "公民" if kind == "person" else "法人或其他组织"
            reasons.append(f"对{who}罚没款合计{amount}元，达到目录清单标准（{limit}元）")
    if cat.revoke_licence and kinds & REVOKE:
        reasons.append("吊销许可证件或降低资质等级")
    if cat.suspend_or_close and kinds & SUSPEND:
        reasons.append("责令停产停业、责令关闭或限制从业")
    if cat.hearing_held and case.hearing_held_on:
        reasons.append("经过听证程序")
    flags = flags_of(case)
    if cat.public_interest and (case.major_public_interest or flags.social_risk):
        reasons.append("涉及重大公共利益或社会稳定风险")
    if cat.complex and case.complex:
        reasons.append("案件情况疑难复杂、涉及多个法律关系")
    if cat.suspected_crime and flags.suspected_crime:
        reasons.append("涉嫌犯罪")
    if cat.all_general and case.kind == "penalty_general":
        reasons.append("目录清单：一般程序处罚案件一律法制审核")
    reasons = list(dict.fromkeys(reasons))
    return bool(reasons), reasons, cat.version


def review_days(entity_id) -> int:
    cat = current_catalogue(entity_id)
    return cat.review_days if cat else int(getattr(settings, "ZHIFA_REVIEW_DAYS", 10))


# ---- the packet -----------------------------------------------------------------------------
def case_fingerprint(case) -> str:
    """What the review approved: the proposed decision and its grounds (a change reopens review)."""
    data = {"penalty_kinds": sorted(case.penalty_kinds or []), "fine": str(case.fine_amount or ""),
            "confiscation": str(case.confiscation_amount or ""), "no_penalty": case.no_penalty,
            "facts": case.facts, "legal_basis": case.legal_basis, "discretion_level": case.discretion_level}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def evidence_items(case):
    from zhifa.records.models import RecordItem

    return list(RecordItem.objects.filter(case=case, destroyed_at__isnull=True).select_related("current"))


def draft_decision_text(case) -> str:
    if case.no_penalty:
        return "拟不予行政处罚"
    labels = dict(PenaltyKind.choices)
    parts = []
    for k in case.penalty_kinds or []:
        label = str(labels.get(k, k))
        if k == "fine" and case.fine_amount:
            label += f"{case.fine_amount}元"
        if k.startswith("confiscate") and case.confiscation_amount:
            label += f"{case.confiscation_amount}元"
        parts.append(label)
    return ("拟给予" + "、".join(parts)) if parts else ""


def procedure_text(case) -> str:
    lines = [f"{e.on:%Y-%m-%d} {e.label}" for e in case.events.all().order_by("id")]
    return "\n".join(lines)


def packet_defaults(case) -> dict:
    """What the submission form starts with: drawn from the case and its records."""
    ev = evidence_items(case)
    last = Packet.objects.filter(case=case).order_by("-version").first()
    return {
        "draft_decision": draft_decision_text(case),
        "facts": case.facts,
        "evidence_list": "\n".join(f"{i}. {it}" for i, it in enumerate(ev, 1)),
        "legal_basis": case.legal_basis,
        "discretion_reasoning": (last.discretion_reasoning if last else "") or case.discretion_reason,
        "procedure_record": procedure_text(case),
    }


def packet_missing(case, packet: dict) -> list[tuple[str, str]]:
    """[(field, Chinese label)] of what an incomplete packet lacks (evidence: records on the case)."""
    missing = [(f, label) for f, label in PACKET_FIELDS if not (packet.get(f) or "").strip()]
    if not evidence_items(case) and ("evidence_list", "证据清单") not in missing:
        missing.append(("evidence_list", "证据清单（案件尚无证据记录）"))
    return missing


def packet_diff(old: Packet | None, new: Packet) -> list[dict]:
    """Per field: label, changed, and the unified line diff (for the "what changed" view)."""
    out = []
    for f, label in PACKET_FIELDS + [("correction_note", "补正说明")]:
        a = getattr(old, f) if old else ""
        b = getattr(new, f)
        lines = [] if a == b else list(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1))[2:]
        out.append({"field": f, "label": label, "changed": a != b, "old": a, "new": b,
                    "lines": [{"op": ln[:1], "text": ln[1:]} for ln in lines if not ln.startswith("@@")]})
    return out


# ---- staffing -------------------------------------------------------------------------------
def staffing(entity) -> dict:
    from zhifa.orgs.models import Officer

    active = Officer.objects.filter(entity=entity, status=Officer.Status.ACTIVE)
    officers = active.count()
    reviewers = list(active.filter(is_legal_reviewer=True).order_by("name"))
    floor = float(getattr(settings, "ZHIFA_REVIEWER_MIN_RATIO", 0.05))
    ratio = len(reviewers) / officers if officers else 0.0
    return {"entity": entity, "officers": officers, "reviewers": len(reviewers), "ratio": ratio,
            "percent": f"{ratio * 100:.1f}%", "floor": floor, "floor_percent": f"{floor * 100:.0f}%",
            "below_floor": ratio < floor, "unqualified": [o for o in reviewers if not o.legal_qualification]}
