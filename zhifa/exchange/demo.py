"""Demo data of the exchange (zhifa.common.registry.demo_steps): the day's exchange batch for the demo
region, built after every other step's cases and publications; the seed prints its reconciliation and
every record a validator refused (the demo's should pass: its power items carry 监管事项目录编码); then the
provincial platform's batch (主体/人员/事项/对象/处罚/强制/检查)."""
from __future__ import annotations

from zhifa.common.registry import demo_steps


@demo_steps.register("exchange", order=900)  # after the cases and publications of every other step
def exchange_step(demo) -> None:
    from zhifa.exchange.actions.batches import do_build_batch, reconciliation

    for feed in ("national", "provincial"):  # 互联网+监管/双公示, then the provincial platform's tables
        batch = do_build_batch(demo.today, acting_user=demo.admin, feed=feed)
        figures = "；".join(f"{r['label']} 发送{r['sent']} 校验未通过{r['refused']}" for r in reconciliation(batch))
        demo.log(f"  exchange: 交换批次 {batch.number}：{figures}")
        for row in batch.rows.filter(state="refused")[:5]:
            demo.log(f"    校验未通过 {row.key}：{row.reason}")
