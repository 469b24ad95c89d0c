"""Demo data for 双随机、一公开, made through the actions (called by the seed after the demo cases):
the main entity's 检查对象名录库 (imported from a generated Excel file), a published 随机抽查事项, a
plan filed and acknowledged by the city's supervisor, and a draw committed to a drand quicknet round
about ten minutes after the seed. The seed runs offline, so it cannot fetch that round: once it is
out, paste its signature (any drand relay, /public/<round>) on the plan page and the draw is made.
A finished draw cannot be seeded honestly: its commitment must precede the random value."""
from __future__ import annotations

import datetime as dt
import io
import logging
import random

from django.utils import timezone

from zhifa.common.identifiers import make_credit_code
from zhifa.common.registry import demo_steps
from zhifa.common.xlsx import workbook_bytes

logger = logging.getLogger(__name__)
INDUSTRIES = ["食品销售", "餐饮服务", "药品零售", "特种设备使用", "成品油零售", "日用品批发"]
RISKS = ["A"] * 5 + ["B"] * 8 + ["C"] * 4 + ["D"] * 3


def roster_file(region_code: str, n: int, rng: random.Random) -> io.BytesIO:
    from zhifa.inspections.actions.roster import ROSTER_COLUMNS

    rows = []
    for i in range(1, n + 1):
        last = timezone.localdate() - dt.timedelta(days=rng.randint(20, 900)) if rng.random() < 0.3 else None
        rows.append([make_credit_code(region_code, f"7{i:07d}", authority="9"), f"毕节市七星关区{rng.choice('鑫顺隆兴和丰')}"
                     f"{rng.choice('源达盛泰福安')}{INDUSTRIES[i % len(INDUSTRIES)][:2]}店{i}号", f"{rng.choice('王李张刘陈杨')}某",
                     f"七星关区洪山路{i}号", "市场主体", INDUSTRIES[i % len(INDUSTRIES)], "七星关区",
                     rng.choice(["小型", "微型", "中型"]), rng.choice(RISKS), "是" if rng.random() < 0.05 else "否",
                     last.isoformat() if last else ""])
    return io.BytesIO(workbook_bytes(ROSTER_COLUMNS, rows))


def seed_demo_inspections(entity, *, users, log=print) -> None:
    from zhifa.inspections import actions as A
    from zhifa.inspections import algorithm as alg
    from zhifa.powers import actions as P
    from zhifa.powers.models import InspectionItem, VersionStatus

    planner, head = users.get("unithead"), users.get("head")
    city = users.get("citysupervisor")
    county = users.get("supervisor")
    if not (planner and head and city and county):
        log("  inspections: 缺少演示账号，跳过")
        return
    rng = random.Random(19)
    report = A.do_import_roster(roster_file(entity.region.code, 240, rng), entity=entity, acting_user=planner)
    if not report.ok:
        log(f"  inspections: 名录库导入失败：{report.errors[:3]}")
        return
    today = timezone.localdate()
    item = (InspectionItem.objects.filter(entity=entity, status=VersionStatus.PUBLISHED, effective_from__lte=today)
            .order_by("code").first())
    if item is None:
        item = P.do_create_versioned(InspectionItem, {
            "entity": entity, "code": "SJ-DEMO-01", "name": "食品经营者经营条件及食品安全管理制度检查",
            "kind": InspectionItem.Kind.GENERAL, "ratio": "5", "targets": "食品经营者", "method": "现场检查",
            "law": "《中华人民共和国食品安全法》第一百一十条", "effective_from": dt.date(today.year, 1, 1)}, acting_user=head)
        P.do_submit_versioned(item, acting_user=head)
        item = P.do_confirm_versioned(item, acting_user=county, note="同意")
    plan = A.do_create_plan(entity=entity, year=today.year, title=f"{today.year}年度双随机抽查工作计划",
                            acting_user=planner)
    batch = A.do_add_batch(plan, acting_user=planner, name="食品经营专项批次", items=[item],
                           strata=[{"level": "A", "ratio": "3"}, {"level": "B", "ratio": "5"},
                                   {"level": "C", "ratio": "10"}, {"level": "D", "ratio": "20"}],
                           starts_on=today + dt.timedelta(days=3), ends_on=today + dt.timedelta(days=45),
                           window_days=180)
    A.do_file_plan(plan, acting_user=head)
    A.do_acknowledge_plan(plan, acting_user=city, note="已备案")
    round_no = alg.round_at(timezone.now().timestamp()) + 200
    draw = A.do_commit_draw(batch, acting_user=planner, source="drand", beacon_round=round_no)
    log(f"  inspections: 名录库{report.created}个对象，计划“{plan.title}”已备案，抽取#{draw.pk}已承诺 drand 第{round_no}轮"
        f"（/inspections/plans/{plan.pk}/ 粘贴该轮签名即完成抽取）")


@demo_steps.register("inspections", order=40)
def inspections_step(demo) -> None:
    """双随机: roster, plan with 备案, a committed draw."""
    seed_demo_inspections(demo.main_entity, users=demo.users, log=demo.log)
