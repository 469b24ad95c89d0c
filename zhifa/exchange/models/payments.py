"""非税收入: the 缴款书 number issued for a decision's fine/confiscation, and every payment notice the
bank sends (signed callback), kept once per bank transaction id whatever happened to it."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.scope import RestrictedManager
from zhifa.exchange.choices import NoticeState


class PaymentSlip(models.Model):
    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="payment_slip")
    number = models.CharField(_("非税收入缴款书号码"), max_length=20, unique=True)
    issued_on = models.DateField(_("开具日期"))

    objects = RestrictedManager()
    scope_entity_path = "case__entity"
    scope_unit_path = "case__unit"

    class Meta:
        verbose_name = _("非税收入缴款书")
        verbose_name_plural = _("非税收入缴款书")

    def __str__(self):
        return self.number


class PaymentNotice(models.Model):
    State = NoticeState

    transaction_id = models.CharField(_("银行交易流水号"), max_length=64, unique=True)
    slip = models.ForeignKey(PaymentSlip, verbose_name=_("缴款书"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="notices")
    slip_number = models.CharField(_("缴款书号码"), max_length=40)
    item = models.CharField(_("缴款项目"), max_length=16)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True)
    paid_on = models.DateField(_("缴款日期"), null=True)
    body_sha256 = models.CharField(_("报文SHA-256"), max_length=64)
    state = models.CharField(_("处理结果"), max_length=10, choices=NoticeState.choices)
    rule = models.CharField(_("规则"), max_length=60, blank=True)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("缴款通知")
        verbose_name_plural = _("缴款通知")

    def __str__(self):
        return f"{self.transaction_id} {self.get_state_display()}"
