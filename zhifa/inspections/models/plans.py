"""抽查工作计划 and its batches."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ENTITY, SUBTREE, RestrictedManager
from zhifa.inspections.choices import PlanState

USER = settings.AUTH_USER_MODEL


class Plan(models.Model):
    """年度抽查工作计划 of one entity, filed with the level above (备案)."""

    State = PlanState

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("制定主体"), on_delete=models.PROTECT,
                               related_name="inspection_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    state = models.CharField(_("状态"), max_length=14, choices=PlanState.choices, default=PlanState.DRAFT)
    created_by = models.ForeignKey(USER, verbose_name=_("制定人"), on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField(_("报备日期"), null=True, blank=True)
    filed_by = models.ForeignKey(USER, verbose_name=_("报备人"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    acknowledged_on = models.DateField(_("备案确认日期"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, verbose_name=_("备案确认人"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    acknowledgement = models.CharField(_("备案意见"), max_length=300, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {Role.UNIT_HEAD: ENTITY}, "acknowledge": {Role.SUPERVISOR: SUBTREE}}

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("抽查工作计划")
        verbose_name_plural = _("抽查工作计划")

    def __str__(self):
        return self.title


class Batch(models.Model):
    """One batch of a plan: scope, the 随机抽查事项 checked, how many per stratum, when.
    Joint batches (部门联合抽查) name the partner entities: one visit, several items."""

    plan = models.ForeignKey(Plan, verbose_name=_("抽查计划"), on_delete=models.PROTECT, related_name="batches")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("制定主体"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("批次名称"), max_length=200)
    items = models.ManyToManyField("powers.InspectionItem", verbose_name=_("随机抽查事项"), related_name="+")
    joint_entities = models.ManyToManyField("orgs.Entity", verbose_name=_("联合抽查部门"), blank=True,
                                            related_name="joint_batches")
    industry = models.CharField(_("抽查范围：行业"), max_length=60, blank=True)
    area = models.CharField(_("抽查范围：区域"), max_length=60, blank=True)
    field = models.CharField(_("执法领域"), max_length=60, blank=True,
                             help_text=_("检查人员须持有该领域的有效执法证；空则不限"))
    strata = models.JSONField(_("分层抽取比例/数量"), default=list,
                              help_text=_('如 [{"level": "D", "ratio": "20"}, {"level": "A", "count": 5}]'))
    window_days = models.PositiveIntegerField(_("近期已检查对象的排除期（天）"), default=0)
    inspectors_per_object = models.PositiveSmallIntegerField(_("每个对象的检查人员数"), default=2)
    starts_on = models.DateField(_("检查开始日期"))
    ends_on = models.DateField(_("检查结束日期"))

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {Role.UNIT_HEAD: ENTITY}}

    class Meta:
        ordering = ["plan_id", "starts_on", "id"]
        verbose_name = _("抽查批次")
        verbose_name_plural = _("抽查批次")

    def __str__(self):
        return self.name
