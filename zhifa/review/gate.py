"""THE GATE (行政处罚法 Art. 58): may a decision on this case be issued, as far as review goes?

gate_refusal(case) -> None when open, else the Chinese reason. Open when the case is not major, or
the latest finished review is for the CURRENT packet version (the newest one, its content still
the case's content) and either says 同意, or says 存在问题 and the heads concluded a collective
discussion about exactly that review after the handler's objection. Cases reviewed before the
entity had a catalogue (no packets) keep the core's older rule.
"""
from __future__ import annotations

from zhifa.cases.models import CollectiveDiscussion, LegalReview
from zhifa.review.catalogue import case_fingerprint, is_major, major_reasons
from zhifa.review.models import DiscussionRecord, Packet

AGREE, PROBLEMS = LegalReview.Outcome.AGREE, LegalReview.Outcome.PROBLEMS


def latest_packet(case):
    return Packet.objects.filter(case=case).order_by("-version").first()


def last_decided_review(case):
    return case.reviews.exclude(outcome="").order_by("id").last()


def gate_refusal(case) -> str | None:
    major, reasons, _version = is_major(case)
    if not major:
        return None
    if major_reasons(reasons):
        base = (f"本案属于重大执法决定（{'、'.join(reasons)}），未经法制审核或者审核未通过的，不得作出决定"
                "（《行政处罚法》第五十八条）")
    else:
        base = "本机关一般程序处罚案件一律法制审核，本案未经法制审核或者审核未通过的，不得作出决定"
    last = last_decided_review(case)
    if case.reviews.filter(outcome="").exists():
        return base + "；法制审核尚在进行中"
    packet = latest_packet(case)
    if packet is None:  # no packets: reviewed the old way
        if last is not None and last.outcome == AGREE:
            return None
        if last is not None and CollectiveDiscussion.objects.filter(case=case, held_on__gte=last.decided_on).exists():
            return None
        return base
    if last is None or packet.review_id != last.pk:
        return base + f"；送审材料第{packet.version}版尚无审核意见"
    if packet.case_fingerprint != case_fingerprint(case):
        return base + f"；拟处理意见在送审材料第{packet.version}版审核后已改变，须重新送审"
    if last.outcome == AGREE:
        return None
    if DiscussionRecord.objects.filter(review=last, trigger=DiscussionRecord.Trigger.DISAGREEMENT).exists():
        return None
    return base + "；审核意见为存在问题，须补正后重新送审，或承办人提出异议后经集体讨论决定"
