"""Archive package (归档包) of a closed case: one ZIP that proves itself offline.

    records/…           every version of every record (the original bytes)
    documents/…         every generated document (.docx, and .pdf where rendered)
    manifest.json       the case; every file with SHA-256, SM3 and size; the fingerprinted fields
                        of each record, version, document and case event; the case's ledger
                        entries with RFC 9162 inclusion proofs; a freshly signed tree head
    README.txt          how to check it: `zhifa verify-archive FILE` (archive_verify.py; needs no
                        database and no configuration)

The ZIP is written to a temporary file in chunks (records may be videos of several GB), then
streamed to the client.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zipfile

from django.utils import timezone

from zhifa.blobs.store import open_blob
from zhifa.cases.models import Case, CaseEvent
from zhifa.common.actions import ActionRefused, check_scope
from zhifa.ledger import log as ledger
from zhifa.ledger.fingerprints import fingerprint_data
from zhifa.ledger.models import LedgerEntry
from zhifa.records import rules
from zhifa.records.models import RecordItem

FORMAT = "zhifa-archive/1"
EXPORTABLE_STATES = ("closed", "archived", "not_filed", "revoked", "transferred", "recorded", "released",
                     "converted")
README = """本文件为行政执法案件归档包（{number}）。

manifest.json 列出包内每个文件的 SHA-256、SM3 摘要和大小，每条记录、文书和办案环节的登记信息，
以及它们在防篡改日志中的条目、包含证明（RFC 9162）和带签名的树头（Ed25519）。

校验方法（无需数据库）：
    zhifa verify-archive {filename}
如需确认签名密钥，请与执法监督机关公布的公钥比对：
    zhifa verify-archive {filename} --public-key <公钥十六进制>
"""


def _safe(name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", name)[:60] or "file"


def _subject(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def build_archive(case: Case, *, acting_user, out_path: str) -> dict:
    """Write the package of `case` to out_path; returns the manifest. Refuses unless the case is
    finished (records.archive_closed) and visible to the user (scope)."""
    from zhifa.documents.models import GeneratedDocument, storage
    from zhifa.records.actions import do_log_case_export

    check_scope(acting_user, case, "view")
    if case.state not in EXPORTABLE_STATES:
        raise ActionRefused("records.archive_closed", "案件办结后才能导出归档包")
    do_log_case_export(case, acting_user=acting_user, reason="导出归档包")
    files, records, documents = [], [], []
    with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        def add(path, opener, role):
            with opener() as src, zf.open(path, "w", force_zip64=True) as dst:
                sha, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
                    sha.update(chunk)
                    sm3.update(chunk)
                    size += len(chunk)
            files.append({"path": path, "sha256": sha.hexdigest(), "sm3": sm3.hexdigest(), "size": size,
                          "role": role})
            return files[-1]

        items = RecordItem.objects.filter(case=case).prefetch_related("versions__blob").order_by("id")
        for n, item in enumerate(items, 1):
            entry = {"subject": _subject(item), "fields": fingerprint_data(item), "versions": [],
                     "destroyed_at": item.destroyed_at.isoformat() if item.destroyed_at else None}
            for v in item.versions.all():
                row = {"subject": _subject(v), "fields": fingerprint_data(v), "file": None,
                       "sha256": v.blob.sha256, "sm3": v.blob.sm3}
                if not v.blob.destroyed_at:
                    ext = os.path.splitext(v.filename)[1] if v.filename else ""
                    path = f"records/{n:04d}-v{v.number}-{_safe(v.title)}{_safe(ext) if ext else ''}"
                    row["file"] = add(path, lambda b=v.blob: open_blob(b), "record")["path"]
                entry["versions"].append(row)
            records.append(entry)
        for doc in GeneratedDocument.objects.filter(case=case).order_by("doc_type", "version"):
            row = {"subject": _subject(doc), "fields": fingerprint_data(doc), "files": []}
            base = f"documents/{_safe(doc.label)}-v{doc.version}"
            for path, ext in ((doc.docx_path, "docx"), (doc.pdf_path, "pdf")):
                if path and storage().exists(path):
                    row["files"].append(add(f"{base}.{ext}", lambda p=path: storage().open(p, "rb"), "document")["path"])
            documents.append(row)
        events = [{"subject": _subject(e), "fields": fingerprint_data(e), "label": e.label}
                  for e in CaseEvent.objects.filter(case=case).order_by("id")]
        head = ledger.sign_tree_head()
        entries = []
        for e in LedgerEntry.objects.filter(case_id=case.pk, seq__lt=head.tree_size).order_by("seq"):
            entries.append({"seq": e.seq, "body": e.body,
                            "proof": [h.hex() for h in ledger.inclusion_proof(e.seq, head.tree_size)]})
        manifest = {
            "format": FORMAT,
            "case": {"id": case.pk, "number": case.number, "kind": case.kind, "title": case.title,
                     "entity": case.entity.name, "state": case.state,
                     "retention_years": rules.retention_years(case.kind)},
            "exported_at": timezone.now().isoformat(), "exported_by": getattr(acting_user, "display_name", "")
            or acting_user.username,
            "files": files, "records": records, "documents": documents, "events": events,
            "ledger": {"tree_head": head.as_dict(), "entries": entries},
        }
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        zf.writestr("README.txt", README.format(number=case.number or case.pk,
                                                filename=archive_name(case)))
    return manifest


def archive_name(case: Case) -> str:
    return f"归档包-{_safe(case.number or str(case.pk))}.zip"


def export_to_tempfile(case: Case, *, acting_user) -> tuple[str, dict]:
    fd, path = tempfile.mkstemp(prefix="zhifa-archive-", suffix=".zip")
    os.close(fd)
    try:
        manifest = build_archive(case, acting_user=acting_user, out_path=path)
    except BaseException:
        os.unlink(path)
        raise
    return path, manifest
