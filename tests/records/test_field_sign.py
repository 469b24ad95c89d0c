"""On the spot (issue 20, items 4 and 5): the party's signature on the exact version shown, the refusal
to sign, the signed document regenerated with the signature, and prints of the A4 PDF logged."""
import hashlib
import io
import json

import pytest

from tests.documents.helpers import inspection_case, read_docx
from zhifa.common.actions import ActionRefused
from zhifa.documents.actions import do_generate_document
from zhifa.documents.field import do_log_print, do_record_refusal, do_sign_document
from zhifa.documents.models import DocumentPrint, DocumentSignature, GeneratedDocument, storage
from zhifa.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    return shared_cw


@pytest.fixture(autouse=True)
def _documents_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "documents", "base_url": None}}}


def png(color=(0, 0, 0)):
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (300, 120), (255, 255, 255, 0))
    ImageDraw.Draw(im).line([(10, 100), (150, 20), (290, 90)], fill=color + (255,), width=4)
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def record(cw):
    case = inspection_case(cw)
    doc = do_generate_document(case, "inspection_record", acting_user=cw["u1"], pdf=False,
                               extra={"content": "现场检查发现进货查验记录完整。", "recorder": "李某"})
    return case, doc


def refused(rule, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, e.value
    return e.value


def entry(event, subject):
    return json.loads(LedgerEntry.objects.get(event_type=event, subject_id=str(subject.pk)).body)["data"]


def test_signature_binds_image_and_shown_version_and_regenerates_the_document(cw):
    case, doc = record(cw)
    image = png()
    sig = do_sign_document(doc, acting_user=cw["u1"], document_sha256=doc.docx_sha256, image=image,
                           signer_name="张某某", pdf=False)
    assert sig.outcome == "signed" and sig.document_sha256 == doc.docx_sha256
    assert sig.image_sha256 == hashlib.sha256(image).hexdigest()
    with storage().open(sig.image_path, "rb") as fh:
        assert fh.read() == image
    new = sig.signed_document
    assert new.version == doc.version + 1 and new.number == doc.number and new.is_latest()
    text = read_docx(new)
    assert "当事人（签名）：张某某" in text and doc.docx_sha256 in text
    assert "现场检查发现进货查验记录完整。" in text
    with storage().open(new.docx_path, "rb") as fh:
        import docx

        assert docx.Document(fh).inline_shapes, "the signature image is in the signed document"
    # One ledger entry binds the image digest, the shown version's digest and the signed version.
    data = entry("document.signed", sig)
    assert data["image_sha256"] == sig.image_sha256 and data["document_sha256"] == doc.docx_sha256
    assert data["version"] == doc.version and data["signed_docx_sha256"] == new.docx_sha256
    assert LedgerEntry.objects.filter(event_type="document.generated", subject_id=str(new.pk)).exists()


def test_signature_on_a_stale_version_is_refused(cw):
    case, doc = record(cw)
    newer = do_generate_document(case, "inspection_record", acting_user=cw["u1"], pdf=False,
                                 extra={"content": "补充：仓库一处。"})
    e = refused("documents.stale_version", do_sign_document, doc, acting_user=cw["u1"],
                document_sha256=doc.docx_sha256, image=png(), signer_name="张某某", pdf=False)
    assert "最新版本" in e.message
    # The latest version, but the page showed other bytes.
    refused("documents.stale_version", do_sign_document, newer, acting_user=cw["u1"],
            document_sha256=doc.docx_sha256, image=png(), signer_name="张某某", pdf=False)
    assert not DocumentSignature.objects.exists()
    do_sign_document(newer, acting_user=cw["u1"], document_sha256=newer.docx_sha256, image=png(),
                     signer_name="张某某", pdf=False)
    # Signed once: the version is no longer the latest, the signed version is not signed again.
    refused("documents.stale_version", do_sign_document, newer, acting_user=cw["u1"],
            document_sha256=newer.docx_sha256, image=png(), signer_name="张某某", pdf=False)
    signed = GeneratedDocument.objects.get(case=case, doc_type="inspection_record", version=newer.version + 1)
    refused("documents.already_signed", do_sign_document, signed, acting_user=cw["u1"],
            document_sha256=signed.docx_sha256, image=png(), signer_name="张某某", pdf=False)
    assert DocumentSignature.objects.count() == 1


def test_signature_image_and_name_are_required(cw):
    _case, doc = record(cw)
    e = refused("documents.signature_image", do_sign_document, doc, acting_user=cw["u1"],
                document_sha256=doc.docx_sha256, image=b"", signer_name="张某某", pdf=False)
    assert e.field == "image"
    refused("documents.signature_image", do_sign_document, doc, acting_user=cw["u1"],
            document_sha256=doc.docx_sha256, image=b"GIF89a....", signer_name="张某某", pdf=False)
    e = refused("validation", do_sign_document, doc, acting_user=cw["u1"], document_sha256=doc.docx_sha256,
                image=png(), signer_name=" ", pdf=False)
    assert e.field == "signer_name"


def test_only_on_site_documents_are_signed_and_only_by_the_handlers(cw):
    case, doc = record(cw)
    closing = do_generate_document(case, "closing_report", acting_user=cw["u1"], pdf=False,
                                   extra={"summary": "检查未发现问题。", "opinion": "建议结案。"})
    refused("documents.not_on_site", do_sign_document, closing, acting_user=cw["u1"],
            document_sha256=closing.docx_sha256, image=png(), signer_name="张某某", pdf=False)
    with pytest.raises(ActionRefused):
        do_sign_document(doc, acting_user=cw["officer"],
                         document_sha256=doc.docx_sha256, image=png(), signer_name="张某某", pdf=False)


def test_refusal_needs_a_reason_and_a_witness_or_av_record(cw):
    case, doc = record(cw)
    e = refused("documents.refusal_reason", do_record_refusal, doc, acting_user=cw["u1"],
                document_sha256=doc.docx_sha256, reason="", witness="王某", pdf=False)
    assert e.field == "reason"
    e = refused("documents.refusal_proof", do_record_refusal, doc, acting_user=cw["u1"],
                document_sha256=doc.docx_sha256, reason="当事人称需请示公司", witness="", pdf=False)
    assert "见证人" in e.message
    refused("documents.stale_version", do_record_refusal, doc, acting_user=cw["u1"],
            document_sha256="0" * 64, reason="当事人称需请示公司", witness="王某", pdf=False)
    sig = do_record_refusal(doc, acting_user=cw["u1"], document_sha256=doc.docx_sha256,
                            reason="当事人称需请示公司", witness="王某（社区网格员）", pdf=False)
    assert sig.outcome == "refused" and not sig.image_path
    text = read_docx(sig.signed_document)
    assert "当事人拒绝签名。原因：当事人称需请示公司" in text and "见证人：王某（社区网格员）" in text
    data = entry("document.sign_refused", sig)
    assert data["document_sha256"] == doc.docx_sha256 and data["witness"] == "王某（社区网格员）"


def test_refusal_with_an_av_record_of_another_case_is_refused(cw):
    from tests.records.conftest import wav
    from zhifa.records.actions import do_add_record

    case, doc = record(cw)
    other, _ = record(cw)
    clip = do_add_record(other, acting_user=cw["u1"], fileobj=wav(), title="拒签录音", collectors=[cw["h1"]])
    refused("documents.refusal_av", do_record_refusal, doc, acting_user=cw["u1"], document_sha256=doc.docx_sha256,
            reason="拒绝", av_record=clip, pdf=False)
    own = do_add_record(case, acting_user=cw["u1"], fileobj=wav(2), title="拒签录音", collectors=[cw["h1"]])
    sig = do_record_refusal(doc, acting_user=cw["u1"], document_sha256=doc.docx_sha256, reason="拒绝",
                            av_record=own, pdf=False)
    assert sig.av_record_id == own.pk


def _ready_pdf(doc):
    """The document's PDF through the real PDF step, with LibreOffice and the seal stood in for."""
    from unittest import mock

    from zhifa.documents.actions import do_render_pdf

    pdf = b"%PDF-1.4\n% test " + str(doc.pk).encode() + b"\n"
    with mock.patch("zhifa.documents.actions.convert_pdf", return_value=pdf), \
            mock.patch("zhifa.documents.seal.apply", side_effect=lambda data: (data, {})):
        return do_render_pdf(doc, acting_user=None)


def test_prints_are_counted_and_logged_with_the_pdf_hash(cw):
    _case, doc = record(cw)
    refused("documents.pdf_not_ready", do_log_print, doc, acting_user=cw["u1"])
    doc = _ready_pdf(doc)
    refused("validation", do_log_print, doc, acting_user=cw["u1"], copies=0)
    do_log_print(doc, acting_user=cw["u1"], copies=2)
    p = do_log_print(doc, acting_user=cw["u1"])
    assert DocumentPrint.objects.filter(document=doc).count() == 2
    data = entry("document.printed", p)
    assert data["pdf_sha256"] == doc.pdf_sha256 and data["print_no"] == 2 and data["copies"] == 1


# ---- the pages -----------------------------------------------------------------------------------
def client(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_sign_page_shows_the_version_and_takes_the_pad_drawing(cw):
    import base64

    from tests.accounts.test_headers import check_headers

    case, doc = record(cw)
    c = client(cw["u1"])
    r = c.get(f"/documents/{doc.pk}/sign/")
    assert r.status_code == 200
    check_headers(r)
    html = r.content.decode()
    assert doc.docx_sha256 in html and "data-signature-pad" in html and "documents/signature.js" in html
    assert "当事人拒绝签名" in html and "现场检查发现进货查验记录完整。" in html
    url = "data:image/png;base64," + base64.b64encode(png()).decode()
    r = c.post(f"/documents/{doc.pk}/sign/", {"outcome": "signed", "document_sha256": doc.docx_sha256,
                                              "image": url, "signer_name": "张某某"})
    sig = DocumentSignature.objects.get(document=doc)
    assert r.status_code == 302 and r["Location"] == f"/documents/{sig.signed_document_id}/sign/"
    r = c.get(r["Location"])
    assert "当事人已签名" in r.content.decode() and "data-signature-pad" not in r.content.decode()
    # The old version's page now says it is not the latest; a post from it is refused, named.
    r = c.get(f"/documents/{doc.pk}/sign/")
    assert "当事人已签名" in r.content.decode()
    assert "现场签名/打印" in client(cw["u1"]).get(f"/documents/case/{case.pk}/").content.decode()
    assert f"/documents/{sig.signed_document_id}/sign/" in c.get(f"/records/field/case/{case.pk}/").content.decode()


def test_sign_page_post_of_a_stale_version_or_empty_pad_is_refused(cw):
    case, doc = record(cw)
    c = client(cw["u1"])
    r = c.post(f"/documents/{doc.pk}/sign/", {"outcome": "signed", "document_sha256": doc.docx_sha256,
                                              "image": "", "signer_name": "张某某"})
    assert r.status_code == 422 and "请当事人在签名框内签名" in r.content.decode()
    r = c.post(f"/documents/{doc.pk}/sign/", {"outcome": "refused", "document_sha256": "ab" * 32,
                                              "reason": "拒绝", "witness": "王某"})
    assert r.status_code == 422 and "不是《现场检查笔录》的最新版本" in r.content.decode()
    assert not DocumentSignature.objects.exists()


def test_print_button_logs_the_print_and_opens_the_pdf_inline(cw):
    _case, doc = record(cw)
    doc = _ready_pdf(doc)
    c = client(cw["u1"])
    assert "打印（A4）" in c.get(f"/documents/{doc.pk}/sign/").content.decode()
    r = c.post(f"/documents/{doc.pk}/print/", {"copies": "2"})
    assert r.status_code == 302 and r["Location"] == f"/documents/{doc.pk}/pdf/?inline=1"
    r = c.get(r["Location"])
    assert r.status_code == 200 and r["Content-Disposition"].startswith("inline;")
    assert DocumentPrint.objects.get(document=doc).copies == 2


def test_zhifa_verify_is_clean_after_signing_refusing_and_printing(cw):
    from tests.ledger.test_verify import run_verify

    case, doc = record(cw)
    sig = do_sign_document(doc, acting_user=cw["u1"], document_sha256=doc.docx_sha256, image=png(),
                           signer_name="张某某", pdf=False)
    do_log_print(_ready_pdf(sig.signed_document), acting_user=cw["u1"])
    other = do_generate_document(case, "inquiry_record", acting_user=cw["u1"], pdf=False, extra={"place": "当事人店内"})
    do_record_refusal(other, acting_user=cw["u1"], document_sha256=other.docx_sha256, reason="拒绝", witness="王某", pdf=False)
    code, out = run_verify()
    assert code == 0, out
