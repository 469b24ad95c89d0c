"""Choices and fixed lists of the notify app (通知 and 电子送达)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INAPP = "inapp", _("站内提醒")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class MessageState(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    RETRY = "retry", _("待重试")
    FAILED = "failed", _("发送失败")
    BOUNCED = "bounced", _("地址无效（退信）")
    CANCELLED = "cancelled", _("已取消")


class AttemptOutcome(models.TextChoices):
    SENT = "sent", _("已发送")
    TEMPORARY = "temporary", _("暂时失败（将重试）")
    PERMANENT = "permanent", _("永久失败")
    BOUNCED = "bounced", _("退信")


class ServiceState(models.TextChoices):
    SENT = "sent", _("已发出，待到达")
    ARRIVED = "arrived", _("已到达（已送达）")
    FALLBACK = "fallback", _("未到达，须改用邮寄或公告送达")
    FAILED = "failed", _("发送失败")
    CANCELLED = "cancelled", _("已撤回")


class ArrivalSource(models.TextChoices):
    LINK = "link", _("当事人打开送达链接")
    REPORT = "report", _("通道送达回执")


# Event kinds: (code, label, default channels). A user's preference overrides the channels per kind;
# in-app notices are always written (the 站内提醒 list is the record of what reached the user).
EVENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "review.submitted": ("提交法制审核", ("inapp",)),
    "review.result": ("法制审核意见（同意/退回）", ("inapp", "email")),
    "review.major": ("重大执法决定提示", ("inapp",)),
    "review.objection": ("对审核意见有异议", ("inapp", "email")),
    "deadline.near": ("法定期限即将届满", ("inapp", "email")),
    "deadline.breached": ("法定期限已超期", ("inapp", "email", "sms")),
    "supervision.order": ("收到督办通知", ("inapp", "email", "sms")),
    "complaint.answer": ("投诉举报答复（告知投诉人）", ("sms", "email")),
    "eservice.document": ("电子送达文书（告知当事人）", ("email", "sms")),
    "eservice.fallback": ("电子送达未到达，须改用其他方式", ("inapp", "email")),
    "notice": ("站内提醒", ("inapp",)),
}
STAFF_CHANNELS = (Channel.INAPP, Channel.EMAIL, Channel.SMS)
# Tries of one message before it is given up, and the backoff between them (seconds: base · 4^n).
MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 60
# Days before a due date a "deadline near" message goes out (once per deadline).
DEADLINE_NEAR_DAYS = 3
# 电子送达确认书 version the party signs (shown on the form; a new text gets a new version).
CONSENT_VERSION = "2026-1"
# Minutes between two runs of the outbox sweep (tasks.deliver_due_task) on the scheduler's clock.
SWEEP_EVERY_MINUTES = 5
