"""信用修复 on the public portal: the party applies with the access code printed on its documents
(actions.credit_repair.do_submit_repair_online, /gs/results/<id>/repair/), staff see it in the queue marked
网上申请 with the contact, the head decides, and the party reads the outcome with the same code."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.disclosure.conftest import decided_case
from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.disclosure.actions import credit_repair as repair_actions
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.models import CreditRepair, Publication
from zhifa.disclosure.pipeline import access_code


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


OK = dict(fulfilled=True, harm_removed=True, no_repeat=True, not_listed=True)
CONTACT = "13712348765"
PubState = Publication.State


@pytest.fixture(autouse=True)
def _fresh_rate(settings):
    settings.ZHIFA_REPAIR_RATE = 5
    cache.clear()
    yield
    cache.clear()


def refused(rule, fn, *a, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*a, **kw)
    assert e.value.rule == rule, e.value.message
    return e.value


def published(cw, on=dt.date(2026, 4, 23), **kw):
    return publication_actions.do_approve(decided_case(cw, **kw).publication, acting_user=cw["head"], on=on)


def submit(pub, on=dt.date(2026, 8, 1), client="1.2.3.4", **kw):
    args = {"access_code": access_code(pub.case), "applicant": "张建国", "contact": CONTACT,
            "reason": "已缴清罚款并整改到位", "client": client, **OK, **kw}
    return repair_actions.do_submit_repair_online(pub, on=on, **args)


# ---- the action ---------------------------------------------------------------------------------
def test_online_request_is_approved_and_the_entry_leaves_public_view(cw, client):
    pub = published(cw)
    repair = submit(pub, access_code=access_code(pub.case).lower())  # the code is not case-sensitive
    assert (repair.state, repair.channel, repair.contact, repair.applicant_kind) == ("pending", "portal", CONTACT, "party")
    assert repair.requested_by is None and repair.requested_on == dt.date(2026, 8, 1) and repair.fulfilled
    log = ChangeLog.objects.get(object_id=str(repair.pk), content_type__model="creditrepair")
    assert log.action == ChangeLog.Action.CREATE and log.reason.startswith("公示平台网上申请信用修复")
    assert [r.pk for r in repair_actions.pending_for(cw["head"])] == [repair.pk]
    repair_actions.do_approve_repair(repair, acting_user=cw["head"], note="经核实符合条件", on=dt.date(2026, 8, 5))
    pub.refresh_from_db()
    assert pub.state == PubState.EXPIRED and pub.expiry_cause == "credit_repair"
    assert client.get(f"/gs/results/{pub.pk}/").status_code == 404
    assert client.get(f"/api/v1/public/decisions/{pub.pk}").status_code == 404
    assert pub.decision_number not in client.get("/gs/results/").content.decode()
    status = repair_actions.online_status(pub, access_code=access_code(pub.case))
    assert [(s["state"], s["note"], s["channel"]) for s in status] == [("approved", "经核实符合条件", "网上申请")]


def test_wrong_access_code_is_refused(cw):
    pub, other = published(cw), published(cw)
    err = refused("repair.access_code", submit, pub, access_code="")
    assert err.field == "access_code" and "查询码" in err.message
    refused("repair.access_code", submit, pub, access_code=access_code(other.case))  # another case's code
    refused("repair.access_code", submit, pub, access_code="码码码码码码码码")  # non-ASCII does not crash
    assert not CreditRepair.objects.exists()


def test_min_period_severe_penalty_and_duplicate(cw):
    pub = published(cw)
    err = refused("repair.min_period", submit, pub, on=dt.date(2026, 7, 22))  # 3 months from 23 April: 23 July
    assert "2026年07月23日" in err.message
    assert submit(pub, on=dt.date(2026, 7, 23)).state == "pending"
    refused("repair.pending", submit, pub)
    staff_side = published(cw)
    repair_actions.do_request_repair(staff_side, acting_user=cw["head"], reason="当事人来窗口申请", applicant="张建国",
                                     on=dt.date(2026, 8, 1))
    refused("repair.pending", submit, staff_side)  # one pending request whatever the channel
    severe = published(cw, penalty={"penalty_kinds": ["fine", "revoke_licence"], "fine_amount": "5000"})
    assert "吊销许可证件" in refused("repair.severe_penalty", submit, severe).message
    assert CreditRepair.objects.count() == 2


def test_form_rules(cw):
    pub = published(cw)
    assert refused("repair.reason", submit, pub, reason=" 无 ").field == "reason"
    assert refused("repair.applicant", submit, pub, applicant="  ").field == "applicant"
    assert refused("validation", submit, pub, contact="1" * 101).field == "contact"
    publication_actions.do_withdraw(pub, acting_user=cw["head"], ground="revoked", public_reason="原处罚决定已被撤销")
    refused("repair.publication_state", submit, pub)
    assert not CreditRepair.objects.exists()


def test_rate_limit(cw, settings):
    settings.ZHIFA_REPAIR_RATE = 2
    pub, other = published(cw), published(cw)
    refused("repair.access_code", submit, pub, access_code="00000000")
    submit(other)
    err = refused("repair.rate_limited", submit, pub)  # the right code, but the third attempt this hour
    assert "一小时" in err.message
    assert submit(pub, client="5.6.7.8").state == "pending"  # another address
    # wrong codes in status lookups count too; then even the right code waits
    refused("repair.access_code", repair_actions.online_status, pub, access_code="BAD", client="9.9.9.9")
    refused("repair.access_code", repair_actions.online_status, pub, access_code="BAD", client="9.9.9.9")
    refused("repair.rate_limited", repair_actions.online_status, pub, access_code=access_code(pub.case), client="9.9.9.9")


def test_status_lookup(cw):
    pub = published(cw)
    code = access_code(pub.case)
    assert repair_actions.online_status(pub, access_code=code) == []
    repair = submit(pub, harm_removed=False)
    [s] = repair_actions.online_status(pub, access_code=code)
    assert s["state"] == "pending" and s["note"] == "" and "contact" not in s
    repair_actions.do_reject_repair(repair, acting_user=cw["head"], note="尚未消除危害后果")
    [s] = repair_actions.online_status(pub, access_code=code)
    assert (s["state"], s["state_label"], s["note"]) == ("rejected", "不予批准", "尚未消除危害后果")
    refused("repair.access_code", repair_actions.online_status, pub, access_code="BAD")


# ---- the pages ------------------------------------------------------------------------------------
def page_pub(cw):
    return published(cw, on=dt.date(2026, 6, 1))  # over the 3-month minimum today (the pages use today's date)


def form(pub, **kw):
    return {"op": "submit", "access_code": access_code(pub.case), "applicant": "张建国", "contact": CONTACT,
            "reason": "已缴清罚款并整改到位", **dict.fromkeys(OK, "on"), **kw}


def test_portal_pages_request_approve_and_status(cw, client):
    pub = page_pub(cw)
    decision = client.get(f"/gs/results/{pub.pk}/").content.decode()
    assert f'href="/gs/results/{pub.pk}/repair/"' in decision and "申请信用修复" in decision
    page = client.get(f"/gs/results/{pub.pk}/repair/")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="repair-online-form"' in text
    assert "第十四条" in text and "未列入经营异常名录和严重违法失信名单" in text and "吊销许可证件" in text
    assert 'data-testid="earliest">2026-09-01' in text
    resp = client.post(f"/gs/results/{pub.pk}/repair/", form(pub))
    text = resp.content.decode()
    assert resp.status_code == 200 and 'data-testid="repair-submitted"' in text and CONTACT not in text
    repair = CreditRepair.objects.get(publication=pub)
    assert repair.channel == "portal" and repair.requested_on == timezone.localdate()
    # staff: the queue marks it 网上申请 with the contact; the head approves from the staff page
    client.force_login(cw["head"])
    queue = client.get("/disclosure/").content.decode()
    assert 'data-testid="repair-online">网上申请' in queue and f'data-testid="repair-contact">{CONTACT}<' in queue
    assert CONTACT in client.get(f"/disclosure/{pub.pk}/").content.decode()
    api = client.get(f"/api/v1/credit-repairs/{repair.pk}").json()  # the staff API
    assert (api["channel"], api["contact"]) == ("portal", CONTACT)
    client.post(f"/disclosure/repairs/{repair.pk}/", {"op": "approve", "note": "经核实符合条件"})
    client.logout()
    assert client.get(f"/gs/results/{pub.pk}/").status_code == 404
    # the party reads the outcome on the same page, which now shows nothing of the decision
    page = client.get(f"/gs/results/{pub.pk}/repair/").content.decode()
    assert 'data-testid="not-public"' in page and pub.decision_number not in page and "repair-online-form" not in page
    resp = client.post(f"/gs/results/{pub.pk}/repair/", {"op": "status", "access_code": access_code(pub.case)})
    text = resp.content.decode()
    assert 'data-testid="repair-state">已批准<' in text and "经核实符合条件" in text and CONTACT not in text
    assert "张建国" not in text


def test_portal_page_shows_errors_next_to_the_field(cw, client):
    pub = page_pub(cw)
    url = f"/gs/results/{pub.pk}/repair/"
    cases = [({"access_code": "WRONG123"}, "access_code", "查询码"), ({"applicant": ""}, "applicant", "申请人"),
             ({"reason": "无"}, "reason", "申请理由")]
    for change, field, words in cases:
        resp = client.post(url, form(pub, **change))
        text = resp.content.decode()
        assert resp.status_code == 422, field
        assert f'data-testid="error-{field}">{words}' in text
    assert 'value="张建国"' in text and ">无</textarea>" in text  # the input is kept
    too_early = published(cw, on=max(timezone.localdate() - dt.timedelta(days=10), dt.date(2026, 4, 23)))
    resp = client.post(f"/gs/results/{too_early.pk}/repair/", form(too_early))
    assert resp.status_code == 422 and "公示未满规定时限" in resp.content.decode()
    resp = client.post(f"/gs/results/{pub.pk}/repair/", {"op": "status", "access_code": "BAD"})
    assert resp.status_code == 422 and 'data-testid="error-status">查询码' in resp.content.decode()
    resp = client.post(url, {"op": "submit"})  # nothing filled in
    assert resp.status_code == 422 and 'data-testid="error-applicant"' in resp.content.decode()
    assert not CreditRepair.objects.exists()


def test_portal_page_rate_limit_and_severe(cw, client, settings):
    settings.ZHIFA_REPAIR_RATE = 1
    pub = page_pub(cw)
    url = f"/gs/results/{pub.pk}/repair/"
    assert client.post(url, form(pub, access_code="00000000")).status_code == 422
    resp = client.post(url, form(pub))
    assert resp.status_code == 429 and "提交过于频繁" in resp.content.decode()
    severe = published(cw, on=dt.date(2026, 6, 1), penalty={"penalty_kinds": ["fine", "close"], "fine_amount": "5000"})
    text = client.get(f"/gs/results/{severe.pk}/repair/").content.decode()
    assert 'data-testid="severe">本决定含责令关闭处罚' in text and "repair-online-form" not in text


def test_unknown_or_never_repaired_entries_have_no_page(cw, client):
    assert client.get("/gs/results/999999/repair/").status_code == 404
    pub = page_pub(cw)
    publication_actions.do_withdraw(pub, acting_user=cw["head"], ground="revoked", public_reason="原处罚决定已被撤销")
    assert client.get(f"/gs/results/{pub.pk}/repair/").status_code == 404


def test_contact_never_on_public_pages(cw, client):
    pub = page_pub(cw)
    client.post(f"/gs/results/{pub.pk}/repair/", form(pub))
    assert CreditRepair.objects.get().contact == CONTACT
    code = access_code(pub.case)
    pages = [f"/gs/results/{pub.pk}/", f"/gs/results/{pub.pk}/repair/", "/gs/results/", "/gs/",
             f"/gs/results/{pub.pk}/proof.json", f"/api/v1/public/decisions/{pub.pk}", "/gs/feed.atom"]
    for url in pages:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert CONTACT not in resp.content.decode(), url
    # nor in any answer to the portal's forms: the status, a refused repeat request (its form is
    # shown again without the contact), a wrong code
    for data in ({"op": "status", "access_code": code}, form(pub), {"op": "status", "access_code": "BAD"}):
        text = client.post(f"/gs/results/{pub.pk}/repair/", data).content.decode()
        assert CONTACT not in text, data
    assert 'data-testid="repair-state">待审批<' in client.post(
        f"/gs/results/{pub.pk}/repair/", {"op": "status", "access_code": code}).content.decode()
