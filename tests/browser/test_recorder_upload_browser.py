"""执法记录仪 large file from a 390 px phone (issue 20): the whole file's SHA-256 computed on the device
(the page's incremental SHA-256 agrees with Python's), chunks sent with their digests, a chunk whose
connection drops is resumed from the server's count, a damaged chunk is sent again, and the file is
registered once; choosing the same file again registers nothing new."""
import hashlib

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login
from tests.browser.test_case_flow import cworld  # noqa: F401  (fixture)
from tests.browser.test_field_browser import phone  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
CHUNK = 64 * 1024


def test_recorder_file_resumes_after_a_dropped_chunk_and_arrives_once(phone, site, cworld, tmp_path, settings):  # noqa: F811
    from tests import factories
    from zhifa.records.demo import recording
    from zhifa.records.models import RecorderUpload, RecordItem

    settings.DATA_DIR = tmp_path
    settings.ZHIFA_RECORDER_CHUNK = CHUNK
    case = factories.case(cworld)
    clip = recording(16.0, 5)
    assert len(clip) > 3 * CHUNK
    page = phone.new_page()
    login(page, site, cworld["u1"].username, PASSWORD)
    page.goto(f"{site}/records/case/{case.pk}/recorder/")

    # The device's SHA-256 against Python's, across the padding edges and split updates.
    for n in (0, 1, 55, 56, 63, 64, 65, 119, 120, 1000):
        data = bytes((i * 7 + n) % 256 for i in range(n))
        assert page.evaluate("a => window.zhifaSha256(new Uint8Array(a))", list(data)) == hashlib.sha256(data).hexdigest()

    # The connection drops on chunk 1 (the request never arrives), and chunk 2 arrives damaged once.
    seen = {"drop": 0, "damage": 0}

    def flaky(route, request):
        if request.url.endswith("/chunks/1") and not seen["drop"]:
            seen["drop"] += 1
            return route.abort("connectionreset")
        if request.url.endswith("/chunks/2") and not seen["damage"]:
            seen["damage"] += 1
            body = bytearray(request.post_data_buffer)
            body[10] ^= 0xFF
            return route.continue_(post_data=bytes(body))
        return route.continue_()

    page.route("**/api/v1/recorder-uploads/*/chunks/*", flaky)
    page.locator("#r-large").set_input_files(files=[{"name": "20260302_093000_DSJ0001.WAV",
                                                      "mimeType": "audio/wav", "buffer": clip}])
    page.get_by_test_id("recorder-large-start").click()
    row = page.locator("[data-recorder-list] li").first
    expect(row).to_have_attribute("data-state", "done", timeout=30000)
    assert seen == {"drop": 1, "damage": 1}
    assert row.get_attribute("data-sha256") == hashlib.sha256(clip).hexdigest()
    item = RecordItem.objects.select_related("current").get(case=case)
    assert item.current.blob_id == hashlib.sha256(clip).hexdigest() and str(item.pk) == row.get_attribute("data-record")
    up = RecorderUpload.objects.get()
    assert up.state == "complete" and len(up.chunk_hashes) == up.chunk_count == -(-len(clip) // CHUNK)
    assert page.evaluate("document.documentElement.scrollWidth") <= 391

    # The same file chosen again (a second tap, a reloaded page): nothing new.
    page.unroute("**/api/v1/recorder-uploads/*/chunks/*")
    page.get_by_test_id("recorder-large-start").click()
    expect(page.locator("[data-recorder-list] li").nth(1)).to_have_attribute("data-state", "done")
    assert RecordItem.objects.filter(case=case).count() == 1
