"""Demo data for 双随机、一公开, made through the actions (called by the seed after the demo cases).

The main entity's 检查对象名录库 (imported from a generated Excel file), a published 随机抽查事项, the
2026 plan filed and acknowledged by the city's supervisor, and two batches:

* 第三季度 — a FINISHED draw. Its commitment must precede its random value, and the seed runs offline
  and later, so the demo replays a real, recorded drand quicknet round (DEMO_ROUND, published
  2026-09-11 23:59:39 UTC): roster import, plan, 备案 and commitment run on the seed's pinned demo
  clock at 2026-09-11 10:00 Beijing time, before the round existed, and the reveal the next
  morning; their ledger entries carry those times (the demo's only entries written out of time
  order: the one place where the seed back-dates an instant, not only a date, because verify-draw
  checks the commitment's time). Then, as the demo cases do, the seed's own clock with back-dated
  days: tasks on the batch's first day, results on the following working days, publication on the
  portal a few working days later, well inside the statutory 20 working days. The roster (its last-inspected
  dates too), the draw date, the beacon and every date of the cycle are fixed, whatever the day of
  seeding. The inspectors' snapshot is not: it lists the demo officers certified on 2026-09-11, and
  the foundation dates their certificates from the day of seeding (so the seed, which covers the
  snapshot's root, and with it the selection can differ between seeding days). Seeded so late that
  no demo officer was certified in 2026, the batch is left out with a warning, never half-made.
* 第四季度 — a draw committed at seeding time to a drand round about ten minutes later: once it is
  out, paste its signature (any drand relay, /public/<round>) on the plan page and the draw is made.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone

from zhifa.common.identifiers import make_credit_code
from zhifa.common.registry import demo_steps
from zhifa.common.xlsx import workbook_bytes

logger = logging.getLogger(__name__)
INDUSTRIES = ["食品销售", "餐饮服务", "药品零售", "特种设备使用", "成品油零售", "日用品批发"]
RISKS = ["A"] * 5 + ["B"] * 8 + ["C"] * 4 + ["D"] * 3
CN = ZoneInfo("Asia/Shanghai")

# A real drand quicknet round (League of Entropy), as published: verified offline at the reveal.
DEMO_ROUND = 32122604
DEMO_SIGNATURE = ("9596d4aa6f53dce736a298cf4791523d210272410cfb5e1bb7862aa1751d0a7b"
                  "f3217a07464e7f735daebf893edcd2c9")
# The demo clock of the finished batch (Beijing time).
YEAR = 2026
ROSTER_AS_OF = dt.date(2026, 9, 1)                    # last-inspected dates are counted back from here
COMMIT_AT = dt.datetime(2026, 9, 11, 10, 0, tzinfo=CN)  # before the round (2026-09-12 07:59:39 CST)
REVEAL_AT = dt.datetime(2026, 9, 12, 9, 0, tzinfo=CN)
TASKS_ON = dt.date(2026, 9, 14)                        # the batch's first day (a Monday)
Q3 = ("第三季度食品经营专项", dt.date(2026, 9, 14), dt.date(2026, 10, 30))
Q4 = ("第四季度日用品专项", dt.date(2026, 11, 16), dt.date(2026, 12, 31))
PUBLISH_AFTER = 3                                      # working days after the last result
# A few results of each kind (by the task's place in the draw); the rest find nothing.
RESULTS = {1: ("corrected", "现场发现部分预包装食品超过保质期仍在货架陈列，已当场下架并责令改正。"),
           4: ("not_publicised", "未按规定在国家企业信用信息公示系统公示年度报告，已责令限期补报。"),
           7: ("unreachable", "两次到登记的经营场所均无人，经营场所已闭门。")}
NO_PROBLEM_NOTE = "经现场检查，经营条件、进货查验记录和食品安全管理制度符合要求，未发现问题。"


@contextmanager
def demo_clock(when: dt.datetime) -> Iterator[None]:
    """Pin timezone.now() (and so timezone.localdate(), auto_now fields and ledger times) to `when`."""
    with mock.patch("django.utils.timezone.now", return_value=when.astimezone(dt.UTC)):
        yield


def at(day: dt.date, hour: int = 15) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=CN)


def roster_file(region_code: str, n: int, rng: random.Random, as_of: dt.date = ROSTER_AS_OF) -> io.BytesIO:
    from zhifa.inspections.actions.roster import ROSTER_COLUMNS

    rows = []
    for i in range(1, n + 1):
        last = as_of - dt.timedelta(days=rng.randint(20, 900)) if rng.random() < 0.3 else None
        rows.append([make_credit_code(region_code, f"7{i:07d}", authority="9"), f"毕节市七星关区{rng.choice('鑫顺隆兴和丰')}"
                     f"{rng.choice('源达盛泰福安')}{INDUSTRIES[i % len(INDUSTRIES)][:2]}店{i}号", f"{rng.choice('王李张刘陈杨')}某",
                     f"七星关区洪山路{i}号", "市场主体", INDUSTRIES[i % len(INDUSTRIES)], "七星关区",
                     rng.choice(["小型", "微型", "中型"]), rng.choice(RISKS), "是" if rng.random() < 0.05 else "否",
                     last.isoformat() if last else ""])
    return io.BytesIO(workbook_bytes(ROSTER_COLUMNS, rows))


def _item(entity, *, head, county):
    from zhifa.powers import actions as P
    from zhifa.powers.models import InspectionItem, VersionStatus

    item = (InspectionItem.objects.filter(entity=entity, status=VersionStatus.PUBLISHED,
                                          effective_from__lte=timezone.localdate())
            .filter(name__contains="食品").order_by("code").first())
    if item is not None and InspectionItem.objects.published(timezone.localdate()).filter(pk=item.pk).exists():
        return item
    item = P.do_create_versioned(InspectionItem, {
        "entity": entity, "code": "SJ-DEMO-01", "name": "食品经营者经营条件及食品安全管理制度检查",
        "kind": InspectionItem.Kind.GENERAL, "ratio": "5", "targets": "食品经营者", "method": "现场检查",
        "law": "《中华人民共和国食品安全法》第一百一十条", "effective_from": dt.date(YEAR, 1, 1)}, acting_user=head)
    P.do_submit_versioned(item, acting_user=head)
    return P.do_confirm_versioned(item, acting_user=county, note="同意")


def _recorder(task, *, admin, entity):
    """Who records the task's result: a handler of its 行政检查 case with an officer's login (the lead
    first): the demo's `officer` when drawn, else an inspector given a login without a usable password.
    A handler whose login has another role (the demo's legal reviewer) does not record results."""
    from zhifa.common.roles import Role
    from zhifa.orgs import actions as org_actions
    from zhifa.orgs.models import User

    team = sorted((co for co in task.case.officers.filter(active=True).select_related("officer__user", "officer__unit")),
                  key=lambda co: (co.role != "lead", co.pk))
    for co in team:
        if co.officer.user_id and co.officer.user.role == Role.OFFICER:
            return co.officer.user
    officer = next(co.officer for co in team if not co.officer.user_id)  # two handlers, at most one reviewer login
    user = User.objects.filter(username=f"jcy{officer.pk}").first() or org_actions.do_create_user(
        username=f"jcy{officer.pk}", password=None, role=Role.OFFICER, entity=entity, unit=officer.unit,
        display_name=officer.name, acting_user=admin)
    org_actions.do_update_officer(officer, {"user": user}, acting_user=admin, reason="演示：检查人员登录账号")
    return user


def seed_finished_draw(entity, *, users, admin, log=print):
    """The 第三季度 batch, start to finish on the demo clock; returns (plan, draw, tasks) or None."""
    from zhifa.inspections import actions as A
    from zhifa.inspections.models import Draw
    from zhifa.legalcal.periods import add_working_days

    planner, head, city, county = users["unithead"], users["head"], users["citysupervisor"], users["supervisor"]
    rng = random.Random(19)
    with demo_clock(COMMIT_AT):
        report = A.do_import_roster(roster_file(entity.region.code, 240, rng), entity=entity, acting_user=planner)
        if not report.ok:
            log(f"  inspections: 名录库导入失败：{report.errors[:3]}")
            return None
        item = _item(entity, head=head, county=county)
        plan = A.do_create_plan(entity=entity, year=YEAR, title=f"{YEAR}年度双随机抽查工作计划", acting_user=planner)
        strata = [{"level": "A", "ratio": "3"}, {"level": "B", "ratio": "5"},
                  {"level": "C", "ratio": "10"}, {"level": "D", "ratio": "20"}]
        batches = [A.do_add_batch(plan, acting_user=planner, name=name, items=[item], strata=strata,
                                  starts_on=start, ends_on=end, window_days=180) for name, start, end in (Q3, Q4)]
        A.do_file_plan(plan, acting_user=head)
        A.do_acknowledge_plan(plan, acting_user=city, note="已备案")
        draw = A.do_commit_draw(batches[0], acting_user=planner, source=Draw.Source.DRAND, beacon_round=DEMO_ROUND)
    with demo_clock(REVEAL_AT):
        draw = A.do_reveal_beacon(draw, signature=DEMO_SIGNATURE, acting_user=planner)
    # From here on the seed's own clock with back-dated days (`on`), like the demo cases: only the
    # commitment and the reveal need the instants of the round.
    tasks = A.do_create_tasks(draw, acting_user=planner, on=TASKS_ON)
    last = TASKS_ON
    for n, task in enumerate(tasks):
        due = add_working_days(TASKS_ON, 1 + n // 2)
        on = due.date if due.known else TASKS_ON
        result, note = RESULTS.get(n, ("no_problem", NO_PROBLEM_NOTE))
        A.do_record_task_result(task, result=result, note=note, on=on,
                                acting_user=_recorder(task, admin=admin, entity=entity))
        last = max(last, on)
    due = add_working_days(last, PUBLISH_AFTER)
    publish_on = due.date if due.known else last
    A.do_publish_results(draw, acting_user=planner, on=publish_on)
    draw.refresh_from_db()
    log(f"  inspections: 名录库{report.created}个对象；计划“{plan.title}”已备案；抽取#{draw.pk}（drand 第{DEMO_ROUND}轮）"
        f"已完成，{len(tasks)}项检查任务已办结，结果于{publish_on}公示")
    return plan, draw, tasks, batches[1]


def seed_demo_inspections(entity, *, users, admin=None, log=print) -> None:
    from zhifa.inspections import actions as A
    from zhifa.inspections import algorithm as alg

    planner = users.get("unithead")
    if not all(users.get(k) for k in ("unithead", "head", "citysupervisor", "supervisor")) or admin is None:
        log("  inspections: 缺少演示账号，跳过")
        return
    if timezone.now() < at(dt.date(YEAR, 11, 1)):
        log("  inspections: 系统时钟早于演示抽取的日期，未生成双随机演示数据")
        return
    from django.db import transaction

    from zhifa.common.actions import ActionRefused

    try:
        with transaction.atomic():  # all or nothing: never a half-finished demo draw
            done = seed_finished_draw(entity, users=users, admin=admin, log=log)
    except ActionRefused as e:  # e.g. seeded years later: no demo officer held a certificate in 2026
        msg = f"双随机演示抽取未生成（{e.rule}：{e.message}）"
        logger.warning(msg)
        log(f"  警告：{msg}")
        return
    if done is None:
        return
    plan, _draw, _tasks, q4 = done
    round_no = alg.round_at(timezone.now().timestamp()) + 200
    live = A.do_commit_draw(q4, acting_user=planner, source="drand", beacon_round=round_no)
    log(f"  inspections: 抽取#{live.pk}已承诺 drand 第{round_no}轮（/inspections/plans/{plan.pk}/ 粘贴该轮签名即完成抽取）")


@demo_steps.register("inspections", order=40)
def inspections_step(demo) -> None:
    """双随机: roster, plan with 备案, a finished draw (tasks done, results published) and a committed one."""
    seed_demo_inspections(demo.main_entity, users=demo.users, admin=demo.admin, log=demo.log)
