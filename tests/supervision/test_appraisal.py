"""评议考核: indicators from the platform's records and entered results, weights, the breakdown,
finalisation (a snapshot later data cannot change), scope, pages and API."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.api.conftest import ApiClient
from tests.supervision.casefile_helpers import file_world, new_round, refused
from tests.supervision.helpers import overdue_case
from tests.worlds import built_once, fresh
from zhifa.common.actions import OutOfScope
from zhifa.common.models import ChangeLog
from zhifa.supervision.actions import appraisal as appraisal_actions
from zhifa.supervision.actions import casefile as casefile_actions
from zhifa.supervision.models import AppraisalSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


TODAY = dt.date(2026, 7, 1)


@pytest.fixture(scope="module")
def data_once(cw_once, django_db_blocker):
    """Scored files of a finished round, an overdue case, an overdue complaint and the entered results,
    built once for the module."""
    cw = cw_once
    with built_once(django_db_blocker):
        from zhifa.disclosure.actions.complaints import do_submit_complaint

        files = file_world(cw, smj=2, hbj=1, df=1)
        sup = cw["sup_county"]
        r = new_round(sup)
        reviews = [casefile_actions.do_add_case(r, c, acting_user=sup) for c in files["smj"] + files["hbj"]]
        for rv in reviews:
            casefile_actions.do_assign_reviewer(rv, sup, acting_user=sup)
        a, b, c = reviews
        casefile_actions.do_score_review(a, acting_user=sup, submit=True, lines={})  # 100
        casefile_actions.do_score_review(b, acting_user=sup, submit=True, lines={"B3": {"options": [0], "reason": "未告知"},
                                                                 "E1": {"options": [0], "reason": "未处理"}})  # 85
        casefile_actions.do_score_review(c, acting_user=sup, submit=True, lines={"E1": {"options": [0], "reason": "未处理"},
                                                                 "G1": {"extra": "1", "reason": "未编页码"}})  # 89
        casefile_actions.do_finish_round(r, acting_user=sup)
        overdue_case(cw)  # 七星关区市场监督管理局: decision due 2026-06-01, still running on TODAY
        do_submit_complaint(entity=cw["hbj"], kind="complaint", content="某企业夜间排放污水，气味刺鼻，请查处。",
                            client="10.0.0.9", on=dt.date(2026, 3, 2))  # never answered: overdue by TODAY
        appraisal_actions.do_enter_results(
            acting_user=sup, entity=cw["smj"], year=2026,
            data={"reconsideration_total": 4, "reconsideration_corrected": 1, "litigation_total": 2,
                  "litigation_lost": 0, "note": "复议机关：七星关区人民政府"})
        yield {"files": files, "round": r}


@pytest.fixture
def data(data_once, cw):
    return fresh(data_once)


def _row(rows, entity):
    return next(r for r in rows if r["entity_id"] == entity.pk)


def test_scores_and_breakdown(cw, data):
    rows = appraisal_actions.compute(cw["sup_county"], cw["regions"]["county"], 2026, today=TODAY)
    assert {r["entity_id"] for r in rows} == {cw["smj"].pk, cw["hbj"].pk}  # not the justice bureau, not 大方县
    smj = {ln["key"]: ln for ln in _row(rows, cw["smj"])["lines"]}
    assert smj["timeliness"]["score"] == "0.0" and smj["timeliness"]["detail"] == "按期0/1"
    assert smj["casefile"]["score"] == "92.5"
    assert smj["reconsideration"]["score"] == "75.0" and smj["litigation"]["score"] == "100.0"
    assert not smj["review"]["applicable"] and not smj["publication"]["applicable"]
    # (20×0 + 25×92.5 + 10×75 + 5×100) / (20 + 25 + 10 + 5) = 59.375; 不适用 weights are spread.
    assert _row(rows, cw["smj"])["total"] == "59.4" and _row(rows, cw["smj"])["grade"] == "不合格"
    assert smj["casefile"]["effective_weight"] == "41.7"
    hbj = {ln["key"]: ln for ln in _row(rows, cw["hbj"])["lines"]}
    assert hbj["complaints"]["score"] == "0.0" and hbj["casefile"]["score"] == "89.0"
    assert _row(rows, cw["hbj"])["total"] == "63.6" and rows[0]["entity_id"] == cw["hbj"].pk and rows[0]["rank"] == 1
    # Rounds of another year do not count; weights change the total.
    assert {ln["key"]: ln for ln in _row(appraisal_actions.compute(cw["sup_county"], cw["regions"]["county"], 2025, today=TODAY),
                                         cw["hbj"])["lines"]}["casefile"]["applicable"] is False
    appraisal_actions.do_save_scheme(acting_user=cw["sup_county"], region=cw["regions"]["county"], year=2026,
                                     weights={"casefile": 100})
    rows = appraisal_actions.compute(cw["sup_county"], cw["regions"]["county"], 2026, today=TODAY)
    assert _row(rows, cw["smj"])["total"] == "92.5"


def test_weight_and_result_rules(cw, data):
    county = cw["regions"]["county"]
    refused("appraisal.weights", appraisal_actions.do_save_scheme, acting_user=cw["sup_county"], region=county, year=2026,
            weights={"casefile": 60})
    refused("appraisal.weights", appraisal_actions.do_save_scheme, acting_user=cw["sup_county"], region=county, year=2026,
            weights={"casefile": 120, "timeliness": -20})
    refused("appraisal.weights", appraisal_actions.do_save_scheme, acting_user=cw["sup_county"], region=county, year=2026,
            weights={"casefile": "abc"})
    with pytest.raises(OutOfScope):
        appraisal_actions.do_save_scheme(acting_user=cw["sup_county"], region=cw["regions"]["county2"], year=2026,
                                         weights=appraisal_actions.default_weights())
    refused("appraisal.results_consistent", appraisal_actions.do_enter_results, acting_user=cw["sup_county"], entity=cw["hbj"],
            year=2026, data={"litigation_total": 1, "litigation_lost": 2})
    refused("appraisal.results_consistent", appraisal_actions.do_enter_results, acting_user=cw["sup_county"], entity=cw["hbj"],
            year=2026, data={"reconsideration_total": 0, "reconsideration_corrected": 1})
    refused("validation", appraisal_actions.do_enter_results, acting_user=cw["sup_county"], entity=cw["hbj"], year=2026,
            data={"litigation_total": "-1"})
    with pytest.raises(OutOfScope):
        appraisal_actions.do_enter_results(acting_user=cw["sup_county"], entity=cw["df"], year=2026, data={})
    with pytest.raises(OutOfScope):
        appraisal_actions.do_enter_results(acting_user=cw["officer"], entity=cw["smj"], year=2026, data={})
    # The entity's own head may enter its results; correcting keeps one row per entity and year.
    row = appraisal_actions.do_enter_results(acting_user=cw["head"], entity=cw["smj"], year=2026,
                                             data={"reconsideration_total": 5, "reconsideration_corrected": 1})
    assert row.reconsideration_total == 5 and row.litigation_total == 0
    assert ChangeLog.objects.filter(content_type__model="appraisalresult", action="update").exists()


def test_finalise_freezes_the_year(cw, data):
    county, sup = cw["regions"]["county"], cw["sup_county"]
    refused("appraisal.year_open", appraisal_actions.do_finalise, acting_user=sup, region=county, year=2026, on=TODAY)
    with pytest.raises(OutOfScope):
        appraisal_actions.do_finalise(acting_user=cw["head"], region=county, year=2026, on=dt.date(2027, 1, 10))
    snap = appraisal_actions.do_finalise(acting_user=sup, region=county, year=2026, on=dt.date(2027, 1, 10))
    before = _row(snap.rows, cw["smj"])["total"]
    refused("appraisal.finalised", appraisal_actions.do_finalise, acting_user=sup, region=county, year=2026, on=dt.date(2027, 1, 11))
    refused("appraisal.finalised", appraisal_actions.do_enter_results, acting_user=sup, entity=cw["smj"], year=2026,
            data={"reconsideration_total": 9, "reconsideration_corrected": 9})
    refused("appraisal.finalised", appraisal_actions.do_save_scheme, acting_user=sup, region=county, year=2026,
            weights=appraisal_actions.default_weights())
    assert _row(AppraisalSnapshot.objects.get().rows, cw["smj"])["total"] == before
    assert ChangeLog.objects.filter(content_type__model="appraisalsnapshot", action="create").count() == 1


def test_pages(cw, data, client):
    client.force_login(cw["sup_county"])
    page = client.get("/supervision/appraisal/?year=2026").content.decode()
    assert "七星关区市场监督管理局" in page and "案卷评查" in page
    page = client.get(f"/supervision/appraisal/entity/{cw['smj'].pk}/?year=2026").content.decode()
    assert "92.5" in page and "复议4件，纠错1件" in page
    resp = client.post("/supervision/appraisal/scheme/?year=2026", {"year": "2026", "w_casefile": "50"})
    assert resp.status_code == 422 and "合计应为100" in resp.content.decode()
    resp = client.post("/supervision/appraisal/results/", {"year": "2026", "entity": cw["hbj"].pk,
                                                           "litigation_total": "3", "litigation_lost": "1"})
    assert resp.status_code == 302
    this_year = timezone.localdate().year  # the page finalises as of today: the current year is still open
    resp = client.post("/supervision/appraisal/", {"year": str(this_year)})
    assert resp.status_code == 422 and "尚未结束" in resp.content.decode()
    assert client.get(f"/supervision/appraisal/?region={cw['regions']['county2'].pk}").status_code == 404
    client.force_login(cw["officer"])
    assert client.get("/supervision/appraisal/").status_code == 403


def test_api(cw, data):
    sup = ApiClient(cw["sup_county"])
    r = sup.get("/appraisal", {"year": 2026})
    assert r.status_code == 200 and not r.json()["finalised"]
    assert {row["entity"] for row in r.json()["rows"]} == {"七星关区市场监督管理局", "七星关区生态环境局"}
    assert sup.get("/appraisal", {"region": cw["regions"]["county2"].pk}).status_code == 404
    r = sup.send("put", "/appraisal/scheme", {"year": 2026, "weights": {"casefile": 50}})
    assert r.status_code == 409 and r.json()["rule"] == "appraisal.weights"
    r = sup.send("put", "/appraisal/scheme", {"year": 2026, "weights": {"casefile": 50, "timeliness": 50}})
    assert r.status_code == 200
    r = sup.post("/appraisal/results", {"entity": cw["hbj"].pk, "year": 2026, "litigation_total": 1,
                                        "litigation_lost": 3})
    assert r.status_code == 409 and r.json()["rule"] == "appraisal.results_consistent"
    r = sup.post("/appraisal/results", {"entity": cw["hbj"].pk, "year": 2026, "litigation_total": 4,
                                        "litigation_lost": 1})
    assert r.status_code == 200 and r.json()["litigation_lost"] == 1
    assert sup.post("/appraisal/results", {"entity": cw["df"].pk, "year": 2026}).status_code == 404
    r = sup.post("/appraisal/finalise", {"year": timezone.localdate().year})  # as of today: still open
    assert r.status_code == 409 and r.json()["rule"] == "appraisal.year_open"
    r = sup.post("/appraisal/finalise", {"year": 2025})
    assert r.status_code == 201 and Decimal(r.json()["weights"]["casefile"]) == 25
    assert [s["year"] for s in sup.get("/appraisal/snapshots").json()] == [2025]
    assert sup.get("/appraisal", {"year": 2025}).json()["finalised"]
