"""年度行政执法统计年报: one stored snapshot of an entity's figures for a year.

Generated (and regenerated while not final) by zhifa.supervision.actions.reports; the figures are a
frozen JSON picture so what was published never changes when cases change later. Published
reports are public (/gs/reports/); the legal deadline is 31 January of the following year.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ALL, ENTITY, SUBTREE, RestrictedManager


class AnnualReport(models.Model):
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"))
    figures = models.JSONField(_("统计数据"), default=dict)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("公开日期"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("公开人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("生成次数"), default=1)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    # Supervisors generate for their subtree, agencies for themselves; only the agency publishes.
    scope_rules = {"generate": {Role.ADMIN: ALL, Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: ENTITY},
                   "publish": {Role.ADMIN: ALL, Role.AGENCY_HEAD: ENTITY}}

    class Meta:
        ordering = ["-year", "entity__name"]
        constraints = [models.UniqueConstraint(fields=["entity", "year"], name="annual_report_entity_year")]
        verbose_name = _("年度行政执法统计年报")
        verbose_name_plural = _("年度行政执法统计年报")

    def __str__(self):
        return f"{self.entity.name}{self.year}年度行政执法统计年报"

    @property
    def is_final(self):
        """Covers the whole year (generated after 31 December)."""
        return self.period_end.month == 12 and self.period_end.day == 31
