"""Discretion benchmarks (裁量基准) on the proposal: rule penalty.within_benchmark.

行政处罚法 Art. 34: agencies apply their published benchmarks. A proposal outside the
benchmark for any of the case's power items needs a written reason, which stays on the case
together with the deviations found.
"""
from __future__ import annotations

from zhifa.cases.models import PenaltyKind
from zhifa.cases.rules import parse_amount, refuse, rule


@rule("penalty.within_benchmark")
def within_benchmark(ctx):
    if ctx.preview or ctx.transition.name != "propose":
        return
    from zhifa.powers import discretion

    case, p = ctx.case, ctx.payload
    if p.get("discretion_level") and p["discretion_level"] not in discretion.LEVELS:
        refuse("penalty.within_benchmark", f"裁量档位应为{'、'.join(discretion.LEVELS)}之一", "discretion_level")
    if p.get("illegal_gains") not in (None, ""):
        p["illegal_gains"] = parse_amount(p["illegal_gains"], "违法所得", "illegal_gains")
    items = [i for i in case.power_items.all() if i.category == "penalty"]
    benchmarks = [i for i in items if discretion.benchmark_for(i, case.entity, ctx.on) is not None]
    p["discretion_deviations"] = []
    if not benchmarks:
        return
    level = (p.get("discretion_level") or "").strip() or (discretion.NO_PENALTY if p.get("no_penalty") else "")
    if not level:
        refuse("penalty.within_benchmark", "本案事项已有裁量基准，请选择裁量档位（不予处罚/减轻/从轻/一般/从重）",
               "discretion_level")
    labels = [PenaltyKind(k).label for k in p.get("penalty_kinds") or []]
    deviations = []
    for item in benchmarks:
        deviations += discretion.check_penalty(item, case.entity, level, labels, p.get("fine_amount"),
                                               illegal_gains=p.get("illegal_gains"), on=ctx.on)
    reason = (p.get("discretion_reason") or "").strip()
    if discretion.requires_written_reason(deviations) and not reason:
        refuse("penalty.within_benchmark",
               f"{discretion.describe(deviations)}。超出裁量基准须书面说明理由（《行政处罚法》第三十四条）",
               "discretion_reason")
    p["discretion_level"] = level
    p["discretion_deviations"] = [d.as_dict() for d in deviations]
