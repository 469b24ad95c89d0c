"""The party signs on a 390 px phone (issue 20, item 4): the sign page shows the document, the finger
draws on the canvas pad (static documents/signature.js, CSP-safe), the signature arrives bound to the
version shown; the page and the public 亮码入企 page fit the phone's width."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login
from tests.browser.test_case_flow import cworld  # noqa: F401  (fixture)
from tests.browser.test_field_browser import phone  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def _inspection_record(w, tmp_path, settings):
    """An inspection case and its 现场检查笔录 (no PDF), the documents stored under tmp_path."""
    from tests.documents.helpers import inspection_case
    from zhifa.documents.actions import do_generate_document

    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "documents", "base_url": None}}}
    case = inspection_case(w)
    doc = do_generate_document(case, "inspection_record", acting_user=w["u1"], pdf=False,
                               extra={"content": "现场检查发现进货查验记录完整。"})
    return case, doc


def test_party_signs_on_the_phone(phone, site, cworld, tmp_path, settings):  # noqa: F811
    from zhifa.disclosure.arrival import task_ref
    from zhifa.documents.models import DocumentSignature

    case, doc = _inspection_record(cworld, tmp_path, settings)
    page = phone.new_page()
    login(page, site, cworld["u1"].username, PASSWORD)
    page.goto(f"{site}/documents/{doc.pk}/sign/")
    expect(page.get_by_test_id("doc-shown")).to_contain_text(doc.docx_sha256)
    _no_overflow(page)
    page.get_by_label("签名人姓名").fill("张某某")
    page.get_by_role("button", name="确认签名").click()
    expect(page.locator("[data-signature-message]")).to_have_text("请当事人先在框内签名")
    box = page.locator("[data-signature-pad]").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 120)
    page.mouse.down()
    for x, y in ((80, 40), (140, 130), (220, 50), (300, 110)):
        page.mouse.move(box["x"] + x, box["y"] + y, steps=5)
    page.mouse.up()
    page.get_by_role("button", name="确认签名").click()
    expect(page.get_by_test_id("signature-status")).to_contain_text("当事人已签名")
    sig = DocumentSignature.objects.get(document=doc)
    assert sig.signer_name == "张某某" and sig.document_sha256 == doc.docx_sha256 and sig.image_sha256
    _no_overflow(page)
    page.goto(f"{site}/gs/xc/t/{task_ref(case)}/")
    expect(page.get_by_test_id("task-officers")).to_be_visible()
    _no_overflow(page)
    page.goto(f"{site}/records/case/{case.pk}/recorder/")
    _no_overflow(page)


def test_citizen_scan_offline_reports_the_arrival_once_online(phone, site, cworld):  # noqa: F811
    from tests import factories
    from zhifa.disclosure import cert_token
    from zhifa.orgs.models import Certificate
    from zhifa.records.models import FieldArrival

    case = factories.case(cworld)
    token = cert_token.issue(Certificate.objects.filter(officer=cworld["h1"]).first(), task=case)
    citizen = phone.new_page()
    citizen.goto(f"{site}/gs/cert/v/")
    phone.set_offline(True)
    citizen.evaluate("t => { location.hash = t; }", token)
    expect(citizen.locator("[data-role=verdict]")).to_contain_text("签名有效")
    expect(citizen.locator("[data-role=arrival]")).to_have_text("联网后将报告执法人员到场")
    assert not FieldArrival.objects.exists()
    phone.set_offline(False)
    expect(citizen.locator("[data-role=arrival]")).to_have_text("已记录执法人员到场")
    arrival = FieldArrival.objects.get(case=case)
    assert arrival.officer_id == cworld["h1"].pk and arrival.source == "officer_qr"


def test_party_refuses_to_sign_offline_and_the_note_syncs_once(phone, site, cworld, tmp_path, settings):  # noqa: F811
    from zhifa.documents.models import DocumentSignature

    case, doc = _inspection_record(cworld, tmp_path, settings)
    page = phone.new_page()
    login(page, site, cworld["u1"].username, PASSWORD)
    page.goto(f"{site}/records/field/case/{case.pk}/")
    page.locator("html[data-sw-controlled], html[data-sw-ready]").first.wait_for(state="attached")
    phone.set_offline(True)
    card = page.get_by_test_id("field-doc-inspection_record")
    card.locator("summary").first.click()
    refuse = card.get_by_test_id("field-refuse-inspection_record")
    refuse.locator("summary").click()
    refuse.get_by_label("拒绝原因").fill("当事人称需请示负责人")
    refuse.get_by_test_id("field-refuse-save").click()
    expect(refuse.locator("[data-refuse-message]")).to_have_text("请填写见证人")
    refuse.get_by_label("见证人（姓名、身份）").fill("王某（村委会）")
    refuse.get_by_test_id("field-refuse-save").click()
    expect(refuse.get_by_test_id("field-refuse-saved")).to_be_visible()
    expect(page.locator("[data-pending-count]")).to_have_text("1")
    _no_overflow(page)
    assert not DocumentSignature.objects.exists()
    phone.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-pending-count]")).to_have_text("0", timeout=30000)
    sig = DocumentSignature.objects.get()
    assert (sig.outcome, sig.witness, sig.document_sha256) == ("refused", "王某（村委会）", doc.docx_sha256)
    assert sig.client_uuid is not None and sig.device_time is not None
