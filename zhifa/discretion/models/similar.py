"""The profile of one decided case the similar-case index is built from (zhifa.discretion.similar):
derived from the case when it is decided (subscriber on `decide`), rebuilt by
`zhifa discretion reindex`; not change-logged (a cache of the case's own logged fields)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecidedProfile(models.Model):
    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE,
                                related_name="decided_profile")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.CASCADE, related_name="+")
    province = models.CharField(_("省级区划代码"), max_length=2, db_index=True)
    items = models.CharField(_("权责事项编码"), max_length=400, blank=True)
    articles = models.CharField(_("法条"), max_length=400, blank=True)
    tokens = models.TextField(_("违法事实分词"), blank=True)
    fine_amount = models.DecimalField(_("罚款金额"), max_digits=14, decimal_places=2, null=True, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=300, blank=True)
    level = models.CharField(_("裁量档位"), max_length=10, blank=True)
    decided_on = models.DateField(_("决定日期"), db_index=True)

    class Meta:
        verbose_name = _("已决案件画像")
        verbose_name_plural = _("已决案件画像")

    def __str__(self):
        return f"{self.case_id}"
