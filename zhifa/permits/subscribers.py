"""What permits does when a case moves (zhifa/cases/events.py): a decision whose penalty includes
暂扣许可证件 or 吊销许可证件 suspends or revokes the permit it names (named on the case page before
the decision, or `permit` — a permit or its id, or a list of them — given with the decision), in the
decision's transaction. The case engine never imports this app."""
from __future__ import annotations

from zhifa.cases.events import subscribe


def named_ids(value) -> list[int]:
    values = value if isinstance(value, (list, tuple)) else [value]
    ids = [getattr(v, "pk", v) for v in values if v not in (None, "")]
    return [int(v) for v in ids if str(v).isdigit()]


@subscribe(transitions={"decide"})
def apply_permit_sanction(event, ctx):
    from zhifa.permits.actions import apply_decision

    apply_decision(event.case, acting_user=event.actor, on=event.on, permit_ids=named_ids(ctx.payload.get("permit")))
