"""现场执法 offline (issue 20) on a 390 px phone: the officer opens the field page of a case, the
network drops, a 笔录 and two photos are captured (UUID, SHA-256 and device time taken on the device,
kept in IndexedDB), the page is reloaded while offline (the service worker serves it), the network
comes back and the three records arrive exactly once, with the device's digests and both clocks in
their ledger entries; a replayed sync changes nothing."""
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


def test_offline_capture_reload_and_sync_exactly_once(phone, site, cworld, tmp_path, settings):  # noqa: F811
    from tests import factories
    from zhifa.ledger.models import LedgerEntry
    from zhifa.records.models import RecordItem

    settings.DATA_DIR = tmp_path
    case = factories.case(cworld)
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
    assert RecordItem.objects.filter(case=case).count() == 0

    page.reload()  # offline: the service worker answers from its cache, the queue is still there
    expect(page.get_by_test_id("field-queue")).to_contain_text("现场照片（2）")
    expect(page.locator("[data-pending-count]")).to_have_text("3")
    queued = page.evaluate("async () => (await window.zhifaField.pending()).map(r => [r.uuid, r.sha256, r.deviceTime])")

    phone.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-pending-count]")).to_have_text("0", timeout=30000)
    items = list(RecordItem.objects.filter(case=case).select_related("current").order_by("id"))
    assert len(items) == 3
    expected = {hashlib.sha256(text.encode()).hexdigest(), *(hashlib.sha256(p).hexdigest() for p in photos)}
    assert {i.current.blob_id for i in items} == expected == {q[1] for q in queued}
    assert {str(i.client_uuid) for i in items} == {q[0] for q in queued}
    for item in items:
        assert item.device_sha256 == item.current.blob_id and item.device_time is not None
        entry = LedgerEntry.objects.get(event_type="record.added", subject_id=str(item.pk))
        data = json.loads(entry.body)["data"]
        assert data["device_sha256"] == item.device_sha256 and data["received_at"]
        assert data["device_time"] and data["client_uuid"] == str(item.client_uuid)

    # A replay (the queue sent again) returns the records that exist: nothing new.
    page.evaluate("""async ([q, caseId]) => { const t = document.querySelector('input[name=csrfmiddlewaretoken]').value;
        for (const [uuid, sha, when] of q) { const r = await fetch('/api/v1/records', {method: 'POST',
          headers: {'Content-Type': 'application/json', 'X-CSRFToken': t}, body: JSON.stringify({case: caseId,
          upload_id: sha, title: 'x', collectors: [], client_uuid: uuid, device_sha256: sha, device_time: when})});
          if (r.status !== 200) throw new Error('replay ' + r.status); } }""", [queued, case.pk])
    assert RecordItem.objects.filter(case=case).count() == 3

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
