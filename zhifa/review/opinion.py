"""The 法制审核意见书: rendered from the active template of the type legal_review_opinion (documents
app, administrator-editable) and stored as a GeneratedDocument of the case, inside the review's
transaction. The reviewer generates it (not a handler), so this does not go through the
documents panel's handler check."""
from __future__ import annotations

from django.utils import timezone

from zhifa.cases.rules import user_officer
from zhifa.common.actions import log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.documents import context as ctxmod
from zhifa.documents.actions import request_pdf, sha256, store_file, template_for
from zhifa.documents.models import GeneratedDocument
from zhifa.documents.render import render_docx
from zhifa.documents.text import cn_date
from zhifa.ledger import log as ledger
from zhifa.review.models import CHECKLIST

DOC_TYPE = "legal_review_opinion"


def _paras(text):
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


def review_context(opinion) -> dict:
    packet, review = opinion.packet, opinion.review
    officer = user_officer(opinion.reviewer)
    checks = []
    for key, label in CHECKLIST:
        item = opinion.items.get(key) or {}
        ok = item.get("status") == "ok"
        checks.append({"label": label, "ok": ok,
                       "result": "符合" if ok else f"存在问题：{item.get('note', '')}"})
    return {"packet_version": packet.version, "submitted_on": cn_date(packet.submitted_on.isoformat()),
            "draft_decision": packet.draft_decision, "reasons": "、".join(packet.major_reasons) or "—",
            "checks": checks, "outcome": review.get_outcome_display(), "opinion_paras": _paras(opinion.opinion),
            "corrections": opinion.corrections, "correction_paras": _paras(opinion.corrections),
            "reviewer": getattr(opinion.reviewer, "display_name", "") or str(opinion.reviewer),
            "qualification_no": getattr(officer, "legal_qualification_no", "") or "—",
            "decided_on": cn_date(opinion.decided_on.isoformat())}


def generate_opinion_document(case, opinion, *, acting_user) -> GeneratedDocument:
    today = timezone.localdate()
    latest = GeneratedDocument.objects.filter(case=case, doc_type=DOC_TYPE).order_by("-version").first()
    version = (latest.version if latest else 0) + 1
    data = ctxmod.case_data(case, on=today)
    ctx, _missing = ctxmod.compose(DOC_TYPE, data, {}, number="", today=today, version=version)
    ctx["review"] = review_context(opinion)
    template = template_for(DOC_TYPE, case.entity)
    docx = render_docx(template.read(), ctx)
    digest = sha256(docx)
    path = store_file(f"cases/{case.entity_id}/{case.pk}/{DOC_TYPE}/v{version}-{digest[:12]}.docx", docx)
    doc = GeneratedDocument.objects.create(
        case=case, doc_type=DOC_TYPE, number="", version=version, template=template,
        template_version=template.version, docx_path=path, docx_sha256=digest, docx_size=len(docx),
        context=ctx, extra={}, generated_by=acting_user)
    log_change(doc, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(doc),
               reason=f"生成法制审核意见书第{version}版")
    ledger.append("document.generated", subject=doc, actor=acting_user, case=case,
                  data={"doc_type": DOC_TYPE, "version": version, "number": "", "docx_sha256": digest})
    # The worker renders the PDF after commit (LibreOffice never runs inside the review's request);
    # without this the opinion's PDF stayed 待生成 for ever.
    request_pdf(doc, acting_user=acting_user)
    return doc
