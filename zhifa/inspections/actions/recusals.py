"""回避 after the draw: an inspector of a task declares a conflict with its object (or a head records
it), the head decides; an approved recusal replaces the inspector by the replayable re-draw of
zhifa.inspections.algorithm (step 8) and reassigns the 行政检查 case's officers in the same transaction."""
from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone

from zhifa.cases import actions as case_actions
from zhifa.common.actions import ActionRefused, check_scope, snapshot
from zhifa.common.roles import Role
from zhifa.inspections import algorithm as alg
from zhifa.inspections.actions.common import step
from zhifa.inspections.choices import RecusalState
from zhifa.inspections.models import Draw, Recusal, Task
from zhifa.orgs.models import Officer

HEAD_ROLES = (Role.UNIT_HEAD, Role.AGENCY_HEAD)


def _open_task(task: Task) -> Task:
    task = Task.objects.select_for_update(of=("self",)).select_related("draw", "case").get(pk=task.pk)
    if task.result:
        raise ActionRefused("recusal.task_open", "该任务已记录检查结果，不能再申请回避", "task")
    return task


@transaction.atomic
def do_declare_recusal(task: Task, *, officer: Officer, reason: str, acting_user,
                       on: dt.date | None = None) -> Recusal:
    """回避申报: an inspector of the task (for themselves) or a head of its entity (for one of them)."""
    task = _open_task(task)
    check_scope(acting_user, task)  # the unit head and the task's entity's officers (not the agency head)
    own = getattr(acting_user, "officer", None)
    if acting_user.role not in HEAD_ROLES and (own is None or own.pk != officer.pk):
        raise ActionRefused("recusal.declarant", "检查人员只能为本人申报回避", "officer")
    if not task.inspectors.filter(pk=officer.pk).exists():
        raise ActionRefused("recusal.not_on_team", f"{officer.name}不是该任务的检查人员", "officer")
    if not (reason or "").strip():
        raise ActionRefused("recusal.reason", "回避理由：请说明与检查对象的利害关系", "reason")
    if Recusal.objects.filter(task=task, officer=officer, state=RecusalState.PENDING).exists():
        raise ActionRefused("recusal.pending", f"{officer.name}的回避申请尚待决定", "officer")
    rec = Recusal.objects.create(draw=task.draw, task=task, entity=task.entity, officer=officer,
                                 reason=reason.strip()[:300], declared_by=acting_user,
                                 declared_on=on or timezone.localdate())
    step(rec, "inspections.recusal.declared", acting_user=acting_user, task=task.pk, officer=officer.pk)
    return rec


@transaction.atomic
def do_decide_recusal(rec: Recusal, *, approve: bool, acting_user, note: str = "",
                      on: dt.date | None = None) -> Recusal:
    """回避决定 by a head of the entity (《行政处罚法》第四十三条). Approved: the replayable re-draw
    names the replacement, the task's team and the case's officers change, the ledger records it."""
    rec = Recusal.objects.select_for_update().select_related("task", "officer").get(pk=rec.pk)
    check_scope(acting_user, rec)
    if acting_user.role not in HEAD_ROLES and not acting_user.is_superuser:
        raise ActionRefused("recusal.head_decides", "回避由执法机关负责人决定", "decided_by")
    if rec.state != RecusalState.PENDING:
        raise ActionRefused("recusal.state", f"该回避申请已{rec.get_state_display()}", "state")
    task = _open_task(rec.task)
    on = on or timezone.localdate()
    before = snapshot(rec)
    rec.decided_by, rec.decided_on = acting_user, on
    if not approve:
        rec.state = RecusalState.REFUSED
        rec.save()
        step(rec, "inspections.recusal.refused", acting_user=acting_user, before=before, note=(note or "")[:300])
        return rec
    draw = Draw.objects.select_for_update().get(pk=task.draw_id)
    done = list(Recusal.objects.filter(draw=draw, state=RecusalState.APPROVED).select_related("task")
                .order_by("index"))
    rec.index = len(done) + 1
    rows = [r.replay_row() for r in done] + [{"index": rec.index, "key": task.object_key, "officer": rec.officer_id,
                                              "on": on.isoformat()}]
    try:
        replacements = alg.replay_recusals(json.loads(draw.commitment), draw.result, draw.inspector_snapshot.rows, rows)
    except alg.DrawError as e:
        raise ActionRefused(e.rule, e.message, e.field) from e
    new = Officer.objects.get(pk=replacements[-1])
    rec.replacement, rec.state = new, RecusalState.APPROVED
    rec.save()
    team = list(task.inspectors.all())
    task_before = snapshot(task)
    task.inspectors.set([o for o in team if o.pk != rec.officer_id] + [new])
    step(task, None, acting_user=acting_user, before=task_before,
         reason=f"回避重新抽取#{rec.index}：{rec.officer.name}回避，由{new.name}替换")
    case = task.case
    if case is not None:
        role = case.officers.filter(officer=rec.officer, active=True).values_list("role", flat=True).first() or "assist"
        case_actions.do_assign_officers(case, [(new, role)], remove=[rec.officer], acting_user=acting_user,
                                        expected_version=case.version, on=on,
                                        reason=f"双随机回避重新抽取#{rec.index}：{rec.officer.name}回避，由{new.name}替换")
    step(rec, "inspections.recusal.approved", acting_user=acting_user, before=before, index=rec.index,
         key=task.object_key, officer=rec.officer_id, replacement=new.pk, on=on.isoformat())
    return rec
