"""The named rules of dispatch. Each refuses with ActionRefused(name, 中文, field); tests/dispatch
checks each one (a test fails when its rule is removed).

  dispatch.required       a task has a title
  dispatch.limit          the time limit is 1–720 hours or 1–60 working days
  dispatch.assignee       the assignee is an active officer login of the task's entity (of the unit,
                          when a unit head dispatches)
  dispatch.source         the source exists, is the dispatcher's to see, and concerns the task's entity
  task.assignee_only      only the assignee reports on a task
  task.state              a report follows the task's state (派发 → 接收 → 到场 → 处置完毕; 退回 while open)
  task.location           coordinates are a valid latitude and longitude, given together; 到场 needs a
                          position or a written place
  task.result             处置完毕 states the result, 退回 its reason
  task.reassign           only an open or returned task is reassigned, to someone else
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.dispatch.choices import MAX_HOURS, MAX_WORKING_DAYS, OPEN_STATES, TRANSITIONS, LimitUnit, TaskState

ASSIGNABLE_ROLES = (Role.OFFICER, Role.UNIT_HEAD)


def required(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ActionRefused("dispatch.required", "请填写任务名称", "title")
    return title[:120]


def limit(unit: str, amount) -> tuple[str, int]:
    if unit not in LimitUnit.values:
        raise ActionRefused("dispatch.limit", "时限单位应为“小时”或“个工作日”", "limit_unit")
    try:
        n = int(str(amount).strip())
    except (TypeError, ValueError):
        raise ActionRefused("dispatch.limit", "处置时限：请填写整数", "limit_amount") from None
    top = MAX_HOURS if unit == LimitUnit.HOURS else MAX_WORKING_DAYS
    if not 1 <= n <= top:
        raise ActionRefused("dispatch.limit", f"处置时限应为1至{top}{LimitUnit(unit).label}", "limit_amount")
    return unit, n


def assignee(user, *, entity, dispatcher) -> None:
    if user is None or not user.is_active or user.entity_id != entity.pk or user.role not in ASSIGNABLE_ROLES:
        raise ActionRefused("dispatch.assignee", "承办人员应为本机关在岗的执法人员", "assignee")
    if dispatcher.role == Role.UNIT_HEAD and not dispatcher.is_superuser and user.unit_id != dispatcher.unit_id:
        raise ActionRefused("dispatch.assignee", "承办机构负责人只能向本机构的执法人员派发任务", "assignee")


def source(obj, *, kind_label: str, entity_ids: set[int], entity, visible: bool) -> None:
    if obj is None or not visible:
        raise ActionRefused("dispatch.source", f"{kind_label}不存在或不在您的数据范围内", "source_id")
    if entity.pk not in entity_ids:
        raise ActionRefused("dispatch.source", f"该{kind_label}不涉及本机关，不能据此派发任务", "source_id")


def assignee_only(task, user) -> None:
    if task.assignee_id != user.pk:
        raise ActionRefused("task.assignee_only", "只有承办人员本人可以报告任务进展", "task")


def transition(task, to: str) -> None:
    if task.state not in TRANSITIONS[to]:
        raise ActionRefused("task.state", f"任务当前状态为“{task.get_state_display()}”，不能{TaskState(to).label}",
                            "state")


def _coord(value, label: str, field: str, bound: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ActionRefused("task.location", f"{label}：请填写数字（如 27.302085）", field) from None
    if not d.is_finite() or not -bound <= d <= bound:
        raise ActionRefused("task.location", f"{label}应在-{bound}至{bound}之间", field)
    return d.quantize(Decimal("0.000001"))


def location(latitude, longitude, place: str = "", *, required: bool = False
             ) -> tuple[Decimal | None, Decimal | None]:
    lat = _coord(latitude, "纬度", "latitude", 90)
    lon = _coord(longitude, "经度", "longitude", 180)
    if (lat is None) != (lon is None):
        raise ActionRefused("task.location", "经度和纬度应同时填写", "latitude" if lat is None else "longitude")
    if required and lat is None and not (place or "").strip():
        raise ActionRefused("task.location", "到场报告请使用手机定位，或填写所在位置", "place")
    return lat, lon


def result(text: str, to: str) -> str:
    text = (text or "").strip()
    if not text:
        what = "处置结果" if to == TaskState.DONE else "退回理由"
        raise ActionRefused("task.result", f"请填写{what}", "result")
    return text


def reassign(task, user) -> None:
    if task.state not in (*OPEN_STATES, TaskState.RETURNED):
        raise ActionRefused("task.reassign", f"任务当前状态为“{task.get_state_display()}”，不能改派", "assignee")
    if user is not None and user.pk == task.assignee_id and task.state != TaskState.RETURNED:
        raise ActionRefused("task.reassign", "改派对象与现承办人员相同", "assignee")
