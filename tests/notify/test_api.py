"""/api/v1/notify with personal tokens: a party's consent recorded and read, a document sent and its
service and message followed to 已发送, a resend (the earlier link withdrawn; an arrived service is not
sent again), and the scope: another entity's case is 404, a colleague who is not a handler 403 on write,
bad input 422 in Chinese naming the field."""
import datetime as dt

import pytest
import time_machine

from tests import factories
from tests.api.conftest import ApiClient
from tests.builders import case_at
from tests.documents.helpers import ADDRESS, BASIS, FACTS
from tests.notify.helpers import tiny_pdf
from zhifa.accounts.api import make_token
from zhifa.common.roles import Role
from zhifa.documents.actions import do_generate_document
from zhifa.notify.actions import eservice as es
from zhifa.notify.models import Service
from zhifa.notify.outbox import deliver_due

SENT = dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SIGNED = "2026-03-30"


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


@pytest.fixture
def travel():
    with time_machine.travel(SENT, tick=False):
        yield


def client(user):
    return ApiClient(token=make_token(user))


def consent(api, party, **body):
    return api.post(f"/notify/parties/{party.pk}/consent",
                    {"channels": ["email"], "email": "party@example.cn", "signed_on": SIGNED, **body})


def test_consent_send_and_follow_the_service_and_its_message(cw, proposed, travel):
    case, party, doc = proposed
    api = client(cw["u1"])
    r = api.get(f"/notify/parties/{party.pk}/consent")
    assert r.status_code == 200 and r.json()["consent"] is None and r.json()["history"] == []
    bad = consent(api, party, email="not-an-address")
    assert bad.status_code == 409 and bad.json()["rule"] == "eservice.consent_valid"  # the action's named rule
    assert bad.json()["field"] == "email" and "邮箱" in bad.json()["message"]
    missing = api.post(f"/notify/parties/{party.pk}/consent", {"channels": ["email"], "email": "party@example.cn"})
    assert missing.status_code == 422 and "确认书签署日期" in missing.content.decode()
    wrong = consent(api, party, channels=["fax"])
    assert wrong.status_code == 422 and "同意的送达方式" in wrong.content.decode()
    made = consent(api, party)
    assert made.status_code == 201, made.content.decode()
    assert made.json()["live"] and made.json()["channels"] == ["email"] and made.json()["party"]["name"] == "陈某某"
    again = consent(api, party)
    assert again.status_code == 409 and again.json()["rule"] == "eservice.consent_exists"
    assert api.get(f"/notify/parties/{party.pk}/consent").json()["consent"]["id"] == made.json()["id"]
    assert [c["id"] for c in api.get(f"/notify/case/{case.pk}/consents").json()] == [made.json()["id"]]

    sms = api.post(f"/notify/case/{case.pk}/send", {"document": doc.pk, "party": party.pk, "channel": "sms"})
    assert sms.status_code == 409 and sms.json()["rule"] == "eservice.channel_consented"
    other = api.post(f"/notify/case/{case.pk}/send", {"document": 2**62, "party": party.pk, "channel": "email"})
    assert other.status_code == 422 and other.json()["field"] == "document" and "文书" in other.json()["message"]
    sent = api.post(f"/notify/case/{case.pk}/send", {"document": doc.pk, "party": party.pk, "channel": "email"})
    assert sent.status_code == 201, sent.content.decode()
    body = sent.json()
    assert body["state"] == "sent" and body["served_on"] is None and body["document"]["doc_type"] == "penalty_notice"
    assert body["message_state"] == "queued" and "token" not in str(body)
    deliver_due()
    services = api.get(f"/notify/case/{case.pk}/services").json()
    assert [(s["id"], s["state"], s["message_state"]) for s in services] == [(body["id"], "sent", "sent")]
    messages = api.get(f"/notify/case/{case.pk}/messages", {"channel": "email"}).json()
    assert messages["count"] == 1 and messages["items"][0]["state"] == "sent"
    assert messages["items"][0]["attempts"] == 1 and "电子送达" in messages["items"][0]["subject"]
    assert api.get(f"/notify/case/{case.pk}/messages", {"state": "nope"}).status_code == 422

    withdrawn = api.post(f"/notify/consents/{made.json()['id']}/withdraw", {"reason": "当事人书面撤回"})
    assert withdrawn.status_code == 200 and withdrawn.json()["live"] is False
    assert api.get(f"/notify/parties/{party.pk}/consent").json()["consent"] is None


def test_resend_withdraws_the_earlier_link_and_an_arrived_service_is_not_sent_again(cw, proposed, travel):
    case, party, doc = proposed
    es.do_record_consent(party, acting_user=cw["u1"], channels=["email", "sms"], email="party@example.cn",
                         mobile="13800001111", signed_on=dt.date(2026, 3, 30))
    first, first_token = es.do_send_document(doc, party, acting_user=cw["u1"], channel="email")
    api = client(cw["u1"])
    r = api.post(f"/notify/services/{first.pk}/resend", {"channel": "sms"})
    assert r.status_code == 201, r.content.decode()
    second = Service.objects.get(pk=r.json()["id"])
    assert second.channel == "sms" and second.document_id == doc.pk and r.json()["state"] == "sent"
    first.refresh_from_db()
    assert first.state == "cancelled" and "重新发送" in first.transition_note
    assert first.message.state == "cancelled"  # never sent with the withdrawn link
    deliver_due()
    second.message.refresh_from_db()
    assert second.message.state == "sent"
    first.message.refresh_from_db()
    assert first.message.state == "cancelled" and first.message.attempts == 0
    # The earlier link no longer serves; the new one does (the token travels only in the message).
    with pytest.raises(es.ActionRefused):
        es.do_record_arrival(first_token)
    again = api.post(f"/notify/services/{first.pk}/resend", {})
    assert again.status_code == 409 and again.json()["rule"] == "eservice.resend_state"
    assert again.json()["field"] == "service" and "不能重新发送" in again.json()["message"]
    second.state, second.arrived_at, second.served_on = "arrived", SENT, SENT.date()
    second.save(update_fields=["state", "arrived_at", "served_on"])
    arrived = api.post(f"/notify/services/{second.pk}/resend", {})
    assert arrived.status_code == 409 and arrived.json()["rule"] == "eservice.resend_state"
    assert Service.objects.filter(case=case).count() == 2
    assert api.post(f"/notify/services/{second.pk}/resend", {"channel": "fax"}).status_code == 422


def test_scope_other_entity_404_colleague_403_anonymous_401(cw, proposed, travel):
    case, party, doc = proposed
    c = es.do_record_consent(party, acting_user=cw["u1"], channels=["email"], email="party@example.cn",
                             signed_on=dt.date(2026, 3, 30))
    service, _token = es.do_send_document(doc, party, acting_user=cw["u1"], channel="email")
    outsider = client(factories.user(Role.OFFICER, cw["df"], None, "df_officer"))
    for path in (f"/notify/case/{case.pk}/services", f"/notify/case/{case.pk}/messages",
                 f"/notify/case/{case.pk}/consents", f"/notify/parties/{party.pk}/consent"):
        r = outsider.get(path)
        assert r.status_code == 404 and "数据范围" in r.json()["message"], path
    assert outsider.post(f"/notify/services/{service.pk}/resend", {}).status_code == 404
    assert outsider.post(f"/notify/consents/{c.pk}/withdraw", {}).status_code == 404
    assert outsider.post(f"/notify/case/{case.pk}/send",
                         {"document": doc.pk, "party": party.pk, "channel": "email"}).status_code == 404
    colleague = client(cw["officer"])  # same entity, not a handler of the case: reads, may not serve
    assert colleague.get(f"/notify/case/{case.pk}/services").status_code == 200
    refused = colleague.post(f"/notify/services/{service.pk}/resend", {})
    assert refused.status_code == 403 and refused.json()["rule"] == "scope" and "承办" in refused.json()["message"]
    assert colleague.post(f"/notify/consents/{c.pk}/withdraw", {}).status_code == 403
    assert ApiClient().get(f"/notify/case/{case.pk}/services").status_code == 401
    api = client(cw["u1"])
    assert api.get(f"/notify/case/{2**64}/services").status_code in (404, 422)
    assert api.get("/notify/case/999999999/services").status_code == 404
    assert api.post("/notify/services/999999999/resend", {}).status_code == 404
