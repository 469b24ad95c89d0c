"""Document actions: generate a case document (.docx, then PDF), upload and activate templates.

    doc = do_generate_document(case, "penalty_decision", acting_user=user, extra={"evidence": "…"})

Generation runs in two steps so the slow one can move to a background task later:
generate_docx() (one transaction: checks, number, render, store, log) and do_render_pdf()
(LibreOffice outside any transaction, then a short transaction recording the result).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from zhifa.common.actions import ActionRefused, OutOfScope, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.common.scope import can
from zhifa.documents import context as ctxmod
from zhifa.documents.models import DocumentTemplate, GeneratedDocument, TemplateFile, storage
from zhifa.documents.render import PdfUnavailable, check_docx, convert_pdf, convert_pdfs, render_docx
from zhifa.documents.types import DocType, spec
from zhifa.ledger import log as ledger

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_EXTRA_CHARS = 50_000


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- who may do what ----------------------------------------------------------------------
def is_template_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN))


def may_generate(user, case) -> bool:
    """Change scope on the case (heads, administrators), or an active, non-recused handler of
    the case (or its hearing chair) who can see it — the officers who draft the documents."""
    if can(user, "change", case):
        return True
    if not can(user, "view", case):
        return False
    from zhifa.cases.rules import handler_ids, recused_ids, user_officer

    officer = user_officer(user)
    if officer is None or officer.pk in recused_ids(case):
        return False
    return officer.pk in handler_ids(case) or officer.pk == case.hearing_chair_id


def check_may_generate(user, case):
    if not can(user, "view", case):
        raise OutOfScope()
    if not may_generate(user, case):
        raise ActionRefused("documents.not_handler", "您不是本案的承办人员，不能生成本案文书")


# ---- templates ----------------------------------------------------------------------------
def store_file(name: str, data: bytes) -> str:
    return storage().save(name, ContentFile(data))


def create_template_version(model: type[TemplateFile], data: bytes, *, series: dict, folder: str, is_builtin: bool,
                            uploaded_by, note: str = "", activate: bool = True, **fields) -> TemplateFile:
    """The template pipeline shared by every TemplateFile model: the next version of the series (the
    rows matching `series`, e.g. {"doc_type": …, "entity": …}), the file stored under
    templates/<folder>/v<n>-<digest>.docx with its SHA-256, optionally made the series' active one."""
    digest = sha256(data)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                rows = model.objects.filter(**series)
                version = (rows.aggregate(m=Max("version"))["m"] or 0) + 1
                if activate:
                    rows.filter(active=True).update(active=False)
                path = store_file(f"templates/{folder}/v{version}-{digest[:12]}.docx", data)
                return model.objects.create(**series, **fields, version=version, file_path=path, sha256=digest,
                                            size=len(data), is_builtin=is_builtin, active=activate,
                                            note=note[:300], uploaded_by=uploaded_by)
        except IntegrityError:
            continue  # a concurrent writer took the version number: count again
    raise ActionRefused("documents.busy", "模板正在被他人更新，请稍后重试")


def activate_template_version(template: TemplateFile, *, series_fields: tuple[str, ...], acting_user,
                              reason: str) -> TemplateFile:
    """Make an earlier (or the builtin) version the active one of its series again (administrators only)."""
    if not is_template_admin(acting_user):
        raise ActionRefused("documents.admin_only", "只有系统管理员可以启用文书模板")
    model = type(template)
    t = model.objects.select_for_update().get(pk=template.pk)
    if t.active:
        return t
    before = snapshot(t)
    series = {f: getattr(t, f) for f in series_fields}
    model.objects.filter(**series, active=True).update(active=False)
    t.active = True
    t.save(update_fields=["active"])
    log_change(t, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(t),
               reason=reason.format(version=t.version))
    return t


def _create_template(doc_type, data, *, entity, is_builtin, uploaded_by, note="", name="", activate=True):
    where = f"entity-{entity.pk}" if entity else "global"
    return create_template_version(DocumentTemplate, data, series={"doc_type": doc_type, "entity": entity},
                                   folder=f"{doc_type}/{where}", is_builtin=is_builtin, uploaded_by=uploaded_by,
                                   note=note, activate=activate, name=name or str(DocType(doc_type).label))


def builtin_template(doc_type: str) -> DocumentTemplate:
    """The shipped default of `doc_type` as a template row (version history kept).

    When the shipped file changes (a new release), a new builtin version is recorded; it
    becomes the active one only if the active global template was a builtin too, so an
    administrator's own upload is never replaced behind their back."""
    s = spec(doc_type)
    data = s.default_file.read_bytes()
    digest = sha256(data)
    latest = (DocumentTemplate.objects.filter(doc_type=doc_type, entity__isnull=True, is_builtin=True)
              .order_by("-version").first())
    if latest is not None and latest.sha256 == digest:
        return latest
    active = DocumentTemplate.objects.filter(doc_type=doc_type, entity__isnull=True, active=True).first()
    activate = active is None or active.is_builtin
    t = _create_template(doc_type, data, entity=None, is_builtin=True, uploaded_by=None,
                         note="系统内置默认模板", activate=activate)
    log_change(t, ChangeLog.Action.CREATE, acting_user=None, after=snapshot(t), reason="载入系统内置文书模板")
    return t


def template_for(doc_type: str, entity) -> DocumentTemplate:
    """The active template for the entity: its own override, else the one for everyone."""
    own = DocumentTemplate.objects.filter(doc_type=doc_type, entity=entity, active=True).first() if entity else None
    if own is not None:
        return own
    builtin = builtin_template(doc_type)
    return DocumentTemplate.objects.filter(doc_type=doc_type, entity__isnull=True, active=True).first() or builtin


def read_upload(file) -> bytes:
    if isinstance(file, (bytes, bytearray)):
        return bytes(file)
    if hasattr(file, "size") and file.size and file.size > MAX_TEMPLATE_BYTES:
        raise ActionRefused("documents.bad_template", "模板文件过大（不得超过10MB）", field="file")
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ActionRefused("documents.bad_template", "模板文件过大（不得超过10MB）", field="file")
    return data


def validate_template(doc_type: str, data: bytes) -> None:
    """A real .docx that renders with a complete sample context of its type."""
    check_docx(data)
    render_docx(data, ctxmod.sample_context(doc_type))


@transaction.atomic
def do_upload_template(doc_type: str, file, *, acting_user, entity=None, note: str = "", name: str = "") -> DocumentTemplate:
    """A new version of a type's template (for everyone, or for one entity); it becomes active,
    older versions stay. Administrators only; the upload must render with the sample context."""
    if not is_template_admin(acting_user):
        raise ActionRefused("documents.admin_only", "只有系统管理员可以上传文书模板")
    spec(doc_type)
    data = read_upload(file)
    validate_template(doc_type, data)
    if entity is None:
        builtin_template(doc_type)  # the shipped default stays on record as an earlier version
    t = _create_template(doc_type, data, entity=entity, is_builtin=False, uploaded_by=acting_user, note=note,
                         name=name)
    log_change(t, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(t),
               reason=f"上传{t.get_doc_type_display()}模板第{t.version}版" + (f"：{note}" if note else ""))
    return t


@transaction.atomic
def do_activate_template(template: DocumentTemplate, *, acting_user) -> DocumentTemplate:
    """Make an earlier (or the builtin) version the active one again."""
    return activate_template_version(template, series_fields=("doc_type", "entity"), acting_user=acting_user,
                                     reason=f"启用{template.get_doc_type_display()}模板第{{version}}版")


# ---- generation ---------------------------------------------------------------------------
def _clean_extra(extra) -> dict:
    if extra is None:
        return {}
    if not isinstance(extra, dict):
        raise ActionRefused("validation", "补充填写内容格式有误")
    out = {}
    for key, value in extra.items():
        if not isinstance(key, str):
            raise ActionRefused("validation", "补充填写内容格式有误")
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        out[key] = value
    try:
        size = len(json.dumps(out, ensure_ascii=False))
    except (TypeError, ValueError):
        raise ActionRefused("validation", "补充填写内容格式有误") from None
    if size > MAX_EXTRA_CHARS:
        raise ActionRefused("validation", "补充填写内容过长")
    return out


def _merge_extra(previous: dict, given: dict) -> dict:
    """What was filled in for the previous version carries over; an empty value clears it."""
    merged = dict(previous or {})
    for key, value in given.items():
        if value in ("", None, []):
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _number(case, s, latest, doc_year: int) -> str:
    source = s.number
    if not source:
        return ""
    if source.startswith("issue:"):
        if latest is not None and latest.number:
            return latest.number  # a regenerated document keeps its number
        from zhifa.cases.numbering import next_number

        return next_number(case.entity, source.split(":", 1)[1], doc_year)
    if source == "case.number":
        return case.number
    if source == "case.number@inspection":
        return case.number if case.kind == "inspection" else ""
    if source == "case.decision_number":
        return case.decision_number
    if source == "seizure.number":
        seizure = case.seizures.order_by("id").last()
        return seizure.number if seizure else ""
    raise ValueError(source)


def missing_message(label: str, missing: list[str]) -> str:
    return f"无法生成《{label}》，缺少：{'；'.join(missing)}。请补充后再生成"


def preview_missing(case, doc_type: str, extra=None) -> list[str]:
    """What generating `doc_type` would refuse for now (for the UI; no writes)."""
    s = spec(doc_type)
    if case.kind not in s.kinds:
        return [f"{case.get_kind_display()}案件不使用{s.label}"]
    latest = GeneratedDocument.objects.filter(case=case, doc_type=doc_type).order_by("-version").first()
    merged = _merge_extra(latest.extra if latest else {}, _clean_extra(extra))
    data = ctxmod.case_data(case, on=timezone.localdate())
    _ctx, missing = ctxmod.compose(doc_type, data, merged, number="", today=timezone.localdate())
    return missing


@transaction.atomic
def generate_docx(case, doc_type: str, *, acting_user, extra=None, request_key: str = "") -> GeneratedDocument:
    """Step 1: checks, number, .docx rendered and stored, row and change log (PDF pending).
    With a `request_key` (the form's one-time key) a repeated request returns the version the first
    one made instead of making another."""
    from zhifa.cases.models import Case

    s = spec(doc_type)
    # Lock the case row only (versions of one case's documents are numbered one at a time).
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_may_generate(acting_user, case)
    request_key = (request_key or "").strip()[:40]
    if request_key:
        done = GeneratedDocument.objects.filter(case=case, request_key=request_key).first()
        if done is not None:
            return done
    if case.kind not in s.kinds:
        raise ActionRefused("documents.not_applicable", f"{case.get_kind_display()}案件不使用{s.label}")
    latest = GeneratedDocument.objects.filter(case=case, doc_type=doc_type).order_by("-version").first()
    merged = _merge_extra(latest.extra if latest else {}, _clean_extra(extra))
    today = timezone.localdate()
    version = (latest.version if latest else 0) + 1
    data = ctxmod.case_data(case, on=today)
    ctx, missing = ctxmod.compose(doc_type, data, merged, number="", today=today, version=version)
    if missing:
        raise ActionRefused("documents.missing_data", missing_message(s.label, missing))
    doc_year = dt.date.fromisoformat(ctx["doc"]["date"]["iso"]).year
    number = _number(case, s, latest, doc_year)
    ctx, missing = ctxmod.compose(doc_type, data, merged, number=number, today=today, version=version)
    template = template_for(doc_type, case.entity)
    docx = render_docx(template.read(), ctx)
    digest = sha256(docx)
    path = store_file(f"cases/{case.entity_id}/{case.pk}/{doc_type}/v{version}-{digest[:12]}.docx", docx)
    doc = GeneratedDocument.objects.create(
        case=case, doc_type=doc_type, number=number, version=version, template=template,
        template_version=template.version, docx_path=path, docx_sha256=digest, docx_size=len(docx),
        context=ctx, extra=merged, generated_by=acting_user, request_key=request_key)
    log_change(doc, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(doc),
               reason=f"生成{s.label}第{version}版" + (f"（{number}）" if number else ""))
    ledger.append("document.generated", subject=doc, actor=acting_user, case=case,
                  data={"doc_type": doc_type, "version": version, "number": number, "docx_sha256": digest})
    return doc


def convert_many(docx_list: list[bytes]) -> list[bytes | PdfUnavailable]:
    """Convert several documents in one LibreOffice run (one alone goes through convert_pdf)."""
    if len(docx_list) == 1:
        try:
            return [convert_pdf(docx_list[0])]
        except PdfUnavailable as e:
            return [e]
    return convert_pdfs(docx_list)


def do_render_pdf(doc: GeneratedDocument, *, acting_user=None) -> GeneratedDocument:
    """Step 2: the PDF of a generated .docx. Never raises for a conversion problem: the row
    records why the PDF is unavailable (missing LibreOffice, timeout, failure)."""
    return render_pdf_row(GeneratedDocument, doc, acting_user=acting_user, event="document.pdf",
                          case_of=lambda row: row.case_id)


def render_pdf_row(model, doc, *, acting_user, event: str, case_of, converted: bytes | PdfUnavailable | None = None):
    """The PDF step shared by every generated-document model (fields docx_path, pdf_status, pdf_path,
    pdf_sha256, pdf_size, pdf_error and a PdfStatus enum): convert outside the transaction, then
    record the result, its change-log row and the `event` ledger entry. `converted`: the conversion
    already made in a batch (documents/tasks.py). A row whose PDF another worker has meanwhile
    recorded is left as it is (no second ledger entry)."""
    pdf: bytes | None = None
    error = ""
    if converted is None:
        with storage().open(doc.docx_path, "rb") as fh:
            docx = fh.read()
        try:
            pdf = convert_pdf(docx)
        except PdfUnavailable as e:
            error = str(e)[:500]
    elif isinstance(converted, PdfUnavailable):
        error = str(converted)[:500]
    else:
        pdf = converted
    path, sealed = "", {}
    if pdf is not None:
        from zhifa.documents.seal import apply as seal

        pdf, sealed = seal(pdf)  # PAdES + SM2/SM3 by the configured provider (documents/seal.py)
        path = store_file(doc.docx_path.rsplit(".", 1)[0] + ".pdf", pdf)
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=doc.pk)
        if row.pdf_status == model.PdfStatus.READY and row.pdf_sha256:
            return row
        before = snapshot(row)
        if pdf is not None:
            row.pdf_status, row.pdf_path, row.pdf_sha256, row.pdf_size, row.pdf_error = (
                model.PdfStatus.READY, path, sha256(pdf), len(pdf), "")
        else:
            row.pdf_status, row.pdf_error = model.PdfStatus.UNAVAILABLE, error
        row.save(update_fields=["pdf_status", "pdf_path", "pdf_sha256", "pdf_size", "pdf_error"])
        log_change(row, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(row),
                   reason="生成PDF" if pdf is not None else f"PDF未生成：{error}")
        if pdf is not None:
            ledger.append(event, subject=row, actor=acting_user, case=case_of(row),
                          data={"pdf_sha256": row.pdf_sha256, "pdf_size": row.pdf_size, **sealed})
    return row


def do_generate_document(case, doc_type: str, *, acting_user, extra=None, pdf: bool | str = True,
                         request_key: str = "") -> GeneratedDocument:
    """Generate (or regenerate, as a new version) a case document; see the module docstring.
    `pdf`: True renders the PDF now, "background" queues it for the worker (pages: LibreOffice takes
    seconds and must not hold a request), False leaves it pending.

    Refuses with ActionRefused: "scope" (case out of scope), "documents.not_handler",
    "documents.not_applicable", "documents.missing_data" (naming what is missing),
    "documents.template_error" (the active template is broken)."""
    doc = generate_docx(case, doc_type, acting_user=acting_user, extra=extra, request_key=request_key)
    if doc.pdf_status != GeneratedDocument.PdfStatus.PENDING:
        return doc  # a repeated request: its PDF is already done
    if pdf == "background":
        request_pdf(doc, acting_user=acting_user)
    elif pdf:
        doc = do_render_pdf(doc, acting_user=acting_user)
    return doc


def request_pdf(doc: GeneratedDocument, *, acting_user=None) -> None:
    """Queue the PDF of `doc` for the worker once the current transaction commits."""
    from zhifa.documents.tasks import render_document_pdf_task

    user_id = getattr(acting_user, "pk", None)
    transaction.on_commit(lambda: render_document_pdf_task.enqueue(doc.pk, user_id))


@transaction.atomic
def do_retry_pdf(doc: GeneratedDocument, *, acting_user) -> GeneratedDocument:
    """Ask the worker again for a PDF that could not be made (LibreOffice missing, timed out)."""
    row = GeneratedDocument.objects.select_for_update().get(pk=doc.pk)
    check_may_generate(acting_user, row.case)
    if row.pdf_status == GeneratedDocument.PdfStatus.READY:
        return row
    before = snapshot(row)
    row.pdf_status, row.pdf_error = GeneratedDocument.PdfStatus.PENDING, ""
    row.save(update_fields=["pdf_status", "pdf_error"])
    log_change(row, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(row),
               reason="重新生成PDF")
    request_pdf(row, acting_user=acting_user)
    return row
