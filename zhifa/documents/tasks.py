"""Background work of the documents app: LibreOffice turns a generated .docx into its PDF in the
worker (`zhifa db_worker`), never inside a page request."""
import json

from django.contrib.auth import get_user_model
from django_tasks import task

from zhifa.documents.models import GeneratedDocument

# How many queued PDFs one LibreOffice run converts. Starting LibreOffice costs seconds and converting
# one document a fraction of that: the demo seed's 36 PDFs took ~4 s each one by one (2 cores, loaded),
# 8 together ~1 s each.
PDF_BATCH = 12
TASK_PATH = "zhifa.documents.tasks.render_document_pdf_task"


def queued_document_ids(limit: int) -> list[int]:
    """Documents whose PDF task waits in the database queue (not yet taken by a worker)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another tasks backend: no batching
        return []
    ids: list[int] = []
    rows = (DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")
            .order_by("enqueued_at").values_list("args_kwargs", flat=True)[: limit * 2])
    for raw in rows:
        data = json.loads(raw) if isinstance(raw, str) else raw
        args = (data or {}).get("args") or []
        if args and isinstance(args[0], int) and args[0] not in ids:
            ids.append(args[0])
    return ids[:limit]


@task()
def render_document_pdf_task(document_id: int, user_id: int | None = None) -> str:
    """The PDF of one document, and in the same LibreOffice run those of other documents still
    waiting in the queue (their own tasks then find them ready and skip). Each document is recorded
    on its own (render_pdf_row), by the user who asked for it."""
    from zhifa.documents.actions import convert_many, do_render_pdf, render_pdf_row
    from zhifa.documents.models import storage

    doc = GeneratedDocument.objects.filter(pk=document_id).first()
    if doc is None or doc.pdf_status == GeneratedDocument.PdfStatus.READY:
        return "skipped"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    others = list(GeneratedDocument.objects.filter(
        pk__in=[i for i in queued_document_ids(PDF_BATCH) if i != doc.pk],
        pdf_status=GeneratedDocument.PdfStatus.PENDING).select_related("generated_by").order_by("pk"))[: PDF_BATCH - 1]
    if not others:
        return do_render_pdf(doc, acting_user=user).pdf_status
    batch = [doc, *others]
    docx = []
    for d in batch:
        with storage().open(d.docx_path, "rb") as fh:
            docx.append(fh.read())
    results = convert_many(docx)
    status = ""
    for d, converted in zip(batch, results, strict=True):
        row = render_pdf_row(GeneratedDocument, d, acting_user=user if d.pk == doc.pk else d.generated_by,
                             event="document.pdf", case_of=lambda r: r.case_id, converted=converted)
        if d.pk == doc.pk:
            status = row.pdf_status
    return status
