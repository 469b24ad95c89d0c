"""Demo data of the notify app, made through the actions (in demo mode the mails are files under
$ZHIFA_DATA_DIR/mail/):

* the 告知书, in the walk of the demo cases (`serve_notice_electronically`, called by zhifa/site/demo/cases.py
  at the 送达事先告知书 step of a case whose party consented): the party signs the 电子送达地址确认书, the
  officer sends the 行政处罚事先告知书 by e-mail and the party confirms receipt the same day, which serves it
  (送达日期 = the day of arrival) and moves the case to 已事先告知; without a PDF (no LibreOffice) the
  walk serves it on paper as before;
* the 决定书, in the demo step below (zhifa.common.registry.demo_steps): the party of the decided demo case
  signs the 确认书, the officer sends the 决定书 by e-mail, and the seed prints the party's link: opening it
  and pressing 确认收到 serves the decision (送达日期 = that day) and moves the case on."""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused
from zhifa.common.registry import demo_steps
from zhifa.legalcal.periods import CalendarUnknown

logger = logging.getLogger(__name__)
DEMO_EMAIL = "dangshiren@example.cn"


@demo_steps.register("notify", order=6)  # after the documents step
def eservice_step(demo) -> None:
    from zhifa.documents.actions import do_generate_document
    from zhifa.notify.actions import eservice as es
    from zhifa.notify.outbox import deliver_due

    # The 告知书 of a case awaiting 事先告知, else the 决定书 of the decided case (the county demo has that one).
    found = [(c, doc_type) for state, doc_type in (("proposed", "penalty_notice"), ("decided", "penalty_decision"))
             for c in demo.cases if c.state == state and c.parties.exists()]
    if not found:
        demo.log("  notify: 无待送达的演示案件，跳过电子送达")
        return
    case, doc_type = found[0]
    from zhifa.orgs.models import User

    officer = User.objects.filter(officer__case_roles__case=case, officer__case_roles__active=True).first()
    party = case.parties.first()
    try:
        with transaction.atomic():
            es.do_record_consent(party, acting_user=officer, channels=["email"], email=DEMO_EMAIL,
                                 signed_on=timezone.localdate())
            doc = do_generate_document(case, doc_type, acting_user=officer, pdf=True,
                                       extra={"evidence": "现场检查笔录；询问笔录；涉案商品照片"})
            if doc.pdf_status != doc.PdfStatus.READY:
                demo.log(f"  notify: 文书PDF未生成（{doc.pdf_error}），已登记确认书，未发出电子送达")
                return
            service, token = es.do_send_document(doc, party, acting_user=officer, channel="email")
    except (ActionRefused, CalendarUnknown) as e:
        demo.log(f"  notify: 电子送达未演示：{e}")
        return
    deliver_due()
    service.refresh_from_db()
    demo.log(f"  notify: 《{doc.get_doc_type_display()}》已电子送达{party.name}（{DEMO_EMAIL}，邮件：{service.message.get_state_display()}）；"
             f"当事人链接 {es.link_for(token)}")


def serve_notice_electronically(case, *, officer, on: dt.date, email: str = DEMO_EMAIL, evidence: str = "",
                                log=None):
    """The 送达事先告知书 step of a demo case done by 电子送达 on day `on`: the party's consent, the
    告知书 with its PDF, the e-mail, the party's 确认收到 in the afternoon (the arrival takes the case's
    serve_notice transition in the officer's name). Returns the case as it then is, or None when it
    could not be done (the caller serves on paper); nothing of a failed attempt stays."""
    from django.utils import timezone

    from zhifa.cases.models import Case
    from zhifa.documents.actions import do_generate_document
    from zhifa.notify.actions import eservice as es
    from zhifa.notify.outbox import deliver_due

    log = log or (lambda msg: None)
    party = case.parties.order_by("pk").first()
    if party is None:
        return None

    def at(hour, minute):
        return timezone.make_aware(dt.datetime.combine(on, dt.time(hour, minute)))

    try:
        with transaction.atomic():
            if es.live_consent(party) is None:
                es.do_record_consent(party, acting_user=officer, channels=["email"], email=email, signed_on=on)
            doc = do_generate_document(case, "penalty_notice", acting_user=officer, pdf=True,
                                       extra={"evidence": evidence or "现场检查笔录；询问笔录；涉案商品照片",
                                              "date": on.isoformat()})
            if doc.pdf_status != doc.PdfStatus.READY:
                raise ActionRefused("eservice.document_ready", f"文书PDF未生成（{doc.pdf_error}）", "document")
            service, token = es.do_send_document(doc, party, acting_user=officer, channel="email", at=at(9, 30))
            deliver_due()
            service = es.do_record_arrival(token, at=at(15, 0))
            case = Case.objects.get(pk=case.pk)
            if case.state != "notified":
                raise ActionRefused("eservice.demo", service.transition_note or "案件未进入已事先告知", "case")
    except (ActionRefused, CalendarUnknown) as e:
        log(f"  notify: 《行政处罚事先告知书》未能电子送达（{getattr(e, 'message', e)}），改为直接送达")
        return None
    log(f"  notify: 《行政处罚事先告知书》已电子送达{party.name}（{email}），{on:%Y-%m-%d}确认收到，送达日期{service.served_on:%Y-%m-%d}")
    return case
