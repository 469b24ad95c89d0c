"""Pages: a case's documents panel (HTMX partial the case page includes), downloads, and the
administrators' template management. Every query is scope-restricted; every write is an action."""
from __future__ import annotations

import re
import uuid
from collections import OrderedDict
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused
from zhifa.common.scope import get_or_deny
from zhifa.documents import actions, archive
from zhifa.documents.context import FIELD_HELP
from zhifa.documents.models import ON_SITE_TYPES, DocumentTemplate, GeneratedDocument, storage
from zhifa.documents.render import DOCX_MIME
from zhifa.documents.types import SPECS, DocType, types_for_kind

# What an officer fills in when generating, per type: (key, label, kind); kind "text",
# "textarea", "date" or "qa" (问/答 lines → a list of {"q", "a"}).
EXTRA_FIELDS: dict[str, list[tuple[str, str, str]]] = {
    DocType.FILING_APPROVAL: [],
    DocType.INQUIRY_RECORD: [
        ("place", "询问地点", "text"), ("start", "开始时间（如2026年3月4日9时00分）", "text"),
        ("end", "结束时间", "text"), ("interviewee_name", "被询问人（默认为当事人或其法定代表人）", "text"),
        ("interviewee_position", "被询问人职务", "text"), ("recorder", "记录人", "text"),
        ("qa", "问答内容（每行以“问：”或“答：”开头；不填则留空白供手写）", "qa")],
    DocType.INSPECTION_RECORD: [
        ("place", "检查地点（默认为当事人地址）", "text"), ("start", "开始时间", "text"), ("end", "结束时间", "text"),
        ("present_person", "现场负责人", "text"), ("present_position", "现场负责人职务", "text"),
        ("recorder", "记录人", "text"), ("content", "检查情况（不填则留空白供手写）", "textarea")],
    DocType.PENALTY_NOTICE: [
        ("evidence", "证据（每行一项）", "textarea"), ("reason", "理由（裁量情节等，可不填）", "textarea"),
        ("date", "告知书日期（默认今天）", "date")],
    DocType.HEARING_NOTICE: [
        ("hearing_time", "听证开始时间（如上午9时30分）", "text"), ("hearing_place", "听证地点", "text"),
        ("clerk", "记录员", "text")],
    DocType.HEARING_RECORD: [
        ("hearing_time", "听证时间", "text"), ("hearing_place", "听证地点（默认取听证通知书）", "text"),
        ("clerk", "记录员", "text"), ("agent", "委托代理人", "text"), ("record", "听证记录", "textarea")],
    DocType.PENALTY_DECISION: [
        ("evidence", "证据（每行一项；默认取事先告知书）", "textarea"),
        ("statement_review", "对陈述申辩意见的复核及采纳情况", "textarea"),
        ("payment_place", "缴款方式（默认：指定的银行或者通过电子支付系统）", "text"),
        ("performance", "履行方式和期限（不填按处罚种类自动生成）", "textarea")],
    DocType.SERVICE_RECEIPT: [
        ("served_doc_type", "送达的文书", "doctype"), ("recipient", "受送达人（默认为当事人）", "text"),
        ("service_address", "送达地点（默认为当事人地址）", "text"), ("method", "送达方式", "text"),
        ("note", "备注", "text")],
    DocType.SEIZURE_DECISION: [("reason", "查封、扣押的理由（默认为案件事实）", "textarea"),
                               ("place", "查封、扣押地点", "text")],
    DocType.SEIZURE_LIST: [("place", "查封、扣押地点", "text")],
    DocType.CLOSING_REPORT: [("summary", "案情摘要（默认为案件事实）", "textarea"),
                             ("execution", "执行情况补充", "textarea"), ("opinion", "承办人意见", "textarea")],
}


def parse_qa(text: str) -> list[dict]:
    qa: list[dict] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        m = re.match(r"^(问|答)\s*[:：]\s*(.*)$", line)
        if m and m.group(1) == "问":
            qa.append({"q": m.group(2), "a": ""})
        elif m:
            if not qa:
                qa.append({"q": "", "a": ""})
            qa[-1]["a"] = (qa[-1]["a"] + "\n" + m.group(2)).strip()
        elif qa:  # a continuation line
            key = "a" if qa[-1]["a"] else "q"
            qa[-1][key] = (qa[-1][key] + "\n" + line).strip()
        else:
            qa.append({"q": line, "a": ""})
    return qa


def qa_text(qa) -> str:
    lines = []
    for item in qa or []:
        lines.append(f"问：{item.get('q', '')}")
        lines.append(f"答：{item.get('a', '')}")
    return "\n".join(lines)


def extra_from_post(doc_type: str, post) -> dict:
    extra = {}
    for key, _label, kind in EXTRA_FIELDS.get(doc_type, []):
        if key not in post:
            continue
        value = post.get(key, "")
        extra[key] = parse_qa(value) if kind == "qa" else value
    return extra


def _case(request, case_id):
    from zhifa.cases.models import Case

    return get_or_deny(Case.objects.restrict(request.user, "view").select_related("entity"), pk=case_id)


def _panel_context(request, case, *, error=None, error_type=None, posted=None):
    docs = (GeneratedDocument.objects.restrict(request.user, "view").filter(case=case)
            .select_related("generated_by", "template").order_by("doc_type", "-version"))
    by_type: dict[str, list] = OrderedDict()
    for d in docs:
        by_type.setdefault(d.doc_type, []).append(d)
    may = actions.may_generate(request.user, case)
    rows = []
    for s in types_for_kind(case.kind):
        versions = by_type.get(s.code, [])
        latest = versions[0] if versions else None
        prefill = dict(latest.extra) if latest else {}
        if posted is not None and error_type == s.code:
            prefill = posted
        fields = []
        for key, label, kind in EXTRA_FIELDS.get(s.code, []):
            value = prefill.get(key, "")
            if s.code == DocType.PENALTY_DECISION and key == "evidence" and not value:
                # The 决定书 lists what the 告知书 listed (zhifa/documents/context.py Composer.evidence_text).
                notice = (by_type.get(DocType.PENALTY_NOTICE) or [None])[0]
                value = (notice.extra or {}).get("evidence", "") if notice else ""
                if value:
                    label = f"证据（每行一项；已按事先告知书第{notice.version}版所列证据填入，可修改）"
            if kind == "qa":
                value = qa_text(value) if isinstance(value, list) else value
            fields.append({"key": key, "label": label, "kind": kind, "value": value})
        rows.append({"spec": s, "latest": latest, "older": versions[1:], "fields": fields,
                     "on_site": s.code in ON_SITE_TYPES,
                     "error": error if error_type == s.code else None, "request_key": uuid.uuid4().hex})
    from zhifa.cases.machine import TERMINAL_STATES

    # 卷内目录 and what 归档 still needs, once the case is finished (archive.documents_complete).
    finished = case.state in TERMINAL_STATES
    missing = [archive.label(t) for t in archive.missing_types(case)] if finished else []
    return {"case": case, "rows": rows, "may_generate": may, "error": error if not error_type else None,
            "finished": finished, "catalogue": archive.catalogue(case) if finished else [],
            "archive_missing": missing,
            "doc_types": [(s.code, s.label) for s in types_for_kind(case.kind) if s.code != DocType.SERVICE_RECEIPT]}


def _render_panel(request, case, **kw):
    ctx = _panel_context(request, case, **kw)
    template = "documents/_case_documents.html" if getattr(request, "htmx", False) else "documents/case_documents.html"
    return render(request, template, ctx)


@login_required
def case_documents(request, case_id):
    """GET: the case's documents (partial for HTMX); POST: generate one (doc_type + its fields)."""
    case = _case(request, case_id)
    if request.method == "POST":
        doc_type = request.POST.get("doc_type", "")
        extra = extra_from_post(doc_type, request.POST)
        try:
            actions.do_generate_document(case, doc_type, acting_user=request.user, extra=extra, pdf="background",
                                         request_key=request.POST.get("request_key", ""))
        except ActionRefused as e:
            posted = {k: request.POST.get(k, "") for k, _l, _k in EXTRA_FIELDS.get(doc_type, [])}
            return _render_panel(request, case, error=e.message, error_type=doc_type if doc_type in SPECS else None,
                                 posted=posted)
        if not getattr(request, "htmx", False):
            return redirect(reverse("documents-case", args=[case.pk]))
    return _render_panel(request, case)


@login_required
@require_POST
def complete_case_file(request, case_id):
    """补齐归档文书: generate every document the case's path requires and that is not on file."""
    case = _case(request, case_id)
    try:
        made = archive.generate_missing(case, acting_user=request.user)
    except ActionRefused as e:
        return _render_panel(request, case, error=e.message)
    if not getattr(request, "htmx", False):
        messages.success(request, f"已生成{len(made)}份文书" if made else "卷内文书已齐全")
        return redirect(reverse("documents-case", args=[case.pk]))
    return _render_panel(request, case)


def _doc(request, pk):
    return get_or_deny(GeneratedDocument.objects.restrict(request.user, "view").select_related("case"), pk=pk)


def _file_response(path, filename, content_type, *, inline=False):
    try:
        fh = storage().open(path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("文件不存在") from None
    resp = FileResponse(fh, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return resp


@login_required
def download_docx(request, pk):
    doc = _doc(request, pk)
    return _file_response(doc.docx_path, doc.download_name("docx"), DOCX_MIME)


@login_required
def download_pdf(request, pk):
    doc = _doc(request, pk)
    if doc.pdf_status != GeneratedDocument.PdfStatus.READY or not doc.pdf_path:
        raise Http404(doc.pdf_error or "PDF尚未生成")
    return _file_response(doc.pdf_path, doc.download_name("pdf"), "application/pdf",
                          inline=request.GET.get("inline") == "1")  # opened to print (A4, the OS dialog)


@login_required
def pdf_status(request, pk):
    """The PDF cell alone (polled while the worker renders)."""
    doc = _doc(request, pk)
    return render(request, "documents/_pdf_status.html",
                  {"doc": doc, "may_generate": actions.may_generate(request.user, doc.case)})


@login_required
@require_POST
def retry_pdf(request, pk):
    doc = _doc(request, pk)
    if not actions.may_generate(request.user, doc.case):
        raise PermissionDenied
    actions.do_retry_pdf(doc, acting_user=request.user)
    return _render_panel(request, doc.case) if getattr(request, "htmx", False) else redirect(
        reverse("documents-case", args=[doc.case_id]))


# ---- template management (administrators) -------------------------------------------------
def _require_admin(request):
    if not actions.is_template_admin(request.user):
        raise PermissionDenied


@login_required
def template_list(request):
    _require_admin(request)
    rows = []
    templates = DocumentTemplate.objects.select_related("entity", "uploaded_by").order_by("doc_type", "entity_id",
                                                                                          "-version")
    by_type: dict[str, list] = {}
    for t in templates:
        by_type.setdefault(t.doc_type, []).append(t)
    for s in SPECS.values():
        versions = by_type.get(s.code, [])
        active = next((t for t in versions if t.active and t.entity_id is None), None)
        rows.append({"spec": s, "versions": versions, "active": active})
    overrides = (DocumentTemplate.objects.filter(entity__isnull=False).values("entity__name")
                 .annotate(n=Count("id")).order_by("entity__name"))
    return render(request, "documents/template_list.html", {"rows": rows, "overrides": overrides,
                                                             "field_help": FIELD_HELP})


class UploadForm(forms.Form):
    file = forms.FileField(label="模板文件（.docx）")
    entity = forms.ModelChoiceField(label="仅适用于执法主体（不选则适用于全部）", required=False, queryset=None)
    note = forms.CharField(label="版本说明", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from zhifa.orgs.models import Entity

        self.fields["entity"].queryset = Entity.objects.filter(is_active=True).order_by("name")


@login_required
def template_upload(request, doc_type):
    _require_admin(request)
    if doc_type not in SPECS:
        raise Http404
    s = SPECS[doc_type]
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_upload_template(doc_type, form.cleaned_data["file"], acting_user=request.user,
                                       entity=form.cleaned_data["entity"], note=form.cleaned_data["note"])
            return redirect(reverse("documents-templates"))
        except ActionRefused as e:
            form.add_error("file" if e.field == "file" else None, e.message)
    return render(request, "documents/template_upload.html", {"form": form, "spec": s, "field_help": FIELD_HELP})


@login_required
def template_download(request, pk):
    _require_admin(request)
    t = DocumentTemplate.objects.filter(pk=pk).first()
    if t is None:
        raise Http404
    return _file_response(t.file_path, f"{t.get_doc_type_display()}模板-第{t.version}版.docx", DOCX_MIME)


@login_required
def template_current(request, doc_type):
    """The template currently used for everyone (the shipped default until one is uploaded)."""
    _require_admin(request)
    if doc_type not in SPECS:
        raise Http404
    t = actions.template_for(doc_type, None)
    return redirect(reverse("documents-template-download", args=[t.pk]))


@login_required
@require_POST
def template_activate(request, pk):
    _require_admin(request)
    t = DocumentTemplate.objects.filter(pk=pk).first()
    if t is None:
        raise Http404
    actions.do_activate_template(t, acting_user=request.user)
    return redirect(reverse("documents-templates"))


# ---- on the spot: the party signs the document shown, prints (issue 20) ----------------------------
def _data_url_png(value: str) -> bytes:
    import base64
    import binascii

    prefix = "data:image/png;base64,"
    if not value or not value.startswith(prefix):
        return b""
    try:
        return base64.b64decode(value[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        return b""


def _sign_context(request, doc, *, error=None, error_field=None, posted=None):
    from zhifa.documents import field
    from zhifa.documents.render import docx_text
    from zhifa.records.models import AV_KINDS, RecordItem

    latest = (GeneratedDocument.objects.restrict(request.user, "view")
              .filter(case_id=doc.case_id, doc_type=doc.doc_type).order_by("-version").first())
    try:
        with storage().open(doc.docx_path, "rb") as fh:
            text = docx_text(fh.read())
    except OSError:
        text = ""
    av = (RecordItem.objects.restrict(request.user, "view")
          .filter(case_id=doc.case_id, kind__in=AV_KINDS, destroyed_at__isnull=True).select_related("current"))
    return {"doc": doc, "case": doc.case, "latest": latest, "text": text, "signature": field.signature_of(doc),
            "on_site": field.is_on_site(doc), "may_generate": actions.may_generate(request.user, doc.case),
            "av_records": av, "error": error, "error_field": error_field, "posted": posted or {},
            "prints": doc.prints.count()}


@login_required
def sign_document(request, pk):
    """The document as shown on the phone, the party's signature pad and the refusal path. POST
    `outcome=signed` (signer_name, image as a PNG data URL) or `outcome=refused` (reason, witness,
    av_record); both carry the SHA-256 of the version shown."""
    from zhifa.documents import field

    doc = _doc(request, pk)
    if request.method == "POST":
        if not actions.may_generate(request.user, doc.case):
            raise PermissionDenied
        post = request.POST
        try:
            if post.get("outcome") == "refused":
                av = None
                if post.get("av_record"):
                    from zhifa.records.models import RecordItem

                    av = RecordItem.objects.restrict(request.user, "view").filter(pk=post.get("av_record")).first()
                    if av is None:
                        raise ActionRefused("documents.refusal_av", "所选音像记录不存在", field="av_record")
                sig = field.do_record_refusal(doc, acting_user=request.user,
                                              document_sha256=post.get("document_sha256", ""),
                                              reason=post.get("reason", ""), witness=post.get("witness", ""),
                                              av_record=av)
                messages.success(request, "已注明当事人拒绝签名，并生成注明后的文书")
            else:
                sig = field.do_sign_document(doc, acting_user=request.user,
                                             document_sha256=post.get("document_sha256", ""),
                                             image=_data_url_png(post.get("image", "")),
                                             signer_name=post.get("signer_name", ""))
                messages.success(request, "当事人已签名，已生成签名后的文书")
        except ActionRefused as e:
            return render(request, "documents/sign.html",
                          _sign_context(request, doc, error=e.message, error_field=e.field,
                                        posted={k: post.get(k, "") for k in ("outcome", "signer_name", "reason",
                                                                             "witness")}), status=422)
        return redirect(reverse("documents-sign", args=[sig.signed_document_id]))
    return render(request, "documents/sign.html", _sign_context(request, doc))


@login_required
@require_POST
def print_document(request, pk):
    """Log one print (the count and the PDF's digest), then open the A4 PDF in the browser, whose print
    dialog prints it."""
    from zhifa.documents import field

    doc = _doc(request, pk)
    try:
        field.do_log_print(doc, acting_user=request.user, copies=request.POST.get("copies", "1") or "1")
    except ActionRefused as e:
        if e.rule == "scope" or e.rule == "documents.not_handler":
            raise PermissionDenied from None
        messages.error(request, e.message)
        return redirect(reverse("documents-sign", args=[doc.pk]))
    return redirect(reverse("documents-pdf", args=[doc.pk]) + "?inline=1")
