"""Issue 24 item 8: the officer-level appraisal — cases handled, periods breached, reviews returned, 复议/诉讼
reversals and upheld complaints per officer — and its average feeding the entity's appraisal."""
import datetime as dt

import pytest
import time_machine

from tests import builders
from zhifa.common.actions import ActionRefused
from zhifa.supervision.actions import appraisal as appraisal_actions
from zhifa.supervision.models import OfficerFinding

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def refused(rule, fn, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(**kw)
    assert e.value.rule == rule, e.value


def test_officer_rows_findings_and_the_entity_indicator(cw, client):
    case = builders.case_at(cw, "decided")
    sup, h1 = cw["sup_county"], cw["h1"]
    refused("appraisal.finding_kind", appraisal_actions.do_record_officer_finding, acting_user=sup, officer=h1,
            kind="x", note="复议")
    refused("appraisal.finding_note", appraisal_actions.do_record_officer_finding, acting_user=sup, officer=h1,
            kind="reconsideration", note=" ")
    refused("appraisal.finding_case", appraisal_actions.do_record_officer_finding, acting_user=sup, officer=cw["h3"],
            kind="reconsideration", note="复议撤销", case=case)  # 杨三 did not handle it
    appraisal_actions.do_record_officer_finding(acting_user=sup, officer=h1, kind="reconsideration", case=case,
                                                note="县政府复议决定撤销原处罚决定")
    appraisal_actions.do_record_officer_finding(acting_user=cw["head"], officer=h1, kind="complaint",
                                                note="投诉未出示执法证件，查证属实")
    with pytest.raises(Exception):  # another county's officer is outside the county supervisor's scope
        appraisal_actions.do_record_officer_finding(acting_user=sup, officer=cw["o_df"], kind="complaint", note="x")
    rows = {r["officer"]: r for r in appraisal_actions.officer_rows([cw["smj"].pk], 2026)}
    assert rows["刘一"]["handled"] == 1 and rows["刘一"]["reversed"] == 1 and rows["刘一"]["complaint"] == 1
    liu, chen = rows["刘一"], rows["陈二"]
    assert liu["overdue"] == chen["overdue"] == 1  # the decided case's 送达 period has run out by 1 June
    assert liu["score"] == 100 - 5 - 10 - 10 and chen["score"] == 95 and rows["杨三"]["score"] is None
    # the entity's indicator is its officers' average, counted once the region weights it
    county = cw["smj"].region
    result = appraisal_actions.compute(sup, county, 2026, weights={"officers": 100})
    smj = next(r for r in result if r["entity_id"] == cw["smj"].pk)
    line = next(ln for ln in smj["lines"] if ln["key"] == "officers")
    assert line["score"] == "85.0" and smj["total"] == "85.0"
    client.force_login(sup)
    page = client.get("/supervision/appraisal/officers/?year=2026").content.decode()
    assert "刘一" in page and "75（合格）" in page and "县政府复议决定撤销原处罚决定" in page
    r = client.post("/supervision/appraisal/officers/?year=2026", {"year": "2026", "officer": "", "kind": "complaint",
                                                                   "note": "x"})
    assert "执法人员：请选择执法人员" in r.content.decode()
    client.force_login(cw["head"])  # the agency head sees the own entity's officers
    assert "刘一" in client.get("/supervision/appraisal/officers/").content.decode()
    assert OfficerFinding.objects.count() == 2
