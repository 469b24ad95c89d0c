"""Demo data of the notify app (zhifa.common.registry.demo_steps), made through the actions: the party
of a demo case awaiting service signs the 电子送达地址确认书, the officer sends the 告知书 (a case awaiting
事先告知) or else the 决定书 (the decided demo case) by e-mail
(in demo mode the mail is a file under $ZHIFA_DATA_DIR/mail/), and the seed prints the party's link:
opening it and pressing 确认收到 serves the notice (送达日期 = that day) and moves the case on."""
from __future__ import annotations

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
