"""公示期限 (publication period) and 信用修复 (credit repair): the period rule, removal by date
everywhere, the expiry job with its ledger event, and every named rule of the repair actions."""
import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from tests.disclosure.conftest import decided_case
from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.disclosure import expiry, public
from zhifa.disclosure.actions import credit_repair as repair_actions
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.models import CreditRepair, Publication
from zhifa.ledger.models import LedgerEntry


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


@pytest.fixture
def world(cw):
    return cw


PubState = Publication.State
OK = dict(fulfilled=True, harm_removed=True, no_repeat=True, not_listed=True)


def refused(rule, fn, *a, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*a, **kw)
    assert e.value.rule == rule, e.value.message
    return e.value


def published(cw, on=dt.date(2026, 4, 23), **kw):
    return publication_actions.do_approve(decided_case(cw, **kw).publication, acting_user=cw["head"], on=on)


LOW = {"penalty": {"penalty_kinds": ["fine"], "fine_amount": "500"}}


# ---- the period rule ----------------------------------------------------------------------------
def test_low_fine_three_months_otherwise_three_years(cw):
    low = published(cw, **LOW)
    assert low.public_until == dt.date(2026, 7, 23) and "较低数额罚款" in low.period_rule
    high = published(cw)  # 5 000 yuan to a natural person: above the 1 000 default
    assert high.public_until == dt.date(2029, 4, 23) and high.period_rule == "公示36个月"


def test_org_threshold_and_warning_only(cw):
    org = published(cw, party=factories.org_party("七星关区鑫源商贸有限公司"))  # 5 000 < 10 000 for an organisation
    assert org.public_until == dt.date(2026, 7, 23) and "法人或其他组织" in org.period_rule
    warn = decided_case(cw, penalty={"penalty_kinds": ["warning"], "fine_amount": None}).publication
    warn = publication_actions.do_approve(warn, acting_user=cw["head"], on=dt.date(2026, 4, 23))
    assert warn.public_until == dt.date(2026, 7, 23) and "警告" in warn.period_rule


def test_period_is_configurable(cw, settings):
    settings.ZHIFA_PUBLICATION_PERIOD = {"low_months": 1, "months": 24, "low_fine_citizen": "6000"}
    assert published(cw).public_until == dt.date(2026, 5, 23)  # 5 000 < 6 000: low, one month
    settings.ZHIFA_PUBLICATION_PERIOD = {"low_fine_citizen": "100"}
    assert published(cw).public_until == dt.date(2029, 4, 23)


# ---- leaving public view by date, then the job ----------------------------------------------------
def test_expired_entry_leaves_every_public_view_by_date(cw, client):
    pub = published(cw, **LOW)
    assert public.published(dt.date(2026, 7, 23)).filter(pk=pub.pk).exists()  # the last public day
    assert not public.published(dt.date(2026, 7, 24)).filter(pk=pub.pk).exists()
    # today (after 23 July 2026) it is gone even though the job has not run yet
    assert Publication.objects.get(pk=pub.pk).state == PubState.PUBLISHED
    assert client.get(f"/gs/results/{pub.pk}/").status_code == 404
    assert client.get(f"/api/v1/public/decisions/{pub.pk}").status_code == 404
    assert client.get("/api/v1/public/decisions").json()["count"] == 0
    assert "共 0 条" in client.get("/gs/results/", {"q": "食品"}).content.decode()
    assert f"/gs/results/{pub.pk}/" not in client.get("/gs/feed.atom").content.decode()
    data = b"".join(client.get("/gs/data/decisions.json").streaming_content)
    assert json.loads(data) == []


def test_expire_publications_marks_with_a_ledger_event_once(cw):
    low, high = published(cw, **LOW), published(cw)
    assert expiry.expire_publications(dt.date(2026, 7, 23)) == 0
    assert expiry.expire_publications(dt.date(2026, 7, 24)) == 1
    low.refresh_from_db()
    assert low.state == PubState.EXPIRED and low.expiry_cause == "period" and low.expired_on == dt.date(2026, 7, 24)
    entry = LedgerEntry.objects.get(seq=low.expiry_seq)
    assert entry.event_type == "expiry" and "张建国" not in entry.body
    assert ChangeLog.objects.filter(object_id=str(low.pk), reason__startswith="公示期满").exists()
    assert expiry.expire_publications(dt.date(2026, 7, 24)) == 0
    assert Publication.objects.get(pk=high.pk).state == PubState.PUBLISHED
    from zhifa.disclosure.verify import publications as verify_check

    assert list(verify_check()) == []


def test_expire_command(cw):
    from io import StringIO

    pub = published(cw, **LOW)
    out = StringIO()
    call_command("expire_publications", "--today", "2026-08-01", stdout=out)
    assert "1" in out.getvalue() and Publication.objects.get(pk=pub.pk).state == PubState.EXPIRED


# ---- credit repair --------------------------------------------------------------------------------
def request(cw, pub, on=dt.date(2026, 8, 1), **kw):
    args = {"reason": "已缴清罚款并整改到位", "applicant": "张建国", **OK, **kw}
    return repair_actions.do_request_repair(pub, acting_user=cw["head"], on=on, **args)


def test_approved_repair_takes_the_entry_down_with_a_ledger_event(cw, client):
    pub = published(cw)
    repair = request(cw, pub)
    assert repair.state == "pending" and repair.requested_by == cw["head"]
    repair = repair_actions.do_approve_repair(repair, acting_user=cw["head"], note="符合条件", on=dt.date(2026, 8, 5))
    pub.refresh_from_db()
    assert repair.state == "approved" and pub.state == PubState.EXPIRED and pub.expiry_cause == "credit_repair"
    assert LedgerEntry.objects.get(seq=pub.expiry_seq).event_type == "expiry"
    assert client.get(f"/gs/results/{pub.pk}/").status_code == 404
    assert not public.published().filter(pk=pub.pk).exists()


def test_request_rules(cw):
    pub = published(cw)
    refused("repair.applicant", request, cw, pub, applicant="")
    assert request(cw, pub, applicant="", applicant_kind="staff").applicant_kind == "staff"
    refused("repair.pending", request, cw, pub)
    other = published(cw)
    refused("repair.reason", request, cw, other, reason="无")
    refused("repair.min_period", request, cw, other, on=dt.date(2026, 7, 22))  # 3 months from 23 April: 23 July
    assert request(cw, other, on=dt.date(2026, 7, 23)).state == "pending"
    refused("validation", request, cw, published(cw), applicant_kind="x")


def test_only_public_entries_can_be_repaired(cw):
    pub = published(cw)
    publication_actions.do_withdraw(pub, acting_user=cw["head"], ground="revoked", public_reason="原处罚决定已被撤销")
    refused("repair.publication_state", request, cw, pub)
    low = published(cw, **LOW)
    refused("repair.publication_state", request, cw, low, on=dt.date(2026, 8, 1))  # already past its period


def test_severe_penalty_cannot_stop_early(cw):
    assert repair_actions.severe_kinds(published(cw)) == []
    pub = published(cw, penalty={"penalty_kinds": ["fine", "revoke_licence"], "fine_amount": "5000"})
    refused("repair.severe_penalty", request, cw, pub)


def test_decision_rules(cw):
    pub = published(cw)
    repair = request(cw, pub, no_repeat=False)
    refused("repair.approver_role", repair_actions.do_approve_repair, repair, acting_user=cw["unit_head"], on=dt.date(2026, 8, 5))
    refused("repair.conditions", repair_actions.do_approve_repair, repair, acting_user=cw["head"], on=dt.date(2026, 8, 5))
    refused("repair.note", repair_actions.do_reject_repair, repair, acting_user=cw["head"], note="")
    repair = repair_actions.do_reject_repair(repair, acting_user=cw["head"], note="尚未确认未再次违法")
    assert repair.state == "rejected"
    refused("repair.state", repair_actions.do_approve_repair, repair, acting_user=cw["head"])
    assert Publication.objects.get(pk=pub.pk).state == PubState.PUBLISHED


def test_repeat_offence_blocks_approval(cw):
    party = factories.person_party("张建国", n=4242, phone="13985712345")
    pub = published(cw, party=party)
    repair = request(cw, pub)
    decided_case(cw, party=factories.person_party("张建国", n=4242), on=dt.date(2026, 5, 6))  # same ID number, later
    err = refused("repair.repeat_offence", repair_actions.do_approve_repair, repair, acting_user=cw["head"], on=dt.date(2026, 8, 5))
    assert "再次受到处罚" in err.message


def test_repair_scope(cw, world):
    pub = published(cw)
    outsider = factories.user("agency_head", world["df"])
    refused("scope", request, cw | {"head": outsider}, pub)


# ---- staff pages and API --------------------------------------------------------------------------
def test_staff_pages_request_and_approve(cw, client):
    pub = published(cw, on=dt.date(2026, 6, 1))
    client.force_login(cw["head"])
    page = client.get(f"/disclosure/{pub.pk}/").content.decode()
    assert 'data-testid="public-until">2029-06-01<' in page and 'data-testid="repair-form"' in page
    resp = client.post(f"/disclosure/{pub.pk}/repair/", {"applicant_kind": "party", "applicant": "张建国",
                                                         "reason": "已履行处罚决定", **dict.fromkeys(OK, "on")})
    assert resp.status_code == 302
    repair = CreditRepair.objects.get(publication=pub)
    assert "张建国" in client.get("/disclosure/").content.decode()  # 待审批的信用修复申请
    client.post(f"/disclosure/repairs/{repair.pk}/", {"op": "approve", "note": "同意"})
    assert Publication.objects.get(pk=pub.pk).state == PubState.EXPIRED
    page = client.get(f"/disclosure/{pub.pk}/").content.decode()
    assert "信用修复" in page and "已停止公示" in page


def test_staff_page_shows_refusal(cw, client):
    # The page applies today's date: published ten days ago is under the 3-month minimum in any year.
    pub = published(cw, on=max(timezone.localdate() - dt.timedelta(days=10), dt.date(2026, 4, 23)))
    client.force_login(cw["head"])
    resp = client.post(f"/disclosure/{pub.pk}/repair/", {"applicant_kind": "party", "applicant": "张建国",
                                                         "reason": "已履行处罚义务"}, follow=True)
    assert "公示未满规定时限" in resp.content.decode()


def test_credit_repair_api(cw, client):
    pub = published(cw, on=dt.date(2026, 6, 1))
    client.force_login(cw["head"])
    resp = client.post("/api/v1/credit-repairs", {"publication": pub.pk, "applicant": "张建国", "reason": "已整改完毕",
                                                  **OK}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    rid = resp.json()["id"]
    resp = client.post(f"/api/v1/credit-repairs/{rid}/approve", {"note": "同意"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "approved"
    staff = client.get(f"/api/v1/disclosure/publications/{pub.pk}").json()
    assert staff["state"] == "expired" and staff["expiry_cause"] == "credit_repair"
    again = client.post(f"/api/v1/credit-repairs/{rid}/reject", {"note": "重复审批"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["rule"] == "repair.state"


# ---- item 5: the supervisor sees an overdue withdrawal ------------------------------------------
def test_supervisor_sees_overdue_withdrawal(cw, client):
    pub = published(cw)
    publication_actions.do_flag_withdrawal(pub, acting_user=cw["head"], ground="revoked", occurred_on=dt.date(2026, 5, 4))
    client.force_login(cw["sup_county"])
    page = client.get("/disclosure/").content.decode()
    table = page.split('data-testid="overdue-withdrawals"')[1].split("</table>")[0]
    assert pub.decision_number in table
    other = factories.entity(cw["regions"]["other_city"], "遵义市司法局", justice=True, short_code="遵司")
    client.force_login(factories.user("supervisor", other))  # another city's supervisor: not theirs
    table = client.get("/disclosure/").content.decode().split('data-testid="overdue-withdrawals"')[1]
    assert pub.decision_number not in table.split("</table>")[0]
