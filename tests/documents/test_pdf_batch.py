"""The worker converts the PDFs waiting in the queue in one LibreOffice run (documents/tasks.py):
each document still gets its own PDF, change-log row and ledger entry, once."""
import json

from tests.documents.helpers import general_case
from tests.notify.helpers import tiny_pdf
from zhifa.documents.actions import do_generate_document
from zhifa.documents.models import GeneratedDocument
from zhifa.documents.tasks import render_document_pdf_task
from zhifa.ledger.models import LedgerEntry


def fake_soffice(tmp_path):
    """A stand-in `soffice` that writes a small PDF beside every .docx it is given and counts its runs."""
    pdf = tmp_path / "tiny.pdf"
    pdf.write_bytes(tiny_pdf())
    runs = tmp_path / "runs"
    script = tmp_path / "soffice"
    script.write_text(f"""#!/bin/sh
echo run >> {runs}
for a in "$@"; do
  case "$a" in *.docx) cp {pdf} "${{a%.docx}}.pdf";; esac
done
""")
    script.chmod(0o755)
    return script, runs


def test_queued_pdfs_are_converted_together_and_recorded_once_each(cw, tmp_path, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    script, runs = fake_soffice(tmp_path)
    monkeypatch.setenv("ZHIFA_SOFFICE", str(script))
    with django_capture_on_commit_callbacks(execute=True):  # the tasks go into the database queue
        docs = [do_generate_document(general_case(cw), "filing_approval", acting_user=cw["u1"], pdf="background")
                for _ in range(3)]
    from django_tasks_db.models import DBTaskResult

    queued = [json.loads(r) if isinstance(r, str) else r for r in DBTaskResult.objects.filter(
        task_path="zhifa.documents.tasks.render_document_pdf_task", status="READY").values_list("args_kwargs", flat=True)]
    assert sorted(q["args"][0] for q in queued) == sorted(d.pk for d in docs)

    assert render_document_pdf_task.call(docs[0].pk, cw["u1"].pk) == "ready"
    assert runs.read_text().count("run") == 1  # one LibreOffice run for the three
    for d in docs:
        d.refresh_from_db()
        assert d.pdf_status == GeneratedDocument.PdfStatus.READY and d.pdf_sha256
        assert LedgerEntry.objects.filter(event_type="document.pdf", subject_id=str(d.pk)).count() == 1
    # The others' own tasks find their PDF made and leave it alone.
    assert render_document_pdf_task.call(docs[1].pk, cw["u1"].pk) == "skipped"
    assert runs.read_text().count("run") == 1


def test_a_failure_in_the_batch_marks_each_document_with_the_reason(cw, tmp_path, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    fail = tmp_path / "soffice-fail"
    fail.write_text("#!/bin/sh\necho boom >&2\nexit 3\n")
    fail.chmod(0o755)
    monkeypatch.setenv("ZHIFA_SOFFICE", str(fail))
    with django_capture_on_commit_callbacks(execute=True):
        docs = [do_generate_document(general_case(cw), "filing_approval", acting_user=cw["u1"], pdf="background")
                for _ in range(2)]
    assert render_document_pdf_task.call(docs[0].pk, cw["u1"].pk) == "unavailable"
    for d in docs:
        d.refresh_from_db()
        assert d.pdf_status == "unavailable" and "退出码3" in d.pdf_error and "boom" in d.pdf_error
