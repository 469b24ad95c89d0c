"""Supervision documents in the browser: download (.docx / PDF) and PDF retry on the order page; the
administrators' page of the four templates (download, upload a new version, re-activate an older one)."""
from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused
from zhifa.common.scope import can, get_or_deny
from zhifa.documents.actions import is_template_admin
from zhifa.documents.models import storage
from zhifa.documents.render import DOCX_MIME
from zhifa.supervision.actions import documents as document_actions
from zhifa.supervision.models import OrderDocument, OrderTemplate, SupervisionOrder


def _file(path, filename, content_type):
    try:
        fh = storage().open(path, "rb")
    except OSError:
        raise Http404("文件不存在") from None
    resp = FileResponse(fh, content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


def _doc(request, pk):
    return get_or_deny(OrderDocument.objects.restrict(request.user, "view").select_related("order"), pk=pk)


@login_required
def download_docx(request, pk):
    doc = _doc(request, pk)
    return _file(doc.docx_path, doc.download_name("docx"), DOCX_MIME)


@login_required
def download_pdf(request, pk):
    doc = _doc(request, pk)
    if doc.pdf_status != OrderDocument.PdfStatus.READY:
        raise Http404(doc.pdf_error or "PDF尚未生成")
    return _file(doc.pdf_path, doc.download_name("pdf"), "application/pdf")


@login_required
@require_POST
def render_pdf(request, pk):
    """Make the PDF now (the background task normally does it; this is the retry)."""
    doc = _doc(request, pk)
    if not can(request.user, "change", doc):
        raise PermissionDenied
    document_actions.do_render_order_pdf(doc, acting_user=request.user)
    return redirect("supervision-order", pk=doc.order_id)


def _admin(request):
    if not is_template_admin(request.user):
        raise PermissionDenied


@login_required
def templates(request):
    _admin(request)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("activate", "").isdigit():
                t = OrderTemplate.objects.filter(pk=request.POST["activate"]).first()
                if t is None:
                    raise Http404
                document_actions.do_activate_order_template(t, acting_user=request.user)
            else:
                f = request.FILES.get("file")
                if f is None:
                    raise ActionRefused("validation", "请选择模板文件（.docx）", "file")
                document_actions.do_upload_order_template(request.POST.get("kind", ""), f, acting_user=request.user,
                                                          note=request.POST.get("note", ""))
            return redirect("supervision-order-templates")
        except ActionRefused as e:
            error = e
    rows = []
    for kind, label in SupervisionOrder.Kind.choices:
        document_actions.builtin_template(kind)
        rows.append({"kind": kind, "label": label,
                     "versions": OrderTemplate.objects.filter(kind=kind).select_related("uploaded_by")})
    return render(request, "supervision/order_templates.html", {"rows": rows, "error": error,
                                                                "field_help": document_actions.FIELD_HELP,
                                                                "kinds": SupervisionOrder.Kind.choices})


@login_required
def template_download(request, pk):
    _admin(request)
    t = OrderTemplate.objects.filter(pk=pk).first()
    if t is None:
        raise Http404
    return _file(t.file_path, f"{SupervisionOrder.Kind(t.kind).label}模板-第{t.version}版.docx", DOCX_MIME)
