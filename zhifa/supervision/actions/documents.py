"""Supervision documents (督办通知书, 整改通知书, 执法监督建议书, 执法监督决定书) from administrator-editable
.docx templates, the way zhifa.documents makes case documents: docxtpl render, stored in the documents
storage with SHA-256, a change-log row and a ledger entry; the PDF (LibreOffice) afterwards, outside the
transaction — by a background task after the order commits, or on request.

    generate_order_document(order, acting_user=…)   inside do_issue_order's transaction
    do_render_order_pdf(doc)                        LibreOffice, then a short transaction
    do_upload_order_template(kind, file, acting_user=…) / do_activate_order_template(t, acting_user=…)

Named rules: documents.admin_only (templates are the administrators'), documents.bad_template and
documents.template_error (an upload must be a .docx that renders with the sample order).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import IntegrityError, transaction

from zhifa.cases.models import NumberCounter
from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.documents.actions import (
    activate_template_version,
    create_template_version,
    is_template_admin,
    read_upload,
    render_pdf_row,
    sha256,
    store_file,
)
from zhifa.documents.render import check_docx, render_docx
from zhifa.documents.text import cn_date
from zhifa.ledger import log as ledger
from zhifa.legalcal import pending
from zhifa.supervision.choices import ORDER_NUMBER_CODES
from zhifa.supervision.models import OrderDocument, OrderTemplate, SupervisionOrder

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates_docx"
NUMBER_CODES = ORDER_NUMBER_CODES  # kind → the type code in the document number

FIELD_HELP = [
    ("issuer.name", "发文机关（执法监督机关，如某区司法局）"),
    ("entity.name", "被监督的执法主体"),
    ("doc.name / doc.number / doc.date.cn", "文书名称、文号、落款日期（如二〇二六年六月二日）"),
    ("order.text / order.text_paras", "督办、整改、建议或决定的内容（整段 / 分段）"),
    ("order.days / order.due_on.cn / order.issued_on.cn / order.issued_by", "办理期限（工作日）、答复期限、发出日期、发出人"),
    ("order.due_phrase", "答复期限的完整表述：“于二〇二七年一月八日前（5个工作日内）”；期限待定时为“自收到之日起5个工作日内”"),
    ("case.present / case.number / case.title", "是否涉及具体案件；案件编号、案由"),
    ("alert.present / alert.text / alert.first_seen.cn", "是否来源于预警；预警内容、发现日期"),
]


def _date(d: dt.date | None) -> dict:
    return {"iso": d.isoformat(), "cn": cn_date(d.isoformat())} if d else {"iso": "", "cn": ""}


def due_phrase(due_on: dt.date | None, days: int) -> str:
    """'于二〇二七年一月八日前（5个工作日内）', or while the due date is pending on an unknown year
    '自收到之日起5个工作日内' (the period itself is certain, only its last day is not)."""
    if due_on:
        return f"于{cn_date(due_on.isoformat())}前（{days}个工作日内）"
    return pending.phrase(days)


def _due(order) -> dict:
    """order.due_on for templates; a pending date reads as the end of the period in words, so older
    templates ("于{{ order.due_on.cn }}前") still say something true."""
    if order.due_on:
        return _date(order.due_on)
    return {"iso": "", "cn": f"收到之日起{order.days}个工作日届满之日"}


def order_context(order: SupervisionOrder, *, number: str) -> dict:
    issuer = order.issued_by.entity if order.issued_by and order.issued_by.entity_id else None
    case, alert = order.case, order.alert
    return {
        "issuer": {"name": issuer.name if issuer else "执法监督机关"},
        "entity": {"name": order.entity.name},
        "doc": {"name": str(SupervisionOrder.Kind(order.kind).label), "number": number,
                "date": _date(order.issued_on)},
        "order": {"kind": order.kind, "kind_label": order.get_kind_display(), "text": order.text,
                  "text_paras": [p.strip() for p in order.text.splitlines() if p.strip()], "days": order.days,
                  "due_on": _due(order), "due_phrase": due_phrase(order.due_on, order.days),
                  "issued_on": _date(order.issued_on),
                  "issued_by": order.issued_by.display_name or order.issued_by.username},
        "case": {"present": case is not None, "number": case.number if case else "",
                 "title": case.title if case else ""},
        "alert": {"present": alert is not None, "text": alert.text if alert else "",
                  "first_seen": _date(alert.first_seen if alert else None)},
    }


def sample_context(kind: str) -> dict:
    d = dt.date(2026, 6, 2)
    return {
        "issuer": {"name": "某区司法局"}, "entity": {"name": "某区市场监督管理局"},
        "doc": {"name": str(SupervisionOrder.Kind(kind).label), "number": f"某司{NUMBER_CODES[kind]}〔2026〕1号",
                "date": _date(d)},
        "order": {"kind": kind, "kind_label": str(SupervisionOrder.Kind(kind).label), "text": "请依法作出处理决定。",
                  "text_paras": ["请依法作出处理决定。", "并说明超期原因。"], "days": 5, "due_on": _date(dt.date(2026, 6, 9)),
                  "due_phrase": due_phrase(dt.date(2026, 6, 9), 5),
                  "issued_on": _date(d), "issued_by": "监督员"},
        "case": {"present": True, "number": "某市监立〔2026〕1号", "title": "销售过期食品案"},
        "alert": {"present": True, "text": "某市监立〔2026〕1号：作出行政处罚决定期限已于2026-06-01届满，尚未完成",
                  "first_seen": _date(d)},
    }


# ---- templates ------------------------------------------------------------------------------------
def _create_template(kind, data, *, is_builtin, uploaded_by, note="", activate=True) -> OrderTemplate:
    return create_template_version(OrderTemplate, data, series={"kind": kind}, folder=f"supervision/{kind}",
                                   is_builtin=is_builtin, uploaded_by=uploaded_by, note=note, activate=activate)


def builtin_template(kind: str) -> OrderTemplate:
    """The shipped default as a template row; a changed shipped file becomes a new builtin version,
    active only if the active one was a builtin too (an administrator's upload is never replaced)."""
    data = (TEMPLATES_DIR / f"{kind}.docx").read_bytes()
    latest = OrderTemplate.objects.filter(kind=kind, is_builtin=True).order_by("-version").first()
    if latest is not None and latest.sha256 == sha256(data):
        return latest
    active = OrderTemplate.objects.filter(kind=kind, active=True).first()
    t = _create_template(kind, data, is_builtin=True, uploaded_by=None, note="系统内置默认模板",
                         activate=active is None or active.is_builtin)
    log_change(t, ChangeLog.Action.CREATE, acting_user=None, after=snapshot(t), reason="载入系统内置监督文书模板")
    return t


def template_for(kind: str) -> OrderTemplate:
    builtin = builtin_template(kind)
    return OrderTemplate.objects.filter(kind=kind, active=True).first() or builtin


def _check_kind(kind):
    if kind not in SupervisionOrder.Kind.values:
        raise ActionRefused("validation", "文书类别应为督办通知、整改通知、执法监督建议书或执法监督决定书", "kind")


@transaction.atomic
def do_upload_order_template(kind: str, file, *, acting_user, note: str = "") -> OrderTemplate:
    if not is_template_admin(acting_user):
        raise ActionRefused("documents.admin_only", "只有系统管理员可以上传文书模板")
    _check_kind(kind)
    data = read_upload(file)
    check_docx(data)
    render_docx(data, sample_context(kind))  # refuses with documents.template_error, naming the problem
    builtin_template(kind)  # the shipped default stays on record as an earlier version
    t = _create_template(kind, data, is_builtin=False, uploaded_by=acting_user, note=note)
    log_change(t, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(t),
               reason=f"上传{SupervisionOrder.Kind(kind).label}模板第{t.version}版" + (f"：{note}" if note else ""))
    return t


@transaction.atomic
def do_activate_order_template(template: OrderTemplate, *, acting_user) -> OrderTemplate:
    return activate_template_version(template, series_fields=("kind",), acting_user=acting_user,
                                     reason=f"启用{SupervisionOrder.Kind(template.kind).label}模板第{{version}}版")


# ---- numbers and generation -----------------------------------------------------------------------
def next_order_number(issuer, kind: str, year: int) -> str:
    """Gap-free per issuing body, kind and year (the counter row is locked in the caller's transaction)."""
    key = dict(entity_id=issuer.pk, doc_type=f"supervision_{kind}", year=year)
    for _attempt in range(5):
        counter = NumberCounter.objects.select_for_update().filter(**key).first()
        if counter is None:
            try:
                with transaction.atomic():
                    NumberCounter.objects.create(**key, last=0)
            except IntegrityError:
                pass
            continue
        counter.last += 1
        counter.save(update_fields=["last"])
        return f"{issuer.short_code or issuer.name}{NUMBER_CODES[kind]}〔{year}〕{counter.last}号"
    raise RuntimeError("could not obtain a number counter")


def generate_order_document(order: SupervisionOrder, *, acting_user) -> OrderDocument:
    """The order's document (a new version each call), inside the caller's transaction; the PDF is
    rendered after commit (background task) — see schedule_pdf."""
    number = order.number
    if not number and acting_user.entity_id:
        number = next_order_number(acting_user.entity, order.kind, order.issued_on.year)
    ctx = order_context(order, number=number)
    template = template_for(order.kind)
    docx = render_docx(template.read(), ctx)
    digest = sha256(docx)
    latest = order.documents.order_by("-version").first()
    version = (latest.version if latest else 0) + 1
    path = store_file(f"supervision/{order.entity_id}/{order.pk}/v{version}-{digest[:12]}.docx", docx)
    doc = OrderDocument.objects.create(order=order, version=version, number=number, template=template,
                                       template_version=template.version, docx_path=path, docx_sha256=digest,
                                       docx_size=len(docx), context=ctx, generated_by=acting_user)
    log_change(doc, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(doc),
               reason=f"生成{order.get_kind_display()}第{version}版" + (f"（{number}）" if number else ""))
    ledger.append("supervision.document", subject=doc, actor=acting_user, case=order.case,
                  data={"order": order.pk, "kind": order.kind, "version": version, "number": number,
                        "docx_sha256": digest})
    if number and order.number != number:
        SupervisionOrder.objects.filter(pk=order.pk).update(number=number)
        order.number = number
    schedule_pdf(doc)
    return doc


def schedule_pdf(doc: OrderDocument):
    # Imported here: cycle tasks → alerts → actions.social → actions.orders → actions.documents → tasks
    # (the task renders the PDF through this module).
    from zhifa.supervision.tasks import render_order_pdf_task

    transaction.on_commit(lambda: render_order_pdf_task.enqueue(doc.pk))


def do_render_order_pdf(doc: OrderDocument, *, acting_user=None) -> OrderDocument:
    """The PDF of a generated .docx; never raises for a conversion problem (the row says why)."""
    return render_pdf_row(OrderDocument, doc, acting_user=acting_user, event="supervision.document_pdf",
                          case_of=lambda row: row.order.case_id)
