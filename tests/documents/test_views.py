"""The documents panel, downloads and template management pages."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.documents.helpers import docx_bytes, general_case
from zhifa.documents.models import DocumentTemplate, GeneratedDocument
from zhifa.documents.tasks import render_document_pdf_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw, _calendar):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


@pytest.fixture(autouse=True)
def _no_soffice(monkeypatch):
    """Page tests do not wait for LibreOffice: the PDF is recorded as unavailable."""
    monkeypatch.setattr("zhifa.documents.render.soffice_path", lambda: None)


def _client(client, user):
    client.force_login(user)
    return client


def test_panel_lists_the_case_types_and_generates(cw, client):
    w = cw
    case = general_case(w)
    c = _client(client, w["u1"])
    url = reverse("documents-case", args=[case.pk])
    page = c.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" in html and "立案审批表" in html and "行政处罚决定书" in html and "查封扣押清单" not in html
    partial = c.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'id="case-documents"' in partial
    resp = c.post(url, {"doc_type": "filing_approval"})
    assert resp.status_code == 302
    doc = GeneratedDocument.objects.get(case=case)
    # The page does not wait for LibreOffice: the PDF is queued for the worker.
    assert doc.version == 1 and doc.generated_by == w["u1"] and doc.pdf_status == "pending"
    render_document_pdf_task.call(doc.pk, w["u1"].pk)
    doc.refresh_from_db()
    assert doc.pdf_status == "unavailable"
    resp = c.post(url, {"doc_type": "filing_approval"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert resp.status_code == 200 and "第2版" in html and "第1版" in html and "PDF生成中" in html


def test_pdf_is_queued_after_commit_and_the_cell_polls_until_the_worker_is_done(cw, client, settings, monkeypatch,
                                                                                django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from zhifa.supervision.management.commands.scheduler import run_ready_tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    w = cw
    case = general_case(w)
    c = _client(client, w["u1"])
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("documents-case", args=[case.pk]), {"doc_type": "filing_approval"})
    doc = GeneratedDocument.objects.get(case=case)
    assert DBTaskResult.objects.filter(task_path=render_document_pdf_task.module_path, status="READY").count() == 1
    cell = c.get(reverse("documents-pdf-status", args=[doc.pk])).content.decode()
    assert "PDF生成中" in cell and 'hx-trigger="every 3s"' in cell
    assert run_ready_tasks() == 1
    cell = c.get(reverse("documents-pdf-status", args=[doc.pk])).content.decode()
    assert "PDF未生成" in cell and "hx-trigger" not in cell and "重试" in cell
    # 重试 queues it again, change-logged (the row never drifts from its log).
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("documents-pdf-retry", args=[doc.pk]))
    doc.refresh_from_db()
    from zhifa.common.models import ChangeLog

    last = ChangeLog.objects.filter(object_id=str(doc.pk), content_type__model="generateddocument").latest("pk")
    assert doc.pdf_status == "pending" and last.reason == "重新生成PDF" and last.after["pdf_status"] == "pending"
    assert run_ready_tasks() == 1


def test_a_double_tap_makes_one_version(cw, client):
    w = cw
    case = general_case(w)
    c = _client(client, w["u1"])
    url = reverse("documents-case", args=[case.pk])
    form = c.get(url).content.decode()
    key = re.search(r'name="request_key" value="([0-9a-f]+)"', form).group(1)
    for _ in range(2):
        assert c.post(url, {"doc_type": "filing_approval", "request_key": key}).status_code == 302
    assert GeneratedDocument.objects.filter(case=case).count() == 1
    c.post(url, {"doc_type": "filing_approval", "request_key": key + "0"})  # a new form: a new version
    assert GeneratedDocument.objects.filter(case=case).count() == 2


def test_panel_shows_missing_data_instead_of_failing(cw, client):
    w = cw
    case = general_case(w)
    c = _client(client, w["u1"])
    resp = c.post(reverse("documents-case", args=[case.pk]),
                  {"doc_type": "penalty_decision", "evidence": "现场检查笔录"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert resp.status_code == 200 and "无法生成《行政处罚决定书》" in html and "现场检查笔录" in html
    assert not GeneratedDocument.objects.exists()


def test_inquiry_questions_and_answers_from_the_form(cw, client):
    w = cw
    case = general_case(w)
    c = _client(client, w["u1"])
    c.post(reverse("documents-case", args=[case.pk]), {
        "doc_type": "inquiry_record", "place": "本局询问室",
        "qa": "问：你的姓名？\n答：陈某某。\n问：是否销售过期饼干？\n答：是。\n共20袋。"})
    doc = GeneratedDocument.objects.get(case=case, doc_type="inquiry_record")
    assert doc.extra["qa"] == [{"q": "你的姓名？", "a": "陈某某。"}, {"q": "是否销售过期饼干？", "a": "是。\n共20袋。"}]


def test_downloads_are_scope_checked(cw, client):
    w = cw
    case = general_case(w)
    from zhifa.documents.actions import do_generate_document

    doc = do_generate_document(case, "filing_approval", acting_user=w["u1"])
    url = reverse("documents-docx", args=[doc.pk])
    resp = _client(client, w["u1"]).get(url)
    assert resp.status_code == 200 and b"".join(resp.streaming_content).startswith(b"PK")
    assert "attachment" in resp["Content-Disposition"] and "UTF-8''" in resp["Content-Disposition"]
    assert _client(client, w["sup_city"]).get(url).status_code == 200  # supervisors of the region may read
    outsider = factories.certified_officer(w["df"], None, "外县人员", login_role="officer").user
    c = _client(client, outsider)
    assert c.get(url).status_code == 404
    assert c.get(reverse("documents-case", args=[case.pk])).status_code == 404
    assert c.post(reverse("documents-case", args=[case.pk]), {"doc_type": "filing_approval"}).status_code == 404
    assert _client(client, w["u1"]).get(reverse("documents-pdf", args=[doc.pk])).status_code == 404  # no PDF
    assert GeneratedDocument.objects.count() == 1


def test_template_pages_are_for_administrators(cw, client):
    w = cw
    for user in (w["u1"], w["head"], w["sup_city"]):
        assert _client(client, user).get(reverse("documents-templates")).status_code == 403
    c = _client(client, factories.system_admin())
    page = c.get(reverse("documents-templates"))
    assert page.status_code == 200 and "行政处罚决定书" in page.content.decode()
    resp = c.get(reverse("documents-template-current", args=["penalty_decision"]))
    assert resp.status_code == 302
    file = c.get(resp["Location"])
    assert file.status_code == 200 and b"".join(file.streaming_content).startswith(b"PK")
    upload = reverse("documents-template-upload", args=["penalty_decision"])
    assert c.get(upload).status_code == 200
    bad = SimpleUploadedFile("bad.docx", docx_bytes(["{{ party.name }"]))
    resp = c.post(upload, {"file": bad, "note": "坏模板"})
    assert resp.status_code == 200 and "文书模板有误" in resp.content.decode()
    assert not DocumentTemplate.objects.filter(is_builtin=False).exists()
    good = SimpleUploadedFile("good.docx", docx_bytes(["{{ entity.name }} 决定书 {{ doc.number }}"]))
    resp = c.post(upload, {"file": good, "note": "新版"})
    assert resp.status_code == 302
    new = DocumentTemplate.objects.get(is_builtin=False)
    assert new.active and new.version == 2 and new.note == "新版"
    old = DocumentTemplate.objects.get(doc_type="penalty_decision", version=1)
    assert c.post(reverse("documents-template-activate", args=[old.pk])).status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.active and not new.active
