"""督办 document in headless Chromium: a county supervisor issues a 督办通知 to an agency from its
supervision page and downloads the generated 督办通知书 (.docx): a real Word file whose body holds
the order's number and requirement."""
import hashlib
import io
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.calendar_ahead import ensure_calendar_ahead

pytestmark = pytest.mark.browser

TEXT = "请于期限内对洪山路门店检查中未亮证执法问题进行整改并书面报告"


@pytest.fixture
def oworld(world, settings, tmp_path):
    from zhifa.legalcal import periods

    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "documents", "base_url": None}}}
    ensure_calendar_ahead(world["admin"])
    yield world
    periods.clear_cache()


def test_issue_duban_and_download_its_docx(page, site, oworld, tmp_path):
    from zhifa.documents.render import docx_text
    from zhifa.supervision.models import SupervisionOrder

    w = oworld
    login(page, site, "supcounty")
    page.goto(f"{site}/supervision/entity/{w['smj'].pk}/")
    page.get_by_role("link", name="对本主体发出整改通知").click()
    page.get_by_label("类别").select_option(label="督办通知")
    page.get_by_label("督办/整改要求").fill(TEXT)
    page.get_by_label("办理期限（工作日）").fill("5")
    page.get_by_role("button", name="发出").click()
    expect(page.get_by_test_id("order-state")).to_have_text("待答复")
    order = SupervisionOrder.objects.get()
    year = timezone.localdate().year
    assert order.kind == "duban" and order.entity == w["smj"] and order.number == f"七司督〔{year}〕1号"
    docs = page.get_by_test_id("order-documents")
    expect(docs).to_contain_text(order.number)

    with page.expect_download() as dl:
        docs.get_by_test_id("order-docx").click()
    assert dl.value.suggested_filename.endswith(".docx")
    path = tmp_path / "order.docx"
    dl.value.save_as(path)
    data = path.read_bytes()
    assert data[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "[Content_Types].xml" in z.namelist()
        xml = z.read("word/document.xml").decode("utf-8")
    assert order.number in xml
    text = docx_text(data)
    for expected in ("督办通知书", "七星关区司法局", f"{w['smj'].name}：", TEXT, "5个工作日"):
        assert expected in text, expected
    assert order.documents.get().docx_sha256 == hashlib.sha256(data).hexdigest()
