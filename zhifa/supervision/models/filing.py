"""重大行政处罚备案审查: a penalty decision the review catalogue (or the statute) marks major is filed
with the supervising justice bureau within a period, and the bureau reviews it.

    FilingPeriods   a bureau's own periods (working days) for filing and for its review
    MajorFiling     one major decision: opened by the `decide` subscriber, filed by the agency,
                    reviewed by the bureau (checklist, opinion, an order when it finds a problem)

Rows are written only by zhifa.supervision.actions.filing.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ENTITY, REGION, SUBTREE, RestrictedManager
from zhifa.legalcal.pending import show
from zhifa.supervision.choices import FILING_DAYS, FILING_REVIEW_DAYS, FilingOpinion, FilingState

USER = settings.AUTH_USER_MODEL


class FilingPeriods(models.Model):
    """The periods a justice bureau sets for the decisions filed with it (absent: the defaults)."""

    bureau = models.OneToOneField("orgs.Entity", verbose_name=_("司法行政机关"), on_delete=models.PROTECT,
                                  related_name="filing_periods")
    filing_days = models.PositiveSmallIntegerField(_("报送备案期限（工作日）"), default=FILING_DAYS)
    review_days = models.PositiveSmallIntegerField(_("备案审查期限（工作日）"), default=FILING_REVIEW_DAYS)

    objects = RestrictedManager()
    scope_entity_path = "bureau"
    # Set by the bureau's own supervisors (the same region), or an administrator.
    scope_rules = {"change": {Role.SUPERVISOR: REGION, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        verbose_name = _("备案审查期限")
        verbose_name_plural = _("备案审查期限")

    def __str__(self):
        return f"{self.bureau} 备案审查期限"


class MajorFiling(models.Model):
    State = FilingState
    Opinion = FilingOpinion

    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="major_filing")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("作出决定的执法主体"), on_delete=models.PROTECT,
                               related_name="major_filings")
    bureau = models.ForeignKey("orgs.Entity", verbose_name=_("备案机关"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="filings_received")
    decided_on = models.DateField(_("决定日期"))
    reasons = models.JSONField(_("重大执法决定情形"), default=list)
    catalogue_version = models.PositiveIntegerField(_("目录清单版本"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("报送备案期限（工作日）"))
    due_on = models.DateField(_("报送备案期限"), null=True, blank=True)
    due_pending_year = models.PositiveSmallIntegerField(_("报送期限待定（待录入年度）"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    filed_on = models.DateField(_("报送日期"), null=True, blank=True)
    filed_by = models.ForeignKey(USER, verbose_name=_("报送人"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    filing_note = models.TextField(_("报送说明"), blank=True)
    review_days = models.PositiveSmallIntegerField(_("备案审查期限（工作日）"), null=True, blank=True)
    review_due_on = models.DateField(_("审查期限"), null=True, blank=True)
    review_pending_year = models.PositiveSmallIntegerField(_("审查期限待定（待录入年度）"), null=True, blank=True)
    reviewed_on = models.DateField(_("审查日期"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, verbose_name=_("审查人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    checklist = models.JSONField(_("审查要点"), default=dict, blank=True)
    opinion = models.CharField(_("审查意见"), max_length=10, choices=Opinion.choices, blank=True)
    opinion_text = models.TextField(_("审查意见说明"), blank=True)
    order = models.ForeignKey("supervision.SupervisionOrder", verbose_name=_("纠正通知"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="filings")

    objects = RestrictedManager()
    scope_entity_path = "entity"
    # The deciding agency files (its head or legal reviewer); supervisors of the subtree review
    # (only the bureau it is filed with: rule filing.bureau); nobody edits the row directly.
    scope_rules = {"file": {Role.AGENCY_HEAD: ENTITY, Role.LEGAL_REVIEWER: ENTITY},
                   "review": {Role.SUPERVISOR: SUBTREE},
                   "change": {Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["state", "due_on", "-id"]
        verbose_name = _("重大行政处罚备案")
        verbose_name_plural = _("重大行政处罚备案")

    def __str__(self):
        return f"重大行政处罚备案（{self.case.number or self.case.title}）"

    @property
    def due_display(self) -> str:
        return show(self.due_on, self.due_pending_year)

    @property
    def review_due_display(self) -> str:
        return show(self.review_due_on, self.review_pending_year) if self.review_days else "—"

    @property
    def filed_late(self) -> bool:
        return bool(self.filed_on and self.due_on and self.filed_on > self.due_on)

    @property
    def reviewed_late(self) -> bool:
        return bool(self.reviewed_on and self.review_due_on and self.reviewed_on > self.review_due_on)
