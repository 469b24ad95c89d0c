"""投诉举报 handling (issue 7 item 5): staff entry, assignment by the justice bureau's supervisor,
管辖异议, handling record, reply, satisfaction via the tracking code, overdue alert, scope, pages, API."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests import factories
from tests.api.conftest import ApiClient
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.models import ChangeLog
from zhifa.disclosure.actions import complaints
from zhifa.disclosure.models import Complaint, ComplaintStep
from zhifa.legalcal.periods import add_working_days
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import Alert


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


TODAY = dt.date(2026, 4, 20)
TEXT = "12345热线转办：反映某超市长期销售过期食品，要求查处。"
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def hotline(cw, *, entity=None, user=None, received_on=dt.date(2026, 4, 1), kind="complaint", **kw):
    return complaints.do_register_complaint(acting_user=user or cw["sup_county"], kind=kind, content=TEXT, source="12345",
                                   source_ref="GD2026040100123", entity=entity, complainant="郑某某", contact=PHONE,
                                   received_on=received_on, today=TODAY, **kw)


def refused(rule, fn, *a, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*a, **kw)
    assert e.value.rule == rule, e.value
    return e.value


def answered(cw, c=None):
    c = c or hotline(cw, entity=cw["smj"])
    return complaints.do_answer_complaint(c, acting_user=cw["head"], answer="经核查，该超市已下架过期食品并立案调查。", on=TODAY)


# ---- the whole path ---------------------------------------------------------------------------
def test_hotline_complaint_from_registration_to_feedback(cw, client):
    c = hotline(cw)
    assert c.state == Complaint.State.PENDING and c.entity == cw["sfj_county"] and c.source == "12345"
    assert c.due_on == add_working_days(dt.date(2026, 4, 1), 15).date and c.registered_by == cw["sup_county"]
    # pending at the justice bureau: the agency does not see it yet
    assert not Complaint.objects.restrict(cw["head"]).filter(pk=c.pk).exists()
    c = complaints.do_assign_complaint(c, acting_user=cw["sup_county"], entity=cw["smj"], on=TODAY)
    assert c.state == Complaint.State.RECEIVED and c.assigned_by == cw["sup_county"] and c.assigned_on == TODAY
    assert c.due_on == add_working_days(dt.date(2026, 4, 1), 15).date  # the clock runs from receipt
    assert Complaint.objects.restrict(cw["head"]).filter(pk=c.pk).exists()
    complaints.do_add_step(c, acting_user=cw["officer"], note="已派员现场检查，查获过期食品12件。", on=TODAY)
    complaints.do_answer_complaint(c, acting_user=cw["head"], answer="经核查属实，已立案查处。", on=TODAY)
    c.refresh_from_db()
    assert c.state == Complaint.State.ANSWERED and c.answered_by == cw["head"]
    assert [s.kind for s in c.steps.all()] == ["register", "assign", "handle", "answer"]
    assert c.steps.get(kind="handle").by == cw["officer"]
    # the complainant follows it with the tracking code: reply and steps, no contact, no name, no notes
    page = client.get("/gs/contact/", {"code": c.tracking_code}).content.decode()
    assert "经核查属实" in page and "办理" in page and "七星关区市场监督管理局" in page
    for secret in (PHONE, "郑某某", "查获过期食品12件"):
        assert secret not in page
    r = client.post("/gs/contact/feedback/", {"code": c.tracking_code, "satisfaction": "basic", "comment": "处理较快"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.satisfaction == "basic" and c.feedback_comment == "处理较快" and c.steps.last().kind == "feedback"
    page = client.get("/gs/contact/", {"code": c.tracking_code}).content.decode()
    assert "基本满意" in page and 'data-testid="feedback-form"' not in page
    # a second feedback is refused and shown as such
    client.post("/gs/contact/feedback/", {"code": c.tracking_code, "satisfaction": "satisfied"}, follow=True)
    c.refresh_from_db()
    assert c.satisfaction == "basic"
    # every state change left a change-log row
    assert ChangeLog.objects.filter(object_id=str(c.pk), content_type__model="complaint").count() == 4


def test_supervisor_registers_straight_to_an_agency(cw):
    c = hotline(cw, entity=cw["hbj"])
    assert c.state == Complaint.State.RECEIVED and c.assigned_by == cw["sup_county"]
    assert [s.kind for s in c.steps.all()] == ["register", "assign"]


def test_agency_registers_its_own_letter(cw):
    c = complaints.do_register_complaint(acting_user=cw["head"], kind="consult", content="来信咨询食品经营许可证延续的办理时限。",
                                source="letter", entity=cw["smj"], received_on=dt.date(2026, 4, 1), today=TODAY)
    assert c.state == Complaint.State.RECEIVED and c.assigned_by is None
    assert c.due_on == add_working_days(dt.date(2026, 4, 1), 5).date  # 咨询: ZHIFA_CONSULT_DAYS


def test_due_days_follow_settings(cw, settings):
    settings.ZHIFA_COMPLAINT_DAYS = 10
    assert hotline(cw).due_on == add_working_days(dt.date(2026, 4, 1), 10).date


def test_jurisdiction_dispute_goes_back_to_the_supervisor(cw):
    c = hotline(cw, entity=cw["smj"])
    c = complaints.do_dispute_jurisdiction(c, acting_user=cw["head"], reason="涉及环境污染，属生态环境部门管辖。", on=TODAY)
    assert c.state == Complaint.State.DISPUTED
    refused("complaint.state", complaints.do_add_step, c, acting_user=cw["officer"], note="继续核查中的情况")
    refused("complaint.state", complaints.do_answer_complaint, c, acting_user=cw["head"], answer="答复内容若干")
    assert complaints.is_overdue(c, dt.date(2026, 12, 31))
    c = complaints.do_assign_complaint(c, acting_user=cw["sup_county"], entity=cw["hbj"], on=TODAY)
    assert c.state == Complaint.State.RECEIVED and c.entity == cw["hbj"]
    assert [s.kind for s in c.steps.all()] == ["register", "assign", "dispute", "reassign"]
    assert "由七星关区市场监督管理局改派至七星关区生态环境局" in c.steps.last().note


# ---- every named rule -------------------------------------------------------------------------
def test_registration_rules(cw):
    refused("complaint.source_valid", complaints.do_register_complaint, acting_user=cw["sup_county"], kind="complaint",
            content=TEXT, source="portal", today=TODAY)
    refused("complaint.content", complaints.do_register_complaint, acting_user=cw["sup_county"], kind="complaint",
            content="太短", source="12345", today=TODAY)
    refused("complaint.received_on", hotline, cw, received_on=dt.date(2026, 4, 21))
    refused("complaint.received_on", hotline, cw, received_on=dt.date(2025, 1, 1))
    refused("complaint.entity_required", hotline, cw, user=cw["head"])
    refused("validation", hotline, cw, kind="nope")
    with pytest.raises(OutOfScope):
        hotline(cw, user=cw["head"], entity=cw["hbj"])  # another agency's queue
    with pytest.raises(OutOfScope):
        hotline(cw, entity=cw["df"])  # outside the county supervisor's region


def test_assignment_rules(cw):
    c = hotline(cw)
    refused("complaint.assign_in_scope", complaints.do_assign_complaint, c, acting_user=cw["sup_county"], entity=cw["df"])
    factories.org_actions.do_update_entity(cw["hbj"], {"is_active": False}, acting_user=factories.system_admin())
    cw["hbj"].refresh_from_db()
    refused("complaint.assign_in_scope", complaints.do_assign_complaint, c, acting_user=cw["sup_county"], entity=cw["hbj"])
    with pytest.raises(OutOfScope):
        complaints.do_assign_complaint(c, acting_user=cw["head"], entity=cw["smj"])
    c = complaints.do_assign_complaint(c, acting_user=cw["sup_county"], entity=cw["smj"])
    refused("complaint.assign_same", complaints.do_assign_complaint, c, acting_user=cw["sup_county"], entity=cw["smj"],
            reason="重复分派")
    e = refused("complaint.reassign_reason", complaints.do_assign_complaint, c, acting_user=cw["sup_county"],
                entity=cw["sfj_county"])
    assert e.field == "reason"
    c = complaints.do_assign_complaint(c, acting_user=cw["sup_city"], entity=cw["sfj_county"], reason="涉及行政执法监督事项")
    assert c.steps.last().kind == "reassign" and "涉及行政执法监督事项" in c.steps.last().note
    answered(cw, complaints.do_assign_complaint(c, acting_user=cw["sup_county"], entity=cw["smj"], reason="退回原单位办理"))
    refused("complaint.state", complaints.do_assign_complaint, c, acting_user=cw["sup_county"], entity=cw["hbj"], reason="x")


def test_dispute_rules(cw):
    c = hotline(cw, entity=cw["smj"])
    refused("complaint.dispute_reason", complaints.do_dispute_jurisdiction, c, acting_user=cw["head"], reason=" ")
    with pytest.raises(OutOfScope):
        complaints.do_dispute_jurisdiction(c, acting_user=cw["officer"], reason="不属于本机关管辖")
    answered(cw, c)
    refused("complaint.dispute_state", complaints.do_dispute_jurisdiction, c, acting_user=cw["head"], reason="不属于本机关管辖")
    pending = hotline(cw)
    with pytest.raises(ActionRefused) as e:
        complaints.do_dispute_jurisdiction(pending, acting_user=cw["sup_county"], reason="不属于本机关管辖")
    assert e.value.rule in ("scope", "complaint.dispute_state")


def test_handling_and_answer_rules(cw):
    c = hotline(cw, entity=cw["smj"])
    refused("complaint.step_note", complaints.do_add_step, c, acting_user=cw["officer"], note="好")
    refused("complaint.answer_required", complaints.do_answer_complaint, c, acting_user=cw["head"], answer=" ")
    with pytest.raises(OutOfScope):
        complaints.do_answer_complaint(c, acting_user=cw["officer"], answer="官员无权答复的内容")  # heads answer
    with pytest.raises(OutOfScope):
        complaints.do_add_step(c, acting_user=cw["sup_county"], note="监督人员不登记办理情况")
    pending = hotline(cw)
    refused("complaint.state", complaints.do_answer_complaint, pending, acting_user=factories.system_admin(), answer="答复内容若干")
    refused("complaint.state", complaints.do_add_step, pending, acting_user=factories.system_admin(), note="登记办理情况")
    answered(cw, c)
    refused("complaint.state", complaints.do_answer_complaint, c, acting_user=cw["head"], answer="再次答复内容")
    refused("complaint.state", complaints.do_add_step, c, acting_user=cw["officer"], note="答复后的补充记录")


def test_feedback_rules(cw):
    c = hotline(cw, entity=cw["smj"])
    refused("complaint.feedback_after_answer", complaints.do_give_feedback, c, satisfaction="satisfied")
    answered(cw, c)
    refused("complaint.feedback_value", complaints.do_give_feedback, c, satisfaction="great")
    complaints.do_give_feedback(c, satisfaction="dissatisfied", comment="未告知处罚结果")
    refused("complaint.feedback_once", complaints.do_give_feedback, c, satisfaction="satisfied")
    c.refresh_from_db()
    assert c.get_satisfaction_display() == "不满意"


# ---- overdue alert ------------------------------------------------------------------------------
def test_overdue_complaint_raises_an_alert_until_answered(cw, settings):
    settings.ZHIFA_TRAINING_MIN_HOURS = 0
    c = hotline(cw, entity=cw["smj"])
    assert not complaints.is_overdue(c, c.due_on)
    recompute_alerts(c.due_on)
    assert not Alert.objects.filter(kind=Alert.Kind.COMPLAINT_OVERDUE).exists()
    day_after = add_working_days(c.due_on, 1).date
    recompute_alerts(day_after)
    a = Alert.objects.get(kind=Alert.Kind.COMPLAINT_OVERDUE)
    assert a.entity == cw["smj"] and c.tracking_code in a.text and a.state == Alert.State.OPEN
    assert Alert.objects.restrict(cw["sup_county"]).filter(pk=a.pk).exists()
    df_sup = factories.user("supervisor", factories.entity(cw["regions"]["county2"], justice=True), None, "dfsup")
    assert not Alert.objects.restrict(df_sup).filter(pk=a.pk).exists()
    complaints.do_answer_complaint(c, acting_user=cw["head"], answer="逾期答复：已查处。", on=day_after)
    recompute_alerts(add_working_days(day_after, 1).date)
    a.refresh_from_db()
    assert a.state == Alert.State.CLOSED and a.auto_closed


def test_pending_complaint_overdue_alerts_the_bureau(cw, settings):
    settings.ZHIFA_TRAINING_MIN_HOURS = 0
    c = hotline(cw)
    recompute_alerts(add_working_days(c.due_on, 1).date)
    assert Alert.objects.get(kind=Alert.Kind.COMPLAINT_OVERDUE).entity == cw["sfj_county"]


# ---- scope ------------------------------------------------------------------------------------
def test_scope(cw):
    mine = hotline(cw, entity=cw["smj"])
    other = hotline(cw, entity=cw["hbj"])
    df_sup = factories.user("supervisor", factories.entity(cw["regions"]["county2"], "大方县司法局", justice=True),
                            None, "dfsup2")
    far = complaints.do_register_complaint(acting_user=df_sup, kind="complaint", content=TEXT, source="visit",
                                  entity=cw["df"], received_on=dt.date(2026, 4, 1), today=TODAY)
    def ids(u):
        return set(Complaint.objects.restrict(u).values_list("pk", flat=True))
    assert ids(cw["sup_city"]) == {mine.pk, other.pk, far.pk}
    assert ids(cw["sup_county"]) == {mine.pk, other.pk}
    assert ids(cw["head"]) == ids(cw["officer"]) == {mine.pk}
    assert ids(df_sup) == {far.pk}
    with pytest.raises(OutOfScope):
        complaints.do_assign_complaint(far, acting_user=cw["sup_county"], entity=cw["smj"], reason="越权改派")
    with pytest.raises(OutOfScope):
        complaints.do_add_step(other, acting_user=cw["officer"], note="他人事项的办理记录")


# ---- pages --------------------------------------------------------------------------------------
def test_staff_pages(cw, client):
    client.force_login(cw["sup_county"])
    today = timezone.localdate().isoformat()
    r = client.post("/disclosure/complaints/new/", {"kind": "complaint", "source": "12345", "source_ref": "GD1",
                                                    "entity": "", "received_on": today, "content": TEXT,
                                                    "complainant": "郑某某", "contact": PHONE})
    c = Complaint.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/disclosure/complaints/{c.pk}/"
    assert c.state == "pending"
    bad = client.post("/disclosure/complaints/new/", {"kind": "complaint", "source": "12345", "entity": "",
                                                      "received_on": "2026-13-01", "content": TEXT})
    assert "收到日期格式不正确" in bad.content.decode()
    page = client.get(f"/disclosure/complaints/{c.pk}/").content.decode()
    assert PHONE in page and 'data-testid="assign-form"' in page and 'data-testid="answer-form"' not in page
    client.post(f"/disclosure/complaints/{c.pk}/", {"op": "assign", "entity": cw["smj"].pk})
    c.refresh_from_db()
    assert c.entity == cw["smj"] and c.state == "received"
    r = client.post(f"/disclosure/complaints/{c.pk}/", {"op": "assign", "entity": cw["hbj"].pk, "reason": ""})
    assert "请填写改派理由" in r.content.decode()
    # the list: filters and the HTMX partial
    listing = client.get("/disclosure/complaints/", {"source": "12345", "state": "open"}).content.decode()
    assert c.tracking_code in listing and "登记投诉举报" in listing
    partial = client.get("/disclosure/complaints/", {"source": "letter"}, HTTP_HX_REQUEST="true").content.decode()
    assert c.tracking_code not in partial and "<html" not in partial
    # the agency handles and answers on the detail page
    client.force_login(cw["officer"])
    client.post(f"/disclosure/complaints/{c.pk}/", {"op": "step", "note": "电话联系投诉人了解情况"})
    client.force_login(cw["head"])
    page = client.get(f"/disclosure/complaints/{c.pk}/").content.decode()
    assert "电话联系投诉人了解情况" in page and 'data-testid="dispute-form"' in page
    r = client.post(f"/disclosure/complaints/{c.pk}/", {"op": "answer", "answer": ""})
    assert "请填写答复内容" in r.content.decode()
    client.post(f"/disclosure/complaints/{c.pk}/", {"op": "answer", "answer": "已查处，感谢监督。"})
    c.refresh_from_db()
    assert c.state == "answered"
    assert client.get(f"/disclosure/complaints/{hotline(cw, entity=cw['hbj']).pk}/").status_code == 404


def test_public_feedback_with_a_wrong_code(cw, client):
    r = client.post("/gs/contact/feedback/", {"code": "NOPE", "satisfaction": "satisfied"})
    assert r.status_code == 302 and r["Location"] == "/gs/contact/"


# ---- API ----------------------------------------------------------------------------------------
def test_api(cw):
    sup, head, anon = ApiClient(cw["sup_county"]), ApiClient(cw["head"]), ApiClient()
    r = sup.post("/complaints", {"kind": "complaint", "source": "12345", "content": TEXT, "contact": PHONE})
    assert r.status_code == 201, r.content
    c = r.json()
    assert c["state"] == "pending" and c["steps"][0]["kind"] == "register"
    assert sup.post("/complaints", {"kind": "complaint", "source": "portal", "content": TEXT}).json()["rule"] \
        == "complaint.source_valid"
    assert head.get(f"/complaints/{c['id']}").status_code == 404
    assert head.post(f"/complaints/{c['id']}/assign", {"entity": cw["smj"].pk}).status_code == 404
    r = sup.post(f"/complaints/{c['id']}/assign", {"entity": cw["df"].pk})
    assert r.status_code == 409 and r.json()["rule"] == "complaint.assign_in_scope"
    r = sup.post(f"/complaints/{c['id']}/assign", {"entity": cw["smj"].pk})
    assert r.status_code == 200 and r.json()["entity_id"] == cw["smj"].pk
    assert head.get("/complaints", {"state": "open"}).json()["count"] == 1
    assert head.get("/complaints", {"source": "letter"}).json()["count"] == 0
    r = head.post(f"/complaints/{c['id']}/steps", {"note": "已现场核查"})
    assert r.status_code == 201 and r.json()["steps"][-1]["note"] == "已现场核查"
    assert sup.post(f"/complaints/{c['id']}/answer", {"answer": "监督人员答复"}).status_code == 403
    r = head.post(f"/complaints/{c['id']}/answer", {"answer": ""})
    assert r.status_code == 409 and r.json()["rule"] == "complaint.answer_required"
    assert head.post(f"/complaints/{c['id']}/answer", {"answer": "已查处。"}).json()["state"] == "answered"
    # the public side: tracking code only
    t = anon.get(f"/complaints/track/{c['tracking_code']}").json()
    assert t["answer"] == "已查处。" and "contact" not in t and all("note" not in s for s in t["steps"])
    assert PHONE not in str(t) and "已现场核查" not in str(t)
    r = anon.post(f"/complaints/track/{c['tracking_code']}/feedback", {"satisfaction": "satisfied"})
    assert r.status_code == 200 and r.json()["satisfaction"] == "满意"
    r = anon.post(f"/complaints/track/{c['tracking_code']}/feedback", {"satisfaction": "satisfied"})
    assert r.status_code == 409 and r.json()["rule"] == "complaint.feedback_once"
    assert anon.get("/complaints/track/NOPE").status_code == 404
    assert anon.get("/complaints").status_code == 401
    d = head.post("/complaints", {"kind": "complaint", "source": "visit", "content": TEXT, "entity": cw["smj"].pk})
    r = head.post(f"/complaints/{d.json()['id']}/dispute", {"reason": "不属于本局管辖"})
    assert r.json()["state"] == "disputed"
    assert ComplaintStep.objects.filter(complaint_id=d.json()["id"], kind="dispute").exists()
