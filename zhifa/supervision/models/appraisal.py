"""评议考核 (yearly appraisal) models: a region's weights, the entered 复议/诉讼 results, finalised years.

Rows are written only by zhifa.supervision.actions.appraisal.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import SUBTREE, RestrictedManager

USER = settings.AUTH_USER_MODEL


class AppraisalScheme(models.Model):
    """评议考核指标权重 of one region and year (weights per indicator key, total 100)."""

    owner = models.ForeignKey("orgs.Entity", verbose_name=_("考核单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("orgs.Region", verbose_name=_("考核范围"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("考核年度"))
    weights = models.JSONField(_("指标权重"), default=dict)

    objects = RestrictedManager()
    scope_entity_path = "owner"
    scope_rules = {"change": {Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="appraisal_scheme_unique")]
        verbose_name = _("评议考核方案")
        verbose_name_plural = _("评议考核方案")

    def __str__(self):
        return f"{self.region.name}{self.year}年度评议考核方案"


class AppraisalResult(models.Model):
    """行政复议、行政诉讼 results of one entity in one year, entered by staff."""

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    reconsideration_total = models.PositiveIntegerField(_("行政复议案件数"), default=0)
    reconsideration_corrected = models.PositiveIntegerField(_("被撤销、变更或确认违法数"), default=0)
    litigation_total = models.PositiveIntegerField(_("行政诉讼案件数"), default=0)
    litigation_lost = models.PositiveIntegerField(_("败诉数"), default=0)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    entered_by = models.ForeignKey(USER, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+")
    entered_on = models.DateField(_("录入日期"))

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {Role.SUPERVISOR: SUBTREE, Role.UNIT_HEAD: None}}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "year"], name="appraisal_result_unique")]
        verbose_name = _("复议诉讼结果")
        verbose_name_plural = _("复议诉讼结果")

    def __str__(self):
        return f"{self.entity.name}{self.year}年复议诉讼结果"


class AppraisalSnapshot(models.Model):
    """A finalised year: the weights and every entity's breakdown as they stood, never recomputed."""

    owner = models.ForeignKey("orgs.Entity", verbose_name=_("考核单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("orgs.Region", verbose_name=_("考核范围"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("考核年度"))
    weights = models.JSONField(_("指标权重"))
    rows = models.JSONField(_("考核结果"))
    finalised_by = models.ForeignKey(USER, verbose_name=_("定稿人"), on_delete=models.PROTECT, related_name="+")
    finalised_on = models.DateField(_("定稿日期"))

    objects = RestrictedManager()
    scope_entity_path = "owner"
    scope_rules = {"change": {Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="appraisal_snapshot_unique")]
        verbose_name = _("评议考核结果（定稿）")
        verbose_name_plural = _("评议考核结果（定稿）")

    def __str__(self):
        return f"{self.region.name}{self.year}年度评议考核"


class OfficerFinding(models.Model):
    """What counts against one officer in the officer-level appraisal and is not on the platform's own
    records: a decision of theirs reversed on 行政复议 or in 行政诉讼, a complaint about them found true."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议被撤销、变更或确认违法")
        LITIGATION = "litigation", _("行政诉讼败诉")
        COMPLAINT = "complaint", _("投诉举报查证属实")

    officer = models.ForeignKey("orgs.Officer", verbose_name=_("执法人员"), on_delete=models.PROTECT,
                                related_name="appraisal_findings")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    case = models.ForeignKey("cases.Case", verbose_name=_("相关案件"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    complaint = models.ForeignKey("disclosure.Complaint", verbose_name=_("相关投诉"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField(_("认定日期"))
    note = models.CharField(_("说明"), max_length=300)
    entered_by = models.ForeignKey(USER, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+")

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {Role.SUPERVISOR: SUBTREE, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("执法人员考核扣分事项")
        verbose_name_plural = _("执法人员考核扣分事项")

    def __str__(self):
        return f"{self.officer.name}：{self.get_kind_display()}"
