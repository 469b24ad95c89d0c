"""专项监督: a campaign over entities of the bureau's subtree, cases sampled from the platform's own
decided cases (repeatably), findings per case with an 整改通知 for a problem, the finish and the report."""
import datetime as dt

import pytest
import time_machine

from tests import builders
from tests.worlds import built_once
from zhifa.common.actions import ActionRefused
from zhifa.supervision.actions import campaign as campaign_actions
from zhifa.supervision.models import Campaign, CampaignCase, SupervisionOrder

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def decided(cw_once, django_db_blocker):
    with built_once(django_db_blocker):
        yield [builders.case_at(cw_once, "decided"), builders.case_at(cw_once, "closed")]


@pytest.fixture
def cw(shared_cw):
    return shared_cw


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def new(cw, **kw):
    data = {"acting_user": cw["sup_county"], "name": "食品安全行政处罚专项监督", "entities": [cw["smj"]],
            "period_from": "2026-04-01", "period_to": "2026-05-31", "checklist": ["程序合法", "文书规范"],
            "sample_size": 5, **kw}
    return campaign_actions.do_create_campaign(**data)


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, e.value


@pytest.mark.parametrize(("kw", "rule"), [
    ({"acting_user": "head"}, "campaign.bureau"), ({"name": " "}, "campaign.name"), ({"entities": []}, "campaign.entities"),
    ({"entities": ["zy"]}, "campaign.entities"), ({"period_to": "2026-03-01"}, "campaign.period"),
    ({"checklist": [" "]}, "campaign.checklist"), ({"sample_size": 0}, "campaign.sample_size"),
])
def test_rules_of_a_new_campaign(cw, kw, rule):
    kw = {k: (cw[v] if k == "acting_user" else [cw[x] for x in v] if k == "entities" else v) for k, v in kw.items()}
    refused(rule, new, cw, **kw)


def test_sample_find_order_finish_report(cw, decided, client):
    c = new(cw)
    rows = campaign_actions.do_sample_cases(c, acting_user=cw["sup_county"])
    assert sorted(r.case_id for r in rows) == sorted(x.pk for x in decided)  # fewer cases than the sample size
    assert c.cases.count() == 2 and campaign_actions.do_sample_cases(c, acting_user=cw["sup_county"]) == []
    refused("campaign.unchecked", campaign_actions.do_finish_campaign, c, acting_user=cw["sup_county"], summary="完")
    first, second = c.cases.order_by("id")
    refused("campaign.findings", campaign_actions.do_record_finding, first, acting_user=cw["sup_county"],
            findings={"程序合法": True})
    refused("campaign.problems", campaign_actions.do_record_finding, first, acting_user=cw["sup_county"],
            findings={"程序合法": True, "文书规范": False})
    first = campaign_actions.do_record_finding(first, acting_user=cw["sup_county"], order_days=10,
                                               findings={"程序合法": "yes", "文书规范": "no"}, problems="决定书未写明救济途径")
    assert first.order.kind == SupervisionOrder.Kind.RECTIFY and first.order.days == 10 and first.failed == ["文书规范"]
    campaign_actions.do_record_finding(second, acting_user=cw["sup_county"], findings={"程序合法": True, "文书规范": True})
    refused("campaign.summary", campaign_actions.do_finish_campaign, c, acting_user=cw["sup_county"], summary=" ")
    c = campaign_actions.do_finish_campaign(c, acting_user=cw["sup_county"], summary="总体良好，文书需规范。")
    assert c.state == Campaign.State.FINISHED
    refused("campaign.state", campaign_actions.do_sample_cases, c, acting_user=cw["sup_county"])
    rep = campaign_actions.report(c)
    assert rep["totals"] == {"sampled": 2, "checked": 2, "with_problems": 1, "orders": 1, "orders_replied": 0}
    assert [(p["label"], p["failed"]) for p in rep["points"]] == [("程序合法", 0), ("文书规范", 1)]
    client.force_login(cw["sup_city"])  # the city sees the county's campaign
    assert "文书规范" in client.get(f"/supervision/campaigns/{c.pk}/report/").content.decode()
    x = client.get(f"/supervision/campaigns/{c.pk}/report.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    client.force_login(cw["head"])
    assert client.get(f"/supervision/campaigns/{c.pk}/").status_code == 403


def test_no_cases_in_the_period(cw, decided):
    c = new(cw, period_from="2025-01-01", period_to="2025-12-31")
    refused("campaign.no_cases", campaign_actions.do_sample_cases, c, acting_user=cw["sup_county"])
    assert not CampaignCase.objects.filter(campaign=c).exists()


def test_pages(cw, decided, client):
    client.force_login(cw["sup_county"])
    r = client.post("/supervision/campaigns/", {"name": "专项", "entities": [cw["smj"].pk], "period_from": "2026-04-01",
                                                "period_to": "2026-05-31", "checklist": "程序合法\n文书规范",
                                                "sample_size": "1"})
    assert r.status_code == 302
    c = Campaign.objects.get(name="专项")
    assert client.post(f"/supervision/campaigns/{c.pk}/", {"action": "sample"}).status_code == 302
    row = c.cases.get()
    page = client.post(f"/supervision/campaigns/case/{row.pk}/", {"point_0": "yes", "point_1": "no"}).content.decode()
    assert "请写明发现的问题和整改要求" in page
    assert client.post(f"/supervision/campaigns/case/{row.pk}/", {"point_0": "yes", "point_1": "yes"}).status_code == 302
    assert client.post(f"/supervision/campaigns/{c.pk}/", {"action": "finish", "summary": "好"}).status_code == 302
    assert "已完成" in client.get(f"/supervision/campaigns/{c.pk}/").content.decode()
