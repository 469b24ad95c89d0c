"""Transfers (移送): cases between agencies with jurisdiction coordination (案件移送、管辖争议),
suspected crimes to public security (两法衔接, 《行政执法机关移送涉嫌犯罪案件的规定》) and officer
misconduct to discipline inspection (纪检监察).

Rows are written only by zhifa.transfers.actions (and its case-transition subscriber, subscribers.py).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ENTITY, SUBTREE, RestrictedManager, RestrictedQuerySet, scope_q

USER = settings.AUTH_USER_MODEL


class TwoSidedQuerySet(RestrictedQuerySet):
    """A transfer belongs to both ends: rows visible through the sender OR the receiver."""

    def restrict(self, user, action: str = "view"):
        # The receiver's side for the scope layer: same rules, other entity path.
        receiver = type("ReceiverSide", (), {"scope_entity_path": "to_entity", "scope_unit_path": None,
                                             "scope_rules": getattr(self.model, "scope_rules", {})})
        q1, q2 = scope_q(self.model, user, action), scope_q(receiver, user, action)
        qs = [q for q in (q1, q2) if q is not None]
        if not qs:
            return self.none()
        q = qs[0]
        for more in qs[1:]:
            q |= more
        return self.filter(q)


class CaseTransfer(models.Model):
    """案件移送 to another agency; a refusal or a dispute goes to the justice bureau of the
    lowest region containing both (管辖争议协调)."""

    class State(models.TextChoices):
        PENDING = "pending", _("待接收")
        ACCEPTED = "accepted", _("已接收")
        REFUSED = "refused", _("已拒收，待协调")
        DISPUTED = "disputed", _("管辖争议，待协调")
        RETURNED = "returned", _("协调后由移送机关管辖")
        EXTERNAL = "external", _("已移送系统外机关")

    case = models.ForeignKey("cases.Case", verbose_name=_("移送案件"), on_delete=models.PROTECT,
                             related_name="agency_transfers")
    from_entity = models.ForeignKey("orgs.Entity", verbose_name=_("移送机关"), on_delete=models.PROTECT,
                                    related_name="transfers_out")
    to_entity = models.ForeignKey("orgs.Entity", verbose_name=_("接收机关"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="transfers_in")
    to_name = models.CharField(_("接收机关名称"), max_length=120)
    reason = models.TextField(_("移送理由"))
    sent_on = models.DateField(_("移送日期"))
    sent_by = models.ForeignKey(USER, verbose_name=_("移送人"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    received_on = models.DateField(_("接收日期"), null=True, blank=True)
    received_by = models.ForeignKey(USER, verbose_name=_("接收人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    receipt_note = models.TextField(_("接收回执"), blank=True)
    new_case = models.ForeignKey("cases.Case", verbose_name=_("接收机关登记的案件"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    refused_on = models.DateField(_("拒收日期"), null=True, blank=True)
    refusal_reason = models.TextField(_("拒收理由"), blank=True)
    dispute_reason = models.TextField(_("管辖争议理由"), blank=True)
    dispute_raised_by = models.ForeignKey(USER, verbose_name=_("提出争议人"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    coordination_region = models.ForeignKey("orgs.Region", verbose_name=_("协调区域"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    decided_entity = models.ForeignKey("orgs.Entity", verbose_name=_("协调确定的管辖机关"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField(_("协调意见"), blank=True)
    decided_by = models.ForeignKey(USER, verbose_name=_("协调人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("协调日期"), null=True, blank=True)

    objects = RestrictedManager.from_queryset(TwoSidedQuerySet)()
    scope_entity_path = "from_entity"
    # Heads act for their entity (accept, refuse, dispute); supervisors coordinate over their subtree.
    scope_rules = {"change": {Role.AGENCY_HEAD: ENTITY, Role.UNIT_HEAD: None},
                   "coordinate": {Role.SUPERVISOR: SUBTREE}}

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("案件移送")
        verbose_name_plural = _("案件移送")

    def __str__(self):
        return f"{self.case}→{self.to_name}"

    @property
    def needs_coordination(self):
        return self.state in (self.State.REFUSED, self.State.DISPUTED)


class CrimeTransfer(models.Model):
    """两法衔接: a suspected crime reported by the case team, decided by the head within 3 working
    days (Art. 5), handed to public security within 24 hours of approval, receipt and outcome
    recorded (Arts. 7–9), copies to the procuratorate noted."""

    class State(models.TextChoices):
        REPORTED = "reported", _("待负责人审批")
        NOT_APPROVED = "not_approved", _("不批准移送")
        APPROVED = "approved", _("已批准，待移送")
        HANDED_OVER = "handed_over", _("已移送，待公安机关回执")
        RECEIVED = "received", _("公安机关已接收，待立案决定")
        FILED = "filed", _("公安机关已立案")
        NOT_FILED = "not_filed", _("公安机关不予立案")
        RECONSIDERING = "reconsidering", _("已提请复议")

    OPEN_STATES = ("reported", "approved", "handed_over", "received", "reconsidering")

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="crime_transfers")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("移送机关"), on_delete=models.PROTECT,
                               related_name="crime_transfers")
    police_name = models.CharField(_("接收的公安机关"), max_length=120)
    state = models.CharField(_("状态"), max_length=14, choices=State.choices, default=State.REPORTED, db_index=True)
    team = models.ManyToManyField("orgs.Officer", verbose_name=_("专案组成员"), blank=True, related_name="+")
    report_text = models.TextField(_("移送涉嫌犯罪案件的书面报告"))
    reported_on = models.DateField(_("报告日期"))
    reported_by = models.ForeignKey(USER, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+")
    decide_due_on = models.DateField(_("审批期限"), null=True, blank=True)
    decide_due_note = models.CharField(_("审批期限无法计算的原因"), max_length=200, blank=True)
    # The year whose holiday arrangement the due date waits for (待定期限); None once computed.
    decide_due_pending_year = models.PositiveSmallIntegerField(_("审批期限待定（待录入年度）"), null=True, blank=True)
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField(_("审批意见（不批准的理由）"), blank=True)
    decided_late = models.BooleanField(_("逾期审批"), default=False)
    handover_due_at = models.DateTimeField(_("移送期限"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("移送时间"), null=True, blank=True)
    handed_over_by = models.ForeignKey(USER, verbose_name=_("移送人"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    handed_over_late = models.BooleanField(_("逾期移送"), default=False)
    materials = models.JSONField(_("移送材料"), default=list, blank=True)
    procuratorate_copy = models.CharField(_("抄送人民检察院"), max_length=120, blank=True)
    police_received_on = models.DateField(_("公安机关接收日期"), null=True, blank=True)
    receipt_number = models.CharField(_("回执编号"), max_length=60, blank=True)
    outcome_on = models.DateField(_("收到立案/不予立案通知日期"), null=True, blank=True)
    outcome_reason = models.TextField(_("不予立案理由"), blank=True)
    reconsideration_on = models.DateField(_("提请复议日期"), null=True, blank=True)
    reconsideration_reason = models.TextField(_("提请复议理由"), blank=True)
    reconsidered = models.BooleanField(_("已经复议"), default=False)
    procuratorate_suggested_on = models.DateField(_("建议检察院立案监督日期"), null=True, blank=True)
    procuratorate_note = models.TextField(_("立案监督建议"), blank=True)

    objects = RestrictedManager()
    scope_entity_path = "case__entity"
    scope_unit_path = "case__unit"
    # The head decides and hands over (Art. 5); any staff of the entity records receipts and outcomes.
    scope_rules = {"change": {Role.AGENCY_HEAD: ENTITY, Role.UNIT_HEAD: ENTITY, Role.OFFICER: ENTITY},
                   "decide": {Role.AGENCY_HEAD: ENTITY}}

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("涉嫌犯罪案件移送")
        verbose_name_plural = _("涉嫌犯罪案件移送")

    def __str__(self):
        return f"{self.case}→{self.police_name}"


class DisciplineReferral(models.Model):
    """An officer's misconduct referred by a supervisor to discipline inspection (纪检监察)."""

    class State(models.TextChoices):
        REFERRED = "referred", _("已移送，待反馈")
        CONCLUDED = "concluded", _("已反馈处理结果")

    officer = models.ForeignKey("orgs.Officer", verbose_name=_("涉及执法人员"), on_delete=models.PROTECT,
                                related_name="discipline_referrals")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("所在执法主体"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("相关案件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    organ = models.CharField(_("接收的纪检监察机关"), max_length=120)
    facts = models.TextField(_("问题事实"))
    referred_on = models.DateField(_("移送日期"))
    referred_by = models.ForeignKey(USER, verbose_name=_("移送人"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.REFERRED, db_index=True)
    outcome = models.TextField(_("处理结果"), blank=True)
    outcome_on = models.DateField(_("反馈日期"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    # Supervisors only: a referral about an officer is not shown to the officer's own agency.
    scope_rules = {"view": {Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None, Role.LEGAL_REVIEWER: None,
                            Role.OFFICER: None},
                   "change": {Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["state", "-referred_on", "-id"]
        verbose_name = _("违纪线索移送")
        verbose_name_plural = _("违纪线索移送")

    def __str__(self):
        return f"{self.officer.name}（{self.organ}）"
