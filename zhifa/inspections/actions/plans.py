"""抽查工作计划: plans, batches, and the 备案 the level above acknowledges."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, check_scope, check_scope_new, snapshot, validate
from zhifa.common.roles import Role
from zhifa.common.scope import can_on_entity
from zhifa.inspections.actions.common import step
from zhifa.inspections.choices import RISK_WORDS, PlanState
from zhifa.inspections.models import Batch, Plan
from zhifa.powers.models import InspectionItem, VersionStatus


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


@transaction.atomic
def do_create_plan(*, entity, year: int, title: str, acting_user) -> Plan:
    check_scope_new(acting_user, Plan, entity)
    plan = Plan(entity=entity, year=int(year), title=(title or "").strip() or f"{year}年度双随机抽查工作计划",
                created_by=acting_user)
    validate(plan)
    plan.save()
    step(plan, "inspections.plan.created", acting_user=acting_user, year=plan.year)
    return plan


def clean_strata(strata) -> list[dict]:
    """[{"level": "A", "ratio": "5"} | {"level": "D", "count": 3}] with named refusals."""
    if not strata:
        raise ActionRefused("batch.strata", "请至少设定一个风险等级的抽取比例或数量", "strata")
    out, levels = [], set()
    for s in strata:
        level = RISK_WORDS.get(str(s.get("level", "")).strip().upper())
        if level is None:
            raise ActionRefused("batch.strata", f"风险等级“{s.get('level')}”无效（应为A–D或高、中高、中、低）", "strata")
        if level in levels:
            raise ActionRefused("batch.strata", f"风险等级{level}重复设定", "strata")
        levels.add(level)
        ratio, count = s.get("ratio"), s.get("count")
        if ratio not in (None, ""):
            try:
                r = Decimal(str(ratio))
            except InvalidOperation as e:
                raise ActionRefused("batch.ratio", f"抽取比例“{ratio}”不是数字", "strata") from e
            if not (0 < r <= 100):
                raise ActionRefused("batch.ratio", f"{level}类的抽取比例应大于0且不超过100%（填写的是{r}%）", "strata")
            out.append({"level": level, "ratio": format(r.normalize(), "f")})  # 50, not 5E+1
        elif count not in (None, ""):
            try:
                c = int(count)
            except (TypeError, ValueError) as e:
                raise ActionRefused("batch.ratio", f"抽取数量“{count}”不是整数", "strata") from e
            if c <= 0:
                raise ActionRefused("batch.ratio", f"{level}类的抽取数量应大于0", "strata")
            out.append({"level": level, "count": c})
        else:
            raise ActionRefused("batch.ratio", f"{level}类请填写抽取比例或抽取数量", "strata")
    return sorted(out, key=lambda s: s["level"])


@transaction.atomic
def do_add_batch(plan: Plan, *, acting_user, name: str, items, strata, starts_on: dt.date, ends_on: dt.date,
                 industry: str = "", area: str = "", field: str = "", window_days: int = 0,
                 inspectors_per_object: int = 2, joint_entities=()) -> Batch:
    plan = _lock(Plan, plan)
    check_scope(acting_user, plan)
    if plan.state != PlanState.DRAFT:
        raise ActionRefused("plan.state", f"计划当前状态为“{plan.get_state_display()}”，不能再增加批次", "state")
    items = list(items)
    if not items:
        raise ActionRefused("batch.item", "请选择至少一个随机抽查事项", "items")
    on = timezone.localdate()
    for item in items:
        if item.entity_id != plan.entity_id or item.status != VersionStatus.PUBLISHED:
            raise ActionRefused("batch.item", f"“{item.name}”不是本主体已发布的随机抽查事项", "items")
        if not InspectionItem.objects.published(on).filter(pk=item.pk).exists():
            raise ActionRefused("batch.item", f"“{item.name}”当前不在有效期内", "items")
    strata = clean_strata(strata)
    if not starts_on or not ends_on or ends_on < starts_on:
        raise ActionRefused("batch.dates", "检查结束日期不能早于开始日期", "ends_on")
    if int(inspectors_per_object) < 2:
        raise ActionRefused("batch.inspectors", "每个检查对象至少匹配2名执法检查人员（《行政处罚法》第四十二条）",
                            "inspectors_per_object")
    batch = Batch(plan=plan, entity=plan.entity, name=(name or "").strip() or "第一批", industry=industry, area=area,
                  field=field, strata=strata, window_days=int(window_days or 0),
                  inspectors_per_object=int(inspectors_per_object), starts_on=starts_on, ends_on=ends_on)
    validate(batch)
    batch.save()
    batch.items.set(items)
    batch.joint_entities.set(list(joint_entities))
    step(batch, "inspections.batch.created", acting_user=acting_user, plan=plan.pk, strata=strata,
         items=[i.code for i in items])
    return batch


@transaction.atomic
def do_file_plan(plan: Plan, *, acting_user, on: dt.date | None = None) -> Plan:
    """报上级备案: the agency head (or a planner) files the plan with its batches."""
    plan = _lock(Plan, plan)
    check_scope(acting_user, plan)
    if plan.state != PlanState.DRAFT:
        raise ActionRefused("plan.state", f"计划当前状态为“{plan.get_state_display()}”，不能报备", "state")
    if not plan.batches.exists():
        raise ActionRefused("plan.state", "计划还没有抽查批次，不能报备", "batches")
    before = snapshot(plan)
    plan.state, plan.filed_on, plan.filed_by = PlanState.FILED, on or timezone.localdate(), acting_user
    plan.save()
    step(plan, "inspections.plan.filed", acting_user=acting_user, before=before)
    return plan


@transaction.atomic
def do_acknowledge_plan(plan: Plan, *, acting_user, note: str = "", on: dt.date | None = None) -> Plan:
    """备案确认 by a supervisor of a higher level whose region contains the planning entity."""
    plan = _lock(Plan, plan)
    check_scope(acting_user, plan, "view")
    if plan.state != PlanState.FILED:
        raise ActionRefused("plan.state", f"计划当前状态为“{plan.get_state_display()}”，不能确认备案", "state")
    higher = (acting_user.role == Role.SUPERVISOR and acting_user.entity_id is not None
              and can_on_entity(acting_user, "acknowledge", Plan, plan.entity)
              and acting_user.entity.region.level < plan.entity.region.level)
    if not higher:
        raise ActionRefused("plan.level_above", "抽查计划应由上一级执法监督机构确认备案", "acknowledged_by")
    before = snapshot(plan)
    plan.state, plan.acknowledged_on = PlanState.ACKNOWLEDGED, on or timezone.localdate()
    plan.acknowledged_by, plan.acknowledgement = acting_user, (note or "").strip()[:300] or "已备案"
    plan.save()
    step(plan, "inspections.plan.acknowledged", acting_user=acting_user, before=before)
    return plan


@transaction.atomic
def do_update_plan(plan: Plan, *, acting_user, title: str) -> Plan:
    plan = _lock(Plan, plan)
    check_scope(acting_user, plan)
    if plan.state != PlanState.DRAFT:
        raise ActionRefused("plan.state", f"计划当前状态为“{plan.get_state_display()}”，不能修改", "state")
    if not (title or "").strip():
        raise ActionRefused("validation", "计划名称：不能为空", "title")
    before = snapshot(plan)
    plan.title = title.strip()[:200]
    plan.save()
    step(plan, None, acting_user=acting_user, before=before)
    return plan
