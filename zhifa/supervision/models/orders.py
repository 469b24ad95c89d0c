"""Alerts (预警) and supervision orders (督办 / 整改通知, 执法监督建议书, 执法监督决定书).

Rows are written only by zhifa.supervision.actions.orders and zhifa.supervision.alerts.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case as DbCase
from django.db.models import IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ENTITY, SUBTREE, RestrictedManager
from zhifa.legalcal.pending import show
from zhifa.supervision.choices import (
    ALERT_SEVERITY,
    SEVERITY_RANK,
    AlertKind,
    AlertSeverity,
    AlertState,
    OrderKind,
    OrderState,
)

USER = settings.AUTH_USER_MODEL


class Alert(models.Model):
    Kind = AlertKind
    Severity = AlertSeverity
    State = AlertState

    kind = models.CharField(_("预警类别"), max_length=24, choices=Kind.choices, db_index=True)
    key = models.CharField(_("预警标识"), max_length=120, db_index=True)
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="alerts")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="alerts")
    officer = models.ForeignKey("orgs.Officer", verbose_name=_("执法人员"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="alerts")
    certificate = models.ForeignKey("orgs.Certificate", verbose_name=_("执法证"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="alerts")
    text = models.CharField(_("预警内容"), max_length=300)
    first_seen = models.DateField(_("首次发现"))
    last_seen = models.DateField(_("最近发现"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    note = models.TextField(_("处理意见"), blank=True)
    assignee = models.ForeignKey(USER, verbose_name=_("分派给"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    auto_closed = models.BooleanField(_("情形消除自动关闭"), default=False)
    holding = models.BooleanField(_("情形仍存在"), default=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["state", "-last_seen", "-id"]
        constraints = [models.UniqueConstraint(fields=["key"], condition=~models.Q(state="closed"),
                                               name="alert_one_live_per_key")]
        verbose_name = _("预警")
        verbose_name_plural = _("预警")

    def __str__(self):
        return f"{self.get_kind_display()}：{self.text}"

    @property
    def severity(self) -> str:
        return ALERT_SEVERITY.get(self.kind, AlertSeverity.MEDIUM)

    def get_severity_display(self) -> str:
        return str(AlertSeverity(self.severity).label)

    @staticmethod
    def severity_rank():
        """An annotation expression: 0 高, 1 中, 2 低 (order_by it to put the gravest first)."""
        return DbCase(*[When(kind=k, then=Value(SEVERITY_RANK[s])) for k, s in ALERT_SEVERITY.items()],
                     default=Value(1), output_field=IntegerField())

    def age_days(self, today):
        return (today - self.first_seen).days


class SupervisionOrder(models.Model):
    Kind = OrderKind
    State = OrderState

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("被监督主体"), on_delete=models.PROTECT,
                               related_name="supervision_orders")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="supervision_orders")
    alert = models.ForeignKey(Alert, verbose_name=_("来源预警"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    text = models.TextField(_("督办/整改要求"))
    issued_on = models.DateField(_("发出日期"))
    days = models.PositiveSmallIntegerField(_("办理期限（工作日）"))
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    # The year whose holiday arrangement the due date waits for (待定期限); None once computed.
    due_pending_year = models.PositiveSmallIntegerField(_("期限待定（待录入年度）"), null=True, blank=True)
    issued_by = models.ForeignKey(USER, verbose_name=_("发出人"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    replied_by = models.ForeignKey(USER, verbose_name=_("答复人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    # Custom actions: supervisors issue over their subtree; the agency head replies for the entity.
    scope_rules = {"issue": {Role.SUPERVISOR: SUBTREE}, "reply": {Role.AGENCY_HEAD: ENTITY},
                   "change": {Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["state", "due_on", "-id"]
        verbose_name = _("督办/整改通知")
        verbose_name_plural = _("督办/整改通知")

    def __str__(self):
        return f"{self.get_kind_display()}（{self.entity}）"

    @property
    def due_display(self) -> str:
        return show(self.due_on, self.due_pending_year)

