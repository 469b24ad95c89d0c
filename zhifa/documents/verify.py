"""`zhifa verify` for signed PDFs (zhifa/documents/seal.py): every PDF whose ledger entry records a
seal still carries a valid PAdES signature over the whole file (pyHanko) and matches the SM2/SM3
signature recorded in the ledger."""
from __future__ import annotations

import json

from zhifa.ledger.verify import Discrepancy, check


@check
def document_seals():
    from django.apps import apps

    from zhifa.documents.models import storage
    from zhifa.documents.seal import sm2_verify, validate_pades
    from zhifa.ledger.models import LedgerEntry

    qs = LedgerEntry.objects.filter(event_type__in=("document.pdf", "supervision.document_pdf"),
                                    body__contains="sm2_signature").select_related("subject_type")
    for e in qs.iterator(chunk_size=500):
        data = json.loads(e.body)["data"]
        model = apps.get_model(e.subject_type.app_label, e.subject_type.model)
        row = model.objects.filter(pk=e.subject_id).first()
        where = f"{model._meta.db_table} pk={e.subject_id}"
        if row is None or not row.pdf_path:
            continue  # a missing row or file is reported by the documents check
        try:
            with storage().open(row.pdf_path, "rb") as fh:
                pdf = fh.read()
        except OSError:
            continue
        if data.get("pdf_sha256") != row.pdf_sha256:
            continue  # a newer PDF of the row: its own entry is checked
        if not sm2_verify(pdf, data):
            yield Discrepancy("documents.seal_sm2", where, "PDF与日志中记录的SM2/SM3签名不符")
        if data.get("seal") == "pades":
            ok, why = validate_pades(pdf)
            if not ok:
                yield Discrepancy("documents.seal_pades", where, f"PDF签名（PAdES）校验失败：{why}")
