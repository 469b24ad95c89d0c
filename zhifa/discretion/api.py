"""裁量辅助、类案推送、法规库 over REST (zhifa.discretion).

    GET  /discretion/cases/{case_id}                 circumstances, suggestion, factors available
    POST /discretion/cases/{case_id}/circumstances   {factors, note, base}   tick the circumstances
    GET  /discretion/cases/{case_id}/similar         the most similar decided cases, the amount warning
    GET  /discretion/cases/{case_id}/bases           legal bases resolved in the law library (in force?)
    GET  /discretion/laws?q=                         laws, or articles matching q
    GET  /discretion/outliers                        fines far from their power item's median (supervisors, heads)
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from ninja import Router, Schema

from zhifa.cases.models import Case
from zhifa.common.api.base import F, InSchema, actor, get_visible, responses
from zhifa.common.roles import Role
from zhifa.discretion import similar as sim
from zhifa.discretion.actions import do_set_circumstances
from zhifa.discretion.models import CaseCircumstances, LawText
from zhifa.discretion.views.panel import legal_bases, panel_context

router = Router(tags=["裁量辅助"])


class FactorOut(Schema):
    code: str
    label: str
    effect: str
    cite: str
    ticked: bool


class DiscretionOut(Schema):
    case_id: int
    benchmark_id: Optional[int] = F(None, "裁量基准")
    benchmark_version: Optional[int] = F(None, "裁量基准版本")
    factors: list[FactorOut] = F(..., "可选情节")
    suggestion: dict = F(..., "裁量建议", "level 档位、lo/hi 建议幅度、amount 建议金额、reasons 理由、explanation 裁量说明")
    version: int = F(0, "认定版本")
    gap_percent: int = F(0, "拟处罚超出建议幅度（%）")
    needs_discussion: bool = F(False, "超出幅度须集体讨论")


class CircumstancesIn(InSchema):
    factors: list[str] = F(..., "情节代码")
    note: str = F("", "情节说明", max_length=5000)
    base: Optional[Decimal] = F(None, "违法所得或货值金额（元）")


class SimilarOut(Schema):
    case_id: int
    title: str = F(..., "案由")
    entity: str = F(..., "执法主体")
    fine_amount: Optional[Decimal] = F(None, "罚款金额")
    outcome: str = F(..., "处理结果")
    decided_on: Optional[dt.date] = None
    same_item: bool
    same_article: bool
    text_score: float = F(..., "违法事实相似度（BM25，0–1）")
    near_duplicate: bool = F(..., "违法事实近似（MinHash）")


class SimilarListOut(Schema):
    cases: list[SimilarOut]
    warning: str = F("", "罚款超出类案幅度的提示")


class BasisOut(Schema):
    cite: str
    law_id: Optional[int] = None
    edition: str = ""
    article_text: str = ""
    flag: str = F("", "not_in_library 未收录 | not_in_force 违法行为发生时未施行 | article_missing 施行版本无此条")
    message: str = ""


class LawOut(Schema):
    id: int
    name: str
    edition: str
    effective_from: dt.date
    effective_to: Optional[dt.date] = None


class ArticleOut(Schema):
    law_id: int
    law: str
    label: str
    number: int
    text: str


class LawsOut(Schema):
    laws: list[LawOut]
    articles: list[ArticleOut]


class OutlierOut(Schema):
    item: str
    count: int
    median: Decimal
    cases: list[dict]


def _discretion_out(case, user):
    ctx = panel_context(case, user)
    row: CaseCircumstances | None = ctx["row"]
    return {"case_id": case.pk, "benchmark_id": ctx["benchmark"].pk if ctx["benchmark"] else None,
            "benchmark_version": ctx["benchmark"].version if ctx["benchmark"] else None,
            "factors": [{"code": f["code"], "label": f["label"], "effect": f["effect"], "cite": f["cite"],
                         "ticked": f["ticked"]} for f in ctx["factors"]],
            "suggestion": ctx["s"] or {}, "version": row.version if row else 0, "gap_percent": ctx["gap"],
            "needs_discussion": bool(ctx["far"] and case.proposed_on)}


@router.get("/cases/{case_id}", response=responses(DiscretionOut), operation_id="zhifa_discretion_case",
            summary="案件裁量情节与建议")
def case_discretion(request, case_id: int):
    return _discretion_out(get_visible(Case, request, case_id), actor(request))


@router.post("/cases/{case_id}/circumstances", response=responses(DiscretionOut),
             operation_id="zhifa_discretion_set_circumstances", summary="认定裁量情节")
def set_circumstances(request, case_id: int, body: CircumstancesIn):
    case = get_visible(Case, request, case_id)
    do_set_circumstances(case, acting_user=actor(request), factors=body.factors, note=body.note, base=body.base)
    return _discretion_out(case, actor(request))


@router.get("/cases/{case_id}/similar", response=responses(SimilarListOut), operation_id="zhifa_discretion_similar",
            summary="类案推送")
def similar(request, case_id: int):
    case = get_visible(Case, request, case_id)
    rows = sim.similar_cases(case)
    return {"cases": [{"case_id": x["case"].pk, "title": x["case"].title, "entity": x["entity"].name,
                       "fine_amount": x["fine"], "outcome": x["outcome"], "decided_on": x["decided_on"],
                       "same_item": x["same_item"], "same_article": x["same_article"], "text_score": x["text_score"],
                       "near_duplicate": x["near_duplicate"]} for x in rows],
            "warning": sim.amount_warning(case, rows)}


@router.get("/cases/{case_id}/bases", response=responses(list[BasisOut]), operation_id="zhifa_discretion_bases",
            summary="法律依据（法规库）")
def bases(request, case_id: int):
    case = get_visible(Case, request, case_id)
    return [{"cite": b["cite"], "law_id": b["law"].pk if b["law"] else None, "edition": b["law"].edition if b["law"] else "",
             "article_text": b["article"].text if b["article"] else "", "flag": b["flag"], "message": b["message"]}
            for b in legal_bases(case)]


@router.get("/laws", response=responses(LawsOut), operation_id="zhifa_discretion_laws", summary="法规库")
def laws(request, q: str = ""):
    from zhifa.discretion.library import search

    hits = search(q[:100]) if q.strip() else []
    return {"laws": list(LawText.objects.all()),
            "articles": [{"law_id": a.law_id, "law": a.law.name, "label": a.label, "number": a.number, "text": a.text}
                         for a in hits]}


@router.get("/outliers", response=responses(list[OutlierOut]), operation_id="zhifa_discretion_outliers",
            summary="类案偏离报告")
def outliers(request):
    from zhifa.common.actions import ActionRefused
    from zhifa.orgs.models import Entity

    user = actor(request)
    if not (user.is_superuser or user.role in (Role.SUPERVISOR, Role.AGENCY_HEAD)):
        raise ActionRefused("scope", "只有监督人员和机关负责人可以查看类案偏离报告")
    ids = None if user.is_superuser else list(Entity.objects.restrict(user, "view").values_list("pk", flat=True))
    if user.role == Role.AGENCY_HEAD:
        ids = [user.entity_id]
    return [{"item": g["item"], "count": g["count"], "median": g["median"],
             "cases": [{"case_id": r["case_id"], "entity_id": r["entity_id"], "fine_amount": str(r["fine_amount"]),
                        "decided_on": r["decided_on"].isoformat() if r["decided_on"] else None,
                        "pending": pending} for rows, pending in ((g["outliers"], False), (g["proposed"], True))
                       for r in rows]}
            for g in sim.outliers(entity_ids=ids)]
