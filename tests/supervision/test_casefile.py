"""案卷评查: rubrics (validation, editors, frozen per review), reproducible sampling, scope, reviewer
rules, score arithmetic, results per entity, guidance marks, finishing, pages and API."""
import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from tests.api.conftest import ApiClient
from tests.supervision.casefile_helpers import closed_inspection, file_world, new_round, refused
from tests.worlds import built_once, fresh
from zhifa.common.actions import OutOfScope
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.supervision import scoring
from zhifa.supervision.actions import casefile as casefile_actions
from zhifa.supervision.models import ReviewRound, Rubric, ScoreLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


@pytest.fixture(scope="module")
def files_once(cw_once, django_db_blocker):
    """The closed case files, built once for the module (what a test changes is undone after it)."""
    with built_once(django_db_blocker):
        yield file_world(cw_once)


@pytest.fixture
def files(files_once, cw):
    return fresh(files_once)


def _ids(reviews):
    return sorted(r.case_id for r in reviews)


# ---- rubrics ------------------------------------------------------------------------------------
def test_default_rubrics_are_100_points_in_seven_categories(cw):
    made = casefile_actions.do_ensure_default_rubrics(acting_user=cw["admin"])
    assert len(made) == 4 and casefile_actions.do_ensure_default_rubrics(acting_user=cw["admin"]) == []
    for r in Rubric.objects.all():
        assert sum(Decimal(i["points"]) for i in r.items) == 100
        assert {i["category"] for i in r.items} == set(scoring.CATEGORY_LABELS)
        for i in r.items:
            assert all(Decimal(d["points"]) <= Decimal(i["points"]) for d in i["deductions"])


def test_rubric_rules_and_editors(cw):
    casefile_actions.do_ensure_default_rubrics()
    default = Rubric.objects.get(kind="inspection", region__isnull=True)
    items = [dict(i) for i in default.items]
    # A county supervisor may not change the system default, but may make one for the county.
    refused("casefile.rubric_editor", casefile_actions.do_save_rubric, acting_user=cw["sup_county"], kind="", name="x",
            items=items, rubric=default)
    refused("casefile.rubric_editor", casefile_actions.do_save_rubric, acting_user=cw["head"], kind="inspection", name="x",
            items=items, region=cw["regions"]["county"])
    refused("casefile.rubric_editor", casefile_actions.do_save_rubric, acting_user=cw["sup_county"], kind="inspection", name="x",
            items=items, region=cw["regions"]["county2"])
    own = casefile_actions.do_save_rubric(acting_user=cw["sup_county"], kind="inspection", name="七星关区行政检查案卷评查标准",
                           items=items, region=cw["regions"]["county"])
    assert scoring.rubric_for("inspection", cw["regions"]["county"]) == own
    assert scoring.rubric_for("inspection", cw["regions"]["county2"]) == default
    refused("casefile.rubric_exists", casefile_actions.do_save_rubric, acting_user=cw["sup_city"], kind="inspection", name="y",
            items=items, region=cw["regions"]["county"])
    bad = [dict(items[0], points="7")] + items[1:]
    refused("casefile.rubric_total", casefile_actions.do_save_rubric, acting_user=cw["admin"], kind="", name="x", items=bad,
            rubric=default)
    bad = [dict(items[0], deductions=[{"text": "过多", "points": "50"}])] + items[1:]
    refused("casefile.rubric_deduction", casefile_actions.do_save_rubric, acting_user=cw["admin"], kind="", name="x", items=bad,
            rubric=default)
    refused("casefile.rubric_items", casefile_actions.do_save_rubric, acting_user=cw["admin"], kind="", name="x",
            items=[dict(items[0], category="nope")] + items[1:], rubric=default)
    updated = casefile_actions.do_save_rubric(acting_user=cw["admin"], kind="", name=default.name, items=items, rubric=default,
                               reason="修订")
    assert updated.version == 2
    assert ChangeLog.objects.filter(object_id=str(default.pk), content_type__model="rubric", action="update").exists()


def test_editing_a_rubric_never_changes_a_frozen_review(cw, files):
    r = new_round(cw["sup_county"])
    review = casefile_actions.do_add_case(r, files["hbj"][0], acting_user=cw["sup_county"])
    rubric = review.rubric
    items = [dict(i) for i in rubric.items]
    items[0] = dict(items[0], text="改过的内容")
    casefile_actions.do_save_rubric(acting_user=cw["admin"], kind="", name=rubric.name, items=items, rubric=rubric)
    review.refresh_from_db()
    assert review.rubric_version == 1 and review.rubric_items[0]["text"] != "改过的内容"


# ---- sampling -------------------------------------------------------------------------------------
def test_draw_is_reproducible_and_per_entity():
    pop = {1: list(range(100, 140)), 2: list(range(200, 210))}
    a = scoring.draw(pop, 12345, ratio=0.25)
    assert a == scoring.draw(pop, 12345, ratio=0.25)
    assert a != scoring.draw(pop, 54321, ratio=0.25)
    assert len([x for x in a if x < 200]) == 10 and len([x for x in a if x >= 200]) == 3
    # Adding an entity leaves the other entities' draws alone.
    assert [x for x in scoring.draw({**pop, 3: [300, 301]}, 12345, ratio=0.25) if x < 300] == a
    assert len(scoring.draw(pop, 1, count=3)) == 6 and len(scoring.draw(pop, 1, count=99)) == 50


def test_sampling_reproducible_through_the_action(cw, files):
    r1 = new_round(cw["sup_county"])
    got = casefile_actions.do_sample_round(r1, acting_user=cw["sup_county"], ratio="0.5", seed=20260401)
    r1.refresh_from_db()
    assert r1.seed == 20260401 and r1.sample_ratio == Decimal("0.5")
    # ceil(6 × 0.5) = 3 of 七星关区市场监督管理局, ceil(3 × 0.5) = 2 of the 生态环境局, none of 大方县.
    by_entity = {}
    for rv in got:
        by_entity[rv.entity_id] = by_entity.get(rv.entity_id, 0) + 1
    assert by_entity == {cw["smj"].pk: 3, cw["hbj"].pk: 2}
    assert all(rv.how == "random" and rv.rubric_items for rv in got)
    r2 = new_round(cw["sup_county"], name="复核")
    assert _ids(casefile_actions.do_sample_round(r2, acting_user=cw["sup_county"], ratio="0.5", seed=20260401)) == _ids(got)
    refused("casefile.already_sampled", casefile_actions.do_sample_round, r1, acting_user=cw["sup_county"], count=1)
    r3 = new_round(cw["sup_county"], name="三")
    refused("casefile.sample_size", casefile_actions.do_sample_round, r3, acting_user=cw["sup_county"], ratio="0.5", count=2)
    refused("casefile.sample_size", casefile_actions.do_sample_round, r3, acting_user=cw["sup_county"])
    refused("casefile.sample_size", casefile_actions.do_sample_round, r3, acting_user=cw["sup_county"], ratio="1.5")
    one_each = casefile_actions.do_sample_round(r3, acting_user=cw["sup_county"], count=1)
    assert len(one_each) == 2 and ReviewRound.objects.get(pk=r3.pk).seed is not None


def test_scope_county_supervisor_cannot_sample_another_county(cw, files):
    with pytest.raises(OutOfScope):
        new_round(cw["sup_county"], region=cw["regions"]["county2"])
    with pytest.raises(OutOfScope):
        new_round(cw["head"])
    r = new_round(cw["sup_county"])
    with pytest.raises(OutOfScope):
        casefile_actions.do_add_case(r, files["df"][0], acting_user=cw["sup_county"])
    got = casefile_actions.do_sample_round(r, acting_user=cw["sup_county"], ratio=1, seed=7)
    assert cw["df"].pk not in {rv.entity_id for rv in got} and len(got) == 9
    # A city supervisor's round over the city reaches 大方县 too; a county one cannot touch it.
    city = new_round(cw["sup_city"])
    assert {rv.entity_id for rv in casefile_actions.do_sample_round(city, acting_user=cw["sup_city"], count=1, seed=7)} == \
        {cw["smj"].pk, cw["hbj"].pk, cw["df"].pk}
    with pytest.raises(OutOfScope):
        casefile_actions.do_finish_round(city, acting_user=cw["sup_county"])


def test_manual_pick_rules(cw, files):
    r = new_round(cw["sup_county"], closed_to=dt.date(2026, 3, 5))
    casefile_actions.do_add_case(r, files["smj"][0], acting_user=cw["sup_county"])
    refused("casefile.case_in_round", casefile_actions.do_add_case, r, files["smj"][0], acting_user=cw["sup_county"])
    open_case = factories.case(cw)
    refused("casefile.case_outside_round", casefile_actions.do_add_case, r, open_case, acting_user=cw["sup_county"])
    r2 = new_round(cw["sup_county"], kinds=["inspection", "penalty_general"])
    refused("casefile.case_not_finished", casefile_actions.do_add_case, r2, open_case, acting_user=cw["sup_county"])
    # The closing window limits the random draw: only cases closed by 3/5 (3/3, 3/4, 3/5 → smj[0..2]).
    got = casefile_actions.do_sample_round(r, acting_user=cw["sup_county"], ratio=1, seed=1)
    assert _ids(got) == sorted(c.pk for c in files["smj"][1:3])
    # A kind left without any rubric (only possible by removing it outside the actions) is refused.
    r3 = new_round(cw["sup_county"], name="无标准")
    Rubric.objects.filter(kind="inspection").update(kind="coercive")
    refused("casefile.no_rubric", casefile_actions.do_add_case, r3, files["smj"][4], acting_user=cw["sup_county"])


def test_round_rules(cw):
    refused("casefile.round_name", new_round, cw["sup_county"], name=" ")
    refused("casefile.round_kinds", new_round, cw["sup_county"], kinds=["nope"])
    refused("casefile.round_dates", new_round, cw["sup_county"], closed_from=dt.date(2026, 5, 1), closed_to=dt.date(2026, 4, 1))
    refused("casefile.thresholds", new_round, cw["sup_county"], pass_min=95, excellent_min=90)
    refused("validation", new_round, cw["sup_county"], closed_from="2026-13-01")


# ---- reviewers --------------------------------------------------------------------------------
def test_reviewer_independent_and_qualified(cw, files):
    involved = closed_inspection(cw["smj"], cw["h1"], cw["rev_officer"], on=dt.date(2026, 4, 1))
    r = new_round(cw["sup_county"])
    mine = casefile_actions.do_add_case(r, involved, acting_user=cw["sup_county"])
    other = casefile_actions.do_add_case(r, files["smj"][0], acting_user=cw["sup_county"])
    # The legal reviewer was an officer of this case: not independent.
    refused("casefile.reviewer_independent", casefile_actions.do_assign_reviewer, mine, cw["rev"], acting_user=cw["sup_county"])
    assert casefile_actions.do_assign_reviewer(other, cw["rev"], acting_user=cw["sup_county"]).reviewer == cw["rev"]
    refused("casefile.reviewer_role", casefile_actions.do_assign_reviewer, mine, cw["u3"], acting_user=cw["sup_county"])
    refused("casefile.reviewer_role", casefile_actions.do_assign_reviewer, mine, cw["reviewer"], acting_user=cw["sup_county"])
    # A legal reviewer of another entity cannot open the file.
    df_rev = factories.certified_officer(cw["df"], None, "大方审核", login_role=Role.LEGAL_REVIEWER,
                                         legal_qualification=True, legal_qualification_no="A2019520002",
                                         is_legal_reviewer=True).user
    refused("casefile.reviewer_scope", casefile_actions.do_assign_reviewer, mine, df_rev, acting_user=cw["sup_county"])
    assert casefile_actions.do_assign_reviewer(mine, cw["sup_city"], acting_user=cw["sup_county"]).reviewer == cw["sup_city"]


# ---- scoring ----------------------------------------------------------------------------------
def _scored_round(cw, files, n=3):
    r = new_round(cw["sup_county"])
    reviews = [casefile_actions.do_add_case(r, c, acting_user=cw["sup_county"]) for c in files["smj"][:2] + files["hbj"][:n - 2]]
    for rv in reviews:
        casefile_actions.do_assign_reviewer(rv, cw["sup_county"], acting_user=cw["sup_county"])
    return r, reviews


def test_score_arithmetic_never_below_zero_per_item(cw, files):
    r, (rv, *_rest) = _scored_round(cw, files)
    sup = cw["sup_county"]
    refused("casefile.not_reviewer", casefile_actions.do_score_review, rv, acting_user=cw["sup_city"], lines={})
    refused("casefile.deduction_reason", casefile_actions.do_score_review, rv, acting_user=sup, lines={"C1": {"options": [1]}})
    refused("validation", casefile_actions.do_score_review, rv, acting_user=sup, lines={"C1": {"options": [9], "reason": "x"}})
    refused("validation", casefile_actions.do_score_review, rv, acting_user=sup, lines={"ZZ": {"extra": 1, "reason": "x"}})
    refused("validation", casefile_actions.do_score_review, rv, acting_user=sup, lines={"C1": {"extra": "-3", "reason": "x"}})
    # C1 (20 points): options 6 + 6 and 30 more → capped at 20; E1: 5.
    rv = casefile_actions.do_score_review(rv, acting_user=sup, lines={
        "C1": {"options": [1, 2], "extra": "30", "reason": "检查记录要素不全，认定无证据"},
        "E1": {"options": [1], "reason": "处理措施不当"}}, comment="暂存")
    assert rv.state == "pending" and rv.score == Decimal("75.0") and rv.grade == "pass"
    c1 = ScoreLine.objects.get(review=rv, code="C1")
    assert c1.deducted == Decimal("20.0") and c1.max_points - c1.deducted == 0
    assert ScoreLine.objects.filter(review=rv).count() == len(rv.rubric_items)
    rv = casefile_actions.do_score_review(rv, acting_user=sup, lines={"E1": {"options": [1], "reason": "处理措施不当"}}, submit=True,
                           on=dt.date(2026, 5, 1))
    assert (rv.state, rv.score, rv.grade, rv.submitted_on) == ("submitted", Decimal("95.0"), "excellent", dt.date(2026, 5, 1))
    refused("casefile.review_submitted", casefile_actions.do_score_review, rv, acting_user=sup, lines={})
    refused("casefile.review_submitted", casefile_actions.do_assign_reviewer, rv, cw["sup_city"], acting_user=sup)


def test_veto_item_fails_the_file_whatever_its_points(cw, files):
    r, (rv, *_rest) = _scored_round(cw, files)
    rv = casefile_actions.do_score_review(rv, acting_user=cw["sup_county"], submit=True,
                           lines={"C1": {"options": [0], "reason": "无检查记录"}})  # 否决项, 20 points
    assert rv.score == Decimal("80.0") and rv.vetoed and rv.grade == "fail"


def test_results_per_entity_worst_items_guidance_and_finish(cw, files):
    r, (a, b, c) = _scored_round(cw, files)
    sup = cw["sup_county"]
    casefile_actions.do_score_review(a, acting_user=sup, submit=True, lines={})  # 100
    casefile_actions.do_score_review(b, acting_user=sup, submit=True, lines={
        "C2" if "C2" in {i["code"] for i in b.rubric_items} else "B3": {"options": [0], "reason": "未告知"},
        "E1": {"options": [0], "reason": "未处理"}})  # 100 − 5 − 10 = 85
    refused("casefile.round_incomplete", casefile_actions.do_finish_round, r, acting_user=sup)
    casefile_actions.do_score_review(c, acting_user=sup, submit=True, lines={"E1": {"options": [0], "reason": "发现违法未处理"},
                                                             "G1": {"extra": "1", "reason": "未编页码"}})  # 89
    rows = {e["entity_id"]: e for e in scoring.per_entity(r.reviews.all())}
    assert rows[cw["smj"].pk]["avg"] == Decimal("92.5") and rows[cw["smj"].pk]["n"] == 2
    assert rows[cw["hbj"].pk]["avg"] == Decimal("89.0") and rows[cw["hbj"].pk]["failed"] == 0
    worst = scoring.worst_items(r.reviews.all())
    assert worst[0]["code"] == "E1" and worst[0]["times"] == 2 and worst[0]["lost"] == Decimal("20.0")
    s = scoring.summary(r.reviews.all())
    assert (s["n"], s["done"], s["excellent"], s["passed"]) == (3, 3, 1, 2)
    refused("casefile.guidance_excellent", casefile_actions.do_mark_guidance, b, acting_user=sup, recommended=True)
    with pytest.raises(OutOfScope):
        casefile_actions.do_mark_guidance(a, acting_user=cw["head"], recommended=True)
    assert casefile_actions.do_mark_guidance(a, acting_user=sup, recommended=True).recommended_for_guidance
    done = casefile_actions.do_finish_round(r, acting_user=sup, on=dt.date(2026, 6, 1))
    assert done.state == "finished" and done.finished_on == dt.date(2026, 6, 1)
    refused("casefile.round_finished", casefile_actions.do_add_case, r, files["smj"][3], acting_user=sup)
    refused("casefile.round_empty", casefile_actions.do_finish_round, new_round(sup, name="空"), acting_user=sup)


# ---- pages --------------------------------------------------------------------------------------
def test_pages(cw, files, client):
    r, (a, b, c) = _scored_round(cw, files)
    client.force_login(cw["sup_county"])
    assert client.get("/supervision/casefile/").status_code == 200
    page = client.get(f"/supervision/casefile/{r.pk}/").content.decode()
    assert files["smj"][0].title in page and "评查结果" in page
    resp = client.post(f"/supervision/casefile/review/{a.pk}/", {"opt_E1": "0", "reason_E1": "", "action": "submit"})
    assert resp.status_code == 422 and "扣分理由" in resp.content.decode()
    resp = client.post(f"/supervision/casefile/review/{a.pk}/", {"opt_E1": "0", "reason_E1": "未依法处理",
                                                                "comment": "总体规范", "action": "submit"})
    assert resp.status_code == 302
    a.refresh_from_db()
    assert a.state == "submitted" and a.score == Decimal("90.0")
    page = client.get(f"/supervision/casefile/review/{a.pk}/").content.decode()
    assert f"/cases/{a.case_id}/" in page and f"/records/case/{a.case_id}/access/" in page
    resp = client.post(f"/supervision/casefile/{r.pk}/", {"op": "sample", "ratio": "abc"})
    assert resp.status_code == 422 and "抽取比例" in resp.content.decode()
    assert client.get("/supervision/casefile/rubrics/").status_code == 200
    rub = Rubric.objects.get(kind="inspection", region__isnull=True)
    assert client.get(f"/supervision/casefile/rubrics/{rub.pk}/").status_code == 200
    resp = client.post("/supervision/casefile/rubrics/new/?kind=inspection",
                       {"kind": "inspection", "name": "区标准", "rows": "1", "text_0": "唯一", "cat_0": "subject",
                        "pts_0": "100", "code_0": "A1", "ded_0": "不合法|100|否决"})
    assert resp.status_code == 302
    assert Rubric.objects.get(region=cw["regions"]["county"]).items[0]["deductions"][0]["veto"]
    client.force_login(cw["sup_city"])  # another county's supervisor? the city one sees the county's round
    assert client.get(f"/supervision/casefile/{r.pk}/").status_code == 200
    client.force_login(cw["officer"])
    assert client.get(f"/supervision/casefile/{r.pk}/").status_code == 403
    assert client.get(f"/supervision/casefile/review/{b.pk}/").status_code == 404


# ---- API ----------------------------------------------------------------------------------------
def test_api_round_sample_assign_score_results(cw, files):
    sup = ApiClient(cw["sup_county"])
    r = sup.post("/casefile/rounds", {"name": "API评查", "year": 2026, "kinds": ["inspection"],
                                      "closed_from": "2026-01-01", "closed_to": "2026-12-31"})
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    r = sup.post(f"/casefile/rounds/{rid}/sample", {"count": 1, "seed": 99})
    assert r.status_code == 200 and r.json()["seed"] == 99 and len(r.json()["sampled"]) == 2
    r = sup.post(f"/casefile/rounds/{rid}/sample", {"count": 1})
    assert r.status_code == 409 and r.json()["rule"] == "casefile.already_sampled"
    detail = sup.get(f"/casefile/rounds/{rid}").json()
    review_id = detail["reviews"][0]["id"]
    r = sup.post(f"/casefile/reviews/{review_id}/assign", {"reviewer": cw["u1"].pk})
    assert r.status_code == 409 and r.json()["rule"] == "casefile.reviewer_role"
    assert sup.post(f"/casefile/reviews/{review_id}/assign", {"reviewer": cw["sup_county"].pk}).status_code == 200
    r = sup.post(f"/casefile/reviews/{review_id}/score", {"lines": {"E1": {"options": [1]}}, "submit": True})
    assert r.status_code == 409 and r.json()["rule"] == "casefile.deduction_reason"
    r = sup.post(f"/casefile/reviews/{review_id}/score",
                 {"lines": {"E1": {"options": [1], "reason": "措施不当"}}, "comment": "较规范", "submit": True})
    assert r.status_code == 200 and r.json()["score"] == "95.0" and r.json()["grade"] == "excellent"
    assert sup.get(f"/casefile/reviews/{review_id}").json()["lines"][0]["code"] == "A1"
    res = sup.get(f"/casefile/rounds/{rid}").json()
    assert res["summary"]["done"] == 1 and res["worst_items"][0]["code"] == "E1"
    assert sup.post(f"/casefile/reviews/{review_id}/guidance", {"recommended": True}).json()["recommended_for_guidance"]
    assert [x["id"] for x in sup.get("/casefile/reviews", {"mine": 1}).json()] == [review_id]
    # Scope: 大方县's cases are invisible to the county supervisor; the officer sees no rounds.
    df_case = files["df"][0].pk
    assert sup.post(f"/casefile/rounds/{rid}/cases", {"case": df_case}).status_code == 404
    bad = sup.post("/casefile/rounds", {"name": "x", "year": 2026, "kinds": ["inspection"], "closed_from": "2026-01-01",
                                        "closed_to": "2026-12-31", "region": cw["regions"]["county2"].pk})
    assert bad.status_code == 404
    officer = ApiClient(cw["officer"])
    assert officer.get("/casefile/rounds").json() == []
    assert officer.get(f"/casefile/reviews/{review_id}").status_code == 404
    assert len(sup.get("/casefile/rubrics").json()) == 4
    r = ApiClient(cw["admin"]).post("/casefile/rubrics", {"kind": "inspection", "name": "x", "items": [
        {"code": "A1", "category": "subject", "text": "主体", "points": 90}]})
    assert r.status_code == 409 and r.json()["rule"] == "casefile.rubric_total"
    rub = Rubric.objects.get(kind="inspection", region__isnull=True)
    r = sup.send("put", f"/casefile/rubrics/{rub.pk}", {"name": rub.name, "items": rub.items})
    assert r.status_code == 409 and r.json()["rule"] == "casefile.rubric_editor"
    r = ApiClient(cw["admin"]).send("put", f"/casefile/rubrics/{rub.pk}", {"name": rub.name, "items": rub.items,
                                                                          "reason": "重新发布"})
    assert r.status_code == 200 and r.json()["version"] == 2
    assert sup.get(f"/casefile/reviews/{review_id}").json()["rubric_version"] == 1
