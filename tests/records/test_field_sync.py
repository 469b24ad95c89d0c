"""Field capture sync (issue 20): the client UUID makes POST /records idempotent, the device's
SHA-256 must equal the server's, device time and receipt time go into the ledger; the field pages,
the service worker and the manifest are served; the certificate QR is a standalone SVG."""
import hashlib
import json
import uuid

import pytest

from tests import factories
from tests.api.conftest import ApiClient
from tests.records.test_api import upload
from zhifa.ledger.models import LedgerEntry
from zhifa.records.models import RecordItem

TEXT = "现场检查笔录\r\n当事人在场。"


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def _body(case, cw, **kw):
    return {"case": case.pk, "text": TEXT, "title": "现场检查笔录", "collectors": [cw["h1"].pk],
            "client_uuid": str(kw.pop("client_uuid", uuid.uuid4())),
            "device_sha256": hashlib.sha256(TEXT.encode()).hexdigest(),
            "device_time": "2026-03-02T09:30:00+08:00", **kw}


def test_replay_returns_the_record_once_and_the_ledger_has_both_clocks(cw):
    case = factories.case(cw)
    api = ApiClient(cw["u1"])
    body = _body(case, cw)
    first = api.post("/records", body)
    assert first.status_code == 201, first.content
    again = api.post("/records", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert RecordItem.objects.filter(case=case).count() == 1
    item = RecordItem.objects.get(case=case)
    assert str(item.client_uuid) == body["client_uuid"] and item.device_sha256 == body["device_sha256"]
    entries = LedgerEntry.objects.filter(event_type="record.added", subject_id=str(item.pk))
    assert entries.count() == 1
    data = json.loads(entries.get().body)["data"]
    assert data["device_time"] == "2026-03-02T09:30:00+08:00" and data["received_at"]
    assert data["client_uuid"] == body["client_uuid"] and data["device_sha256"] == body["device_sha256"]
    assert first.json()["device_time"] and first.json()["client_uuid"] == body["client_uuid"]


def test_bytes_that_do_not_match_the_device_hash_are_refused(cw):
    case = factories.case(cw)
    api = ApiClient(cw["u1"])
    r = api.post("/records", _body(case, cw, device_sha256="0" * 64))
    assert r.status_code in (409, 422) and r.json()["rule"] == "records.device_hash", r.content
    assert "SHA-256" in r.json()["message"]
    assert not RecordItem.objects.filter(case=case).exists()


def test_a_device_id_is_not_reused_for_other_bytes_or_by_another_user(cw):
    case = factories.case(cw)
    cid = uuid.uuid4()
    assert ApiClient(cw["u1"]).post("/records", _body(case, cw, client_uuid=cid)).status_code == 201
    other = "另一份笔录"
    r = ApiClient(cw["u1"]).post("/records", _body(case, cw, client_uuid=cid, text=other,
                                                   device_sha256=hashlib.sha256(other.encode()).hexdigest()))
    assert r.status_code in (409, 422) and r.json()["rule"] == "records.client_uuid"
    r = ApiClient(cw["u2"]).post("/records", _body(case, cw, client_uuid=cid))
    assert r.status_code in (403, 404, 409, 422)
    assert RecordItem.objects.filter(case=case).count() == 1


def test_a_photo_synced_through_the_chunked_upload(cw):
    from tests.records.conftest import jpeg

    case = factories.case(cw)
    api = ApiClient(cw["u1"])
    data = jpeg(7).getvalue()
    digest = hashlib.sha256(data).hexdigest()
    uid = upload(api, data)
    assert api.post(f"/uploads/{uid}/complete", {}).status_code == 200
    body = _body(case, cw, upload_id=digest, device_sha256=digest, title="现场照片")
    del body["text"]
    assert api.post("/records", body).status_code == 201
    assert api.post("/records", body).status_code == 200
    assert RecordItem.objects.get(case=case).current.blob_id == digest


def test_field_pages_service_worker_and_manifest(cw, client):
    case = factories.case(cw)
    client.force_login(cw["u1"])
    home = client.get("/records/field/")
    assert home.status_code == 200 and f"/records/field/case/{case.pk}/".encode() in home.content
    page = client.get(f"/records/field/case/{case.pk}/")
    assert page.status_code == 200 and "保存到本机".encode() in page.content
    assert b"<script>" not in page.content  # the CSP allows no inline script
    sw = client.get("/records/field/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("application/javascript")
    assert b"vendor/workbox/workbox-sw.js" in sw.content and b"https://" not in sw.content.split(b"*/", 1)[1]
    man = json.loads(client.get("/records/field/manifest.webmanifest").content)
    assert man["scope"] == "/records/field/" and {i["sizes"] for i in man["icons"]} == {"192x192", "512x512"}


def test_certificate_qr_is_a_standalone_svg(cw, client):
    from zhifa.orgs.models import Certificate

    cert = Certificate.objects.filter(officer=cw["h1"]).first()
    if cert is None:
        pytest.skip("no certificate in the case world")
    client.force_login(cw["head"])
    r = client.get(f"/disclosure/certificates/{cert.pk}/qr.svg")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    assert b'xmlns="http://www.w3.org/2000/svg"' in r.content and r.content.startswith(b"<?xml")


def test_signed_liangzheng_token_verifies_and_refuses_tampering_and_expiry(cw, client):
    from zhifa.common.actions import ActionRefused
    from zhifa.disclosure import cert_token
    from zhifa.orgs.models import Certificate

    cert = Certificate.objects.filter(officer=cw["h1"]).first()
    token = cert_token.issue(cert, now=1_800_000_000)
    payload = cert_token.verify(token, now=1_800_000_100)
    assert payload["n"] == cert.number and payload["exp"] == 1_800_000_000 + cert_token.TTL_SECONDS
    head, sig = token.split(".")
    forged = cert_token._b64(cert_token._unb64(head).replace(cert.number.encode(), b"X" * len(cert.number)))
    for bad in (forged + "." + sig, "garbage", head + "." + sig[:-4] + "AAAA"):
        with pytest.raises(ActionRefused) as e:
            cert_token.verify(bad, now=1_800_000_100)
        assert e.value.rule == "cert.qr_signature"
    with pytest.raises(ActionRefused) as e:
        cert_token.verify(token, now=1_800_000_000 + cert_token.TTL_SECONDS + 1)
    assert e.value.rule == "cert.qr_expired"
    page = client.get("/gs/cert/v/")
    from zhifa.ledger import signing

    assert page.status_code == 200 and signing.public_key_hex().encode() in page.content
    assert client.get("/gs/cert/v/sw.js").status_code == 200
    client.force_login(cw["head"])
    svg = client.get(f"/disclosure/certificates/{cert.pk}/signed-qr.svg")
    assert svg.status_code == 200 and b'xmlns="http://www.w3.org/2000/svg"' in svg.content
