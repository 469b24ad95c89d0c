"""社会监督员 (issue 7 item 10): registry, appointment and end by the justice bureau's supervisor,
the personal login-free feedback link, leads and their conversion (complaint, alert, 督办, close)."""
import datetime as dt

import pytest
from django.core.cache import cache

from tests import factories
from tests.api.conftest import ApiClient
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.models import ChangeLog
from zhifa.disclosure.models import Complaint
from zhifa.supervision.actions import social
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import Alert, SocialSupervisor, SupervisionLead, SupervisionOrder


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


TODAY = dt.date(2026, 4, 20)
PHONE = "13600001111"
TEXT = "七星关区市场监管局执法人员在检查中未出示执法证件，态度粗暴。"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def appoint(cw, user=None, **kw):
    data = {"name": "李律师", "kind": "lawyer", "workplace": "贵州某律师事务所", "contact": PHONE,
            "appointed_on": dt.date(2026, 1, 1), "term_ends_on": dt.date(2028, 12, 31), **kw}
    return social.do_appoint_supervisor(acting_user=user or cw["sup_county"], **data)


def refused(rule, fn, *a, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*a, **kw)
    assert e.value.rule == rule, e.value
    return e.value


def lead(cw, s=None, **kw):
    s = s or appoint(cw)
    return social.do_submit_lead(social.token_for(s), content=TEXT, entity=kw.pop("entity", cw["smj"]), on=TODAY, **kw)


# ---- registry -----------------------------------------------------------------------------------
def test_appointment_rules(cw):
    s = appoint(cw)
    assert s.bureau == cw["sfj_county"] and s.region == cw["regions"]["county"] and s.state == "active"
    assert ChangeLog.objects.filter(content_type__model="socialsupervisor", object_id=str(s.pk)).exists()
    refused("social.appoint_bureau", appoint, cw, user=cw["head"])
    refused("social.name", appoint, cw, name=" ")
    refused("social.kind", appoint, cw, kind="celebrity")
    refused("social.term", appoint, cw, term_ends_on=dt.date(2025, 12, 31))
    refused("social.term", appoint, cw, term_ends_on=dt.date(2032, 1, 1))
    refused("social.scope_in_region", appoint, cw, region=cw["regions"]["city"])
    refused("social.scope_in_region", appoint, cw, entities=[cw["df"]])
    city = appoint(cw, user=cw["sup_city"], entities=[cw["df"], cw["smj"]], kind="journalist", name="王记者")
    assert city.region == cw["regions"]["city"] and set(social.watched_entities(city)) == {cw["df"], cw["smj"]}


def test_end_and_renew_rules(cw):
    s = appoint(cw)
    old = social.token_for(s)
    s = social.do_renew_link(s, acting_user=cw["sup_county"])
    assert social.supervisor_for_token(old) is None and social.supervisor_for_token(social.token_for(s)) == s
    refused("lead.token_invalid", social.do_submit_lead, old, content=TEXT, on=TODAY)
    with pytest.raises(OutOfScope):  # the city sees the county's registry but does not manage it
        social.do_end_supervisor(s, acting_user=cw["sup_city"], reason="任期调整")
    refused("social.end_reason", social.do_end_supervisor, s, acting_user=cw["sup_county"], reason="")
    social.do_end_supervisor(s, acting_user=cw["sup_county"], reason="本人申请辞去", on=TODAY)
    refused("social.ended", social.do_end_supervisor, s, acting_user=cw["sup_county"], reason="再次解聘")
    refused("social.ended", social.do_renew_link, s, acting_user=cw["sup_county"])
    refused("lead.supervisor_serving", social.do_submit_lead, social.token_for(s), content=TEXT, on=TODAY)


def test_registry_scope(cw):
    county, city = appoint(cw), appoint(cw, user=cw["sup_city"], name="王记者", kind="journalist")
    def ids(u):
        return set(SocialSupervisor.objects.restrict(u).values_list("pk", flat=True))
    assert ids(cw["sup_city"]) == {county.pk, city.pk}
    assert ids(cw["sup_county"]) == {county.pk}
    assert ids(cw["head"]) == ids(cw["officer"]) == set()


# ---- leads --------------------------------------------------------------------------------------
def test_lead_rules(cw, settings):
    s = appoint(cw, entities=[cw["smj"]])
    token = social.token_for(s)
    refused("lead.token_invalid", social.do_submit_lead, token[:-1] + ("0" if token[-1] != "0" else "1"), content=TEXT)
    refused("lead.token_invalid", social.do_submit_lead, "garbage", content=TEXT)
    refused("lead.content", social.do_submit_lead, token, content="太短", on=TODAY)
    refused("lead.entity_in_scope", social.do_submit_lead, token, content=TEXT, entity=cw["hbj"], on=TODAY)
    refused("lead.supervisor_serving", social.do_submit_lead, token, content=TEXT, on=dt.date(2029, 1, 1))  # term over
    refused("lead.supervisor_serving", social.do_submit_lead, token, content=TEXT, on=dt.date(2025, 12, 1))  # not yet
    settings.ZHIFA_SOCIAL_LEAD_RATE = 1
    x = social.do_submit_lead(token, content=TEXT, entity=cw["smj"], on=TODAY)
    assert x.bureau == cw["sfj_county"] and x.state == "new"
    refused("lead.rate_limited", social.do_submit_lead, token, content=TEXT, on=TODAY)
    from django.core.cache import cache

    cache.clear()  # counted in the database: a cache flush or a restart does not reset it
    refused("lead.rate_limited", social.do_submit_lead, token, content=TEXT, on=TODAY)
    assert social.do_submit_lead(token, content=TEXT, on=TODAY + dt.timedelta(days=1)).pk  # a new day


def test_lead_to_complaint_hides_who_reported(cw):
    x = lead(cw)
    x = social.do_convert_lead(x, acting_user=cw["sup_county"], to="complaint", note="转市场监管局核查", on=TODAY)
    c = x.complaint
    assert x.state == "complaint" and c.source == "social" and c.entity == cw["smj"] and c.state == "received"
    assert c.contact == "" and c.complainant == "" and "李律师" not in c.content
    assert Complaint.objects.restrict(cw["head"]).filter(pk=c.pk).exists()
    assert c.tracking_code in social.outcome(x)
    refused("lead.handled_once", social.do_convert_lead, x, acting_user=cw["sup_county"], to="close", note="重复处理")


def test_lead_to_alert_stays_until_closed(cw, settings):
    settings.ZHIFA_TRAINING_MIN_HOURS = 0
    x = social.do_convert_lead(lead(cw), acting_user=cw["sup_county"], to="alert", on=TODAY)
    a = x.alert
    assert a.kind == Alert.Kind.SOCIAL_LEAD and a.entity == cw["smj"] and "李律师" not in a.text
    recompute_alerts(TODAY)
    a.refresh_from_db()
    assert a.state == Alert.State.OPEN  # the recompute keeps it (the check finds the lead)
    from zhifa.supervision.actions.orders import do_alert_action

    do_alert_action(a, "close", acting_user=cw["sup_county"], note="已约谈执法人员")
    recompute_alerts(dt.date(2026, 4, 21))
    assert Alert.objects.filter(key=f"lead:{x.pk}").count() == 1  # closed stays closed


def test_lead_to_order_uses_the_order_action(cw):
    x = lead(cw)
    refused("supervision.order_days", social.do_convert_lead, x, acting_user=cw["sup_county"], to="order", days=90)
    x = social.do_convert_lead(x, acting_user=cw["sup_county"], to="order", note="请核查执法人员未亮证问题并书面答复",
                          days=5, on=TODAY)
    o = x.order
    assert isinstance(o, SupervisionOrder) and o.entity == cw["smj"] and o.kind == "duban" and o.days == 5
    assert "书面答复" in o.text and "发出督办通知" in social.outcome(x)


def test_conversion_rules(cw):
    s = appoint(cw)
    x = social.do_submit_lead(social.token_for(s), content=TEXT, on=TODAY)  # no entity named
    refused("lead.target", social.do_convert_lead, x, acting_user=cw["sup_county"], to="ignore")
    refused("lead.entity_required", social.do_convert_lead, x, acting_user=cw["sup_county"], to="alert")
    refused("lead.entity_in_scope", social.do_convert_lead, x, acting_user=cw["sup_county"], to="alert", entity=cw["df"])
    refused("lead.close_note", social.do_convert_lead, x, acting_user=cw["sup_county"], to="close", note="")
    with pytest.raises(OutOfScope):
        social.do_convert_lead(x, acting_user=cw["head"], to="close", note="机关负责人不能处理线索")
    df_sup = factories.user("supervisor", factories.entity(cw["regions"]["county2"], justice=True), None, "dfsup")
    with pytest.raises(OutOfScope):
        social.do_convert_lead(x, acting_user=df_sup, to="close", note="外县")
    x = social.do_convert_lead(x, acting_user=cw["sup_city"], to="close", note="经核实不属于执法监督范围", on=TODAY)
    assert x.state == "closed" and x.handled_by == cw["sup_city"] and "不属于执法监督范围" in social.outcome(x)


# ---- pages --------------------------------------------------------------------------------------
def test_registry_pages(cw, client):
    client.force_login(cw["sup_county"])
    r = client.post("/supervision/social/new/", {"name": "张代表", "kind": "npc", "contact": PHONE,
                                                 "region": cw["regions"]["county"].pk, "entities": [cw["smj"].pk],
                                                 "appointed_on": "2026-01-01", "term_ends_on": "2030-12-31"})
    s = SocialSupervisor.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supervision/social/{s.pk}/"
    bad = client.post("/supervision/social/new/", {"name": "张代表", "kind": "npc", "appointed_on": "2026-01-01",
                                                   "term_ends_on": "2026-01-01"})
    assert "任期届满日期应晚于聘任日期" in bad.content.decode()
    page = client.get(f"/supervision/social/{s.pk}/").content.decode()
    assert PHONE in page and social.token_for(s) in page
    assert "张代表" in client.get("/supervision/social/").content.decode()
    client.post(f"/supervision/social/{s.pk}/", {"op": "renew"})
    s.refresh_from_db()
    assert s.token_version == 2
    client.post(f"/supervision/social/{s.pk}/", {"op": "end", "reason": "调离本地"})
    s.refresh_from_db()
    assert s.state == "ended"
    client.force_login(cw["sup_city"])
    page = client.get(f"/supervision/social/{s.pk}/").content.decode()
    assert "张代表" in page and "op\" value=\"end" not in page
    client.force_login(cw["head"])
    assert client.get("/supervision/social/").status_code == 403


def test_public_feedback_page_and_lead_queue(cw, client):
    s = appoint(cw)
    url = f"/gs/jiandu/{social.token_for(s)}/"
    page = client.get(url).content.decode()
    assert "李律师" in page and PHONE not in page and cw["smj"].name in page
    r = client.post(url, {"content": "短", "entity": cw["smj"].pk})
    assert "反映内容应为10至2000字" in r.content.decode()
    r = client.post(url, {"content": TEXT, "entity": cw["smj"].pk, "case_ref": "七市监立〔2026〕12号"})
    assert 'data-testid="lead-submitted"' in r.content.decode()
    x = SupervisionLead.objects.get()
    assert x.entity == cw["smj"] and x.case_ref == "七市监立〔2026〕12号"
    assert client.get("/gs/jiandu/1.1.nope/").status_code == 404
    client.force_login(cw["sup_county"])
    assert TEXT[:20] in client.get("/supervision/leads/").content.decode()
    r = client.post(f"/supervision/leads/{x.pk}/", {"to": "close", "note": ""})
    assert "办结线索请填写处理说明" in r.content.decode()
    client.post(f"/supervision/leads/{x.pk}/", {"to": "order", "note": "请核查并答复", "days": "5",
                                                "order_kind": "duban"})
    x.refresh_from_db()
    assert x.state == "order" and x.order.entity == cw["smj"]
    client.logout()
    assert "已向七星关区市场监督管理局发出督办通知" in client.get(url).content.decode()


# ---- API ----------------------------------------------------------------------------------------
def test_api(cw):
    sup, city, head, anon = (ApiClient(cw["sup_county"]), ApiClient(cw["sup_city"]), ApiClient(cw["head"]),
                             ApiClient())
    r = sup.post("/social/supervisors", {"name": "周记者", "kind": "journalist", "appointed_on": "2026-01-01",
                                         "term_ends_on": "2028-12-31", "contact": PHONE, "entities": [cw["smj"].pk]})
    assert r.status_code == 201, r.content
    s = r.json()
    assert s["feedback_token"] and s["entity_ids"] == [cw["smj"].pk]
    assert head.post("/social/supervisors", {"name": "x", "kind": "citizen", "appointed_on": "2026-01-01",
                                             "term_ends_on": "2027-01-01"}).json()["rule"] == "social.appoint_bureau"
    assert city.get(f"/social/supervisors/{s['id']}").json()["feedback_token"] is None  # not the city's to hand out
    assert head.get(f"/social/supervisors/{s['id']}").status_code == 404
    token = s["feedback_token"]
    r = anon.post(f"/social/feedback/{token}", {"content": TEXT, "entity": cw["hbj"].pk})
    assert r.status_code == 409 and r.json()["rule"] == "lead.entity_in_scope"
    r = anon.post(f"/social/feedback/{token}", {"content": TEXT, "entity": cw["smj"].pk})
    assert r.status_code == 201
    lead_id = r.json()["id"]
    mine = anon.get(f"/social/feedback/{token}").json()
    assert mine["leads"][0]["outcome"] == "待处理" and PHONE not in str(mine)
    assert anon.get("/social/feedback/1.1.bad").status_code == 404
    assert [x["id"] for x in sup.get("/social/leads", {"state": "new"}).json()] == [lead_id]
    assert head.get("/social/leads").json() == []
    r = sup.post(f"/social/leads/{lead_id}/convert", {"to": "nope"})
    assert r.status_code == 409 and r.json()["rule"] == "lead.target"
    r = sup.post(f"/social/leads/{lead_id}/convert", {"to": "complaint", "note": "转办"})
    assert r.status_code == 200 and r.json()["state"] == "complaint" and r.json()["complaint_id"]
    r = sup.post(f"/social/supervisors/{s['id']}/renew-link")
    assert r.json()["feedback_token"] != token and anon.get(f"/social/feedback/{token}").status_code == 404
    r = sup.post(f"/social/supervisors/{s['id']}/end", {"reason": "任期内调离"})
    assert r.json()["state"] == "ended" and r.json()["feedback_token"] is None
