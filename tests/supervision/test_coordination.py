"""争议协调 (issue 24 item 5): disputes beyond a transfer's 管辖争议 — across fields, across regions, between a
township's integrated enforcement and a county department — with the parties' positions, the bureau's
decision and the follow-up (taken on within the period, or an alert)."""
import datetime as dt

import pytest
import time_machine

from tests import factories
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.roles import Role
from zhifa.ledger.models import LedgerEntry
from zhifa.supervision.actions import coordination as coord
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import Alert, Coordination

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def w(world):
    town_region = factories.region("520502100", "碧阳街道", 4, world["regions"]["county"])
    world["town"] = factories.entity(town_region, "七星关区碧阳街道办事处", short_code="七碧", fields="乡镇综合行政执法")
    world["town_head"] = factories.user(Role.AGENCY_HEAD, world["town"], None, "townhead")
    world["hbj_head"] = factories.user(Role.AGENCY_HEAD, world["hbj"], None, "hbjhead")
    world["df_head"] = factories.user(Role.AGENCY_HEAD, world["df"], None, "dfhead")
    return world


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, e.value
    return e.value


def opened(w, **kw):
    data = {"acting_user": w["head"], "kind": "township", "title": "集贸市场流动摊贩的查处职责",
            "parties": [w["smj"], w["town"]], **kw}
    return coord.do_open_coordination(**data)


@pytest.mark.parametrize(("kw", "rule"), [
    ({"kind": "x"}, "coordination.kind"),
    ({"title": "  "}, "coordination.title"),
    ({"parties": ["smj"]}, "coordination.parties"),
    ({"parties": ["smj", "sfj_county"]}, "coordination.parties"),
    ({"acting_user": "officer"}, "coordination.opener"),
    ({"acting_user": "town_head", "parties": ["smj", "hbj"], "kind": "cross_field"}, "coordination.opener"),
    ({"kind": "cross_region", "parties": ["smj", "hbj"]}, "coordination.cross_region"),
    ({"kind": "township", "parties": ["smj", "hbj"]}, "coordination.township"),
    ({"acting_user": "sup_county", "kind": "cross_region", "parties": ["smj", "df"]}, "coordination.bureau"),
])
def test_rules_of_bringing_a_dispute(w, kw, rule):
    kw = {k: (w[v] if k == "acting_user" else [w[x] for x in v] if k == "parties" else v) for k, v in kw.items()}
    refused(rule, opened, w, **kw)


def test_bureau_is_the_lowest_common_one(w):
    assert opened(w).bureau == w["sfj_county"]  # both in 七星关区
    c = coord.do_open_coordination(acting_user=w["df_head"], kind="cross_region", title="跨县流动执法",
                                   parties=[w["smj"], w["df"]])
    assert c.bureau == w["sfj_city"]  # 七星关区 and 大方县: the city's justice bureau
    assert not Coordination.objects.restrict(w["sup_county"]).filter(pk=c.pk).exists()
    assert Coordination.objects.restrict(w["sup_city"]).filter(pk=c.pk).exists()
    # a party's staff see it; another entity's do not
    assert Coordination.objects.restrict(w["officer"]).filter(pk=c.pk).exists()
    assert not Coordination.objects.restrict(w["hbj_head"]).filter(pk=c.pk).exists()


def test_positions_decision_follow_up_and_alert(w):
    c = opened(w, on=dt.date(2026, 5, 1))
    sup = w["sup_county"]
    refused("coordination.positions_heard", coord.do_decide_coordination, c, acting_user=sup, entity=w["town"],
            decision="由镇承办")
    with pytest.raises(OutOfScope):  # not a party: it does not even see the dispute
        coord.do_submit_position(c, acting_user=w["hbj_head"], position="不同意")
    refused("coordination.party_head", coord.do_submit_position, c, acting_user=w["officer"], position="不同意")
    refused("coordination.position_text", coord.do_submit_position, c, acting_user=w["head"], position=" ")
    coord.do_submit_position(c, acting_user=w["head"], position="已赋权乡镇，应由镇承办", on=dt.date(2026, 5, 2))
    coord.do_submit_position(c, acting_user=w["town_head"], position="涉及食品安全，应由县局承办", on=dt.date(2026, 5, 3))
    refused("coordination.coordinator", coord.do_decide_coordination, c, acting_user=w["head"], entity=w["town"],
            decision="由镇承办")
    refused("coordination.decided_entity", coord.do_decide_coordination, c, acting_user=sup, entity=w["hbj"],
            decision="由环保承办")
    refused("coordination.decision_text", coord.do_decide_coordination, c, acting_user=sup, entity=w["town"],
            decision="")
    refused("coordination.follow_up_days", coord.do_decide_coordination, c, acting_user=sup, entity=w["town"],
            decision="由镇承办", follow_up_days=0)
    c = coord.do_decide_coordination(c, acting_user=sup, entity=w["town"], decision="赋权目录已列明，由镇承办",
                                     follow_up_days=10, on=dt.date(2026, 5, 10))
    assert c.state == Coordination.State.DECIDED and c.follow_up_due_on == dt.date(2026, 5, 20)
    refused("coordination.state", coord.do_submit_position, c, acting_user=w["head"], position="再议")
    refused("coordination.taker", coord.do_take_on, c, acting_user=w["head"], note="已立案")

    # past the period and not taken on: the decided entity's alert, seen by the bureau too
    recompute_alerts(dt.date(2026, 6, 1))
    alert = Alert.objects.get(kind=Alert.Kind.COORDINATION_OVERDUE, state=Alert.State.OPEN)
    assert alert.entity == w["town"] and "2026-05-20" in alert.text
    assert Alert.objects.restrict(w["sup_county"]).filter(pk=alert.pk).exists()

    refused("coordination.taken_note", coord.do_take_on, c, acting_user=w["town_head"], note=" ")
    c = coord.do_take_on(c, acting_user=w["town_head"], note="已登记案源并开展检查")
    assert c.state == Coordination.State.TAKEN and c.taken_late
    refused("coordination.state", coord.do_take_on, c, acting_user=w["town_head"], note="再次承接")
    recompute_alerts(dt.date(2026, 6, 1))
    alert.refresh_from_db()
    assert alert.state == Alert.State.CLOSED and alert.auto_closed
    events = set(LedgerEntry.objects.filter(event_type__startswith="supervision.coordination")
                 .values_list("event_type", flat=True))
    assert events == {"supervision.coordination_opened", "supervision.coordination_position",
                      "supervision.coordination_decided", "supervision.coordination_taken"}


def test_pages_and_api(w, client):
    c = opened(w)
    client.force_login(w["town_head"])
    page = client.get(f"/supervision/coordinations/{c.pk}/").content.decode()
    assert "集贸市场流动摊贩的查处职责" in page and "position-form" in page and "decide-form" not in page
    r = client.post(f"/supervision/coordinations/{c.pk}/", {"action": "position", "position": ""})
    assert "请填写本机关的意见及理由" in r.content.decode()
    client.post(f"/supervision/coordinations/{c.pk}/", {"action": "position", "position": "应由县局承办"})
    assert c.parties.get(entity=w["town"]).position == "应由县局承办"
    client.force_login(w["hbj_head"])  # not a party
    assert client.get(f"/supervision/coordinations/{c.pk}/").status_code == 404
    client.force_login(w["officer"])  # officers have no coordination pages
    assert client.get("/supervision/coordinations/").status_code == 403

    client.force_login(w["head"])
    r = client.post("/api/v1/coordinations", {"kind": "cross_field", "title": "油烟扰民", "parties": [w["hbj"].pk]},
                    content_type="application/json")
    assert r.status_code == 409 and r.json()["rule"] == "coordination.parties"
    r = client.post("/api/v1/coordinations", {"kind": "cross_field", "title": "油烟扰民",
                                               "parties": [w["smj"].pk, w["hbj"].pk]}, content_type="application/json")
    assert r.status_code == 201, r.content
    new = r.json()
    assert new["bureau_id"] == w["sfj_county"].pk and len(new["parties"]) == 2
    r = client.post(f"/api/v1/coordinations/{new['id']}/position", {"position": "属生态环境职责"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["parties"][0]["position"] == "属生态环境职责"
    assert {x["id"] for x in client.get("/api/v1/coordinations").json()} == {c.pk, new["id"]}
