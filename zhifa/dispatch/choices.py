"""The dispatch app's vocabulary: where a task comes from, its states, its time limit and the marks
on the map."""
from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉举报")
    ALERT = "alert", _("预警")
    DRAW = "draw", _("双随机抽查任务")
    CAMPAIGN = "campaign", _("专项行动")
    TEXT = "text", _("其他（文字说明）")


class TaskState(models.TextChoices):
    DISPATCHED = "dispatched", _("已派发")
    ACCEPTED = "accepted", _("已接收")
    ON_SITE = "on_site", _("已到场")
    DONE = "done", _("处置完毕")
    RETURNED = "returned", _("已退回")


class LimitUnit(models.TextChoices):
    HOURS = "hours", _("小时")
    WORKING_DAYS = "working_days", _("个工作日")


class ReportKind(models.TextChoices):
    DISPATCHED = "dispatched", _("派发")
    REASSIGNED = "reassigned", _("改派")
    ACCEPTED = "accepted", _("接收")
    ON_SITE = "on_site", _("到场")
    LOCATION = "location", _("位置报告")
    DONE = "done", _("处置完毕")
    RETURNED = "returned", _("退回")
    ESCALATED = "escalated", _("超时上报")


class LocationSource(models.TextChoices):
    GPS = "gps", _("手机定位")
    MANUAL = "manual", _("手工填写")
    NONE = "none", _("未报告位置")


OPEN_STATES = (TaskState.DISPATCHED, TaskState.ACCEPTED, TaskState.ON_SITE)

# Who reports what: the transitions an assignee makes, from → to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    TaskState.ACCEPTED: (TaskState.DISPATCHED,),
    TaskState.ON_SITE: (TaskState.ACCEPTED,),
    TaskState.DONE: (TaskState.ON_SITE,),
    TaskState.RETURNED: (TaskState.DISPATCHED, TaskState.ACCEPTED, TaskState.ON_SITE),
}

# Status colours on the map and in the lists (the page's SVG fill attributes; no inline style).
STATE_COLOURS = {
    TaskState.DISPATCHED: "#1f6feb",
    TaskState.ACCEPTED: "#8250df",
    TaskState.ON_SITE: "#bf8700",
    TaskState.DONE: "#1a7f37",
    TaskState.RETURNED: "#6e7781",
}
OVERDUE_COLOUR = "#cf222e"

# A limit in working days ends at the close of its last working day (local time).
WORKDAY_ENDS = dt.time(18, 0)
MAX_HOURS = 720
MAX_WORKING_DAYS = 60
# Minutes between two runs of the escalation sweep on the scheduler's clock.
ESCALATE_EVERY_MINUTES = 15
