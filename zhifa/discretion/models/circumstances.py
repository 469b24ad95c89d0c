"""情节 (circumstances): an entity's own factors per power item, on top of the national ones
(zhifa.discretion.choices.NATIONAL_FACTORS), and the circumstances ticked on a case with the
suggestion computed from them (zhifa.discretion.suggest), stored with the benchmark version."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ENTITY, SUBTREE, RestrictedManager
from zhifa.discretion.choices import Effect

USER = settings.AUTH_USER_MODEL


class Factor(models.Model):
    """An entity's circumstance for one power item (or all its items when the code is blank)."""

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="+")
    power_item_code = models.CharField(_("权责事项编码"), max_length=40, blank=True,
                                       help_text=_("留空适用于本机关全部处罚事项"))
    code = models.CharField(_("情节代码"), max_length=40)
    label = models.CharField(_("情节"), max_length=200)
    effect = models.CharField(_("裁量效果"), max_length=12, choices=Effect.choices)
    law = models.CharField(_("依据法律法规"), max_length=200, blank=True)
    article = models.CharField(_("条款"), max_length=100, blank=True)
    basis = models.TextField(_("依据内容"), blank=True)
    active = models.BooleanField(_("有效"), default=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {Role.AGENCY_HEAD: ENTITY, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["entity_id", "power_item_code", "code"]
        verbose_name = _("裁量情节")
        verbose_name_plural = _("裁量情节")
        constraints = [models.UniqueConstraint(fields=["entity", "power_item_code", "code"],
                                               name="discretion_factor_unique")]

    def __str__(self):
        return self.label


class CaseCircumstances(models.Model):
    """The circumstances ticked on one case and the suggestion they gave (one row per case)."""

    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE,
                                related_name="circumstances")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    factors = models.JSONField(_("裁量情节"), default=list, blank=True)
    note = models.TextField(_("情节说明"), blank=True)
    suggestion = models.JSONField(_("裁量建议"), default=dict, blank=True)
    benchmark_id = models.BigIntegerField(_("裁量基准"), null=True, blank=True)
    benchmark_version = models.PositiveIntegerField(_("裁量基准版本"), null=True, blank=True)
    set_on = models.DateField(_("认定日期"))
    set_by = models.ForeignKey(USER, verbose_name=_("认定人"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"view": {Role.SUPERVISOR: SUBTREE}}

    class Meta:
        verbose_name = _("案件裁量情节")
        verbose_name_plural = _("案件裁量情节")

    def __str__(self):
        return f"{self.case_id} 裁量情节"
