"""Demo 案卷评查 and 评议考核 data, made through the actions: the county justice bureau's finished
review round over the demo entity's closed files (random draw with a recorded seed, scored by the
`supervisor` login, the best file recommended for guidance), and the entity's entered 复议/诉讼
results for the appraisal page."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.supervision.actions import appraisal as appraisal_actions
from zhifa.supervision.actions import casefile as casefile_actions

SEED = 20261201
# Deductions per file (by case kind and state), as a reviewer would record them.
SCORES = {
    ("penalty_general", "archived"): ({
        "B2": {"options": [2], "reason": "第二次询问笔录未记载询问地点"},
        "F1": {"options": [2], "reason": "处罚决定书第2页“违法所得”误写为“违法听得”"}},
        "案卷材料齐全，程序规范，证据链完整，裁量说明充分，可作为同类案件参考。"),
    ("penalty_general", "closed"): ({
        "C2": {"options": [2], "reason": "现场照片未注明拍摄时间、地点及证明对象"},
        "E1": {"options": [2], "reason": "决定书未写明从轻处罚所依据的情节"},
        "G1": {"options": [0], "reason": "结案已逾一个月尚未整理归档"}},
        "事实清楚、适用法律正确；证据标注和裁量说明需加强，结案后应及时归档。"),
    ("penalty_simple", "recorded"): ({
        "C1": {"options": [1], "reason": "卷内无现场照片或执法记录仪录像"},
        "E1": {"options": [1], "reason": "罚款数额的裁量情节未说明"},
        "F1": {"options": [0], "reason": "当场处罚决定书未载明当事人的违法行为发生时间"}},
        "符合简易程序条件，但现场记录和决定书要素不全。"),
}


def seed_demo_casefile(entity, *, users, log=None):
    log = log or (lambda msg: None)
    sup = users.get("supervisor")
    if sup is None or sup.entity is None:
        log("  casefile: 缺少 supervisor 演示账号，未生成案卷评查")
        return None
    today = timezone.localdate()
    rnd = casefile_actions.do_create_round(acting_user=sup, name=f"{today.year}年度行政执法案卷评查（第一批）", year=today.year,
                            kinds=["penalty_general", "penalty_simple"], closed_from=today - dt.timedelta(days=365),
                            closed_to=today)
    reviews = casefile_actions.do_sample_round(rnd, acting_user=sup, ratio="1", seed=SEED)
    if not reviews:
        log("  casefile: 没有已办结的演示案卷，评查活动未完成")
        return rnd
    best = None
    for rv in reviews:
        casefile_actions.do_assign_reviewer(rv, sup, acting_user=sup)
        lines, comment = SCORES.get((rv.case.kind, rv.case.state), ({}, "案卷规范。"))
        rv = casefile_actions.do_score_review(rv, acting_user=sup, lines=lines, comment=comment, submit=True)
        if rv.grade == "excellent" and (best is None or rv.score > best.score):
            best = rv
    if best is not None:
        casefile_actions.do_mark_guidance(best, acting_user=sup, recommended=True)
    if rnd.reviews.exclude(state="submitted").exists():
        log("  casefile: 有其他主体的案卷待评查，评查活动保持进行中")
    else:
        casefile_actions.do_finish_round(rnd, acting_user=sup)
    appraisal_actions.do_enter_results(
        acting_user=sup, entity=entity, year=today.year,
        data={"reconsideration_total": 3, "reconsideration_corrected": 1, "litigation_total": 1,
              "litigation_lost": 0, "note": "复议机关：七星关区人民政府；诉讼：七星关区人民法院"})
    log(f"  casefile: 评查活动 1 个，案卷 {len(reviews)} 件")
    return rnd
