"""Signing and printing on a phone that was offline (issue 20, items 4 and 5), synced through
/api/v1/documents/{id}/signature and /prints: the device's UUID makes the sync exactly-once, the
device's image digest must match, a stale version is refused with its rule, the print of the cached
text needs no PDF and its text digest is compared with the version's."""
import base64
import hashlib
import json
import uuid

import pytest

from tests.api.conftest import ApiClient
from tests.records.test_field_sign import png, record
from zhifa.documents.field import text_sha256
from zhifa.documents.models import DocumentPrint, DocumentSignature, GeneratedDocument
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


def _sign_body(doc, image=None, **kw):
    image = image or png()
    return {"client_uuid": str(kw.pop("client_uuid", uuid.uuid4())), "document_sha256": doc.docx_sha256,
            "signer_name": "陈某某", "image": "data:image/png;base64," + base64.b64encode(image).decode(),
            "image_sha256": hashlib.sha256(image).hexdigest(), "device_time": "2026-03-02T10:05:00+08:00", **kw}


def test_offline_signature_syncs_once_with_both_clocks(cw):
    _case, doc = record(cw)
    api = ApiClient(cw["u1"])
    body = _sign_body(doc)
    first = api.post(f"/documents/{doc.pk}/signature", body)
    assert first.status_code == 201, first.content
    again = api.post(f"/documents/{doc.pk}/signature", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    sig = DocumentSignature.objects.get(document=doc)
    assert str(sig.client_uuid) == body["client_uuid"] and sig.image_sha256 == body["image_sha256"]
    assert GeneratedDocument.objects.filter(case=doc.case, doc_type=doc.doc_type).count() == 2
    entries = LedgerEntry.objects.filter(event_type="document.signed")
    assert entries.count() == 1
    data = json.loads(entries.get().body)["data"]
    assert data["device_time"] == "2026-03-02T10:05:00+08:00" and data["received_at"]
    assert data["client_uuid"] == body["client_uuid"] and data["document_sha256"] == doc.docx_sha256


def test_offline_signature_refusals_are_named(cw):
    _case, doc = record(cw)
    api = ApiClient(cw["u1"])
    bad = api.post(f"/documents/{doc.pk}/signature", _sign_body(doc, image_sha256="0" * 64))
    assert bad.status_code in (409, 422) and bad.json()["rule"] == "documents.device_hash", bad.content
    garbled = api.post(f"/documents/{doc.pk}/signature", {**_sign_body(doc), "image": "data:image/png;base64,@@"})
    assert garbled.json()["rule"] == "documents.signature_image"
    stale = api.post(f"/documents/{doc.pk}/signature", _sign_body(doc, document_sha256="1" * 64))
    assert stale.json()["rule"] == "documents.stale_version" and stale.json()["field"] == "document_sha256"
    assert not DocumentSignature.objects.exists()
    body = _sign_body(doc)
    assert api.post(f"/documents/{doc.pk}/signature", body).status_code == 201
    # Another device's signature on the same version: a signed version has a newer (signed) one.
    other = api.post(f"/documents/{doc.pk}/signature", _sign_body(doc))
    assert other.json()["rule"] == "documents.stale_version"
    # The same device id from another user is refused, not taken as a replay.
    reuse = ApiClient(cw["u2"]).post(f"/documents/{doc.pk}/signature", body)
    assert reuse.status_code in (403, 404, 409, 422)
    assert DocumentSignature.objects.count() == 1


def test_offline_refusal_to_sign_syncs_once(cw):
    _case, doc = record(cw)
    api = ApiClient(cw["u1"])
    body = {"client_uuid": str(uuid.uuid4()), "document_sha256": doc.docx_sha256, "outcome": "refused",
            "reason": "当事人称需请示负责人", "witness": "王某（村委会）", "device_time": "2026-03-02T10:06:00+08:00"}
    assert api.post(f"/documents/{doc.pk}/signature", body).status_code == 201
    assert api.post(f"/documents/{doc.pk}/signature", body).status_code == 200
    sig = DocumentSignature.objects.get()
    assert sig.outcome == "refused" and sig.witness == "王某（村委会）"
    assert LedgerEntry.objects.filter(event_type="document.sign_refused").count() == 1


def test_offline_print_is_logged_once_without_a_pdf(cw):
    _case, doc = record(cw)
    api = ApiClient(cw["u1"])
    digest = text_sha256(doc)
    body = {"client_uuid": str(uuid.uuid4()), "copies": 2, "source": "device", "content_sha256": digest,
            "device_time": "2026-03-02T10:07:00+08:00"}
    assert doc.pdf_status != "ready"
    first = api.post(f"/documents/{doc.pk}/prints", body)
    assert first.status_code == 201, first.content
    assert api.post(f"/documents/{doc.pk}/prints", body).status_code == 200
    p = DocumentPrint.objects.get()
    assert (p.source, p.copies, p.content_sha256, p.pdf_sha256) == ("device", 2, digest, "")
    data = json.loads(LedgerEntry.objects.get(event_type="document.printed").body)["data"]
    assert data["text_matches_version"] is True and data["client_uuid"] == body["client_uuid"]
    assert data["document_sha256"] == doc.docx_sha256
    # Another text (an older cached copy) is still logged — the print happened — and flagged.
    other = api.post(f"/documents/{doc.pk}/prints", {**body, "client_uuid": str(uuid.uuid4()), "content_sha256": "2" * 64})
    assert other.status_code == 201
    assert json.loads(LedgerEntry.objects.filter(event_type="document.printed").order_by("-seq")[0].body)["data"][
        "text_matches_version"] is False
    bad = api.post(f"/documents/{doc.pk}/prints", {**body, "client_uuid": str(uuid.uuid4()), "content_sha256": "xyz"})
    assert bad.json()["rule"] == "validation" and bad.json()["field"] == "content_sha256"
    pdf = api.post(f"/documents/{doc.pk}/prints", {"copies": 1})
    assert pdf.json()["rule"] == "documents.pdf_not_ready"
    assert DocumentPrint.objects.count() == 2


def test_field_page_carries_the_text_and_the_offline_pad(cw):
    from django.test import Client

    case, doc = record(cw)
    c = Client()
    c.force_login(cw["u1"])
    html = c.get(f"/records/field/case/{case.pk}/").content.decode()
    assert "data-field-sign" in html and doc.docx_sha256 in html and "进货查验记录完整" in html
    assert "data-field-print" in html
    sw = c.get("/records/field/sw.js").content.decode()
    assert "field-sync" in sw and "syncAll" in sw
