"""Supervision documents: generated on issue from the active template (numbered, hashed, logged, in the
ledger), the four kinds, administrators' template versions, PDF, downloads in the browser and the API."""
import datetime as dt
import hashlib
import io

import pytest
from django.test import Client

from tests.supervision.helpers import overdue_case
from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.documents.models import storage
from zhifa.documents.render import docx_text, soffice_path
from zhifa.ledger.models import LedgerEntry
from zhifa.records.checks import check_documents
from zhifa.supervision.actions import documents as document_actions
from zhifa.supervision.actions import orders as order_actions
from zhifa.supervision.models import OrderDocument, OrderTemplate, SupervisionOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def issue(cw, kind="duban", case=None, text="请依法作出处理决定。\n说明超期原因。", user="sup_county"):
    return order_actions.do_issue_order(acting_user=cw[user], entity=cw["smj"], case=case, kind=kind, text=text,
                                        days=5, on=dt.date(2026, 6, 2))


def read(path):
    with storage().open(path, "rb") as fh:
        return fh.read()


def test_issuing_generates_the_numbered_document(cw):
    case = overdue_case(cw)
    order = issue(cw, case=case)
    doc = order.documents.get()
    data = read(doc.docx_path)
    assert hashlib.sha256(data).hexdigest() == doc.docx_sha256 and doc.docx_size == len(data)
    assert doc.number == order.number == "七司督〔2026〕1号"
    text = docx_text(data)
    for expected in ("七星关区司法局", "督办通知书", "七司督〔2026〕1号", "七星关区市场监督管理局：", case.title,
                     "请依法作出处理决定。", "说明超期原因。", "二〇二六年六月九日", "5个工作日"):
        assert expected in text, expected
    assert doc.template.is_builtin and doc.template_version == 1
    assert LedgerEntry.objects.filter(event_type="supervision.document", subject_id=str(doc.pk)).exists()
    assert ChangeLog.objects.filter(content_type__model="orderdocument", object_id=str(doc.pk)).exists()
    assert doc.pdf_status == OrderDocument.PdfStatus.PENDING  # the background task makes it after commit


@pytest.mark.parametrize("kind,title,closing", [
    ("rectify", "整改通知书", "整改完毕"), ("suggestion", "执法监督建议书", "采纳情况"),
    ("decision", "执法监督决定书", "执行情况")])
def test_every_kind_has_its_document(cw, kind, title, closing):
    order = issue(cw, kind=kind)
    text = docx_text(read(order.documents.get().docx_path))
    assert title in text and closing in text and order.number.endswith("〔2026〕1号")
    assert document_actions.NUMBER_CODES[kind] in order.number


def test_numbers_count_per_issuer_kind_and_year(cw):
    assert [issue(cw).number for _ in range(2)] == ["七司督〔2026〕1号", "七司督〔2026〕2号"]
    assert issue(cw, kind="rectify").number == "七司整改〔2026〕1号"
    assert issue(cw, user="sup_city").number == "毕司督〔2026〕1号"


def test_rejected_order_writes_no_document(cw):
    with pytest.raises(ActionRefused):
        issue(cw, text="  ")
    assert not OrderDocument.objects.exists() and not SupervisionOrder.objects.exists()


def _docx_with(text: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_uploaded_template_is_used_and_older_versions_stay(cw):
    t = document_actions.do_upload_order_template("duban", _docx_with("督办：{{ entity.name }} {{ doc.number }} {{ order.text }}"),
                                                  acting_user=cw["admin"], note="本地格式")
    assert t.version == 2 and t.active and OrderTemplate.objects.get(kind="duban", version=1).is_builtin
    doc = issue(cw).documents.get()
    assert doc.template == t and docx_text(read(doc.docx_path)).startswith("督办：七星关区市场监督管理局 七司督〔2026〕1号")
    builtin = OrderTemplate.objects.get(kind="duban", version=1)
    document_actions.do_activate_order_template(builtin, acting_user=cw["admin"])
    assert issue(cw).documents.get().template == builtin


def test_rule_template_admin_only(cw):
    with pytest.raises(ActionRefused) as e:
        document_actions.do_upload_order_template("duban", _docx_with("{{ entity.name }}"), acting_user=cw["sup_county"])
    assert e.value.rule == "documents.admin_only"
    builtin = document_actions.builtin_template("duban")
    with pytest.raises(ActionRefused) as e:
        document_actions.do_activate_order_template(builtin, acting_user=cw["head"])
    assert e.value.rule == "documents.admin_only"


def test_rule_bad_template(cw):
    with pytest.raises(ActionRefused) as e:
        document_actions.do_upload_order_template("duban", _docx_with("{{ order.no_such_field }}"), acting_user=cw["admin"])
    assert e.value.rule == "documents.template_error" and "no_such_field" in e.value.message
    with pytest.raises(ActionRefused) as e:
        document_actions.do_upload_order_template("duban", b"not a docx", acting_user=cw["admin"])
    assert e.value.rule == "documents.bad_template"
    assert not OrderTemplate.objects.filter(is_builtin=False).exists()


def test_shipped_templates_are_what_the_script_builds(tmp_path):
    from zhifa.supervision.build_templates import build

    for path in build(tmp_path):
        assert path.read_bytes() == (document_actions.TEMPLATES_DIR / path.name).read_bytes(), path.name


@pytest.mark.slow
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
def test_pdf_by_the_background_task(cw, settings):
    from zhifa.supervision.tasks import render_order_pdf_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    doc = issue(cw).documents.get()
    assert render_order_pdf_task.enqueue(doc.pk).return_value == "ready"
    doc.refresh_from_db()
    pdf = read(doc.pdf_path)
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256
    assert LedgerEntry.objects.filter(event_type="supervision.document_pdf", subject_id=str(doc.pk)).exists()


def test_order_page_offers_the_download_and_scope_holds(cw):
    order = issue(cw)
    doc = order.documents.get()
    c = Client()
    c.force_login(cw["head"])  # the supervised agency's head reads and replies
    page = c.get(f"/supervision/orders/{order.pk}/").content.decode()
    assert f"/supervision/orders/documents/{doc.pk}/docx/" in page and order.number in page
    r = c.get(f"/supervision/orders/documents/{doc.pk}/docx/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == read(doc.docx_path)
    assert c.post(f"/supervision/orders/documents/{doc.pk}/render-pdf/").status_code == 403
    other = Client()
    other.force_login(cw["sup_city"])
    assert other.get(f"/supervision/orders/documents/{doc.pk}/docx/").status_code == 200
    from tests import factories

    zy_sfj = factories.entity(cw["regions"]["other_city"], "遵义市司法局", justice=True, short_code="遵司")
    zy_sup = factories.user("supervisor", zy_sfj, None, "zysup")
    outsider = Client()
    outsider.force_login(zy_sup)
    assert outsider.get(f"/supervision/orders/documents/{doc.pk}/docx/").status_code == 404


def test_templates_page_for_administrators(cw):
    c = Client()
    c.force_login(cw["admin"])
    page = c.get("/supervision/orders/templates/").content.decode()
    assert all(label in page for label in ("督办通知", "整改通知", "执法监督建议书", "执法监督决定书"))
    r = c.post("/supervision/orders/templates/", {"kind": "rectify", "note": "新格式",
                                                  "file": io.BytesIO(_docx_with("{{ issuer.name }}"))})
    assert r.status_code == 302 and OrderTemplate.objects.get(kind="rectify", active=True).note == "新格式"
    r = c.post("/supervision/orders/templates/", {"kind": "rectify", "file": io.BytesIO(b"xx")})
    assert "不是有效的Word文档" in r.content.decode()
    c.force_login(cw["sup_county"])
    assert c.get("/supervision/orders/templates/").status_code == 403


def test_api_lists_and_downloads_order_documents(cw):
    c = Client()
    c.force_login(cw["sup_county"])
    r = c.post("/api/v1/supervision/orders", {"entity": cw["smj"].pk, "kind": "suggestion", "text": "建议完善裁量基准",
                                              "days": 10}, content_type="application/json")
    assert r.status_code == 201, r.content
    order = r.json()
    assert order["number"].startswith("七司监建")
    docs = c.get(f"/api/v1/supervision/orders/{order['id']}/documents").json()
    assert len(docs) == 1 and docs[0]["number"] == order["number"]
    r = c.get(f"/api/v1/supervision/order-documents/{docs[0]['id']}/docx")
    assert r.status_code == 200 and hashlib.sha256(b"".join(r.streaming_content)).hexdigest() == docs[0]["docx_sha256"]
    assert c.get(f"/api/v1/supervision/order-documents/{docs[0]['id']}/pdf").status_code == 404


def test_verify_rehashes_order_documents(cw):
    """`zhifa verify` re-hashes the stored files of order documents as it does case documents (one
    check over every StoredDocument model): an edited or a missing .docx is reported."""
    first, second = issue(cw).documents.get(), issue(cw, kind="rectify").documents.get()
    assert not [d for d in check_documents() if d[1].startswith("supervision.orderdocument:")]
    with open(storage().path(first.docx_path), "ab") as fh:
        fh.write(b"tampered")
    storage().delete(second.docx_path)
    found = {(kind, where.split(" ")[0]) for kind, where, _detail in check_documents()}
    assert ("document_digest", f"supervision.orderdocument:{first.pk}") in found
    assert ("document_missing", f"supervision.orderdocument:{second.pk}") in found
