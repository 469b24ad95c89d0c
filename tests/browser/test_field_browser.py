"""现场执法 offline (issue 20, "Done when") on a 390 px phone: the officer opens the field page of a
task, the network drops, a 笔录 and two photos are captured (UUID, SHA-256 and device time taken on
the device, kept in IndexedDB), the party signs the 现场检查笔录 shown and it is printed from the
cached text; the page is reloaded while offline (the service worker serves it), the network comes back
and the three records, the signature and the print arrive exactly once, with the device's digests and
both clocks in their ledger entries; a replayed sync changes nothing; a citizen's scan of the
officer's QR verifies with the network off once the key is cached."""
import hashlib
import json
import struct
import zlib

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login
from tests.browser.test_case_flow import cworld  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def _png(rgb) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * 8 for _ in range(8))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True,
                              is_mobile=True, service_workers="allow")
    ctx.set_default_timeout(15000)
    yield ctx
    ctx.close()


def _draw(page, pad):
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 120)
    page.mouse.down()
    for x, y in ((80, 40), (140, 130), (220, 50), (300, 110)):
        page.mouse.move(box["x"] + x, box["y"] + y, steps=5)
    page.mouse.up()


def test_offline_capture_reload_and_sync_exactly_once(phone, site, cworld, tmp_path, settings):  # noqa: F811
    from tests.documents.helpers import inspection_case
    from zhifa.documents.actions import do_generate_document
    from zhifa.documents.field import text_sha256
    from zhifa.documents.models import DocumentPrint, DocumentSignature, GeneratedDocument
    from zhifa.ledger.models import LedgerEntry
    from zhifa.records.models import RecordItem

    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "documents", "base_url": None}}}
    case = inspection_case(cworld)
    doc = do_generate_document(case, "inspection_record", acting_user=cworld["u1"], pdf=False,
                               extra={"content": "现场检查发现进货查验记录不全。"})
    # The OS print dialog is not there in a headless browser: count the calls instead.
    phone.add_init_script("window.print = function () { window.__printed = (window.__printed || 0) + 1; };")
    page = phone.new_page()
    login(page, site, cworld["u1"].username, PASSWORD)
    page.goto(f"{site}/records/field/")
    expect(page.get_by_test_id("field-cases")).to_contain_text(case.title)
    page.locator("html[data-sw-ready]").wait_for(state="attached")
    page.goto(f"{site}/records/field/case/{case.pk}/")
    page.locator("html[data-sw-controlled]").wait_for(state="attached")
    expect(page.get_by_test_id("field-status")).to_contain_text("在线")

    phone.set_offline(True)
    text = "检查时间：2026年3月2日\n当事人在场，货架上有过期食品。"
    page.get_by_label("笔录内容").fill(text)
    page.get_by_label("名称").fill("现场检查笔录")
    page.get_by_test_id("field-save").click()
    count = page.locator("[data-pending-count]")
    expect(count).to_have_text("1")
    expect(page.get_by_test_id("field-status")).to_contain_text("离线")
    page.get_by_role("radio", name="照片").check()
    photos = [_png((200, 10, 10)), _png((10, 200, 10))]
    page.locator("#f-photo").set_input_files(files=[
        {"name": "a.png", "mimeType": "image/png", "buffer": photos[0]},
        {"name": "b.png", "mimeType": "image/png", "buffer": photos[1]}])
    page.get_by_label("名称").fill("现场照片")
    page.get_by_test_id("field-save").click()
    expect(count).to_have_text("3")

    # The party signs the 现场检查笔录 shown (offline), and it is printed from the cached text.
    card = page.get_by_test_id("field-doc-inspection_record")
    card.locator("summary").first.click()
    expect(card.locator("[data-doc-text]")).to_contain_text("进货查验记录不全")
    card.get_by_label("签名人姓名").fill("陈某某")
    card.get_by_test_id("field-sign-save").click()
    expect(card.locator("[data-signature-message]")).to_have_text("请当事人先在框内签名")
    _draw(page, card.locator("[data-signature-pad]"))
    card.get_by_test_id("field-sign-save").click()
    expect(card.get_by_test_id("field-sign-saved")).to_contain_text("已保存到本机")
    expect(count).to_have_text("4")
    card.get_by_label("份数").fill("2")
    card.get_by_test_id("field-print").click()
    expect(count).to_have_text("5")
    assert page.evaluate("window.__printed") == 1
    assert RecordItem.objects.filter(case=case).count() == 0 and not DocumentSignature.objects.exists()

    page.reload()  # offline: the service worker answers from its cache, the queue is still there
    expect(page.get_by_test_id("field-queue")).to_contain_text("现场照片（2）")
    expect(page.get_by_test_id("field-queue")).to_contain_text("签名：现场检查笔录（陈某某）")
    expect(page.locator("[data-pending-count]")).to_have_text("5")
    queued = page.evaluate("async () => (await window.zhifaField.pending()).map(r => [r.uuid, r.sha256, r.deviceTime, r.kind])")
    records = [q for q in queued if q[3] in ("text", "photo")]

    phone.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-pending-count]")).to_have_text("0", timeout=30000)
    items = list(RecordItem.objects.filter(case=case).select_related("current").order_by("id"))
    assert len(items) == 3
    expected = {hashlib.sha256(text.encode()).hexdigest(), *(hashlib.sha256(p).hexdigest() for p in photos)}
    assert {i.current.blob_id for i in items} == expected == {q[1] for q in records}
    assert {str(i.client_uuid) for i in items} == {q[0] for q in records}
    # The signature: once, on the version shown, the device's image digest, both clocks in one entry.
    [sq] = [q for q in queued if q[3] == "signature"]
    sig = DocumentSignature.objects.get()
    assert (sig.document_id, sig.document_sha256, sig.signer_name) == (doc.pk, doc.docx_sha256, "陈某某")
    assert str(sig.client_uuid) == sq[0] and sig.image_sha256 == sq[1] and sig.device_time is not None
    data = json.loads(LedgerEntry.objects.get(event_type="document.signed", subject_id=str(sig.pk)).body)["data"]
    assert data["document_sha256"] == doc.docx_sha256 and data["image_sha256"] == sq[1]
    assert data["client_uuid"] == sq[0] and data["device_time"] and data["received_at"]
    assert GeneratedDocument.objects.get(pk=sig.signed_document_id).version == doc.version + 1
    # The print: once, 2 copies, the digest of the text printed = the version's text.
    [pq] = [q for q in queued if q[3] == "print"]
    pr = DocumentPrint.objects.get()
    assert (pr.source, pr.copies, pr.content_sha256, str(pr.client_uuid)) == ("device", 2, pq[1], pq[0])
    assert pq[1] == text_sha256(doc)
    pdata = json.loads(LedgerEntry.objects.get(event_type="document.printed", subject_id=str(pr.pk)).body)["data"]
    assert pdata["text_matches_version"] is True and pdata["client_uuid"] == pq[0]
    for item in items:
        assert item.device_sha256 == item.current.blob_id and item.device_time is not None
        entry = LedgerEntry.objects.get(event_type="record.added", subject_id=str(item.pk))
        data = json.loads(entry.body)["data"]
        assert data["device_sha256"] == item.device_sha256 and data["received_at"]
        assert data["device_time"] and data["client_uuid"] == str(item.client_uuid)

    # A replay (the queue sent again) returns the records that exist: nothing new.
    page.evaluate("""async ([q, caseId]) => { const t = document.querySelector('input[name=csrfmiddlewaretoken]').value;
        for (const [uuid, sha, when, kind] of q) { if (kind !== 'text' && kind !== 'photo') continue; const r = await fetch('/api/v1/records', {method: 'POST',
          headers: {'Content-Type': 'application/json', 'X-CSRFToken': t}, body: JSON.stringify({case: caseId,
          upload_id: sha, title: 'x', collectors: [], client_uuid: uuid, device_sha256: sha, device_time: when})});
          if (r.status !== 200) throw new Error('replay ' + r.status); } }""", [queued, case.pk])
    assert RecordItem.objects.filter(case=case).count() == 3
    page.evaluate("""async ([q, docId, docSha]) => { const t = document.querySelector('input[name=csrfmiddlewaretoken]').value;
        for (const [uuid, sha, when, kind] of q) { if (kind !== 'print') continue; const r = await fetch(`/api/v1/documents/${docId}/prints`, {
          method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': t}, body: JSON.stringify({
          client_uuid: uuid, copies: 2, source: 'device', content_sha256: sha, device_time: when})});
          if (r.status !== 200) throw new Error('print replay ' + r.status); } }""", [queued, doc.pk, doc.docx_sha256])
    assert DocumentPrint.objects.count() == 1 and DocumentSignature.objects.count() == 1

    # 亮证: a citizen's phone opens the check page once; then, with the network off, the officer's
    # signed QR (a URL whose fragment is the token) verifies; a forged one does not.
    from zhifa.disclosure import cert_token
    from zhifa.orgs.models import Certificate

    cert = Certificate.objects.filter(officer=cworld["h1"]).first()
    token = cert_token.issue(cert)
    citizen = phone.new_page()
    citizen.goto(f"{site}/gs/cert/v/")
    citizen.locator("html[data-sw-ready]").wait_for(state="attached")
    citizen.reload()
    citizen.locator("html[data-sw-ready]").wait_for(state="attached")
    phone.set_offline(True)
    citizen.goto(f"{site}/gs/cert/v/#{token}")
    box = citizen.get_by_test_id("cert-verify")
    expect(box).to_have_attribute("data-state", "ok")
    expect(box).to_contain_text(cert.number)
    head, sig = token.split(".")
    forged = cert_token._b64(cert_token._unb64(head).replace(cert.number.encode(), b"0" * len(cert.number)))
    citizen.goto(f"{site}/gs/cert/v/#{forged}.{sig}")
    citizen.reload()
    expect(box).to_have_attribute("data-state", "bad")
    expect(box).to_contain_text("cert.qr_signature")
    phone.set_offline(False)
