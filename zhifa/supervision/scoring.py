"""案卷评查 logic without writes: default rubrics, rubric validation, the reproducible sample draw,
score arithmetic, reviewer independence and round results. Writes are in actions/casefile.py.

Default rubrics follow the structure of the provincial 行政处罚案卷评查评分细则 (seed 004) and the
118号 checklist (主体、程序、事实证据、法律适用、裁量、文书、归档), 100 points each; a deduction
marked `veto` (否决项) makes the file 不合格 whatever its points.
"""
from __future__ import annotations

import math
import random
from decimal import Decimal, InvalidOperation

from django.db.models import Avg, Count, Max, Min, Q, Sum

from zhifa.cases.models import Case, CaseEvent, CaseOfficer, Kind, LegalReview
from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.common.scope import can
from zhifa.supervision.choices import CATEGORIES
from zhifa.supervision.models import CaseReview, Rubric, ScoreLine

CATEGORY_LABELS = {k: str(v) for k, v in CATEGORIES}
FINISHED_STATES = ("closed", "archived", "recorded")
ZERO = Decimal("0")


def _i(code, cat, text, points, *deductions):
    return {"code": code, "category": cat, "text": text, "points": points,
            "deductions": [{"text": d[0], "points": d[1], "veto": len(d) > 2 and d[2]} for d in deductions]}


_SUBJECT = [
    _i("A1", "subject", "执法主体合法，在法定职权范围内实施", 6,
       ("执法主体不合法或超越法定职权", 6, True), ("未列明权责清单事项或职权依据", 2)),
    _i("A2", "subject", "执法人员具有执法资格，不少于两人", 4,
       ("执法人员无执法证或证件过期", 4, True), ("调查取证、检查执法人员少于两人", 2)),
]
_ARCHIVE = [
    _i("G1", "archive", "按时结案、归档，卷内文书按序排列、目录齐全", 5,
       ("结案后未按时归档", 2), ("卷内目录缺失或顺序混乱", 2), ("未编页码", 1)),
    _i("G2", "archive", "全过程记录（文字、音像）随卷归档，调阅留痕", 5,
       ("音像记录事项清单要求的环节无音像记录", 3), ("证据材料未随卷归档", 2)),
]

DEFAULTS = {
    Kind.PENALTY_GENERAL: ("行政处罚（一般程序）案卷评查标准", _SUBJECT + [
        _i("B1", "procedure", "立案：案源登记、立案审批手续完备，在规定期限内立案", 4,
           ("未经批准立案", 4), ("立案审批超过期限", 2)),
        _i("B2", "procedure", "调查取证：出示执法证件，制作笔录并经当事人签字确认", 5,
           ("未出示证件或未告知身份", 2), ("笔录无当事人签名且未注明原因", 2), ("询问、检查笔录要素缺失", 1)),
        _i("B3", "procedure", "事先告知：告知拟处罚内容、事实、理由、依据及陈述申辩、听证权利", 5,
           ("未事先告知即作出决定", 5, True), ("应告知听证权利而未告知", 4), ("告知内容不完整", 2)),
        _i("B4", "procedure", "陈述申辩、听证：充分听取意见，依法组织听证", 4,
           ("未记录或未复核当事人陈述申辩", 3), ("听证主持人为本案调查人员", 3), ("未提前七日通知听证", 2)),
        _i("B5", "procedure", "法制审核、集体讨论：重大执法决定经法制审核，情节复杂的经集体讨论", 4,
           ("重大执法决定未经法制审核", 4, True), ("应集体讨论而未讨论", 3)),
        _i("B6", "procedure", "在法定期限内作出决定并送达", 3,
           ("超过办案期限未经批准延长", 3), ("决定书未在七日内送达", 2)),
        _i("C1", "evidence", "违法事实清楚，当事人认定准确", 10,
           ("主要事实不清", 10, True), ("当事人认定错误", 6), ("违法行为时间、地点、情节表述不清", 2)),
        _i("C2", "evidence", "证据确凿、充分，取证合法，证据之间相互印证", 10,
           ("主要证据缺失", 6), ("证据来源不合法", 4), ("证据未注明出处、证明对象", 2)),
        _i("D1", "law", "适用法律、法规、规章正确，引用条款准确、完整", 10,
           ("适用法律错误", 10, True), ("引用条款不具体或不完整", 3), ("未引用处罚依据", 4)),
        _i("D2", "law", "定性准确，违法行为认定与法律规定相符", 5, ("定性错误", 5)),
        _i("E1", "discretion", "处罚种类、幅度符合裁量基准，偏离基准说明理由", 10,
           ("处罚畸轻畸重", 6), ("偏离裁量基准未说明理由", 4), ("未说明裁量情节", 2)),
        _i("F1", "documents", "文书齐全、格式规范，决定书载明法定事项", 6,
           ("决定书缺少法定事项（救济途径、履行方式等）", 3), ("文书格式不规范、文号缺失", 2), ("文书有涂改或错别字", 1)),
        _i("F2", "documents", "送达程序合法，送达回证完整", 4, ("无送达回证", 3), ("送达方式不合法", 2)),
    ] + _ARCHIVE),
    Kind.PENALTY_SIMPLE: ("行政处罚（简易程序）案卷评查标准", _SUBJECT + [
        _i("B1", "procedure", "符合当场处罚条件（《行政处罚法》第五十一条）", 10,
           ("超出简易程序适用条件", 10, True)),
        _i("B2", "procedure", "当场出示证件，告知事实、理由、依据及陈述申辩权利", 10,
           ("未出示证件", 4), ("未告知陈述申辩权利", 6)),
        _i("B3", "procedure", "当场交付决定书，并报所属行政机关备案", 10,
           ("未当场交付决定书", 5), ("未按规定备案", 5)),
        _i("C1", "evidence", "违法事实清楚，有必要的现场记录", 15,
           ("违法事实不清", 15, True), ("无现场记录或照片", 5)),
        _i("D1", "law", "适用法律正确，引用条款准确", 15, ("适用法律错误", 15, True), ("引用条款不完整", 5)),
        _i("E1", "discretion", "罚款数额在法定限额内且符合裁量基准", 10, ("处罚畸轻畸重", 6), ("未说明裁量情节", 4)),
        _i("F1", "documents", "当场处罚决定书要素齐全，当事人签字", 10,
           ("决定书要素缺失", 5), ("当事人未签字且未注明原因", 5)),
    ] + _ARCHIVE),
    Kind.INSPECTION: ("行政检查案卷评查标准", _SUBJECT + [
        _i("B1", "procedure", "有检查计划或任务来源（双随机抽取、投诉举报等）", 10,
           ("无检查依据或任务来源", 10), ("未按随机抽查事项清单实施", 4)),
        _i("B2", "procedure", "检查时出示证件、告知检查事由", 10, ("未出示证件", 5), ("未告知检查事由", 5)),
        _i("B3", "procedure", "检查结果及时记录、告知被检查人并按规定公示", 10,
           ("未告知检查结果", 5), ("检查结果未公示", 5)),
        _i("C1", "evidence", "检查记录完整、真实，问题认定有据", 20,
           ("检查记录缺失", 20, True), ("检查记录要素不全", 6), ("发现问题无证据支持", 6)),
        _i("D1", "law", "检查依据明确，引用法律规定准确", 10, ("无检查依据", 10), ("依据引用不准确", 4)),
        _i("E1", "discretion", "发现问题处理适当（责令改正、立案查处或移送）", 10,
           ("发现违法未依法处理", 10), ("处理措施不当", 5)),
        _i("F1", "documents", "检查文书齐全、规范，被检查人签字", 10,
           ("文书缺失", 5), ("被检查人未签字且未注明原因", 3), ("文书格式不规范", 2)),
    ] + _ARCHIVE),
    Kind.COERCIVE: ("行政强制（查封、扣押）案卷评查标准", _SUBJECT + [
        _i("B1", "procedure", "实施前经行政机关负责人批准（情况紧急的二十四小时内补批）", 10,
           ("未经批准实施", 10, True), ("紧急情况未按时补办批准", 5)),
        _i("B2", "procedure", "通知当事人到场，告知理由、依据及权利，制作现场笔录", 10,
           ("未通知当事人到场且无见证人", 5), ("未告知理由、依据和权利", 5)),
        _i("B3", "procedure", "查封扣押期限不超过三十日，延长经批准并书面告知", 10,
           ("超期查封扣押", 10), ("延长未经批准或未告知", 5)),
        _i("C1", "evidence", "事实清楚，查封扣押财物清单完整、与现场一致", 15,
           ("无查封扣押清单", 10), ("清单与实物不符", 5)),
        _i("D1", "law", "适用法律正确，对象限于涉案场所、设施或财物", 15,
           ("适用法律错误", 15, True), ("查封扣押与违法行为无关的财物", 8)),
        _i("E1", "discretion", "措施必要、适当，及时解除", 10, ("无必要性说明", 5), ("应解除未及时解除", 5)),
        _i("F1", "documents", "决定书、清单、解除决定书齐全规范并依法送达", 10,
           ("决定书缺少法定事项", 5), ("未依法送达", 5)),
    ] + _ARCHIVE),
}


# ---- numbers ----------------------------------------------------------------------------------
def dec(value, field: str, label: str) -> Decimal:
    """A non-negative number with at most one decimal, or a refusal naming the field."""
    try:
        d = Decimal(str(value if value not in (None, "") else 0)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ActionRefused("validation", f"{label}应为数字", field) from None
    if not d.is_finite() or d < 0 or d > 1000:
        raise ActionRefused("validation", f"{label}应为0至1000之间的数字", field)
    return d


def check_items(items, total) -> list[dict]:
    """Validate a rubric's items; returns them normalised (numbers as strings)."""
    if not isinstance(items, list) or not items:
        raise ActionRefused("casefile.rubric_items", "评查标准至少应有一个评查项目", "items")
    out, codes, sum_points = [], set(), ZERO
    for n, it in enumerate(items, 1):
        if not isinstance(it, dict):
            raise ActionRefused("casefile.rubric_items", f"第{n}项格式不正确", "items")
        code = str(it.get("code", "")).strip()[:10] or f"X{n}"
        if code in codes:
            raise ActionRefused("casefile.rubric_items", f"项目编号“{code}”重复", "items")
        codes.add(code)
        text = str(it.get("text", "")).strip()[:300]
        if not text:
            raise ActionRefused("casefile.rubric_items", f"第{n}项（{code}）未填写评查内容", "items")
        if it.get("category") not in CATEGORY_LABELS:
            raise ActionRefused("casefile.rubric_items", f"第{n}项（{code}）的类别应为主体、程序、事实证据、法律适用、"
                                f"裁量、文书或归档", "items")
        points = dec(it.get("points"), "items", f"第{n}项分值")
        if points <= 0:
            raise ActionRefused("casefile.rubric_items", f"第{n}项（{code}）分值应大于0", "items")
        deds = []
        for m, d in enumerate(it.get("deductions") or [], 1):
            dtext = str((d or {}).get("text", "")).strip()[:200]
            dpts = dec((d or {}).get("points"), "items", f"第{n}项扣分情形{m}的分值")
            if not dtext or dpts <= 0 or dpts > points:
                raise ActionRefused("casefile.rubric_deduction", f"第{n}项（{code}）扣分情形{m}应写明情形，"
                                    f"扣分大于0且不超过该项分值{points}", "items")
            deds.append({"text": dtext, "points": str(dpts), "veto": bool((d or {}).get("veto"))})
        sum_points += points
        out.append({"code": code, "category": it["category"], "text": text, "points": str(points), "deductions": deds})
    if sum_points != Decimal(str(total)):
        raise ActionRefused("casefile.rubric_total", f"各评查项目分值合计为{sum_points}分，应等于总分{total}分", "items")
    return out


def grouped(items) -> list[tuple[str, list[dict]]]:
    """Items grouped by category in the standard order (for pages)."""
    return [(label, [i for i in items if i["category"] == key]) for key, label in CATEGORY_LABELS.items()
            if any(i["category"] == key for i in items)]


def line_deduction(item: dict, options, extra) -> tuple[Decimal, bool]:
    """(deducted, vetoed) of one item: chosen options plus extra, never more than the item's points,
    so an item's score is never below 0."""
    deds = item.get("deductions") or []
    total, veto = Decimal(extra or 0), False
    for idx in options:
        d = deds[idx]
        total += Decimal(str(d["points"]))
        veto = veto or bool(d.get("veto"))
    return min(total, Decimal(str(item["points"]))), veto


def grade_of(score: Decimal, total: Decimal, vetoed: bool, round_) -> str:
    pct = score * 100 / total if total else ZERO
    if vetoed or pct < round_.pass_min:
        return CaseReview.Grade.FAIL
    return CaseReview.Grade.EXCELLENT if pct >= round_.excellent_min else CaseReview.Grade.PASS


# ---- rubrics ------------------------------------------------------------------------------------
def rubric_for(kind: str, region) -> Rubric | None:
    """The most specific rubric whose region contains `region` (else the default)."""
    best = None
    for r in Rubric.objects.filter(kind=kind).select_related("region"):
        if r.region is None:
            best = best or r
        elif (region is not None and region.path.startswith(r.region.path)
              and (best is None or best.region is None or len(r.region.path) > len(best.region.path))):
            best = r
    return best


# ---- sampling -----------------------------------------------------------------------------------
def population(user, round_):
    """Finished cases of the round's region, kinds and closing window, within the user's scope."""
    win = (Q(closed_on__range=(round_.closed_from, round_.closed_to))
           | Q(closed_on__isnull=True, archived_on__range=(round_.closed_from, round_.closed_to))
           | Q(closed_on__isnull=True, archived_on__isnull=True, decided_on__range=(round_.closed_from, round_.closed_to)))
    return (Case.objects.restrict(user, "view").filter(entity__region__path__startswith=round_.region.path,
                                                       kind__in=round_.kinds, state__in=FINISHED_STATES)
            .filter(win))


def draw(by_entity: dict[int, list[int]], seed: int, *, ratio=None, count=None) -> list[int]:
    """Reproducible per-entity sample: the same population and seed always give the same cases.
    Each entity draws with its own RNG (seed, entity id), so adding an entity leaves others' draws alone."""
    chosen = []
    for entity_id in sorted(by_entity):
        ids = sorted(by_entity[entity_id])
        n = int(count) if count else math.ceil(len(ids) * float(ratio))
        rng = random.Random(f"{seed}:{entity_id}")
        chosen += sorted(rng.sample(ids, min(n, len(ids))))
    return chosen


# ---- reviewers ------------------------------------------------------------------------------------
def case_people(case) -> set[int]:
    """User ids of everyone who handled, reviewed or decided the case."""
    ids = set(CaseOfficer.objects.filter(case=case, officer__user__isnull=False).values_list("officer__user_id",
                                                                                            flat=True))
    ids |= set(CaseEvent.objects.filter(case=case, actor__isnull=False).values_list("actor_id", flat=True))
    ids |= set(LegalReview.objects.filter(case=case).values_list("reviewer_id", flat=True))
    if case.decided_by_id:
        ids.add(case.decided_by_id)
    return ids


def reviewer_refusal(reviewer, case) -> ActionRefused | None:
    if reviewer is None or not reviewer.is_active:
        return ActionRefused("casefile.reviewer_role", "请选择在岗的评查人", "reviewer")
    officer = getattr(reviewer, "officer", None) if reviewer.role == Role.LEGAL_REVIEWER else None
    qualified = reviewer.role == Role.SUPERVISOR or (
        officer is not None and officer.is_legal_reviewer and officer.legal_qualification)
    if not qualified:
        return ActionRefused("casefile.reviewer_role", "评查人应为执法监督人员或具有法律职业资格的法制审核人员", "reviewer")
    if reviewer.pk in case_people(case):
        return ActionRefused("casefile.reviewer_independent", "评查人参与过该案件的办理、审核或决定，应当回避", "reviewer")
    if not can(reviewer, "view", case):
        return ActionRefused("casefile.reviewer_scope", "评查人无权调阅该案卷（超出其数据范围）", "reviewer")
    return None


# ---- results --------------------------------------------------------------------------------------
def per_entity(reviews_qs) -> list[dict]:
    rows = (reviews_qs.filter(state=CaseReview.State.SUBMITTED).values("entity_id", "entity__name")
            .annotate(n=Count("id"), avg=Avg("score"), low=Min("score"), high=Max("score"),
                      excellent=Count("id", filter=Q(grade="excellent")), passed=Count("id", filter=Q(grade="pass")),
                      failed=Count("id", filter=Q(grade="fail")))
            .order_by("-avg", "entity__name"))
    return [{**r, "avg": Decimal(r["avg"]).quantize(Decimal("0.1")) if r["avg"] is not None else None} for r in rows]


def worst_items(reviews_qs, limit=10) -> list[dict]:
    """Rubric items with the most points lost across the submitted files."""
    rows = (ScoreLine.objects.filter(review__in=reviews_qs.filter(state=CaseReview.State.SUBMITTED), deducted__gt=0)
            .values("code", "category", "text").annotate(times=Count("id"), lost=Sum("deducted"))
            .order_by("-lost", "-times", "code")[:limit])
    return [{**r, "category_label": CATEGORY_LABELS.get(r["category"], r["category"])} for r in rows]


def summary(reviews_qs) -> dict:
    agg = reviews_qs.aggregate(n=Count("id"), done=Count("id", filter=Q(state="submitted")), avg=Avg("score"),
                               excellent=Count("id", filter=Q(grade="excellent")),
                               passed=Count("id", filter=Q(grade="pass")), failed=Count("id", filter=Q(grade="fail")))
    if agg["avg"] is not None:
        agg["avg"] = Decimal(agg["avg"]).quantize(Decimal("0.1"))
    return agg
