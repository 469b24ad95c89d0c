"""Transfers: between agencies with coordination, 两法衔接 to public security, discipline referrals.
Every named rule of zhifa.transfers, the lapse alerts, the ledger events and the scope."""
import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.cases.helpers import to_investigating, v
from tests.supervision.transfer_helpers import events, heads, transferred
from tests.worlds import built_once, fresh
from zhifa.cases import actions as CA
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import Alert
from zhifa.transfers import actions as transfer_actions
from zhifa.transfers import crime
from zhifa.transfers.models import CaseTransfer, CrimeTransfer, DisciplineReferral

TransferState = CaseTransfer.State
CrimeState = CrimeTransfer.State


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, e.value
    return e.value


@pytest.fixture(scope="module")
def w_once(cw_once, django_db_blocker):
    """The case world and the other agencies' heads, built once for the module."""
    with built_once(django_db_blocker):
        yield heads(dict(cw_once))


@pytest.fixture
def w(w_once, db):
    return fresh(w_once)


# ---- between agencies ------------------------------------------------------------------------------

def test_case_transfer_creates_record_in_receivers_queue_with_ledger_event(w):
    case, t = transferred(w, w["hbj"])
    assert case.state == "transferred"
    assert (t.from_entity, t.to_entity, t.state) == (w["smj"], w["hbj"], TransferState.PENDING)
    assert CaseTransfer.objects.restrict(w["hbj_head"]).filter(pk=t.pk).exists()  # the receiver's queue
    assert CaseTransfer.objects.restrict(w["head"]).filter(pk=t.pk).exists()      # the sender
    assert not CaseTransfer.objects.restrict(w["df_head"]).exists()               # a third agency
    assert not CaseTransfer.objects.restrict(w["zy_sup"]).exists()                # another city's supervisor
    assert "transfer.sent" in events(case)


def test_transfer_to_unknown_agency_is_external(w):
    case = factories.case(w)
    CA.do_transfer(case, transfer_kind="agency", transfer_to="某省林业局", reason="不属本机关管辖",
                   acting_user=w["head"], expected_version=v(case), on=dt.date(2026, 3, 3))
    t = case.agency_transfers.get()
    assert t.state == TransferState.EXTERNAL and t.to_entity is None


def test_accept_opens_case_at_receiver(w):
    case, t = transferred(w, w["hbj"])
    lead = factories.certified_officer(w["hbj"], None, "环保甲")
    assist = factories.certified_officer(w["hbj"], None, "环保乙")
    t = transfer_actions.do_accept_transfer(t, acting_user=w["hbj_head"], note="材料齐全，已接收", open_case=True,
                             officers=[(lead, "lead"), (assist, "assist")], on=dt.date(2026, 3, 4))
    assert t.state == TransferState.ACCEPTED and t.received_on == dt.date(2026, 3, 4)
    new = t.new_case
    assert new.entity == w["hbj"] and new.source == "transfer" and new.source_case == case
    assert new.parties.count() == case.parties.count()
    assert events(case, "transfer.") == ["transfer.sent", "transfer.accepted"]


def test_receiver_only_and_pending(w):
    _, t = transferred(w, w["hbj"])
    refused("transfer.receiver_only", transfer_actions.do_accept_transfer, t, acting_user=w["head"])
    with pytest.raises(OutOfScope):
        transfer_actions.do_accept_transfer(t, acting_user=w["df_head"])
    transfer_actions.do_accept_transfer(t, acting_user=w["hbj_head"])
    refused("transfer.pending", transfer_actions.do_accept_transfer, t, acting_user=w["hbj_head"])
    refused("transfer.pending", transfer_actions.do_refuse_transfer, t, acting_user=w["hbj_head"], reason="x")


def test_refusal_goes_to_common_region_and_coordination(w):
    case, t = transferred(w, w["hbj"])
    refused("transfer.refusal_reason", transfer_actions.do_refuse_transfer, t, acting_user=w["hbj_head"], reason=" ")
    t = transfer_actions.do_refuse_transfer(t, acting_user=w["hbj_head"], reason="该行为属于市场监管部门职责")
    assert t.state == TransferState.REFUSED and t.coordination_region == w["regions"]["county"]
    # The county justice bureau coordinates (same county); another city's supervisor cannot see it.
    with pytest.raises(OutOfScope):
        transfer_actions.do_coordinate(t, acting_user=w["zy_sup"], entity=w["hbj"], reason="x")
    refused("transfer.decided_entity", transfer_actions.do_coordinate, t, acting_user=w["sup_county"], entity=w["df"], reason="x")
    refused("transfer.decision_reason", transfer_actions.do_coordinate, t, acting_user=w["sup_county"], entity=w["hbj"], reason="")
    t = transfer_actions.do_coordinate(t, acting_user=w["sup_county"], entity=w["hbj"], reason="依据《环境保护法》由生态环境部门管辖")
    assert t.state == TransferState.PENDING and t.decided_entity == w["hbj"]
    refused("transfer.refusal_after_coordination", transfer_actions.do_refuse_transfer, t, acting_user=w["hbj_head"], reason="仍不同意")
    transfer_actions.do_accept_transfer(t, acting_user=w["hbj_head"])
    assert events(case, "transfer.") == ["transfer.sent", "transfer.refused", "transfer.coordinated",
                                         "transfer.accepted"]


def test_coordinator_region_covers_both(w):
    """Between counties of one city: the county supervisor cannot decide, the city's can."""
    _, t = transferred(w, w["df"])
    t = transfer_actions.do_refuse_transfer(t, acting_user=w["df_head"], reason="当事人住所地不在本县")
    assert t.coordination_region == w["regions"]["city"]
    refused("transfer.coordinator_region", transfer_actions.do_coordinate, t, acting_user=w["sup_county"], entity=w["df"],
            reason="x")
    t = transfer_actions.do_coordinate(t, acting_user=w["sup_city"], entity=w["smj"], reason="违法行为发生地在七星关区")
    assert t.state == TransferState.RETURNED


def test_dispute_rules(w):
    _, t = transferred(w, w["hbj"])
    refused("transfer.dispute_party", transfer_actions.do_raise_dispute, t, acting_user=w["sup_county"], reason="x")
    refused("transfer.dispute_reason", transfer_actions.do_raise_dispute, t, acting_user=w["head"], reason="")
    refused("transfer.needs_coordination", transfer_actions.do_coordinate, t, acting_user=w["sup_county"], entity=w["hbj"],
            reason="x")
    t = transfer_actions.do_raise_dispute(t, acting_user=w["head"], reason="双方均认为对方有管辖权")
    assert t.state == TransferState.DISPUTED
    refused("transfer.dispute_state", transfer_actions.do_raise_dispute, t, acting_user=w["hbj_head"], reason="再次")


# ---- 两法衔接 -------------------------------------------------------------------------------------

def report(w, case=None, on=dt.date(2026, 3, 3)):
    case = case or to_investigating(w, factories.case(w))
    return crime.do_report_crime(case, acting_user=w["u1"], team=[w["h1"], w["h2"]], on=on,
                             report_text="经核实，涉案过期食品货值金额逾五万元，涉嫌生产、销售伪劣产品罪",
                             police_name="毕节市公安局七星关分局")


def aware(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def test_crime_transfer_full_path_with_ledger(w):
    ct = report(w)
    assert ct.decide_due_on == dt.date(2026, 3, 6)  # 3 working days after Tuesday 3 March
    ct = crime.do_decide_crime(ct, acting_user=w["head"], approve=True, on=dt.date(2026, 3, 4), at=aware(2026, 3, 4))
    assert ct.handover_due_at == aware(2026, 3, 5) and not ct.decided_late
    ct = crime.do_hand_over_crime(ct, acting_user=w["head"], at=aware(2026, 3, 4, 16), procuratorate="七星关区人民检察院",
                              materials=["transfer_letter", "investigation_report", "items_list"])
    ct.case.refresh_from_db()
    assert ct.state == CrimeState.HANDED_OVER and not ct.handed_over_late
    assert ct.case.state == "transferred" and ct.case.transfer_kind == "crime"
    assert CrimeTransfer.objects.filter(case=ct.case).count() == 1  # the case hook did not add another
    ct = crime.do_record_receipt(ct, acting_user=w["u1"], received_on=dt.date(2026, 3, 5), receipt_number="七公回〔2026〕3号")
    ct = crime.do_record_outcome(ct, acting_user=w["u1"], outcome="not_filed", notice_on=dt.date(2026, 3, 9),
                             reason="货值金额未达追诉标准")
    ct = crime.do_request_reconsideration(ct, acting_user=w["head"], on=dt.date(2026, 3, 11), reason="货值金额经鉴定已达标准")
    ct = crime.do_record_outcome(ct, acting_user=w["u1"], outcome="filed", notice_on=dt.date(2026, 3, 13))
    assert ct.state == CrimeState.FILED and ct.reconsidered
    assert events(ct.case, "crime.") == ["crime.reported", "crime.approved", "crime.handed_over", "crime.materials",
                                         "crime.received", "crime.not_filed", "crime.reconsideration", "crime.filed"]


def test_report_rules(w):
    case = to_investigating(w, factories.case(w))
    args = dict(acting_user=w["u1"], report_text="涉嫌犯罪", police_name="公安分局", on=dt.date(2026, 3, 3))
    refused("crime.team_two", crime.do_report_crime, case, team=[w["h1"]], **args)
    refused("crime.team_two", crime.do_report_crime, case, team=[w["h1"], w["o_hbj"]], **args)
    refused("crime.report_text", crime.do_report_crime, case, team=[w["h1"], w["h2"]], **{**args, "report_text": ""})
    refused("crime.police_given", crime.do_report_crime, case, team=[w["h1"], w["h2"]], **{**args, "police_name": ""})
    crime.do_report_crime(case, team=[w["h1"], w["h2"]], **args)
    refused("crime.no_pending", crime.do_report_crime, case, team=[w["h1"], w["h2"]], **args)
    closed = factories.case(w)
    CA.do_not_file(closed, acting_user=w["head"], expected_version=v(closed), reason="不符合立案条件")
    refused("crime.case_open", crime.do_report_crime, closed, team=[w["h1"], w["h2"]], **args)


def test_decision_and_handover_rules(w):
    ct = report(w)
    refused("crime.head_decides", crime.do_decide_crime, ct, acting_user=w["unit_head"], approve=True)
    refused("crime.refusal_reason", crime.do_decide_crime, ct, acting_user=w["head"], approve=False, reason="")
    refused("crime.approved", crime.do_hand_over_crime, ct, acting_user=w["head"], materials=list(crime.MATERIALS))
    ct = crime.do_decide_crime(ct, acting_user=w["head"], approve=True, on=dt.date(2026, 3, 9), at=aware(2026, 3, 9))
    assert ct.decided_late  # due 6 March
    refused("crime.reported", crime.do_decide_crime, ct, acting_user=w["head"], approve=True)
    e = refused("crime.materials", crime.do_hand_over_crime, ct, acting_user=w["head"], materials=["transfer_letter"])
    assert "涉案物品清单" in e.message
    refused("crime.handed_over", crime.do_record_receipt, ct, acting_user=w["u1"], received_on=dt.date(2026, 3, 10))
    ct = crime.do_hand_over_crime(ct, acting_user=w["head"], at=aware(2026, 3, 11), materials=list(crime.MATERIALS))
    assert ct.handed_over_late
    refused("crime.receipt_date", crime.do_record_receipt, ct, acting_user=w["u1"], received_on=dt.date(2026, 3, 10))
    refused("crime.received", crime.do_record_outcome, ct, acting_user=w["u1"], outcome="filed",
            notice_on=dt.date(2026, 3, 12))


def test_not_approved_is_recorded_with_reason(w):
    ct = crime.do_decide_crime(report(w), acting_user=w["head"], approve=False, reason="涉案金额未达追诉标准",
                           on=dt.date(2026, 3, 4))
    assert ct.state == CrimeState.NOT_APPROVED and ct.decision_reason == "涉案金额未达追诉标准"
    assert "crime.not_approved" in events(ct.case)


def test_outcome_reconsideration_and_procuratorate_rules(w):
    ct = report(w)
    ct = crime.do_decide_crime(ct, acting_user=w["head"], approve=True, on=dt.date(2026, 3, 4), at=aware(2026, 3, 4))
    ct = crime.do_hand_over_crime(ct, acting_user=w["head"], at=aware(2026, 3, 4, 15), materials=list(crime.MATERIALS))
    ct = crime.do_record_receipt(ct, acting_user=w["u1"], received_on=dt.date(2026, 3, 5))
    refused("crime.outcome", crime.do_record_outcome, ct, acting_user=w["u1"], outcome="maybe", notice_on=dt.date(2026, 3, 6))
    refused("crime.not_filed_reason", crime.do_record_outcome, ct, acting_user=w["u1"], outcome="not_filed",
            notice_on=dt.date(2026, 3, 6))
    refused("crime.reconsider_state", crime.do_request_reconsideration, ct, acting_user=w["head"], reason="x",
            on=dt.date(2026, 3, 6))
    refused("crime.supervision_state", crime.do_suggest_procuratorate, ct, acting_user=w["head"], note="x")
    ct = crime.do_record_outcome(ct, acting_user=w["u1"], outcome="not_filed", notice_on=dt.date(2026, 3, 6), reason="情节显著轻微")
    # Friday 6 March + 3 working days = Wednesday 11 March.
    refused("crime.reconsider_window", crime.do_request_reconsideration, ct, acting_user=w["head"], reason="x",
            on=dt.date(2026, 3, 12))
    ct = crime.do_suggest_procuratorate(ct, acting_user=w["head"], note="建议七星关区人民检察院依法进行立案监督",
                                    on=dt.date(2026, 3, 12))
    assert ct.procuratorate_suggested_on == dt.date(2026, 3, 12)
    refused("crime.supervision_state", crime.do_suggest_procuratorate, ct, acting_user=w["head"], note="再次")


def test_direct_crime_transfer_from_case_page_is_recorded(w):
    case = to_investigating(w, factories.case(w))
    CA.do_transfer(case, transfer_kind="crime", transfer_to="毕节市公安局七星关分局", reason="涉嫌犯罪",
                   acting_user=w["head"], expected_version=v(case), on=dt.date(2026, 3, 5))
    ct = CrimeTransfer.objects.get(case=case)
    assert ct.state == CrimeState.HANDED_OVER and ct.decided_by == w["head"]
    assert events(case, "crime.") == ["crime.approved", "crime.handed_over"]


def test_lapsed_periods_raise_supervision_alerts(w):
    ct = report(w)  # decision due 6 March
    assert recompute_alerts(dt.date(2026, 3, 6))["opened"] >= 0
    assert not Alert.objects.filter(key=f"crime_decide:{ct.pk}").exists()
    recompute_alerts(dt.date(2026, 3, 9))
    alert = Alert.objects.get(key=f"crime_decide:{ct.pk}")
    assert alert.case == ct.case and alert.kind == Alert.Kind.DEADLINE_LAPSED
    assert Alert.objects.restrict(w["sup_county"]).filter(pk=alert.pk).exists()
    ct = crime.do_decide_crime(ct, acting_user=w["head"], approve=True, on=dt.date(2026, 3, 9), at=aware(2026, 3, 9))
    recompute_alerts(dt.date(2026, 3, 9))
    alert.refresh_from_db()
    assert alert.state == Alert.State.CLOSED and alert.auto_closed
    assert not Alert.objects.filter(key=f"crime_handover:{ct.pk}").exists()
    recompute_alerts(dt.date(2026, 3, 10))  # 24 hours passed by the end of 10 March
    assert Alert.objects.get(key=f"crime_handover:{ct.pk}").state == Alert.State.OPEN
    ct = crime.do_hand_over_crime(ct, acting_user=w["head"], at=aware(2026, 3, 10, 12), materials=list(crime.MATERIALS))
    ct = crime.do_record_receipt(ct, acting_user=w["u1"], received_on=dt.date(2026, 3, 11))
    recompute_alerts(dt.date(2026, 3, 14))
    assert not Alert.objects.filter(key=f"crime_police:{ct.pk}").exists()
    recompute_alerts(dt.date(2026, 3, 15))
    assert Alert.objects.filter(key=f"crime_police:{ct.pk}", state=Alert.State.OPEN).exists()


# ---- discipline inspection ---------------------------------------------------------------------

def test_discipline_referral(w):
    args = dict(officer=w["o1"], organ="七星关区纪委监委", on=dt.date(2026, 3, 3))
    refused("discipline.facts", transfer_actions.do_refer_discipline, acting_user=w["sup_county"], facts="", **args)
    refused("discipline.organ", transfer_actions.do_refer_discipline, acting_user=w["sup_county"], facts="x",
            **{**args, "organ": ""})
    other = other_case = factories.case(w)
    other_case.entity_id = w["hbj"].pk  # not saved: only the rule's comparison is exercised
    refused("discipline.case_officer", transfer_actions.do_refer_discipline, acting_user=w["sup_county"], facts="x", case=other,
            **args)
    with pytest.raises(OutOfScope):
        transfer_actions.do_refer_discipline(acting_user=w["head"], facts="x", **args)
    with pytest.raises(OutOfScope):
        transfer_actions.do_refer_discipline(acting_user=w["zy_sup"], facts="x", **args)
    r = transfer_actions.do_refer_discipline(acting_user=w["sup_county"], facts="办案中收受当事人财物", **args)
    assert not DisciplineReferral.objects.restrict(w["head"]).exists()  # not shown to the agency
    assert DisciplineReferral.objects.restrict(w["sup_city"]).filter(pk=r.pk).exists()
    refused("discipline.outcome_text", transfer_actions.do_record_discipline_outcome, r, acting_user=w["sup_county"], outcome="")
    r = transfer_actions.do_record_discipline_outcome(r, acting_user=w["sup_county"], outcome="给予政务警告处分")
    refused("discipline.concluded", transfer_actions.do_record_discipline_outcome, r, acting_user=w["sup_county"], outcome="再次")
    assert events(prefix="discipline.") == ["discipline.referred", "discipline.concluded"]


# ---- pages and API --------------------------------------------------------------------------------

def test_pages_receiver_queue_refusal_and_coordination(w, client):
    case, t = transferred(w, w["hbj"])
    client.force_login(w["hbj_head"])
    assert case.number in client.get("/transfers/").content.decode()
    r = client.post(f"/transfers/{t.pk}/", {"op": "refuse", "reason": ""})
    assert r.status_code == 200 and "transfer.refusal_reason" in r.content.decode()
    assert client.post(f"/transfers/{t.pk}/", {"op": "refuse", "reason": "不属本机关职责"}).status_code == 302
    client.force_login(w["sup_county"])
    page = client.get("/transfers/").content.decode()
    assert 'data-testid="coordination"' in page and case.number in page
    r = client.post(f"/transfers/{t.pk}/", {"op": "coordinate", "entity": str(w["hbj"].pk), "reason": "由环保部门管辖"})
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.decided_entity == w["hbj"]
    client.force_login(w["df_head"])
    assert client.get(f"/transfers/{t.pk}/").status_code == 404
    # The case page's panel lists the transfer.
    client.force_login(w["head"])
    assert "移送七星关区生态环境局" in client.get(f"/transfers/case/{case.pk}/panel/").content.decode()


def test_pages_crime_report_to_handover(w, client):
    case = to_investigating(w, factories.case(w))
    client.force_login(w["u1"])
    assert "提出移送公安机关的书面报告" in client.get(f"/transfers/case/{case.pk}/panel/").content.decode()
    r = client.post("/transfers/crime/new/", {"case": case.pk, "team": [w["h1"].pk], "report_text": "涉嫌犯罪",
                                              "police_name": "公安分局"})
    assert r.status_code == 200 and "crime.team_two" in r.content.decode()
    r = client.post("/transfers/crime/new/", {"case": case.pk, "team": [w["h1"].pk, w["h2"].pk],
                                              "report_text": "涉嫌犯罪", "police_name": "公安分局"})
    ct = CrimeTransfer.objects.get(case=case)
    assert r.status_code == 302 and r.url == f"/transfers/crime/{ct.pk}/"
    client.force_login(w["head"])
    assert client.post(f"/transfers/crime/{ct.pk}/", {"op": "approve"}).status_code == 302
    r = client.post(f"/transfers/crime/{ct.pk}/", {"op": "handover", "materials": ["transfer_letter"]})
    assert "crime.materials" in r.content.decode()
    r = client.post(f"/transfers/crime/{ct.pk}/", {"op": "handover", "materials": list(crime.MATERIALS)[:3],
                                                   "procuratorate": "七星关区人民检察院"})
    assert r.status_code == 302
    r = client.post(f"/transfers/crime/{ct.pk}/", {"op": "receipt", "received_on": "昨天"})
    assert r.status_code == 200 and "日期格式" in r.content.decode()
    ct.refresh_from_db()
    assert ct.state == CrimeState.HANDED_OVER and ct.procuratorate_copy == "七星关区人民检察院"


def test_api_agency_and_crime(w, client):
    case, t = transferred(w, w["hbj"])
    client.force_login(w["hbj_head"])
    assert [x["id"] for x in client.get("/api/v1/transfers/agency?box=in").json()] == [t.pk]
    r = client.post(f"/api/v1/transfers/agency/{t.pk}/refuse", {"reason": ""}, content_type="application/json")
    assert r.status_code == 409 and r.json()["rule"] == "transfer.refusal_reason"
    r = client.post(f"/api/v1/transfers/agency/{t.pk}/accept", {"note": "收到"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    client.force_login(w["df_head"])
    assert client.get(f"/api/v1/transfers/agency/{t.pk}").status_code == 404
    open_case = to_investigating(w, factories.case(w))
    client.force_login(w["u1"])
    r = client.post("/api/v1/transfers/crime", {"case": open_case.pk, "team": [w["h1"].pk, w["h2"].pk],
                                                "report_text": "涉嫌犯罪", "police_name": "公安分局"},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    r = client.post(f"/api/v1/transfers/crime/{cid}/decide", {"approve": True}, content_type="application/json")
    assert r.status_code == 409 and r.json()["rule"] == "crime.head_decides"
    client.force_login(w["head"])
    r = client.post(f"/api/v1/transfers/crime/{cid}/decide", {"approve": False}, content_type="application/json")
    assert r.status_code == 409 and r.json()["rule"] == "crime.refusal_reason"
    r = client.post(f"/api/v1/transfers/crime/{cid}/decide", {"approve": True}, content_type="application/json")
    assert r.json()["state"] == "approved" and r.json()["handover_due_at"]
    client.force_login(w["sup_county"])
    r = client.post("/api/v1/transfers/discipline", {"officer": w["o1"].pk, "facts": "违规办案", "organ": "区纪委监委"},
                    content_type="application/json")
    assert r.status_code == 201
    client.force_login(w["head"])
    assert client.get("/api/v1/transfers/discipline").json() == []
