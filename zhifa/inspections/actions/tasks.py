"""检查任务: each drawn object becomes a 行政检查 case of the matched inspectors (through the case
engine's own actions: its rules, A/V records and numbering apply); results in the categories used
on the 公示系统; a problem found leads on to a penalty case (cases.do_open_penalty_case)."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhifa.cases import actions as case_actions
from zhifa.common.actions import ActionRefused, check_scope, snapshot
from zhifa.inspections import algorithm as alg
from zhifa.inspections.actions.common import step
from zhifa.inspections.choices import PROBLEM_RESULTS, PUBLISH_WITHIN_WORKING_DAYS, KeyKind, TaskResult
from zhifa.inspections.models import Draw, RosterObject, Task
from zhifa.ledger import log as ledger
from zhifa.legalcal.periods import add_working_days
from zhifa.orgs.models import Officer

UNSTATED = "（名录库未载明）"


def _party(obj: RosterObject | None, key: str, name: str) -> dict:
    if obj is not None and obj.key_kind == KeyKind.ID_NUMBER:
        return {"kind": "person", "name": name, "id_number": key, "address": obj.address}
    return {"kind": "org", "name": name, "credit_code": key, "address": obj.address if obj else "",
            "legal_representative": (obj.legal_representative if obj else "") or UNSTATED}


@transaction.atomic
def do_create_tasks(draw: Draw, *, acting_user, on: dt.date | None = None) -> list[Task]:
    """One task (and one 行政检查 case, 制定检查计划) per drawn object, for its matched inspectors."""
    draw = Draw.objects.select_for_update().select_related("batch", "entity").get(pk=draw.pk)
    check_scope(acting_user, draw)
    if draw.state != Draw.State.DRAWN:
        raise ActionRefused("draw.state", "尚未抽取，不能生成检查任务", "state")
    if draw.tasks.exists():
        raise ActionRefused("task.exists", "该抽取已生成检查任务", "tasks")
    on = on or timezone.localdate()
    picked = list(alg.selected(draw.result))
    objects = {o.key: o for o in RosterObject.objects.filter(entity=draw.entity, key__in=[k for _, k, _ in picked])}
    names = {r["key"]: r["name"] for r in draw.object_snapshot.rows}
    officers = Officer.objects.in_bulk({i for _, _, ids in picked for i in ids})
    items = ", ".join(i.name for i in draw.batch.items.all())
    tasks = []
    for level, key, ids in picked:
        obj = objects.get(key)
        name = names.get(key, key)
        team = [(officers[i], "lead" if n == 0 else "assist") for n, i in enumerate(ids)]
        case = case_actions.do_plan_inspection(
            {"entity": draw.entity, "title": f"双随机抽查：{name}", "facts": f"{draw.batch.plan.title}·{draw.batch.name}"
             f"（抽取#{draw.pk}，{draw.source_label}）；抽查事项：{items}"[:2000]},
            parties=[_party(obj, key, name)], officers=team, acting_user=acting_user, on=on,
            reason=f"双随机抽取#{draw.pk}")
        task = Task.objects.create(draw=draw, entity=draw.entity, roster_object=obj, object_key=key, object_name=name,
                                   risk=level, case=case, due_on=draw.batch.ends_on)
        task.inspectors.set([o for o, _ in team])
        step(task, None, acting_user=acting_user, reason=f"双随机抽取#{draw.pk}生成检查任务")
        tasks.append(task)
    ledger.append("inspections.tasks.created", subject=draw, actor=acting_user, data={"id": draw.pk, "count": len(tasks)})
    return tasks


@transaction.atomic
def do_record_task_result(task: Task, *, result: str, note: str, acting_user, on: dt.date | None = None) -> Task:
    """检查结果: recorded on the 行政检查 case (实施检查 → 记录检查结果, the case engine's rules:
    two certified handlers, the actor one of them) and on the task; the roster's last-inspected date."""
    task = Task.objects.select_for_update(of=("self",)).select_related("case", "roster_object").get(pk=task.pk)
    check_scope(acting_user, task)
    if result not in TaskResult.values:
        raise ActionRefused("task.result", "请选择检查结果（未发现问题、未按规定公示、无法联系……）", "result")
    if not (note or "").strip():
        raise ActionRefused("task.result", "请填写检查情况", "result_note")
    if task.result:
        raise ActionRefused("task.result", "该任务已记录检查结果", "result")
    on = on or timezone.localdate()
    case = task.case
    if case.state == "planned":
        case = case_actions.do_start_inspection(case, acting_user=acting_user, expected_version=case.version, on=on)
    label = str(TaskResult(result).label)
    case_actions.do_record_inspection_result(case, result=f"{label}。{note.strip()}", problems_found=result in PROBLEM_RESULTS,
                                             acting_user=acting_user, expected_version=case.version, on=on)
    before = snapshot(task)
    task.result, task.result_note, task.done_on = result, note.strip(), on
    due = add_working_days(on, PUBLISH_WITHIN_WORKING_DAYS)
    task.publish_due_on = due.date
    task.save()
    step(task, "inspections.task.result", acting_user=acting_user, before=before, result=result)
    obj = task.roster_object
    if obj is not None and (obj.last_inspected_on is None or obj.last_inspected_on < on):
        before = snapshot(obj)  # the task's scope check covers the roster row of its own entity
        obj.last_inspected_on, obj.version = on, obj.version + 1
        obj.save(update_fields=["last_inspected_on", "version"])
        step(obj, None, acting_user=acting_user, before=before, reason=f"检查任务#{task.pk}完成")
    return task


@transaction.atomic
def do_publish_results(draw: Draw, *, acting_user, on: dt.date | None = None) -> int:
    """一公开 of the results: every recorded, unpublished result of the draw goes on the portal
    (the draw itself is published first if it is not yet). Returns how many were published."""
    from zhifa.inspections.actions.draws import do_publish_draw

    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    check_scope(acting_user, draw)
    pending = list(Task.objects.select_for_update().filter(draw=draw, published_on__isnull=True).exclude(result=""))
    if not pending:
        raise ActionRefused("results.none", "没有待公示的检查结果（检查结果录入后才能公示）", "tasks")
    if not draw.published:
        do_publish_draw(draw, acting_user=acting_user)
    on = on or timezone.localdate()
    for task in pending:
        before = snapshot(task)
        task.published_on = on
        task.save(update_fields=["published_on"])
        step(task, "inspections.task.published", acting_user=acting_user, before=before)
    return len(pending)
