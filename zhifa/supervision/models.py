"""Supervision (行政执法协调监督): alerts (预警) and supervision orders (督办 / 整改通知).

Rows are written only by zhifa.supervision.actions and zhifa.supervision.alerts.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ENTITY, SUBTREE, RestrictedManager

USER = settings.AUTH_USER_MODEL


class Alert(models.Model):
    class Kind(models.TextChoices):
        DEADLINE_LAPSED = "deadline_lapsed", _("法定期限已超期")
        DEADLINE_DUE = "deadline_due", _("法定期限即将届满")
        CERTIFICATE = "certificate", _("执法证过期或即将过期仍在办案")
        TRAINING = "training", _("培训学时不足")
        REVIEWERS = "reviewers", _("法制审核人员低于5%")
        DISCRETION = "discretion", _("处罚偏离裁量基准")
        REPEATED_INSPECTION = "repeated_inspection", _("多部门重复检查")
        IDLE = "idle", _("案件长期未办理")
        ORDER_OVERDUE = "order_overdue", _("督办/整改逾期未答复")
        ANNUAL_REPORT = "annual_report", _("年度统计年报逾期未公开")
        COMPLAINT_OVERDUE = "complaint_overdue", _("投诉举报逾期未办结")
        SOCIAL_LEAD = "social_lead", _("社会监督员反映问题")
        PUBLICATION_OVERDUE = "publication_overdue", _("执法决定逾期未公示")
        WITHDRAWAL_OVERDUE = "withdrawal_overdue", _("公示信息逾期未撤下")

    class State(models.TextChoices):
        OPEN = "open", _("待处理")
        ACKNOWLEDGED = "acknowledged", _("已确认")
        ASSIGNED = "assigned", _("已分派")
        CLOSED = "closed", _("已关闭")

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

    def age_days(self, today):
        return (today - self.first_seen).days


class SupervisionOrder(models.Model):
    class Kind(models.TextChoices):
        DUBAN = "duban", _("督办通知")
        RECTIFY = "rectify", _("整改通知")
        SUGGESTION = "suggestion", _("执法监督建议书")
        DECISION = "decision", _("执法监督决定书")

    class State(models.TextChoices):
        OPEN = "open", _("待答复")
        REPLIED = "replied", _("已答复")

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
        from zhifa.legalcal.pending import show

        return show(self.due_on, self.due_pending_year)


from zhifa.supervision.models_casefile import (  # noqa: E402,F401
    AppraisalResult,
    AppraisalScheme,
    AppraisalSnapshot,
    CaseReview,
    ReviewRound,
    Rubric,
    ScoreLine,
)
from zhifa.supervision.models_figures import FigureRollup, FigureRollupState  # noqa: E402,F401
from zhifa.supervision.models_orderdocs import OrderDocument, OrderTemplate  # noqa: E402,F401
from zhifa.supervision.models_social import SocialSupervisor, SupervisionLead  # noqa: E402,F401
