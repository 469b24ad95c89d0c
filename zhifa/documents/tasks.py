"""Background work of the documents app: LibreOffice turns a generated .docx into its PDF in the
worker (`zhifa db_worker`), never inside a page request."""
from django.contrib.auth import get_user_model
from django_tasks import task

from zhifa.documents.models import GeneratedDocument


@task()
def render_document_pdf_task(document_id: int, user_id: int | None = None) -> str:
    from zhifa.documents.actions import do_render_pdf

    doc = GeneratedDocument.objects.filter(pk=document_id).first()
    if doc is None or doc.pdf_status == GeneratedDocument.PdfStatus.READY:
        return "skipped"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return do_render_pdf(doc, acting_user=user).pdf_status
