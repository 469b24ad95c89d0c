"""Demo 专项监督, made through the actions: the county justice bureau's campaign on the demo entity's
food-safety and market decisions of the last months, three cases sampled, one with a problem (an
整改通知, answered by the agency head), the campaign finished with its summary. Dates: today."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.supervision.actions import campaign as campaign_actions
from zhifa.supervision.actions import orders as order_actions


def seed_demo_campaign(entity, *, users, log=None):
    log = log or (lambda msg: None)
    sup, head = users.get("supervisor"), users.get("head")
    if sup is None or head is None:
        log("  campaign: 缺少监督或负责人演示账号，未生成专项监督")
        return None
    today = timezone.localdate()
    c = campaign_actions.do_create_campaign(
        acting_user=sup, name=f"{today.year}年行政处罚案件质量专项监督", entities=[entity],
        period_from=today - dt.timedelta(days=365), period_to=today, sample_size=3, on=today)
    rows = campaign_actions.do_sample_cases(c, acting_user=sup) if campaign_actions.candidates(c).exists() else []
    for n, row in enumerate(rows):
        findings = dict.fromkeys(c.checklist, True)
        problems = ""
        if n == 0:
            findings[c.checklist[4]] = False
            problems = "行政处罚决定书未载明申请行政复议、提起行政诉讼的途径和期限，请补正并完善文书审核。"
        row = campaign_actions.do_record_finding(row, acting_user=sup, findings=findings, problems=problems,
                                                 order_days=10, on=today)
        if row.order is not None:
            order_actions.do_reply_order(row.order, acting_user=head, on=today,
                                         text="已对涉案决定书补正告知内容并重新送达，组织全局开展文书规范培训。")
    if rows:
        c = campaign_actions.do_finish_campaign(c, acting_user=sup, on=today, summary=(
            f"本次专项监督抽查案件{len(rows)}件，发现问题1件，已下达整改通知并整改完毕。总体上案件事实清楚、程序合法，"
            "执法文书的规范性仍需加强。"))
    log(f"  campaign: 专项监督“{c.name}”抽查案件 {len(rows)} 件，{c.get_state_display()}")
    return c
