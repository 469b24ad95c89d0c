"""On the spot (issue 20, items 4 and 5): the party signs the document shown on the officer's phone
(or refuses to), and the document is printed on A4 from its server-rendered PDF.

    do_sign_document(doc, acting_user=officer, document_sha256=shown_digest, image=png, signer_name="陈某某")
    do_record_refusal(doc, acting_user=officer, document_sha256=shown_digest, reason="…", witness="王某")
    do_log_print(doc, acting_user=officer, copies=2)

Offline (a phone without a network): the same calls with `client_uuid` (the device's id), `device_time`
and, for a signature, `device_image_sha256` (the image's SHA-256 taken on the device) — a replayed sync
returns the row made (`.replayed` True), nothing new; the id reused for another document or by another
user is refused ("documents.client_uuid"); an image whose bytes do not match the device's digest is
refused ("documents.device_hash"). An offline print is `source="device"` with the SHA-256 of the text
printed; it needs no PDF.

A signature (or a refusal) is bound to the exact version shown: the .docx SHA-256 the page showed must
be the latest version's, else the rule "documents.stale_version" refuses. The signed document is the
next version of the same document: the shown version's .docx with the signature (or the refusal note)
appended, its number and filled-in data kept. The signature image, the shown version's digest and the
signed version's digest are in one ledger entry ("document.signed" / "document.sign_refused").
"""
from __future__ import annotations

import io
import uuid
from typing import Any

from django.db import transaction

from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.documents.actions import check_may_generate, request_pdf, sha256, store_file
from zhifa.documents.models import ON_SITE_TYPES, DocumentPrint, DocumentSignature, GeneratedDocument, storage
from zhifa.ledger import log as ledger

MAX_SIGNATURE_BYTES = 512 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_COPIES = 20


def is_on_site(doc: GeneratedDocument) -> bool:
    return doc.doc_type in ON_SITE_TYPES


def signature_of(doc: GeneratedDocument) -> DocumentSignature | None:
    """The signature (or refusal) this version carries: made from it, or this version is the signed one."""
    return (DocumentSignature.objects.filter(document=doc).first()
            or DocumentSignature.objects.filter(signed_document=doc).first())


def _client_uuid(value) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ActionRefused("validation", "设备端编号格式不正确（应为UUID）", field="client_uuid") from None


def _replay(model, client_uuid, doc: GeneratedDocument, acting_user, user_field: str):
    """The row a device already synced under `client_uuid` (the document row is locked first, so two
    syncs of one capture cannot both create), or None; the id used elsewhere is refused."""
    if client_uuid is None:
        return None
    GeneratedDocument.objects.select_for_update().filter(pk=doc.pk).first()
    existing = model.objects.filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    if existing.document_id != doc.pk or getattr(existing, user_field) != acting_user.pk:
        raise ActionRefused("documents.client_uuid", "该设备端编号已用于另一份文书的签名或打印，不能重复使用",
                            field="client_uuid")
    existing.replayed = True
    return existing


def _device_fields(client_uuid, device_time) -> dict:
    from django.utils import timezone

    if client_uuid is None:
        return {}
    return {"client_uuid": str(client_uuid), "device_time": device_time.isoformat() if device_time else None,
            "received_at": timezone.now().isoformat()}


def _check_signable(doc: GeneratedDocument, *, acting_user, document_sha256: str) -> GeneratedDocument:
    row = GeneratedDocument.objects.select_for_update().select_related("case").get(pk=doc.pk)
    check_may_generate(acting_user, row.case)
    if not is_on_site(row):
        raise ActionRefused("documents.not_on_site", f"《{row.label}》不是现场文书，不在现场签名")
    latest = (GeneratedDocument.objects.filter(case_id=row.case_id, doc_type=row.doc_type)
              .order_by("-version").first())
    shown = (document_sha256 or "").strip().lower()
    if latest is None or latest.pk != row.pk or shown != row.docx_sha256:
        raise ActionRefused("documents.stale_version",
                            f"所签文书不是《{row.label}》的最新版本（当前为第{latest.version if latest else row.version}版），"
                            "请刷新后让当事人在最新版本上签名", field="document_sha256")
    if signature_of(row) is not None:
        raise ActionRefused("documents.already_signed", f"《{row.label}》第{row.version}版已有当事人签名或拒签记录")
    return row


def _signature_png(image) -> bytes:
    if hasattr(image, "read"):
        image = image.read()
    data = bytes(image or b"")
    if not data:
        raise ActionRefused("documents.signature_image", "请当事人在签名框内签名", field="image")
    if len(data) > MAX_SIGNATURE_BYTES or not data.startswith(PNG_MAGIC):
        raise ActionRefused("documents.signature_image", "签名图像无效（应为PNG图像，不超过512KB）", field="image")
    return data


def _read(path: str) -> bytes:
    with storage().open(path, "rb") as fh:
        return fh.read()


def _append_block(docx: bytes, lines: list[str], image: bytes | None) -> bytes:
    """The shown .docx with a signature block at its end (python-docx; the body is left untouched)."""
    import docx as pydocx
    from docx.shared import Cm

    d = pydocx.Document(io.BytesIO(docx))
    head = d.add_paragraph()
    head.add_run(lines[0])
    if image is not None:
        head.add_run().add_picture(io.BytesIO(image), width=Cm(4))
    for line in lines[1:]:
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _signed_version(row: GeneratedDocument, docx: bytes, *, acting_user, note: dict, reason: str) -> GeneratedDocument:
    version = row.version + 1
    digest = sha256(docx)
    case = row.case
    shown: Any = row.context or {}
    context: Any = {**shown, "party_signature": note}
    path = store_file(f"cases/{case.entity_id}/{case.pk}/{row.doc_type}/v{version}-{digest[:12]}.docx", docx)
    new = GeneratedDocument.objects.create(
        case=case, doc_type=row.doc_type, number=row.number, version=version, template=row.template,
        template_version=row.template_version, docx_path=path, docx_sha256=digest, docx_size=len(docx),
        context=context, extra=row.extra, generated_by=acting_user)
    log_change(new, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(new), reason=reason)
    ledger.append("document.generated", subject=new, actor=acting_user, case=case,
                  data={"doc_type": row.doc_type, "version": version, "number": row.number, "docx_sha256": digest,
                        "from_version": row.version})
    return new


def _when(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y年%m月%d日%H时%M分")


def _finish(row, sig, new, *, acting_user, event: str, pdf) -> DocumentSignature:
    sig.signed_document = new
    sig.save(update_fields=["signed_document"])
    log_change(sig, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(sig),
               reason=f"《{row.label}》第{row.version}版：{sig.get_outcome_display()}")
    ledger.append(event, subject=sig, actor=acting_user, case=row.case_id,
                  data={"document": row.pk, "doc_type": row.doc_type, "version": row.version,
                        "document_sha256": row.docx_sha256, "image_sha256": sig.image_sha256,
                        "signed_document": new.pk, "signed_version": new.version,
                        "signed_docx_sha256": new.docx_sha256, "witness": sig.witness,
                        "av_record": sig.av_record_id, **_device_fields(sig.client_uuid, sig.device_time)})
    sig.replayed = False
    if pdf == "background":
        request_pdf(new, acting_user=acting_user)
    return sig


@transaction.atomic
def do_sign_document(doc: GeneratedDocument, *, acting_user, document_sha256: str, image, signer_name: str,
                     pdf: bool | str = "background", client_uuid=None, device_time=None,
                     device_image_sha256: str = "") -> DocumentSignature:
    """The party's handwritten signature on the version shown (its .docx digest `document_sha256`).
    Refuses: "documents.not_handler", "documents.not_on_site", "documents.already_signed",
    "documents.stale_version", "documents.signature_image", "validation" (signer_name); offline also
    "documents.client_uuid", "documents.device_hash"."""
    client_uuid = _client_uuid(client_uuid)
    replay = _replay(DocumentSignature, client_uuid, doc, acting_user, "recorded_by_id")
    if replay is not None:
        return replay
    row = _check_signable(doc, acting_user=acting_user, document_sha256=document_sha256)
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise ActionRefused("validation", "请填写签名人姓名", field="signer_name")
    png = _signature_png(image)
    digest = sha256(png)
    declared = (device_image_sha256 or "").strip().lower()
    if declared and declared != digest:
        raise ActionRefused("documents.device_hash", f"签名图像与设备端SHA-256不符（设备端 {declared[:12]}…，"
                            f"服务器 {digest[:12]}…），传输中可能损坏，请重新同步", field="device_image_sha256")
    path = store_file(f"cases/{row.case.entity_id}/{row.case_id}/{row.doc_type}/"
                      f"v{row.version}-signature-{digest[:12]}.png", png)
    sig = DocumentSignature.objects.create(document=row, document_sha256=row.docx_sha256,
                                           outcome=DocumentSignature.Outcome.SIGNED, signer_name=signer_name[:100],
                                           image_path=path, image_sha256=digest, recorded_by=acting_user,
                                           client_uuid=client_uuid, device_time=device_time)
    lines = [f"当事人（签名）：{signer_name}  ",
             f"签名时间：{_when(sig.recorded_at)}；所签文书：第{row.version}版，SHA-256：{row.docx_sha256}"]
    docx = _append_block(_read(row.docx_path), lines, png)
    new = _signed_version(row, docx, acting_user=acting_user, reason=f"当事人签名后的{row.label}第{row.version + 1}版",
                          note={"outcome": "signed", "signer_name": signer_name, "image_sha256": digest,
                                "signed_version": row.version, "document_sha256": row.docx_sha256})
    return _finish(row, sig, new, acting_user=acting_user, event="document.signed", pdf=pdf)


@transaction.atomic
def do_record_refusal(doc: GeneratedDocument, *, acting_user, document_sha256: str, reason: str, witness: str = "",
                      av_record=None, pdf: bool | str = "background", client_uuid=None,
                      device_time=None) -> DocumentSignature:
    """当事人拒绝签名: the officers note it on the document with the reason, and a witness or an audio/video
    record of the refusal (行政处罚法第五十五条; 笔录由执法人员注明). Refuses as do_sign_document, and
    "documents.refusal_reason", "documents.refusal_proof" (neither a witness nor an A/V record),
    "documents.refusal_av" (the record is not this case's audio or video)."""
    client_uuid = _client_uuid(client_uuid)
    replay = _replay(DocumentSignature, client_uuid, doc, acting_user, "recorded_by_id")
    if replay is not None:
        return replay
    row = _check_signable(doc, acting_user=acting_user, document_sha256=document_sha256)
    reason, witness = (reason or "").strip(), (witness or "").strip()
    if not reason:
        raise ActionRefused("documents.refusal_reason", "请注明当事人拒绝签名的原因", field="reason")
    if av_record is not None:
        from zhifa.records.models import AV_KINDS

        if av_record.case_id != row.case_id or av_record.kind not in AV_KINDS or av_record.destroyed_at:
            raise ActionRefused("documents.refusal_av", "所选音像记录不是本案的录音或录像", field="av_record")
    if not witness and av_record is None:
        raise ActionRefused("documents.refusal_proof", "当事人拒绝签名的，应当有见证人签名或者音像记录予以证明",
                            field="witness")
    sig = DocumentSignature.objects.create(document=row, document_sha256=row.docx_sha256,
                                           outcome=DocumentSignature.Outcome.REFUSED, refusal_reason=reason[:500],
                                           witness=witness[:100], av_record=av_record, recorded_by=acting_user,
                                           client_uuid=client_uuid, device_time=device_time)
    officer = getattr(acting_user, "display_name", "") or acting_user.get_username()
    lines = [f"当事人拒绝签名。原因：{reason}",
             f"见证人：{witness or '（无）'}" + (f"；音像记录：{av_record}" if av_record is not None else ""),
             f"执法人员注明：{officer}，{_when(sig.recorded_at)}；所涉文书：第{row.version}版，SHA-256：{row.docx_sha256}"]
    docx = _append_block(_read(row.docx_path), lines, None)
    new = _signed_version(row, docx, acting_user=acting_user, reason=f"注明当事人拒绝签名的{row.label}第{row.version + 1}版",
                          note={"outcome": "refused", "reason": reason, "witness": witness,
                                "signed_version": row.version, "document_sha256": row.docx_sha256})
    return _finish(row, sig, new, acting_user=acting_user, event="document.sign_refused", pdf=pdf)


@transaction.atomic
def do_log_print(doc: GeneratedDocument, *, acting_user, copies: int = 1, source: str = "pdf",
                 content_sha256: str = "", client_uuid=None, device_time=None) -> DocumentPrint:
    """One print (A4, the OS print dialog) of the document's server-rendered PDF, or (`source="device"`,
    offline) of its cached text rendered on the phone: the count and the digest of what was printed go
    into the change log and the ledger ("document.printed").
    Refuses: "documents.not_handler", "documents.pdf_not_ready", "validation" (copies, content_sha256),
    "documents.client_uuid"."""
    client_uuid = _client_uuid(client_uuid)
    replay = _replay(DocumentPrint, client_uuid, doc, acting_user, "printed_by_id")
    if replay is not None:
        return replay
    row = GeneratedDocument.objects.select_for_update().select_related("case").get(pk=doc.pk)
    check_may_generate(acting_user, row.case)
    content_sha256 = (content_sha256 or "").strip().lower()
    if source == DocumentPrint.Source.DEVICE:
        if len(content_sha256) != 64 or any(c not in "0123456789abcdef" for c in content_sha256):
            raise ActionRefused("validation", "本机打印内容的SHA-256格式不正确（应为64位十六进制）",
                                field="content_sha256")
    elif source == DocumentPrint.Source.PDF:
        if row.pdf_status != GeneratedDocument.PdfStatus.READY or not row.pdf_path:
            raise ActionRefused("documents.pdf_not_ready", f"《{row.label}》第{row.version}版的PDF尚未生成，不能打印")
        content_sha256 = ""
    else:
        raise ActionRefused("validation", "打印来源应为 pdf 或 device", field="source")
    try:
        copies = int(copies)
    except (TypeError, ValueError):
        copies = 0
    if not 1 <= copies <= MAX_COPIES:
        raise ActionRefused("validation", f"打印份数应为1至{MAX_COPIES}份", field="copies")
    pdf_sha = row.pdf_sha256 if source == DocumentPrint.Source.PDF else ""
    p = DocumentPrint.objects.create(document=row, pdf_sha256=pdf_sha, copies=copies, printed_by=acting_user,
                                     source=source, content_sha256=content_sha256, client_uuid=client_uuid,
                                     device_time=device_time)
    count = DocumentPrint.objects.filter(document=row).count()
    how = "（本机离线打印）" if source == DocumentPrint.Source.DEVICE else ""
    log_change(p, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(p),
               reason=f"打印《{row.label}》第{row.version}版{copies}份（第{count}次打印）{how}")
    data = {"document": row.pk, "version": row.version, "pdf_sha256": pdf_sha, "copies": copies, "print_no": count,
            "source": source}
    if source == DocumentPrint.Source.DEVICE:
        data.update(content_sha256=content_sha256, document_sha256=row.docx_sha256,
                    text_matches_version=content_sha256 == text_sha256(row))
    data.update(_device_fields(client_uuid, device_time))
    ledger.append("document.printed", subject=p, actor=acting_user, case=row.case_id, data=data)
    p.replayed = False
    return p


def shown_text(doc: GeneratedDocument) -> str:
    """The document's text as the field page shows it (and prints it offline)."""
    from zhifa.documents.render import docx_text

    try:
        return docx_text(_read(doc.docx_path)).replace("\r\n", "\n")
    except OSError:
        return ""


def text_sha256(doc: GeneratedDocument) -> str:
    return sha256(shown_text(doc).encode("utf-8"))
