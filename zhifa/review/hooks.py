"""What the review transitions add to the core's effects (declared in zhifa/review/subscribers.py, run
inside the transition's transaction after its ledger entry)."""
from __future__ import annotations

from zhifa.cases import deadlines
from zhifa.cases.models import Deadline
from zhifa.common.actions import log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.ledger import log as ledger
from zhifa.review.catalogue import case_fingerprint, evidence_items, is_major, penalty_of, review_days
from zhifa.review.models import PACKET_FIELDS, DiscussionRecord, Opinion, Packet

DEADLINE_KIND = "legal_review"


def submitted(ctx, review):
    """A packet version and the reviewer's due date (N working days on the legal calendar)."""
    data = ctx.payload.get("packet")
    case, on = ctx.case, ctx.on
    _major, reasons, cat_version = is_major(case)
    if data is not None:
        last = Packet.objects.filter(case=case).order_by("-version").first()
        packet = Packet.objects.create(
            case=case, version=(last.version if last else 0) + 1, review=review,
            **{f: data[f].strip() for f, _l in PACKET_FIELDS},
            evidence_ids=[it.pk for it in evidence_items(case)],
            correction_note=(ctx.payload.get("correction_note") or "").strip(),
            case_fingerprint=case_fingerprint(case), catalogue_version=cat_version, major_reasons=reasons,
            penalty=penalty_of(case),
            submitted_by=ctx.user, submitted_on=on)
        log_change(packet, ChangeLog.Action.CREATE, acting_user=ctx.user, after=snapshot(packet),
                   reason=f"提交法制审核：送审材料第{packet.version}版")
    days = review_days(case.entity_id)
    dl = Deadline(case=case, kind=DEADLINE_KIND, label="法制审核期限", basis="国办发〔2018〕118号（十三）",
                  started_on=on, base_days=days, working_days=True)
    deadlines.compute_due(dl)
    dl.save()
    from zhifa.review.actions import notify

    notify([review.reviewer], case, f"案件“{case.title}”已提交您法制审核，请于{dl.due_display}前出具审核意见",
           event="review.submitted")
    return {"review_due_on": dl.due_on}


def reviewed(ctx, review):
    """Checklist opinion, the 法制审核意见书 in the case file, and the ledger entry review.opinion."""
    case = ctx.case
    deadlines.close_deadline(case, DEADLINE_KIND, ctx.on)
    packet = Packet.objects.filter(review=review).first()
    if packet is None:
        return {}
    opinion = Opinion.objects.create(
        review=review, packet=packet, items=ctx.payload.get("checklist") or {}, outcome=review.outcome,
        opinion=review.opinion, corrections=(ctx.payload.get("corrections") or "").strip(),
        reviewer=ctx.user, decided_on=ctx.on)
    from zhifa.review.opinion import generate_opinion_document

    doc = generate_opinion_document(case, opinion, acting_user=ctx.user)
    opinion.document = doc
    opinion.save(update_fields=["document"])
    log_change(opinion, ChangeLog.Action.CREATE, acting_user=ctx.user, after=snapshot(opinion),
               reason=f"法制审核意见：{review.get_outcome_display()}（送审材料第{packet.version}版）")
    ledger.append("review.opinion", subject=opinion, actor=ctx.user, case=case,
                  data={"outcome": review.outcome, "packet_version": packet.version,
                        "document": doc.pk, "docx_sha256": doc.docx_sha256})
    from zhifa.review.actions import case_users, notify

    notify(case_users(case, handlers=True, heads=True), case,
           f"案件“{case.title}”法制审核意见：{review.get_outcome_display()}（送审材料第{packet.version}版）",
           event="review.result")
    return {"packet_version": packet.version, "opinion_document": doc.pk}


def discussed(ctx, discussion):
    p = ctx.payload
    if "attendees" not in p:
        return {}
    review = None
    if p.get("trigger") == DiscussionRecord.Trigger.DISAGREEMENT:
        review = ctx.case.reviews.exclude(outcome="").order_by("id").last()
    rec = DiscussionRecord.objects.create(
        discussion=discussion, trigger=p["trigger"], review=review, minutes=p["minutes"].strip(),
        attendees=[{"name": a["name"].strip(), "title": (a.get("title") or "").strip(), "view": a["view"].strip()}
                   for a in p["attendees"]])
    log_change(rec, ChangeLog.Action.CREATE, acting_user=ctx.user, after=snapshot(rec), reason="集体讨论笔录")
    return {"discussion_trigger": rec.trigger}
