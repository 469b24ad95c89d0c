"""到场 and 亮码入企 (issue 20, item 3): a party's scan of an officer's 亮证码 naming the task is logged
once as the officers' arrival; a bad or expired code, an officer not on the task, a finished task are
refused with the rule named; the task's public page shows the officers, the 检查通知 and takes feedback."""
import json
import time

import pytest

from tests import factories
from zhifa.common.actions import ActionRefused
from zhifa.disclosure import arrival, cert_token
from zhifa.ledger.models import LedgerEntry
from zhifa.orgs.models import Certificate
from zhifa.records.models import FieldArrival

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def cert_of(officer):
    return Certificate.objects.filter(officer=officer).first()


def refused(rule, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, e.value
    return e.value


def test_officer_scan_naming_the_task_is_logged_once(cw):
    case = factories.case(cw)
    token = cert_token.issue(cert_of(cw["h1"]), task=case, now=1_800_000_000)
    a = arrival.do_log_officer_scan(token, now=1_800_000_100)
    assert a.case_id == case.pk and a.officer_id == cw["h1"].pk and a.source == "officer_qr" and not a.replayed
    again = arrival.do_log_officer_scan(token, now=1_800_000_200)
    assert again.pk == a.pk and again.replayed
    assert FieldArrival.objects.filter(case=case).count() == 1
    body = json.loads(LedgerEntry.objects.get(event_type="field.arrival", subject_id=str(a.pk)).body)
    assert body["case"] == case.pk and body["data"]["certificate_number"] == cert_of(cw["h1"]).number
    arrival.do_log_task_page_open(case)
    from tests.ledger.test_verify import run_verify

    code, out = run_verify()
    assert code == 0, out


def test_bad_codes_and_officers_not_on_the_task_are_refused(cw):
    case = factories.case(cw)
    refused("cert.qr_signature", arrival.do_log_officer_scan, "garbage")
    old = cert_token.issue(cert_of(cw["h1"]), task=case, now=1_800_000_000)
    refused("cert.qr_expired", arrival.do_log_officer_scan, old, now=1_800_000_000 + cert_token.TTL_SECONDS + 1)
    plain = cert_token.issue(cert_of(cw["h1"]), now=1_800_000_000)
    refused("field.arrival_no_task", arrival.do_log_officer_scan, plain, now=1_800_000_100)
    stranger = cert_token.issue(cert_of(cw["h3"]), task=case, now=1_800_000_000)
    refused("field.arrival_not_handler", arrival.do_log_officer_scan, stranger, now=1_800_000_100)
    from zhifa.cases.models import Case

    Case.objects.filter(pk=case.pk).update(state="closed")
    closed = cert_token.issue(cert_of(cw["h1"]), task=case, now=1_800_000_000)
    refused("field.arrival_closed", arrival.do_log_officer_scan, closed, now=1_800_000_100)
    refused("field.arrival_closed", arrival.do_log_task_page_open, Case.objects.get(pk=case.pk))
    assert not FieldArrival.objects.exists()


def test_check_page_reports_the_arrival_over_http(cw, client):
    case = factories.case(cw)
    token = cert_token.issue(cert_of(cw["h1"]), task=case, now=time.time())
    r = client.post("/gs/xc/arrival/", json.dumps({"token": token}), content_type="application/json")
    assert r.status_code == 201, r.content
    r = client.post("/gs/xc/arrival/", json.dumps({"token": token}), content_type="application/json")
    assert r.status_code == 200 and r.json()["replayed"]
    r = client.post("/gs/xc/arrival/", json.dumps({"token": "x.y"}), content_type="application/json")
    assert r.status_code == 422 and r.json()["rule"] == "cert.qr_signature"
    assert b"data-arrival=\"/gs/xc/arrival/\"" in client.get("/gs/cert/v/").content
    # The officer's QR page names a task the officer is on.
    from django.test import Client

    staff = Client()
    staff.force_login(cw["head"])
    cert = cert_of(cw["h1"])
    page = staff.get(f"/disclosure/certificates/{cert.pk}/?task={case.pk}").content.decode()
    assert f"signed-qr.svg?task={case.pk}" in page and "到场任务" in page
    assert staff.get(f"/disclosure/certificates/{cert.pk}/signed-qr.svg?task={case.pk}").status_code == 200


def test_task_page_shows_officers_notice_and_takes_feedback(cw, client):
    from tests.accounts.test_headers import check_headers
    from zhifa.disclosure.models import Complaint

    case = factories.case(cw)
    ref = arrival.task_ref(case)
    r = client.get(f"/gs/xc/t/{ref}/")
    assert r.status_code == 200
    check_headers(r)
    html = r.content.decode()
    assert "检查通知" in html and "刘一" in html and cert_of(cw["h1"]).number in html and "意见反馈" in html
    assert FieldArrival.objects.filter(case=case, source="inspection_qr").count() == 1
    client.get(f"/gs/xc/t/{ref}/")
    assert FieldArrival.objects.filter(case=case).count() == 1, "one arrival a day from the page"
    r = client.post(f"/gs/xc/t/{ref}/", {"kind": "consult", "content": "检查何时出结果？", "contact": "13800000000"})
    assert r.status_code == 200 and "查询码" in r.content.decode()
    c = Complaint.objects.get(entity=case.entity)
    assert c.content.startswith("【亮码入企") and "检查何时出结果？" in c.content
    assert client.get("/gs/xc/t/forged/").status_code == 404
    staff = client
    staff.force_login(cw["u1"])
    page = staff.get(f"/records/field/case/{case.pk}/").content.decode()
    assert "亮码入企" in page, page
    assert f"/disclosure/field/case/{case.pk}/task/" in page and "task-qr.svg" in page
    assert staff.get(f"/disclosure/field/case/{case.pk}/task/")["Location"].startswith("http://testserver/gs/xc/t/")
    svg = staff.get(f"/disclosure/field/case/{case.pk}/task-qr.svg")
    assert svg.status_code == 200 and b"xmlns" in svg.content
