"""Document numbers: 机关代字 + type code + 〔YYYY〕 + N + 号, per entity, type and year.

No leading zeros, no gaps, no duplicates: the counter row is locked (SELECT … FOR UPDATE) in
the transaction of the action that uses the number, so a rolled-back action returns its
number and concurrent writers queue on the row.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction

from zhifa.cases.models import NumberCounter

# doc type → (type code in the number, document name)
DOC_TYPES: dict[str, tuple[str, str]] = {
    "filing": ("立", "立案审批表"),
    "not_filed": ("不立", "不予立案审批表"),
    "notice": ("罚告", "行政处罚事先告知书"),
    "hearing_notice": ("听通", "听证通知书"),
    "decision": ("罚决", "行政处罚决定书"),
    "no_penalty": ("不罚", "不予行政处罚决定书"),
    "simple_decision": ("当罚", "当场行政处罚决定书"),
    "seizure": ("强措", "查封（扣押）决定书"),
    "seizure_extension": ("延期", "延长查封（扣押）期限决定书"),
    "seizure_release": ("解措", "解除查封（扣押）决定书"),
    "transfer": ("移", "案件移送函"),
    "inspection": ("检", "现场检查笔录"),
}


def format_number(short_code: str, doc_type: str, year: int, n: int) -> str:
    return f"{short_code}{DOC_TYPES[doc_type][0]}〔{year}〕{n}号"


def next_number(entity, doc_type: str, year: int) -> str:
    """Issue the next number; must run inside the caller's transaction."""
    if doc_type not in DOC_TYPES:
        raise ValueError(doc_type)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the action's transaction")
    key = dict(entity_id=entity.pk, doc_type=doc_type, year=year)
    for _attempt in range(5):
        counter = NumberCounter.objects.select_for_update().filter(**key).first()
        if counter is None:
            try:
                with transaction.atomic():  # savepoint: a lost creation race is retried
                    NumberCounter.objects.create(**key, last=0)
            except IntegrityError:
                pass
            continue
        counter.last += 1
        counter.save(update_fields=["last"])
        return format_number(entity.short_code, doc_type, year, counter.last)
    raise RuntimeError("could not obtain a number counter")
