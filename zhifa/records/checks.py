"""Checks `zhifa verify` runs besides the ledger's own (registered in apps.py):

- documents: the stored .docx / .pdf of every generated document (case documents and supervision
  order documents) still has the SHA-256 its row (and, for the .docx, its ledger entry) states;
- records: each item's pointer to its current version and its version count agree with the
  versions table; a destroyed item has an approved destruction.

Each yields (kind, where, detail) tuples, streaming over the rows.
"""
from __future__ import annotations

import hashlib

from django.db.models import Count, Max


def _sha256(fh) -> str:
    h = hashlib.sha256()
    while chunk := fh.read(1 << 20):
        h.update(chunk)
    return h.hexdigest()


def _check_file(st, path, want, where, prefix, missing):
    """One stored file against the SHA-256 its row states: `<prefix>_missing` or `<prefix>_digest`."""
    try:
        with st.open(path, "rb") as fh:
            got = _sha256(fh)
    except (FileNotFoundError, OSError):
        yield (f"{prefix}_missing", where, missing)
        return
    if got != want:
        yield (f"{prefix}_digest", where, f"SHA-256 应为 {want}，实为 {got}")


def check_documents():
    """Every stored file of every generated-document model (documents.GeneratedDocument, the supervision
    orders' OrderDocument: documents.models.stored_document_models) against the SHA-256 written with it."""
    from zhifa.documents.models import storage, stored_document_models

    st = storage()
    for model in stored_document_models():
        label_lower = model._meta.label_lower
        rows = model.objects.only("pk", "docx_path", "docx_sha256", "pdf_path", "pdf_sha256", "pdf_status")
        for doc in rows.iterator(chunk_size=500):
            for label, path, want in doc.stored_files():
                yield from _check_file(st, path, want, f"{label_lower}:{doc.pk} {label} {path}", "document", "文件缺失")


def check_templates():
    """Every stored .docx template version (documents.DocumentTemplate, supervision.OrderTemplate:
    concrete subclasses of TemplateFile) against the SHA-256 written at upload: an edited template
    would silently change every document generated from it afterwards."""
    from django.apps import apps

    from zhifa.documents.models import TemplateFile, storage

    st = storage()
    for model in (m for m in apps.get_models() if issubclass(m, TemplateFile)):
        for pk, path, want in model.objects.values_list("pk", "file_path", "sha256").iterator(chunk_size=500):
            yield from _check_file(st, path, want, f"{model._meta.label_lower}:{pk} {path}", "template", "模板文件缺失")


def check_records():
    from zhifa.records.models import Destruction, RecordItem

    items = (RecordItem.objects.annotate(n=Count("versions"), top=Max("versions__number"))
             .select_related("current").only("pk", "version_count", "current__number", "current__item_id",
                                             "destroyed_at"))
    for item in items.iterator(chunk_size=500):
        where = f"records.recorditem:{item.pk}"
        if item.n != item.version_count or item.top != item.version_count:
            yield ("record_versions", where, f"登记版本数 {item.version_count}，实有 {item.n}（最高第{item.top}版）")
        if item.current is None or item.current.number != item.top or item.current.item_id != item.pk:
            yield ("record_current", where, "当前版本指向的不是最新版本")
        if item.destroyed_at and not Destruction.objects.filter(item_id=item.pk, state="approved").exists():
            yield ("record_destroyed", where, "记录标记为已销毁，但没有经批准的销毁申请")
