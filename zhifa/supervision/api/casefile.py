"""案卷评查 and 评议考核 over REST (zhifa.supervision.actions.casefile, .actions.appraisal).

    GET  /casefile/rubrics                     rubrics (every staff member may read)
    GET  /casefile/rubrics/{id}
    POST /casefile/rubrics                     {kind, name, items, total_points, region}
    PUT  /casefile/rubrics/{id}                {name, items, total_points, reason}  (version + 1)
    GET  /casefile/rounds                      visible rounds
    POST /casefile/rounds                      {name, year, kinds, closed_from, closed_to, region, pass_min, excellent_min}
    GET  /casefile/rounds/{id}                 the round, its files and results (per entity, worst items)
    POST /casefile/rounds/{id}/sample          {ratio | count, seed}
    POST /casefile/rounds/{id}/cases           {case}
    POST /casefile/rounds/{id}/finish
    GET  /casefile/reviews?mine=1              files visible to the caller (assigned to them with mine=1)
    GET  /casefile/reviews/{id}                one file: the frozen rubric, deductions, score
    POST /casefile/reviews/{id}/assign         {reviewer}
    POST /casefile/reviews/{id}/score          {lines: {code: {options, extra, reason}}, comment, submit}
    POST /casefile/reviews/{id}/guidance       {recommended}

    GET  /appraisal?region=&year=              live (or finalised) scores per entity with the breakdown
    PUT  /appraisal/scheme                     {region, year, weights}
    POST /appraisal/results                    {entity, year, reconsideration_total, ...}
    POST /appraisal/finalise                   {region, year}
    GET  /appraisal/snapshots                  finalised years
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from django.http import Http404
from ninja import Router
from ninja.responses import Status

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import F, InSchema, actor, get_visible, id_query, responses, year_query
from zhifa.orgs.models import Entity, Region, User
from zhifa.supervision import figures, scoring
from zhifa.supervision.actions import appraisal as appraisal_actions
from zhifa.supervision.actions import casefile as casefile_actions
from zhifa.supervision.models import AppraisalSnapshot, CaseReview, ReviewRound, Rubric
from zhifa.supervision.views.casefile import visible_reviews

router = Router(tags=["案卷评查"])
appraisal = Router(tags=["评议考核"])


def _region(request, region_id):
    user = actor(request)
    if region_id is None:
        r = figures.home_region(user)
    else:
        r = Region.objects.filter(pk=region_id).first()
        if r is None or not figures.region_allowed(user, r):
            raise Http404
    if r is None:
        raise Http404
    return r


# ---- rubrics ------------------------------------------------------------------------------------
def _rubric(r: Rubric) -> dict:
    return {"id": r.pk, "kind": r.kind, "kind_label": r.get_kind_display(), "name": r.name,
            "region_id": r.region_id, "total_points": str(r.total_points), "version": r.version, "items": r.items}


class RubricIn(InSchema):
    kind: str = F("", "案件类别")
    name: str = F(..., "评查标准名称", max_length=120)
    items: list[dict] = F(..., "评查项目", "[{code, category, text, points, deductions: [{text, points, veto}]}]")
    total_points: float = F(100, "总分")
    region: Optional[int] = F(None, "适用区划", "空为系统默认（仅管理员）")
    reason: str = F("", "修改说明", max_length=500)


@router.get("/rubrics", operation_id="zhifa_apiv1_casefile_rubrics", response=responses(list[dict]), summary="评查标准列表")
def rubrics(request):
    casefile_actions.do_ensure_default_rubrics(acting_user=actor(request))
    return [_rubric(r) for r in Rubric.objects.restrict(actor(request))]


@router.get("/rubrics/{pk}", operation_id="zhifa_apiv1_casefile_rubric", response=responses(dict), summary="评查标准")
def rubric(request, pk: int):
    return _rubric(get_visible(Rubric, request, pk))


@router.post("/rubrics", operation_id="zhifa_apiv1_casefile_rubric_create", response=responses(dict, 201), summary="制定评查标准")
def rubric_create(request, payload: RubricIn):
    region = _region(request, payload.region) if payload.region is not None else None
    r = casefile_actions.do_save_rubric(acting_user=actor(request), kind=payload.kind, name=payload.name, items=payload.items,
                         region=region, total_points=payload.total_points, reason=payload.reason)
    return Status(201, _rubric(r))


@router.put("/rubrics/{pk}", operation_id="zhifa_apiv1_casefile_rubric_update", response=responses(dict), summary="修改评查标准（版本号加一）")
def rubric_update(request, pk: int, payload: RubricIn):
    r = casefile_actions.do_save_rubric(acting_user=actor(request), kind="", name=payload.name, items=payload.items,
                         total_points=payload.total_points, rubric=get_visible(Rubric, request, pk),
                         reason=payload.reason)
    return _rubric(r)


# ---- rounds -------------------------------------------------------------------------------------
def _round(r: ReviewRound) -> dict:
    return {"id": r.pk, "name": r.name, "region_id": r.region_id, "owner_id": r.owner_id, "year": r.year,
            "kinds": r.kinds, "closed_from": r.closed_from, "closed_to": r.closed_to, "pass_min": str(r.pass_min),
            "excellent_min": str(r.excellent_min), "state": r.state, "seed": r.seed,
            "sample_ratio": str(r.sample_ratio) if r.sample_ratio is not None else None,
            "sample_count": r.sample_count, "created_on": r.created_on, "finished_on": r.finished_on}


def _review(v: CaseReview, detail=False) -> dict:
    out = {"id": v.pk, "round_id": v.round_id, "case_id": v.case_id, "case_number": v.case.number,
           "entity_id": v.entity_id, "how": v.how, "reviewer_id": v.reviewer_id, "state": v.state,
           "score": str(v.score) if v.score is not None else None, "grade": v.grade,
           "grade_label": v.get_grade_display() if v.grade else "", "vetoed": v.vetoed,
           "total_points": str(v.total_points), "rubric_id": v.rubric_id, "rubric_version": v.rubric_version,
           "recommended_for_guidance": v.recommended_for_guidance, "submitted_on": v.submitted_on}
    if detail:
        out["rubric_items"] = v.rubric_items
        out["comment"] = v.comment
        out["lines"] = [{"code": ln.code, "category": ln.category, "text": ln.text, "max_points": str(ln.max_points),
                         "options": ln.options, "extra": str(ln.extra), "deducted": str(ln.deducted),
                         "score": str(ln.max_points - ln.deducted), "reason": ln.reason} for ln in v.lines.all()]
    return out


def _results(r: ReviewRound) -> dict:
    qs = r.reviews.all()
    s = scoring.summary(qs)
    return {"summary": {**s, "avg": str(s["avg"]) if s["avg"] is not None else None},
            "per_entity": [{"entity_id": e["entity_id"], "entity": e["entity__name"], "n": e["n"],
                            "avg": str(e["avg"]), "low": str(e["low"]), "high": str(e["high"]),
                            "excellent": e["excellent"], "passed": e["passed"], "failed": e["failed"]}
                           for e in scoring.per_entity(qs)],
            "worst_items": [{**w, "lost": str(w["lost"])} for w in scoring.worst_items(qs)]}


class RoundIn(InSchema):
    name: str = F(..., "活动名称", max_length=120)
    year: int = F(..., "考核年度")
    kinds: list[str] = F(..., "案件类别")
    closed_from: dt.date = F(..., "结案日期起")
    closed_to: dt.date = F(..., "结案日期止")
    region: Optional[int] = F(None, "评查范围", "默认为本人所在区划")
    pass_min: Optional[float] = F(None, "合格分数线")
    excellent_min: Optional[float] = F(None, "优秀分数线")


class SampleIn(InSchema):
    ratio: Optional[float] = F(None, "抽取比例", "0至1之间")
    count: Optional[int] = F(None, "每主体抽取件数")
    seed: Optional[int] = F(None, "随机种子", "空则随机生成并记录", ge=0)


class CaseIn(InSchema):
    case: int = F(..., "案件")


class CasefileAssignIn(InSchema):
    reviewer: int = F(..., "评查人")


class ScoreIn(InSchema):
    lines: dict[str, dict[str, Any]] = F({}, "扣分", "{项目编号: {options, extra, reason}}")
    comment: str = F("", "评查意见", max_length=5000)
    submit: bool = F(False, "提交", "true 提交（不可再改），false 暂存")


class GuidanceIn(InSchema):
    recommended: bool = F(True, "推荐为指导案例")


def _visible_round(request, pk):
    return get_visible(ReviewRound, request, pk)


@router.get("/rounds", operation_id="zhifa_apiv1_casefile_rounds", response=responses(list[dict]), summary="评查活动列表")
def rounds(request):
    return [_round(r) for r in ReviewRound.objects.restrict(actor(request))[:500]]


@router.post("/rounds", operation_id="zhifa_apiv1_casefile_round_create", response=responses(dict, 201), summary="发起评查活动")
def round_create(request, payload: RoundIn):
    region = _region(request, payload.region) if payload.region is not None else None
    r = casefile_actions.do_create_round(acting_user=actor(request), name=payload.name, year=payload.year, kinds=payload.kinds,
                          closed_from=payload.closed_from, closed_to=payload.closed_to, region=region,
                          pass_min=payload.pass_min, excellent_min=payload.excellent_min)
    return Status(201, _round(r))


@router.get("/rounds/{pk}", operation_id="zhifa_apiv1_casefile_round_detail", response=responses(dict), summary="评查活动（案卷与结果）")
def round_detail(request, pk: int):
    r = _visible_round(request, pk)
    reviews = r.reviews.select_related("case")
    return {**_round(r), "reviews": [_review(v) for v in reviews], **_results(r)}


@router.post("/rounds/{pk}/sample", operation_id="zhifa_apiv1_casefile_round_sample", response=responses(dict), summary="随机抽取案卷")
def round_sample(request, pk: int, payload: SampleIn):
    made = casefile_actions.do_sample_round(_visible_round(request, pk), acting_user=actor(request), ratio=payload.ratio,
                             count=payload.count, seed=payload.seed)
    r = ReviewRound.objects.get(pk=pk)
    return {**_round(r), "sampled": [v.case_id for v in made]}


@router.post("/rounds/{pk}/cases", operation_id="zhifa_apiv1_casefile_round_add", response=responses(dict, 201), summary="指定选取案卷")
def round_add(request, pk: int, payload: CaseIn):
    case = get_visible(Case, request, payload.case)
    v = casefile_actions.do_add_case(_visible_round(request, pk), case, acting_user=actor(request))
    return Status(201, _review(v))


@router.post("/rounds/{pk}/finish", operation_id="zhifa_apiv1_casefile_round_finish", response=responses(dict), summary="完成评查活动")
def round_finish(request, pk: int):
    return _round(casefile_actions.do_finish_round(_visible_round(request, pk), acting_user=actor(request)))


@router.get("/reviews", operation_id="zhifa_apiv1_casefile_reviews", response=responses(list[dict]), summary="评查案卷（mine=1 为本人的评查任务）")
def reviews(request, mine: bool = False, round: Optional[int] = id_query("评查活动")):
    qs = visible_reviews(actor(request)).select_related("case")
    if mine:
        qs = qs.filter(reviewer=actor(request))
    if round is not None:
        qs = qs.filter(round_id=round)
    return [_review(v) for v in qs[:1000]]


@router.get("/reviews/{pk}", operation_id="zhifa_apiv1_casefile_review", response=responses(dict), summary="评查案卷详情")
def review(request, pk: int):
    return _review(get_visible(visible_reviews(actor(request)).select_related("case"), request, pk), detail=True)


@router.post("/reviews/{pk}/assign", operation_id="zhifa_apiv1_casefile_review_assign", response=responses(dict), summary="指定评查人")
def review_assign(request, pk: int, payload: CasefileAssignIn):
    v = get_visible(CaseReview, request, pk)
    reviewer = User.objects.filter(pk=payload.reviewer).first() if 0 < payload.reviewer < 2**63 else None
    if reviewer is None:
        raise ActionRefused("validation", "评查人：用户不存在", "reviewer")
    return _review(casefile_actions.do_assign_reviewer(v, reviewer, acting_user=actor(request)))


@router.post("/reviews/{pk}/score", operation_id="zhifa_apiv1_casefile_review_score", response=responses(dict), summary="评分（暂存或提交）")
def review_score(request, pk: int, payload: ScoreIn):
    v = get_visible(visible_reviews(actor(request)), request, pk)
    v = casefile_actions.do_score_review(v, acting_user=actor(request), lines=payload.lines, comment=payload.comment,
                          submit=payload.submit)
    return _review(v, detail=True)


@router.post("/reviews/{pk}/guidance", operation_id="zhifa_apiv1_casefile_review_guidance", response=responses(dict), summary="推荐为指导案例")
def review_guidance(request, pk: int, payload: GuidanceIn):
    v = casefile_actions.do_mark_guidance(get_visible(CaseReview, request, pk), acting_user=actor(request),
                           recommended=payload.recommended)
    return _review(v)


# ---- appraisal ----------------------------------------------------------------------------------
class SchemeIn(InSchema):
    region: Optional[int] = F(None, "考核范围")
    year: int = F(..., "考核年度", ge=2000, le=2100)
    weights: dict[str, float] = F(..., "指标权重", "timeliness, review, publication, casefile, complaints, "
                                                   "reconsideration, litigation；合计100")


class ResultsIn(InSchema):
    entity: int = F(..., "执法主体")
    year: int = F(..., "年度", ge=2000, le=2100)
    reconsideration_total: int = F(0, "行政复议案件数", ge=0)
    reconsideration_corrected: int = F(0, "被撤销、变更或确认违法数", ge=0)
    litigation_total: int = F(0, "行政诉讼案件数", ge=0)
    litigation_lost: int = F(0, "败诉数", ge=0)
    note: str = F("", "说明", max_length=300)


class FinaliseIn(InSchema):
    region: Optional[int] = F(None, "考核范围")
    year: int = F(..., "考核年度", ge=2000, le=2100)


@appraisal.get("", operation_id="zhifa_apiv1_casefile_appraisal_scores", response=responses(dict), summary="评议考核结果（各执法主体及分项）")
def appraisal_scores(request, region: Optional[int] = id_query("考核范围（区划）"), year: Optional[int] = year_query("考核年度")):
    user, r = actor(request), _region(request, region)
    year = year or figures.today().year
    snap = AppraisalSnapshot.objects.restrict(user).filter(region=r, year=year).first()
    return {"region_id": r.pk, "year": year, "finalised": snap is not None,
            "finalised_on": snap.finalised_on if snap else None,
            "indicators": [{"key": k, "label": label, "how": how} for k, label, _w, how in appraisal_actions.INDICATORS],
            "weights": snap.weights if snap else appraisal_actions.weights_for(r, year),
            "rows": snap.rows if snap else appraisal_actions.compute(user, r, year)}


@appraisal.put("/scheme", operation_id="zhifa_apiv1_casefile_appraisal_scheme", response=responses(dict), summary="设置指标权重")
def appraisal_scheme(request, payload: SchemeIn):
    s = appraisal_actions.do_save_scheme(acting_user=actor(request), region=_region(request, payload.region), year=payload.year,
                                         weights=payload.weights)
    return {"id": s.pk, "region_id": s.region_id, "year": s.year, "weights": s.weights}


@appraisal.post("/results", operation_id="zhifa_apiv1_casefile_appraisal_results", response=responses(dict), summary="录入行政复议、诉讼结果")
def appraisal_results(request, payload: ResultsIn):
    entity = get_visible(Entity, request, payload.entity)
    data = payload.model_dump(exclude={"entity", "year"})
    r = appraisal_actions.do_enter_results(acting_user=actor(request), entity=entity, year=payload.year, data=data)
    return {"id": r.pk, "entity_id": r.entity_id, "year": r.year,
            **{f: getattr(r, f) for f in appraisal_actions.RESULT_FIELDS}, "note": r.note}


@appraisal.post("/finalise", operation_id="zhifa_apiv1_casefile_appraisal_finalise", response=responses(dict, 201), summary="评议考核定稿")
def appraisal_finalise(request, payload: FinaliseIn):
    s = appraisal_actions.do_finalise(acting_user=actor(request), region=_region(request, payload.region), year=payload.year)
    return Status(201, {"id": s.pk, "region_id": s.region_id, "year": s.year, "finalised_on": s.finalised_on,
                        "weights": s.weights, "rows": s.rows})


@appraisal.get("/snapshots", operation_id="zhifa_apiv1_casefile_appraisal_snapshots", response=responses(list[dict]), summary="已定稿的评议考核")
def appraisal_snapshots(request):
    return [{"id": s.pk, "region_id": s.region_id, "year": s.year, "finalised_on": s.finalised_on}
            for s in AppraisalSnapshot.objects.restrict(actor(request))]
