"""The 裁量说明 a case's 事先告知书 and 决定书 print (common.registry.document_facts, key "discretion")."""
from __future__ import annotations

from zhifa.common.registry import document_facts


@document_facts.register("discretion")
def discretion_facts(case, *, on):
    from zhifa.discretion.models import CaseCircumstances

    row = CaseCircumstances.objects.filter(case_id=case.pk).first()
    if row is None or not row.suggestion:
        return None
    s = row.suggestion
    return {"paras": list(s.get("explanation") or []), "level": s.get("level"), "amount": s.get("amount"),
            "lo": s.get("lo"), "hi": s.get("hi"), "benchmark_version": row.benchmark_version,
            "factors": list(s.get("factor_labels") or [])}
