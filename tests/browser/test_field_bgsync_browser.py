"""Background Sync (issue 20): a 笔录 captured offline is sent by the service worker itself, with no
field page open, when the browser wakes it with the "zhifa-field-sync" event (Chromium fires the tag
the page registered when the network returns; the test also dispatches it through the DevTools
protocol); a second wake-up sends nothing twice. (Checked: with the worker's own send stubbed out the
record never arrives, so it is the worker, not a page, that sends it.)"""
import hashlib
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login
from tests.browser.test_case_flow import cworld  # noqa: F401  (fixture)
from tests.browser.test_field_browser import phone  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_the_service_worker_sends_the_queue_with_no_page_open(phone, site, cworld, tmp_path, settings):  # noqa: F811
    from tests import factories
    from zhifa.records.models import RecordItem

    settings.DATA_DIR = tmp_path
    case = factories.case(cworld)
    page = phone.new_page()
    login(page, site, cworld["u1"].username, PASSWORD)
    page.goto(f"{site}/records/field/case/{case.pk}/")
    page.locator("html[data-sw-ready]").wait_for(state="attached")
    cdp = phone.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")

    phone.set_offline(True)
    text = "询问笔录：当事人陈述货品来源。"
    page.get_by_label("笔录内容").fill(text)
    page.get_by_label("名称").fill("询问笔录")
    page.get_by_test_id("field-save").click()
    expect(page.locator("[data-pending-count]")).to_have_text("1")
    page.goto("about:blank")  # no field page open any more
    phone.set_offline(False)
    assert not RecordItem.objects.filter(case=case).exists()

    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    reg = next(r for r in registrations if r["scopeURL"].endswith("/records/field/"))
    for _ in range(2):
        cdp.send("ServiceWorker.dispatchSyncEvent", {"origin": site, "registrationId": reg["registrationId"],
                                                     "tag": "zhifa-field-sync", "lastChance": False})
        deadline = time.monotonic() + 20
        while not RecordItem.objects.filter(case=case).exists() and time.monotonic() < deadline:
            page.wait_for_timeout(200)
    item = RecordItem.objects.select_related("current").get(case=case)
    assert item.current.blob_id == hashlib.sha256(text.encode()).hexdigest() == item.device_sha256
    page.goto(f"{site}/records/field/case/{case.pk}/")
    expect(page.locator("[data-pending-count]")).to_have_text("0")
    assert RecordItem.objects.filter(case=case).count() == 1
