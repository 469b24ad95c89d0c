"""名录库: the objects an entity may inspect, and immutable snapshots of both rosters."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ENTITY, RestrictedManager
from zhifa.inspections.choices import KeyKind, ObjectKind, Risk, SnapshotKind

# Unit heads plan the random inspections of their entity (not only of their unit).
PLANNERS = {"change": {Role.UNIT_HEAD: ENTITY}}


class RosterObject(models.Model):
    """检查对象: one row of an entity's 检查对象名录库, keyed by credit code or ID."""

    Kind = ObjectKind
    KeyKind = KeyKind
    Risk = Risk

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("名录库所属主体"), on_delete=models.PROTECT,
                               related_name="roster_objects")
    key = models.CharField(_("统一社会信用代码/身份证号/编号"), max_length=40)
    key_kind = models.CharField(_("编号类别"), max_length=12, choices=KeyKind.choices, default=KeyKind.CREDIT_CODE)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("对象类别"), max_length=10, choices=ObjectKind.choices, default=ObjectKind.MARKET)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=50, blank=True)
    address = models.CharField(_("住所/经营场所"), max_length=200, blank=True)
    industry = models.CharField(_("行业"), max_length=60, blank=True)
    area = models.CharField(_("所在区域"), max_length=60, blank=True)
    size = models.CharField(_("规模"), max_length=20, blank=True)
    risk = models.CharField(_("信用风险等级"), max_length=1, choices=Risk.choices, default=Risk.B, db_index=True)
    abnormal = models.BooleanField(_("列入经营异常名录"), default=False)
    last_inspected_on = models.DateField(_("最近一次被检查日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在库"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = PLANNERS

    class Meta:
        ordering = ["entity_id", "key"]
        constraints = [models.UniqueConstraint(fields=["entity", "key"], name="inspections_roster_key_unique",
                                               violation_error_message="该名录库中已有相同编号的检查对象")]
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象名录库")

    def __str__(self):
        return f"{self.name}（{self.key}）"

    def leaf(self) -> dict:
        """The row as it enters a snapshot (algorithm.OBJECT_FIELDS)."""
        return {"key": self.key, "name": self.name, "kind": self.kind, "industry": self.industry, "area": self.area,
                "size": self.size, "risk": self.risk, "abnormal": self.abnormal,
                "last_inspected": self.last_inspected_on.isoformat() if self.last_inspected_on else None}


class RosterSnapshot(models.Model):
    """An immutable picture of a roster at one moment: its rows in algorithm order and their
    Merkle root. Every draw uses two (objects, inspectors); nothing ever changes one."""

    Kind = SnapshotKind

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("所属主体"), on_delete=models.PROTECT,
                               related_name="roster_snapshots")
    kind = models.CharField(_("名录库"), max_length=10, choices=SnapshotKind.choices)
    field = models.CharField(_("执法领域"), max_length=60, blank=True)
    taken_at = models.DateTimeField(_("生成时间"))
    taken_on = models.DateField(_("生成日期"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT,
                                 related_name="+")
    count = models.PositiveIntegerField(_("条数"))
    root = models.CharField(_("默克尔根"), max_length=64)
    rows = models.JSONField(_("快照内容"), default=list)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = PLANNERS
    changelog_exclude = ("rows",)  # the root stands for them (verify.py recomputes it)

    class Meta:
        ordering = ["-taken_at", "-id"]
        verbose_name = _("名录库快照")
        verbose_name_plural = _("名录库快照")

    def __str__(self):
        return f"{self.get_kind_display()}快照 {self.taken_at:%Y-%m-%d %H:%M}（{self.count}条）"
