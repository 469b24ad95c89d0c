"""The case file at 归档 (issue 18): which documents the case's own path requires, what is missing,
and the 卷内目录 (the file's table of contents).

A document is required when the step it records was taken: 立案审批表 once the case was filed,
事先告知书 once the notice was served, 听证通知书/听证笔录 once a hearing was notified/held, 决定书 once decided, 送达回证 once served, 结案报告 once closed; an inspection
its 现场检查笔录; a coercive measure its 查封扣押决定书 and 清单. (The 法制审核意见书 is made by the
reviewer's opinion itself and listed when present.) The rule `archive.documents_complete`
(documents/rules.py) refuses 归档 while any is missing, so no case reaches the archive with a gap.

The 卷内目录 follows the usual filing order: the decision and its service first, then the other
documents in the order of the procedure, the evidence, and the 备考表 last."""
from __future__ import annotations

from zhifa.documents.models import GeneratedDocument
from zhifa.documents.types import COERCIVE, GENERAL, INSPECTION, DocType

# Filing order of the 卷内目录 (结论性文书在前，其余按办案顺序).
ORDER = [DocType.PENALTY_DECISION, DocType.SERVICE_RECEIPT, DocType.FILING_APPROVAL, DocType.INQUIRY_RECORD,
         DocType.INSPECTION_RECORD, DocType.SEIZURE_DECISION, DocType.SEIZURE_LIST, DocType.PENALTY_NOTICE,
         DocType.HEARING_NOTICE, DocType.HEARING_RECORD, DocType.LEGAL_REVIEW_OPINION, DocType.CLOSING_REPORT]


def required_types(case) -> list[str]:
    """The document types the steps this case has taken require, in filing order."""
    need: set[str] = set()
    if case.kind == GENERAL:
        if case.filed_on:
            need.add(DocType.FILING_APPROVAL)
        if case.rights_notice_served_on:
            need.add(DocType.PENALTY_NOTICE)
        if case.hearing_notified_on:
            need.add(DocType.HEARING_NOTICE)
        if case.hearing_held_on:
            need.add(DocType.HEARING_RECORD)
        if case.decided_on:
            need.add(DocType.PENALTY_DECISION)
        if case.served_on:
            need.add(DocType.SERVICE_RECEIPT)
    elif case.kind == INSPECTION:
        if case.inspection_result:
            need.add(DocType.INSPECTION_RECORD)
    elif case.kind == COERCIVE and case.seizures.exists():
        need.update({DocType.SEIZURE_DECISION, DocType.SEIZURE_LIST})
    if case.closed_on and case.kind in (GENERAL, INSPECTION, COERCIVE):
        need.add(DocType.CLOSING_REPORT)
    return [str(t) for t in ORDER if t in need]


def missing_types(case) -> list[str]:
    have = set(GeneratedDocument.objects.filter(case=case).values_list("doc_type", flat=True))
    return [t for t in required_types(case) if t not in have]


def label(doc_type: str) -> str:
    return str(DocType(doc_type).label)


def generate_missing(case, *, acting_user, extra: dict | None = None) -> list[GeneratedDocument]:
    """Generate every required document not yet on file (.docx now, PDF by the worker), through
    the documents action, as the officer would one by one; `extra` gives a type's form fields
    ({doc_type: {...}}); refusals (data missing) propagate."""
    from zhifa.documents.actions import do_generate_document

    made = []
    for doc_type in missing_types(case):
        made.append(do_generate_document(case, doc_type, acting_user=acting_user, pdf="background",
                                         extra=(extra or {}).get(doc_type)))
    return made


def catalogue(case) -> list[dict]:
    """卷内目录: one row per document type on file (its latest version), in filing order, then the
    evidence and the 备考表. Keys: no, title, number, date, version, doc (or None), kind."""
    latest: dict[str, GeneratedDocument] = {}
    for doc in GeneratedDocument.objects.filter(case=case).order_by("doc_type", "version"):
        latest[doc.doc_type] = doc
    rows = []
    for doc_type in ORDER:
        doc = latest.get(str(doc_type))
        if doc is None:
            continue
        date = ((doc.context or {}).get("doc") or {}).get("date", {}).get("iso") or doc.generated_at.date().isoformat()
        rows.append({"title": label(doc.doc_type), "number": doc.number, "date": date,
                     "version": doc.version, "doc": doc, "kind": "document"})
    from zhifa.records.models import RecordItem

    evidence = RecordItem.objects.filter(case=case, destroyed_at__isnull=True).count()
    if evidence:
        rows.append({"title": f"证据材料（{evidence}件）", "number": "", "date": "", "version": None,
                     "doc": None, "kind": "evidence"})
    if case.archived_on or case.archive_note:
        rows.append({"title": "备考表", "number": "", "date": case.archived_on.isoformat() if case.archived_on else "",
                     "version": None, "doc": None, "kind": "note"})
    for n, row in enumerate(rows, 1):
        row["no"] = n
    return rows
