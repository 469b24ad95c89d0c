"""Permits (行政许可): the register of permit decisions, and the permits a penalty decision names
(审批–监管–处罚衔接).

The holder is the permit's 行政相对人, identified by its 统一社会信用代码 — the key the case parties
(`cases.Party.credit_code`), the inspection rosters and the 一户式 page share; a holder is found
beside its cases by that key. Rows are written only by zhifa.permits.actions (and its case
subscriber, subscribers.py).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ENTITY, RestrictedManager
from zhifa.permits.choices import PermitState, SanctionMeasure

USER = settings.AUTH_USER_MODEL

# The issuing organ's head and its unit heads decide permits (a permit belongs to no unit).
DECIDERS = {"change": {Role.UNIT_HEAD: ENTITY}}


class Permit(models.Model):
    """行政许可决定 as registered: who holds what, under which number, scope and validity."""

    State = PermitState

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("许可机关"), on_delete=models.PROTECT,
                               related_name="permits")
    holder_name = models.CharField(_("被许可人"), max_length=200)
    holder_credit_code = models.CharField(_("被许可人统一社会信用代码"), max_length=18, db_index=True)
    kind = models.CharField(_("许可类别"), max_length=100, help_text=_("如：食品经营许可证"))
    number = models.CharField(_("许可证编号"), max_length=60)
    scope = models.TextField(_("许可范围"), blank=True)
    decision_number = models.CharField(_("许可决定书文号"), max_length=60, blank=True)
    decided_on = models.DateField(_("许可决定日期"))
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"))
    state = models.CharField(_("状态"), max_length=10, choices=PermitState.choices, default=PermitState.VALID,
                             db_index=True)
    suspended_until = models.DateField(_("暂扣至"), null=True, blank=True)
    state_reason = models.CharField(_("状态变更理由"), max_length=300, blank=True)
    state_case = models.ForeignKey("cases.Case", verbose_name=_("暂扣或吊销的处罚案件"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    publication = models.OneToOneField("disclosure.Publication", verbose_name=_("公示信息"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="permit")
    granted_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = DECIDERS

    class Meta:
        verbose_name = _("行政许可")
        verbose_name_plural = _("行政许可")
        ordering = ["-decided_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["entity", "number"], name="permits_entity_number_unique",
                                               violation_error_message="本机关已登记相同编号的许可证")]

    def __str__(self):
        return f"{self.kind}（{self.number}）"

    def state_on(self, on) -> str:
        """The state on a day: a valid permit whose validity has ended reads as expired."""
        if self.state == PermitState.VALID and on and on > self.valid_until:
            return PermitState.EXPIRED
        return self.state


class PermitSanction(models.Model):
    """A penalty case naming the permit it suspends or revokes (named before or at the decision);
    applied when the decision is made."""

    Measure = SanctionMeasure

    case = models.ForeignKey("cases.Case", verbose_name=_("处罚案件"), on_delete=models.PROTECT,
                             related_name="permit_sanctions")
    permit = models.ForeignKey(Permit, verbose_name=_("许可证件"), on_delete=models.PROTECT, related_name="sanctions")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="+")
    named_by = models.ForeignKey(USER, verbose_name=_("指定人"), on_delete=models.PROTECT, related_name="+")
    named_on = models.DateField(_("指定日期"))
    measure = models.CharField(_("处罚种类"), max_length=10, choices=SanctionMeasure.choices, blank=True)
    applied_on = models.DateField(_("执行日期"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_unit_path = "case__unit"

    class Meta:
        verbose_name = _("处罚涉及的许可证件")
        verbose_name_plural = _("处罚涉及的许可证件")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["case", "permit"], name="permits_sanction_unique",
                                               violation_error_message="该案件已指定此许可证件")]

    def __str__(self):
        return f"{self.case} → {self.permit}"
