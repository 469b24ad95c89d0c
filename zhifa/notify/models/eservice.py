"""电子送达 (行政处罚法 Art. 61): the party's consent (signed 确认书, channels, addresses, withdrawal) and
each document served electronically, with its per-party access token and the arrival that fixes the
送达日期 (the day the document reaches the party, not the day it was sent)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import EncryptedCharField
from zhifa.common.scope import RestrictedManager
from zhifa.notify.choices import ArrivalSource, ServiceState

USER = settings.AUTH_USER_MODEL


class Consent(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="eservice_consents")
    party = models.ForeignKey("cases.Party", verbose_name=_("当事人"), on_delete=models.PROTECT,
                              related_name="eservice_consents")
    channels = models.JSONField(_("同意的送达方式"), default=list)
    # Personal data at rest (SM4, zhifa.common.fields), like the party's own contact details.
    email = EncryptedCharField(_("电子邮箱"), max_length=254, blank=True)
    mobile = EncryptedCharField(_("手机号码"), max_length=20, blank=True)
    confirmation_version = models.CharField(_("送达地址确认书版本"), max_length=20)
    signed_on = models.DateField(_("确认书签署日期"))
    recorded_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("撤回说明"), max_length=300, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "case__entity"
    scope_unit_path = "case__unit"

    class Meta:
        ordering = ["case_id", "party_id", "-id"]
        constraints = [models.UniqueConstraint(fields=["party"], condition=models.Q(withdrawn_on__isnull=True),
                                               name="notify_one_live_consent_per_party")]
        verbose_name = _("电子送达确认")
        verbose_name_plural = _("电子送达确认")

    def __str__(self):
        return f"{self.party} 同意电子送达（{'、'.join(self.channels)}）"

    @property
    def live(self) -> bool:
        return self.withdrawn_on is None


class Service(models.Model):
    State = ServiceState
    Source = ArrivalSource

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="eservices")
    party = models.ForeignKey("cases.Party", verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(Consent, verbose_name=_("电子送达确认"), on_delete=models.PROTECT,
                                related_name="services")
    document = models.ForeignKey("documents.GeneratedDocument", verbose_name=_("文书"), on_delete=models.PROTECT,
                                 related_name="eservices")
    channel = models.CharField(_("送达方式"), max_length=10)
    address = EncryptedCharField(_("送达地址"), max_length=200)
    token_sha256 = models.CharField(_("访问令牌摘要"), max_length=64, unique=True)
    pdf_sha256 = models.CharField(_("送达文书SHA-256"), max_length=64)
    message = models.ForeignKey("notify.Message", verbose_name=_("通知消息"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_by = models.ForeignKey(USER, verbose_name=_("送达人"), on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("发出时间"))
    state = models.CharField(_("状态"), max_length=10, choices=ServiceState.choices, default=ServiceState.SENT,
                             db_index=True)
    arrived_at = models.DateTimeField(_("到达时间"), null=True, blank=True)
    arrival_source = models.CharField(_("到达依据"), max_length=10, choices=ArrivalSource.choices, blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    fallback_due_on = models.DateField(_("未到达改用其他方式的日期"))
    transition_note = models.CharField(_("案件送达环节"), max_length=300, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "case__entity"
    scope_unit_path = "case__unit"

    class Meta:
        ordering = ["-id"]
        verbose_name = _("电子送达记录")
        verbose_name_plural = _("电子送达记录")

    def __str__(self):
        return f"{self.document} → {self.party}（{self.get_state_display()}）"
