"""The outbox: every notification (in-app, e-mail, SMS) is a Message row; the worker sends it and
writes one Attempt per try. A message is claimed (state 发送中) before the provider is called, so a
message is never sent twice: a crash mid-send leaves it 发送中 for a person to look at, never resent."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import EncryptedCharField
from zhifa.notify.choices import AttemptOutcome, Channel, MessageState

USER = settings.AUTH_USER_MODEL


class Preference(models.Model):
    """A staff user's channels per event kind and their addresses (e-mail from the account by default)."""

    user = models.OneToOneField(USER, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="notify_preference")
    email = models.EmailField(_("接收邮箱"), blank=True)
    mobile = models.CharField(_("接收短信的手机号"), max_length=20, blank=True)
    # {"review.result": ["inapp", "email"], ...}; an event kind not named uses its default channels.
    channels = models.JSONField(_("各类通知的接收方式"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self):
        return f"{self.user} 的通知偏好"


class Message(models.Model):
    State = MessageState
    Channel = Channel

    event = models.CharField(_("事件"), max_length=40, db_index=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(USER, verbose_name=_("接收人"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    address = EncryptedCharField(_("地址"), max_length=200, blank=True)  # an e-mail address or a phone: SM4 at rest
    recipient_name = models.CharField(_("接收人名称"), max_length=200, blank=True)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    # Same key, same message: a deadline warned twice, a retried request, a double tap make one row.
    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True, null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=MessageState.choices, default=MessageState.QUEUED,
                             db_index=True)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True, db_index=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    provider_id = models.CharField(_("通道消息编号"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        verbose_name = _("通知消息")
        verbose_name_plural = _("通知消息")

    def __str__(self):
        return f"{self.get_channel_display()}→{self.recipient_name or self.address}：{self.subject or self.body[:30]}"


class Attempt(models.Model):
    """One try of one message: the send log."""

    Outcome = AttemptOutcome

    message = models.ForeignKey(Message, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="log")
    number = models.PositiveSmallIntegerField(_("第几次"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=AttemptOutcome.choices)
    detail = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["message_id", "number"]
        constraints = [models.UniqueConstraint(fields=["message", "number"], name="notify_attempt_once")]
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
