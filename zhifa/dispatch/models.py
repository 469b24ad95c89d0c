"""执法指挥: tasks a unit head or the entity's command desk (its head) dispatches to officers in the
field, the officers' reports (接收, 到场 with their location, 处置完毕, 退回), the escalation of an
overdue task to the next head, and the region outlines the map layer draws (no external tiles).

A task's source — a complaint, an alert, an inspection draw task, a campaign — is a generic reference
(content type + id, with its label kept): the apps it points at never import this one. Rows are
written only by zhifa.dispatch.actions.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ENTITY, RestrictedManager
from zhifa.dispatch.choices import (
    OPEN_STATES,
    LimitUnit,
    LocationSource,
    ReportKind,
    SourceKind,
    TaskState,
)

USER = settings.AUTH_USER_MODEL

# change (派发, 改派): the entity's head (the command desk) over the entity, a unit head over the unit;
# report (接收, 到场, 处置, 退回): the entity's staff in the field (the rules narrow it to the assignee).
SCOPE_RULES = {"report": {Role.OFFICER: ENTITY, Role.UNIT_HEAD: ENTITY, Role.AGENCY_HEAD: ENTITY}}


class DispatchTask(models.Model):
    """One dispatched task (指挥调度任务): what, where, to whom, by when, and where it stands."""

    State = TaskState
    Source = SourceKind
    Limit = LimitUnit

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="dispatch_tasks")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("承办机构"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="dispatch_tasks")
    number = models.CharField(_("任务编号"), max_length=30, unique=True)
    title = models.CharField(_("任务名称"), max_length=120)
    instructions = models.TextField(_("任务要求"), blank=True)
    source_kind = models.CharField(_("任务来源"), max_length=10, choices=SourceKind.choices, default=SourceKind.TEXT)
    source_type = models.ForeignKey(ContentType, verbose_name=_("来源类型"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    source_id = models.CharField(_("来源编号"), max_length=40, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("来源说明"), max_length=300, blank=True)
    place = models.CharField(_("任务地点"), max_length=200, blank=True)
    region = models.ForeignKey("orgs.Region", verbose_name=_("所在区划"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField(_("任务地点纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("任务地点经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    assignee = models.ForeignKey(USER, verbose_name=_("承办人员"), on_delete=models.PROTECT,
                                 related_name="dispatch_tasks")
    dispatched_by = models.ForeignKey(USER, verbose_name=_("派发人"), on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField(_("派发时间"))
    limit_unit = models.CharField(_("时限单位"), max_length=12, choices=LimitUnit.choices, default=LimitUnit.HOURS)
    limit_amount = models.PositiveSmallIntegerField(_("处置时限"))
    due_at = models.DateTimeField(_("处置期限"), null=True, blank=True, db_index=True)
    due_pending_year = models.PositiveSmallIntegerField(_("期限待定（待录入年度）"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=TaskState.choices, default=TaskState.DISPATCHED,
                             db_index=True)
    accepted_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("处置完毕时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    result = models.TextField(_("处置结果或退回理由"), blank=True)
    # The officer's last reported position (the map's marker once reported; else the task's place).
    reported_latitude = models.DecimalField(_("报告位置纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    reported_longitude = models.DecimalField(_("报告位置经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    reported_place = models.CharField(_("报告位置说明"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("位置报告时间"), null=True, blank=True)
    # Escalation: 0 = with the assignee; each overdue step raises it to the next head.
    escalation_level = models.PositiveSmallIntegerField(_("上报层级"), default=0)
    escalated_to = models.ForeignKey(USER, verbose_name=_("已上报至"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    next_escalation_at = models.DateTimeField(_("下次上报时间"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_unit_path = "unit"
    scope_rules = SCOPE_RULES

    class Meta:
        verbose_name = _("指挥调度任务")
        verbose_name_plural = _("指挥调度任务")
        ordering = ["-dispatched_at", "-id"]
        indexes = [models.Index(fields=["entity", "state"]), models.Index(fields=["assignee", "state"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def overdue_at(self, now) -> bool:
        return bool(self.is_open and self.due_at and now > self.due_at)

    def limit_text(self) -> str:
        return f"{self.limit_amount}{self.get_limit_unit_display()}"


class TaskReport(models.Model):
    """One step of a task's timeline: dispatched, accepted, on site, a location report, done, returned,
    escalated — with the reporter's position and time when the step has one."""

    Kind = ReportKind
    LocationSource = LocationSource

    task = models.ForeignKey(DispatchTask, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="reports")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=12, choices=ReportKind.choices)
    by = models.ForeignKey(USER, verbose_name=_("报告人"), null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(_("时间"))
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    location_source = models.CharField(_("位置来源"), max_length=8, choices=LocationSource.choices,
                                       default=LocationSource.NONE)
    place = models.CharField(_("位置说明"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    to_user = models.ForeignKey(USER, verbose_name=_("派发或上报至"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_unit_path = "task__unit"

    class Meta:
        verbose_name = _("任务报告")
        verbose_name_plural = _("任务报告")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.task.number} {self.get_kind_display()}"


class RegionOutline(models.Model):
    """A region's outline for the map layer: a GeoJSON-like geometry ({"type": "Polygon" or
    "MultiPolygon", "coordinates": [...]} in longitude, latitude). Reference data, visible to every
    signed-in user; the platform has no surveyed boundaries, so the demo draws simple ones."""

    region = models.OneToOneField("orgs.Region", verbose_name=_("行政区划"), on_delete=models.CASCADE,
                                  related_name="outline")
    geometry = models.JSONField(_("边界（GeoJSON几何）"))
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("如：演示数据（示意边界）"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedManager()
    scope_entity_path = None  # reference data

    class Meta:
        verbose_name = _("区划边界")
        verbose_name_plural = _("区划边界")
        ordering = ["region__code"]

    def __str__(self):
        return f"{self.region.name}边界"
