"""审批–监管–处罚衔接: a penalty case names the permit its 暂扣/吊销许可证件 acts on; the decision
applies it (subscribers.py, in the decision's transaction)."""
from __future__ import annotations

from django.db import transaction

from zhifa.common.actions import ActionRefused, check_scope, snapshot
from zhifa.permits import rules
from zhifa.permits.actions.common import step, today
from zhifa.permits.actions.permits import revoke, suspend
from zhifa.permits.choices import SanctionMeasure
from zhifa.permits.models import Permit, PermitSanction


def _check(case, permit) -> str:
    measure = rules.penalty_kind(case)
    rules.holder_party(case, permit)
    rules.issuing_organ(case, permit)
    return measure


@transaction.atomic
def do_name_permit(case, permit: Permit, *, acting_user, on=None) -> PermitSanction:
    """The case's proposed 暂扣/吊销许可证件 acts on `permit` (named on the case page's panel)."""
    check_scope(acting_user, case, "view")
    if case.decided_on:
        raise ActionRefused("validation", "案件已作出决定，不能再指定许可证件", "permit")
    measure = _check(case, permit)
    sanction, created = PermitSanction.objects.get_or_create(
        case=case, permit=permit, defaults={"entity": case.entity, "named_by": acting_user, "named_on": today(on),
                                            "measure": measure})
    if created:
        step(sanction, "permit.named", acting_user=acting_user, case=case, reason=f"拟{sanction.get_measure_display()}",
             permit=permit.pk, measure=measure)
    return sanction


def apply_decision(case, *, acting_user, on, permit_ids=()) -> list[Permit]:
    """The decision's 暂扣/吊销许可证件 applied to the permits it names: those named on the case before
    (PermitSanction) and any given with the decision (`permit` in its payload). Inside the decision's
    transaction; a refused rule undoes the decision."""
    try:
        measure = rules.penalty_kind(case)
    except ActionRefused:
        return []
    for pk in permit_ids:
        permit = Permit.objects.filter(pk=pk).first()
        if permit is None:
            raise ActionRefused("validation", "决定指定的许可证件不存在", "permit")
        if not PermitSanction.objects.filter(case=case, permit=permit).exists():
            _check(case, permit)
            sanction = PermitSanction.objects.create(case=case, permit=permit, entity=case.entity,
                                                     named_by=acting_user, named_on=on, measure=measure)
            step(sanction, "permit.named", acting_user=acting_user, case=case, reason="决定指定许可证件",
                 permit=permit.pk, measure=measure)
    done = []
    for sanction in PermitSanction.objects.filter(case=case, applied_on__isnull=True).select_related("permit"):
        permit = Permit.objects.select_for_update().get(pk=sanction.permit_id)
        _check(case, permit)
        why = f"{case.decision_number}行政处罚决定：{SanctionMeasure(measure).label}"
        if measure == SanctionMeasure.REVOKE:
            revoke(permit, acting_user=acting_user, reason=why, on=on, case=case)
        else:
            suspend(permit, acting_user=acting_user, reason=why, on=on, case=case)
        before = snapshot(sanction)
        sanction.measure, sanction.applied_on = measure, on
        sanction.save(update_fields=["measure", "applied_on"])
        step(sanction, "permit.sanction_applied", acting_user=acting_user, before=before, case=case, reason=why,
             permit=permit.pk, measure=measure)
        done.append(permit)
    return done
