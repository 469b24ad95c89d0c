"""电子送达 (行政处罚法 Art. 61): refused without the party's consent; sent by e-mail through a real SMTP
server with a per-party link; the party's 确认收到 is the arrival, which fixes the 送达日期 and takes the
case's 送达事先告知书 transition; a receipt for an unknown token is refused; no arrival → fallback."""
import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from tests.builders import case_at
from tests.documents.helpers import ADDRESS, BASIS, FACTS
from tests.notify.helpers import smtp_server, tiny_pdf
from zhifa.common.actions import ActionRefused
from zhifa.documents.actions import do_generate_document
from zhifa.notify.actions import eservice as es
from zhifa.notify.models import Service
from zhifa.notify.outbox import deliver_due

SENT = dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def cw(shared_cw):
    return shared_cw


@pytest.fixture
def proposed(cw, monkeypatch):
    monkeypatch.setattr("zhifa.documents.actions.convert_pdf", tiny_pdf)
    with time_machine.travel(SENT, tick=False):
        case = case_at(cw, "proposed", party=factories.person_party("陈某某", address=ADDRESS, phone="13800000000"),
                       facts=FACTS, legal_basis=BASIS)
        doc = do_generate_document(case, "penalty_notice", acting_user=cw["u1"],
                                   extra={"evidence": "现场检查笔录", "date": "2026-03-31"})
    return case, case.parties.first(), doc


def refused(rule, fn, *a, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*a, **kw)
    assert e.value.rule == rule, e.value
    return e.value


def test_sending_without_consent_is_refused_naming_art_61(cw, proposed):
    case, party, doc = proposed
    e = refused("eservice.consent_required", es.do_send_document, doc, party, acting_user=cw["u1"], channel="email")
    assert "第六十一条" in e.message and e.field == "party"
    assert not Service.objects.filter(case=case).exists()


def test_consent_is_checked_and_a_withdrawn_consent_stops_sending(cw, proposed):
    case, party, doc = proposed
    day = dt.date(2026, 3, 30)
    refused("eservice.consent_valid", es.do_record_consent, party, acting_user=cw["u1"], channels=["email"],
            email="not-an-address", signed_on=day)
    c = es.do_record_consent(party, acting_user=cw["u1"], channels=["email"], email="party@example.cn", signed_on=day)
    refused("eservice.consent_exists", es.do_record_consent, party, acting_user=cw["u1"], channels=["sms"],
            mobile="13800001111", signed_on=day)
    refused("eservice.channel_consented", es.do_send_document, doc, party, acting_user=cw["u1"], channel="sms")
    es.do_withdraw_consent(c, acting_user=cw["u1"], reason="当事人书面撤回")
    refused("eservice.consent_required", es.do_send_document, doc, party, acting_user=cw["u1"], channel="email")


def test_the_party_receives_the_notice_by_mail_and_the_arrival_serves_it(cw, proposed, settings, client,
                                                                       django_capture_on_commit_callbacks):
    case, party, doc = proposed
    es.do_record_consent(party, acting_user=cw["u1"], channels=["email"], email="party@example.cn",
                         signed_on=dt.date(2026, 3, 30))
    with smtp_server(settings) as smtp:
        with time_machine.travel(SENT, tick=False):
            service, token = es.do_send_document(doc, party, acting_user=cw["u1"], channel="email")
            deliver_due()
        mail = smtp.decoded()
    assert len(mail) == 1 and mail[0]["to"] == ["party@example.cn"] and "行政处罚事先告知书" in mail[0]["subject"]
    link = re.search(r"https?://\S+/gs/sd/(\S+)/", mail[0]["body"])
    assert link and link.group(1) == token and token not in str(Service.objects.values().get(pk=service.pk))
    case.refresh_from_db()
    assert case.state == "proposed"  # sending is not service
    page = client.get(f"/gs/sd/{token}/")
    assert page.status_code == 200 and "确认收到" in page.content.decode()
    assert client.get(f"/gs/sd/{token}/pdf/").status_code == 404  # not before the arrival
    arrival = SENT + dt.timedelta(days=2)
    with time_machine.travel(arrival, tick=False):
        r = client.post(f"/gs/sd/{token}/")
    assert r.status_code == 302
    service.refresh_from_db()
    case.refresh_from_db()
    assert service.state == "arrived" and service.served_on == dt.date(2026, 4, 4)
    assert case.state == "notified" and case.rights_notice_served_on == dt.date(2026, 4, 4)
    assert "已登记案件送达环节" in service.transition_note
    pdf = client.get(f"/gs/sd/{token}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Opening again changes nothing.
    with time_machine.travel(arrival + dt.timedelta(days=3), tick=False):
        es.do_record_arrival(token)
    service.refresh_from_db()
    assert service.served_on == dt.date(2026, 4, 4)
    staff = client
    staff.force_login(cw["u1"])
    assert "已到达" in staff.get(reverse("notify-case", args=[case.pk])).content.decode()


def test_an_unknown_token_is_refused_and_the_page_says_so(cw, client):
    refused("eservice.unknown_token", es.do_record_arrival, "no-such-token")
    r = client.post("/gs/sd/no-such-token/")
    assert r.status_code == 404 and "无效" in r.content.decode()


def test_no_arrival_by_the_fallback_date_asks_for_post_or_public_notice(cw, proposed, settings):
    from zhifa.review.models import Notice

    case, party, doc = proposed
    es.do_record_consent(party, acting_user=cw["u1"], channels=["email"], email="party@example.cn",
                         signed_on=dt.date(2026, 3, 30))
    with time_machine.travel(SENT, tick=False):
        service, _token = es.do_send_document(doc, party, acting_user=cw["u1"], channel="email")
    assert service.fallback_due_on == dt.date(2026, 4, 2) + dt.timedelta(days=settings.ZHIFA_ESERVICE_FALLBACK_DAYS)
    assert case.deadlines.filter(kind="eservice_arrival", state="running").exists()
    assert es.mark_fallbacks(service.fallback_due_on)["fallback"] == 0
    assert es.mark_fallbacks(service.fallback_due_on + dt.timedelta(days=1))["fallback"] == 1
    service.refresh_from_db()
    assert service.state == "fallback" and "公告送达" in service.transition_note
    assert Notice.objects.filter(user=cw["u1"], text__contains="改用邮寄送达或公告送达").exists()


def test_a_bounced_service_mail_is_failed_and_the_officer_told(cw, proposed, settings):
    case, party, doc = proposed
    es.do_record_consent(party, acting_user=cw["u1"], channels=["email"], email="bounce@example.cn",
                         signed_on=dt.date(2026, 3, 30))
    with smtp_server(settings):
        service, _t = es.do_send_document(doc, party, acting_user=cw["u1"], channel="email")
        deliver_due()
    service.refresh_from_db()
    assert service.state == "failed" and "退信" in service.transition_note


def test_the_demo_serves_the_notice_electronically_where_the_party_consented(cw, proposed):
    """zhifa/site/demo/cases.py calls this at the 送达事先告知书 step of the demo case whose party consented:
    the 告知书 goes by e-mail on that day and its arrival serves it (送达日期 = that day)."""
    from django.core import mail
    from django.utils import timezone

    from zhifa.notify.demo import serve_notice_electronically

    case, party, _doc = proposed
    on = dt.date(2026, 4, 3)
    with time_machine.travel(SENT + dt.timedelta(days=5), tick=False):
        served = serve_notice_electronically(case, officer=cw["u1"], on=on, email="hengchang@example.cn")
    assert served is not None and served.state == "notified" and served.rights_notice_served_on == on
    later = timezone.now() + dt.timedelta(hours=1)
    refused("validation", es.do_send_document, service_doc(case), case.parties.first(), acting_user=cw["u1"],
            channel="email", at=later)  # the sending time may not lie ahead
    service = Service.objects.get(case=case)
    assert service.state == "arrived" and service.served_on == on and service.document.doc_type == "penalty_notice"
    assert service.sent_at.date() == on and service.consent.email == "hengchang@example.cn"
    assert [m.to for m in mail.outbox] == [["hengchang@example.cn"]] and "行政处罚事先告知书" in mail.outbox[0].subject


def service_doc(case):
    return Service.objects.get(case=case).document


def test_the_demo_serves_on_paper_when_the_pdf_cannot_be_made(cw, proposed, monkeypatch):
    from zhifa.documents.render import PdfUnavailable
    from zhifa.notify.demo import serve_notice_electronically
    from zhifa.notify.models import Consent

    def no_pdf(*_a, **_kw):
        raise PdfUnavailable("LibreOffice 不可用")

    case, _party, _doc = proposed
    monkeypatch.setattr("zhifa.documents.actions.convert_pdf", no_pdf)
    lines = []
    with time_machine.travel(SENT + dt.timedelta(days=5), tick=False):
        assert serve_notice_electronically(case, officer=cw["u1"], on=dt.date(2026, 4, 3), log=lines.append) is None
    assert "直接送达" in lines[0]
    assert not Consent.objects.filter(case=case).exists() and not Service.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.state == "proposed"
