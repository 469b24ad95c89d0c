"""Which pending decisions are major (重大执法决定), what the packet holds, staffing, diffs.

is_major(case) -> (major, [reasons], catalogue_version): the statutory grounds of Art. 58 always
apply (zhifa.cases.rules.review_required); the entity's latest catalogue adds its own.
"""
from __future__ import annotations

import difflib
import hashlib
import json
from decimal import Decimal

from django.conf import settings

from zhifa.cases.models import HEARING_KINDS, PenaltyKind
from zhifa.common.templatetags.money import format_yuan
from zhifa.review.models import PACKET_FIELDS, CaseFlags, Catalogue, Packet

REVOKE = {PenaltyKind.REVOKE_LICENCE, PenaltyKind.LOWER_QUALIFICATION}
SUSPEND = {PenaltyKind.SUSPEND_BUSINESS, PenaltyKind.CLOSE, PenaltyKind.RESTRICT_PRACTICE,
           PenaltyKind.LIMIT_ACTIVITY}
assert REVOKE | SUSPEND <= HEARING_KINDS


def current_catalogue(entity_id) -> Catalogue | None:
    return Catalogue.objects.filter(entity_id=entity_id).order_by("-version").first()


def flags_of(case) -> CaseFlags:
    return CaseFlags.objects.filter(case=case).first() or CaseFlags(case=case)


# Reasons that make a review required without making the decision 重大 (the entity reviews every
# general-procedure case): shown as such, never as "重大执法决定" (issue 18), and not filed for 备案.
ALL_GENERAL_REASONS = ("目录清单：一般程序处罚案件一律法制审核", "本机关一般程序处罚案件一律法制审核")


def major_reasons(reasons) -> list[str]:
    """The reasons that make a decision 重大执法决定 (not only 'reviewed by the entity's own rule')."""
    return [r for r in reasons if r not in ALL_GENERAL_REASONS]


def review_heading(reasons) -> str:
    """What the page calls a case that must be reviewed."""
    return "重大执法决定" if major_reasons(reasons) else "须经法制审核（本机关一般程序处罚案件一律法制审核）"


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


def _yuan(value) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01"))) if value not in (None, "", 0) else ""


def penalty_of(case) -> dict:
    """The penalty fields as plain JSON (what a packet records and a decision is compared with)."""
    return {"penalty_kinds": list(case.penalty_kinds or []), "fine_amount": _yuan(case.fine_amount),
            "confiscation_amount": _yuan(case.confiscation_amount),
            "no_penalty": bool(case.no_penalty)}


def agreed_packet(case) -> Packet | None:
    """The packet the latest finished review agreed to (None: no review agreed a packet)."""
    last = case.reviews.exclude(outcome="").order_by("id").last()
    if last is None or last.outcome != "agree":
        return None
    return Packet.objects.filter(review=last).first()


def agreed_penalty(case) -> tuple[Packet | None, dict | None]:
    """(packet, penalty it agreed); packets from before the penalty was recorded: the case's proposed
    penalty when the case still matches the packet's fingerprint, else unknown (None)."""
    packet = agreed_packet(case)
    if packet is None:
        return None, None
    if packet.penalty:
        return packet, packet.penalty
    if packet.case_fingerprint == case_fingerprint(case):
        return packet, penalty_of(case)
    return packet, None


def _penalty_text(p: dict) -> str:
    from types import SimpleNamespace

    if p.get("no_penalty"):
        return "不予行政处罚"
    ns = SimpleNamespace(no_penalty=False, penalty_kinds=p.get("penalty_kinds") or [],
                         fine_amount=_yuan(p.get("fine_amount")) or None,
                         confiscation_amount=_yuan(p.get("confiscation_amount")) or None)
    return draft_decision_text(ns).removeprefix("拟给予") or "—"


def decision_prefill(case):
    """The decision form's start (zhifa.cases.forms.DECISION_PREFILLS): the agreed packet's penalty."""
    packet, agreed = agreed_penalty(case)
    if packet is None or agreed is None:
        return None
    return agreed, (f"已按法制审核同意的送审材料第{packet.version}版填入：{_penalty_text(agreed)}。"
                    "决定内容须与审核同意的内容一致，如需改变须重新提交法制审核")


def penalty_diff(agreed: dict, decided: dict) -> list[str]:
    """The differences between the agreed penalty and a decision's, in words (empty: the same)."""
    labels = dict(PenaltyKind.choices)
    a_kinds, d_kinds = set(agreed.get("penalty_kinds") or []), set(decided.get("penalty_kinds") or [])
    out = [f"增加了{labels.get(k, k)}" for k in sorted(d_kinds - a_kinds)]
    out += [f"去掉了{labels.get(k, k)}" for k in sorted(a_kinds - d_kinds)]
    for key, label in (("fine_amount", "罚款金额"), ("confiscation_amount", "没收金额")):
        a, d = (Decimal(str(x.get(key) or 0)).quantize(Decimal("0.01")) for x in (agreed, decided))
        if a != d:
            out.append(f"{label}由{format_yuan(a)}{'提高' if d > a else '降低'}为{format_yuan(d)}")
    if bool(agreed.get("no_penalty")) != bool(decided.get("no_penalty")):
        out.append("不予行政处罚" if decided.get("no_penalty") else "由不予行政处罚改为给予处罚")
    return out


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
        # One amount field: it belongs to 没收违法所得 (没收非法财物 lists things, not an amount),
        # unless the property is the only confiscation — never both (issue 18 duplicated it).
        money_kind = "confiscate_gains" if "confiscate_gains" in case.penalty_kinds else "confiscate_property"
        if k == money_kind and case.confiscation_amount:
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
