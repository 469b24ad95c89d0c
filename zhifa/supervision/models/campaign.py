"""专项监督: a campaign of a justice bureau (theme, fields, entities, period, checklist), the cases it
samples from the platform's own cases, the findings per case and the rectification orders they lead to.

Rows are written only by zhifa.supervision.actions.campaign.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import SUBTREE, RestrictedManager
from zhifa.supervision.choices import CampaignCaseState, CampaignState

USER = settings.AUTH_USER_MODEL


class Campaign(models.Model):
    State = CampaignState

    owner = models.ForeignKey("orgs.Entity", verbose_name=_("组织机关"), on_delete=models.PROTECT,
                              related_name="campaigns")
    name = models.CharField(_("专项监督主题"), max_length=120)
    fields = models.CharField(_("执法领域"), max_length=300, blank=True, help_text=_("多个领域以顿号分隔；不填为全部领域"))
    entities = models.ManyToManyField("orgs.Entity", verbose_name=_("被监督主体"), related_name="campaigns_in")
    period_from = models.DateField(_("案件决定日期自"))
    period_to = models.DateField(_("案件决定日期至"))
    checklist = models.JSONField(_("检查要点"), default=list)
    sample_size = models.PositiveSmallIntegerField(_("抽查案件数"))
    sample_seed = models.CharField(_("抽样种子"), max_length=40, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    created_by = models.ForeignKey(USER, verbose_name=_("组织人"), on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField(_("启动日期"))
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)
    summary = models.TextField(_("总结"), blank=True)

    objects = RestrictedManager()
    scope_entity_path = "owner"
    scope_rules = {"change": {Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["state", "-created_on", "-id"]
        verbose_name = _("专项监督")
        verbose_name_plural = _("专项监督")

    def __str__(self):
        return self.name

    @property
    def field_list(self) -> list[str]:
        return [f for f in self.fields.replace("，", "、").replace(",", "、").split("、") if f.strip()]


class CampaignCase(models.Model):
    State = CampaignCaseState

    campaign = models.ForeignKey(Campaign, verbose_name=_("专项监督"), on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="campaign_checks")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    findings = models.JSONField(_("检查结果"), default=dict, blank=True)
    problems = models.TextField(_("发现的问题"), blank=True)
    checked_by = models.ForeignKey(USER, verbose_name=_("检查人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    checked_on = models.DateField(_("检查日期"), null=True, blank=True)
    order = models.ForeignKey("supervision.SupervisionOrder", verbose_name=_("整改通知"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="campaign_cases")

    objects = RestrictedManager()
    scope_entity_path = "campaign__owner"

    class Meta:
        ordering = ["campaign_id", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "case"], name="campaign_case_once")]
        verbose_name = _("专项监督抽查案件")
        verbose_name_plural = _("专项监督抽查案件")

    def __str__(self):
        return f"{self.campaign}：{self.case}"

    @property
    def failed(self) -> list[str]:
        return [label for label, ok in self.findings.items() if ok is False]
