"""The records the exchange sends, built in two steps: `*_facts(row)` reads the platform's rows into
plain values, `*_record(facts)` writes the national record from them (pure, no database: the golden
files in tests/exchange/golden/ pin these). `envelope()` adds cd_id / cd_time / cd_source / cd_batch /
cd_operation."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from zhifa.exchange.choices import INSPECTION_RESULT, PARTY_CATEGORY, PENALTY_CODES, Table

# A 检查实施清单编码 is the body's credit code, the 监管事项目录编码 and this sequence.
IMPLEMENTATION_SEQ = "01"


def _yuan(value: Any) -> str:
    return f"{Decimal(value or 0):.2f}"


def implementation_code(credit_code: str, catalogue_code: str) -> str:
    return f"{credit_code}{catalogue_code}{IMPLEMENTATION_SEQ}" if catalogue_code else ""


def penalty_codes(kinds: list[str]) -> str:
    return ",".join(dict.fromkeys(PENALTY_CODES[k] for k in kinds if k in PENALTY_CODES))


def _common(f: dict[str, Any]) -> dict[str, str]:
    return {
        "JGSXBM": f["catalogue_code"],
        "JCSSQDBM": implementation_code(f["entity_credit_code"], f["catalogue_code"]),
        "JGXWBM": f"{f['entity_credit_code']}-{f['case_number']}",
        "SSJGMC": f["entity_name"], "SSJGBM": f["entity_credit_code"], "XZQHDM": f["region_code"],
        "XDRLB": PARTY_CATEGORY.get(f["party_kind"], ""), "XDRMC": f["party_name"], "XDRBM": f["party_code"],
    }


def inspection_record(f: dict[str, Any]) -> dict[str, str]:
    """监管行为·行政检查."""
    code, label = INSPECTION_RESULT[bool(f["problems_found"])]
    return {**_common(f), "JCRQ": f["inspected_on"], "JCJG": code, "JCJGMS": f["result_text"] or label}


def penalty_record(f: dict[str, Any]) -> dict[str, str]:
    """监管行为·行政处罚."""
    return {**_common(f), "CFJDSWH": f["decision_number"], "CFLB": penalty_codes(f["penalty_kinds"]),
            "CFJDRQ": f["decided_on"], "FKJE": _yuan(f["fine_amount"]), "MSJE": _yuan(f["confiscation_amount"])}


def credit_record(f: dict[str, Any]) -> dict[str, str]:
    """双公示·行政处罚 (the credit publicity feed)."""
    return {"XDR_MC": f["party_name"], "XDR_LB": PARTY_CATEGORY.get(f["party_kind"], ""), "XDR_BM": f["party_code"],
            "CF_WSH": f["decision_number"], "CF_CFLB": penalty_codes(f["penalty_kinds"]), "CF_NR": f["content"],
            "CF_JDRQ": f["decided_on"], "CF_GSJZQ": f["public_until"], "CF_JG": f["entity_name"],
            "CF_JGDM": f["entity_credit_code"], "XZQHDM": f["region_code"]}


BUILDERS = {Table.JGXW_XZJC: inspection_record, Table.JGXW_XZCF: penalty_record, Table.SGS_XZCF: credit_record}


def digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def envelope(record: dict[str, Any], *, cd_id: str, cd_time: dt.datetime, cd_source: str, cd_batch: str,
             cd_operation: str) -> dict[str, Any]:
    return {"cd_id": cd_id, "cd_time": cd_time.strftime("%Y-%m-%d %H:%M:%S"), "cd_source": cd_source,
            "cd_batch": cd_batch, "cd_operation": cd_operation, **record}


# ---- reading the platform's rows -------------------------------------------------------------------

def region6(region) -> str:
    """The 6-digit 行政区划代码 of a region (a 乡镇's is its county's)."""
    return (region.code or "")[:6]


def _party(case) -> dict[str, str]:
    party = case.parties.order_by("id").first()
    if party is None:
        return {"party_kind": "", "party_name": "", "party_code": ""}
    code = party.credit_code if party.kind == "org" else party.id_number
    return {"party_kind": party.kind, "party_name": party.name, "party_code": code or ""}


def catalogue_code(case) -> str:
    """The 监管事项目录编码 of the case's power item; for a 双随机 inspection without one, that of the power
    item behind its batch's 随机抽查事项 (InspectionItem.power_item_code)."""
    item = next((p for p in case.power_items.all() if p.supervision_code), None)
    if item is not None:
        return item.supervision_code
    from django.core.exceptions import ObjectDoesNotExist

    from zhifa.powers.models import PowerItem

    try:
        batch = case.inspection_task.draw.batch
    except (ObjectDoesNotExist, AttributeError):
        return ""
    codes = [c for c in batch.items.values_list("power_item_code", flat=True) if c]
    found = (PowerItem.objects.filter(entity_id=case.entity_id, code__in=codes, is_head=True)
             .exclude(supervision_code="").order_by("code").values_list("supervision_code", flat=True).first())
    return found or ""


def case_facts(case) -> dict[str, Any]:
    entity = case.entity
    return {
        "catalogue_code": catalogue_code(case), "entity_name": entity.name, "entity_credit_code": entity.credit_code,
        "region_code": region6(entity.region), "case_number": case.number or f"ZF{case.pk}", **_party(case),
        "inspected_on": (case.filed_on or case.registered_on or case.last_action_on or dt.date.min).isoformat(),
        "problems_found": case.problems_found, "result_text": case.inspection_result,
        "decision_number": case.decision_number, "penalty_kinds": list(case.penalty_kinds or []),
        "decided_on": case.decided_on.isoformat() if case.decided_on else "",
        "fine_amount": case.fine_amount, "confiscation_amount": case.confiscation_amount,
    }


def publication_facts(pub) -> dict[str, Any]:
    facts = case_facts(pub.case)
    from zhifa.cases.models import PenaltyKind

    labels = dict(PenaltyKind.choices)
    parts = [str(labels.get(k, k)) for k in facts["penalty_kinds"] if k not in ("fine", "confiscate_gains")]
    if pub.fine_amount:
        parts.append(f"罚款人民币{_yuan(pub.fine_amount)}元")
    if pub.confiscation_amount:
        parts.append(f"没收人民币{_yuan(pub.confiscation_amount)}元")
    return {**facts, "decision_number": pub.decision_number or facts["decision_number"],
            "decided_on": pub.decided_on.isoformat(), "content": "；".join(parts) or pub.public_title,
            "public_until": pub.public_until.isoformat() if pub.public_until else ""}

