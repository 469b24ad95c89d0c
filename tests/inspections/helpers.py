"""Recorded real drand quicknet rounds and the builders of the inspections tests."""
from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from zhifa.common.identifiers import make_credit_code
from zhifa.common.xlsx import workbook_bytes
from zhifa.inspections import actions as A
from zhifa.inspections.actions.roster import ROSTER_COLUMNS

CN = ZoneInfo("Asia/Shanghai")
# Real rounds of drand quicknet (League of Entropy), as published: round → signature (hex).
# Round 32122604 was published 2026-09-11 23:59:39 UTC, round 32123484 at 2026-09-12 00:43:39 UTC.
ROUND = 32122604
SIGNATURE = ("9596d4aa6f53dce736a298cf4791523d210272410cfb5e1bb7862aa1751d0a7b"
             "f3217a07464e7f735daebf893edcd2c9")
RANDOMNESS = "bbc1ec4ab3e70a8bc714165ed55166be4ace1a96e073e7e9086ba055a45714b8"
ROUND2 = 32123484
SIGNATURE2 = ("ac2904b23df1271321378ec5c8e82181f7245baec2986bcb9fff17419becdc31"
              "c170e522b0d6d145f38fb5b7ddbc9972")
BEFORE = dt.datetime(2026, 9, 11, 10, 0, tzinfo=CN)   # commit: the rounds do not exist yet
AFTER = dt.datetime(2026, 9, 12, 9, 0, tzinfo=CN)     # reveal: both have been published
RISKS = ["A", "B", "C", "D"]


def roster_rows(n=40, start=1):
    return [[make_credit_code("520502", f"{i:08d}", authority="9"), f"毕节市测试商贸{i}号有限公司", f"周{i}",
             f"七星关区洪山路{i}号", "市场主体", "食品销售" if i % 2 else "餐饮服务", "七星关区", "小型",
             RISKS[i % 4], "是" if i % 7 == 0 else "否", "2026-08-20" if i % 10 == 0 else ""]
            for i in range(start, start + n)]


def roster_file(rows) -> io.BytesIO:
    return io.BytesIO(workbook_bytes(ROSTER_COLUMNS, rows))


def inspection_item(cw):
    from zhifa.powers import actions as P
    from zhifa.powers.models import InspectionItem

    item = P.do_create_versioned(InspectionItem, {
        "entity": cw["smj"], "code": "SJ-001", "name": "食品经营者经营条件及食品安全管理制度检查",
        "kind": InspectionItem.Kind.GENERAL, "ratio": "5", "targets": "食品经营者", "method": "现场检查",
        "law": "《中华人民共和国食品安全法》第一百一十条", "effective_from": dt.date(2026, 1, 1)}, acting_user=cw["head"])
    P.do_submit_versioned(item, acting_user=cw["head"])
    return P.do_confirm_versioned(item, acting_user=cw["sup_county"], note="同意")


def acknowledged_plan(cw, item, *, strata=None):
    plan = A.do_create_plan(entity=cw["smj"], year=2026, title="2026年度食品经营双随机抽查计划",
                            acting_user=cw["unit_head"])
    batch = A.do_add_batch(plan, acting_user=cw["unit_head"], name="第三季度批次", items=[item],
                           strata=strata or [{"level": "A", "ratio": "10"}, {"level": "B", "count": 2},
                                             {"level": "D", "ratio": "50"}],
                           starts_on=dt.date(2026, 9, 14), ends_on=dt.date(2026, 10, 30), window_days=60)
    A.do_file_plan(plan, acting_user=cw["head"])
    A.do_acknowledge_plan(plan, acting_user=cw["sup_city"], note="已备案")
    batch.refresh_from_db()
    return plan, batch
