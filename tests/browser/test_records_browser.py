"""Evidence in the browser: an officer uploads a photo to a case (chunked upload from the page),
opens it (a logged access), corrects it; the county supervisor sees who accessed the case."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login, logout
from tests.browser.test_case_flow import cworld  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_officer_records_evidence_and_supervisor_sees_access(page, site, cworld, tmp_path, settings):  # noqa: F811
    from tests import factories
    from zhifa.records.demo import photo
    from zhifa.records.models import AccessLog, RecordItem

    settings.DATA_DIR = tmp_path
    case = factories.case(cworld)
    shot = tmp_path / "现场照片.jpg"
    shot.write_bytes(photo("现场检查", 3))
    login(page, site, cworld["u1"].username, PASSWORD)
    page.goto(f"{site}/cases/{case.pk}/#records")  # the 记录 tab
    panel = page.get_by_test_id("case-records")
    expect(panel).to_contain_text("尚无记录")
    panel.get_by_test_id("add-record").locator("summary").click()
    panel.locator("input[type=file]").set_input_files(str(shot))
    panel.get_by_label("名称").fill("货架现场照片")
    panel.get_by_label("证明对象").fill("当事人在售过期食品")
    panel.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("case-records")).to_contain_text("货架现场照片", timeout=15000)
    item = RecordItem.objects.get(case=case)
    assert item.kind == "photo" and item.current.filename == "现场照片.jpg"
    from zhifa.blobs.models import UploadSession  # the page sent it through the chunked upload API

    assert UploadSession.objects.filter(owner=cworld["u1"], state="complete", blob=item.current.blob).exists()
    page.get_by_role("link", name="货架现场照片").click()
    expect(page.get_by_test_id("record-current")).to_contain_text(item.current.blob.sha256)
    img = page.locator("[data-testid=record-current] img")
    expect(img).to_be_visible()
    assert page.evaluate("document.querySelector('[data-testid=record-current] img').naturalWidth") == 640
    page.locator("details summary", has_text="更正").click()
    page.get_by_label("更正理由").fill("名称不准确")
    page.get_by_label("名称", exact=True).fill("冷柜区现场照片")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.get_by_test_id("record-versions")).to_contain_text("名称不准确")
    expect(page.get_by_test_id("record-versions")).to_contain_text("货架现场照片")
    assert AccessLog.objects.filter(item=item, user=cworld["u1"]).count() >= 1
    logout(page, site)
    login(page, site, "supcounty", PASSWORD)
    page.goto(f"{site}/records/case/{case.pk}/access/")
    expect(page.get_by_test_id("access-log")).to_contain_text("刘一")
