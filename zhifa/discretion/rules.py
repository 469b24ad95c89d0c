"""The discretion app's named rules, registered into the case rules (zhifa.cases.rules.RULES);
machine.py names them on `decide`.

  discretion.discussion_if_far  a penalty further outside the suggested band (computed from the ticked
                                circumstances) than ZHIFA_DISCRETION_DISCUSSION_DISTANCE (a fraction of
                                the nearer limit, default 0.3 = 30 %) is decided only after the heads'
                                collective discussion (行政处罚法 Art. 57; the written reason of Art. 34
                                is already required by penalty.within_benchmark)
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from zhifa.cases.rules import refuse, rule


def discussion_distance() -> Decimal:
    return Decimal(str(getattr(settings, "ZHIFA_DISCRETION_DISCUSSION_DISTANCE", "0.3")))


def far_from_suggestion(case, fine=None) -> tuple[Decimal, dict] | None:
    """(distance, suggestion) when the case's penalty lies beyond the configured distance, else None."""
    from zhifa.discretion import suggest as sg
    from zhifa.discretion.models import CaseCircumstances

    row = CaseCircumstances.objects.filter(case_id=case.pk).first()
    if row is None or not row.suggestion:
        return None
    amount = Decimal(0) if case.no_penalty else (fine if fine is not None else case.fine_amount)
    d = sg.distance(row.suggestion, amount)
    return (d, row.suggestion) if d > discussion_distance() else None


@rule("discretion.discussion_if_far")
def discussion_if_far(ctx):
    from zhifa.cases.models import CollectiveDiscussion

    case = ctx.case
    far = far_from_suggestion(case)
    if far is None:
        return
    d, s = far
    held = CollectiveDiscussion.objects.filter(case=case)
    if case.proposed_on:
        held = held.filter(held_on__gte=case.proposed_on)
    if held.exists():
        return
    band = f"{s['lo']}元至{s['hi']}元" if s.get("hi") is not None else f"“{s.get('level')}”"
    refuse("discretion.discussion_if_far",
           f"拟处罚与根据裁量情节计算的建议幅度（{band}）相差{int(d * 100)}%，超过{int(discussion_distance() * 100)}%，"
           f"应当经行政机关负责人集体讨论后决定（《行政处罚法》第五十七条）", "fine_amount")
