"""What the notify app does when a case moves (zhifa/cases/events.py): when a 告知书 or 决定书 is due
to be served and a party has consented to 电子送达, the handlers are reminded that it can go out
electronically. (Review results reach people through review's notices, which post to the outbox.)"""
from __future__ import annotations

from zhifa.cases.events import subscribe


@subscribe(transitions={"propose", "decide"})
def eservice_available(event, ctx):
    from zhifa.notify.models import Consent
    from zhifa.notify.outbox import post
    from zhifa.review.actions import case_users

    case = event.case
    names = list(Consent.objects.filter(case=case, withdrawn_on__isnull=True).values_list("party__name", flat=True))
    if not names:
        return
    doc = "行政处罚事先告知书" if event.transition == "propose" else "行政处罚决定书"
    post(case_users(case, handlers=True), "eservice.document",
         f"案件“{case.title}”的当事人{'、'.join(names)}已签署电子送达地址确认书，{doc}生成后可电子送达",
         case=case, dedupe=f"eservice.available:{case.pk}:{event.pk}")
