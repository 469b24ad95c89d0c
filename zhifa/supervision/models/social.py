"""社会监督员 (social supervisors) appointed by a justice bureau, and the supervision leads (线索)
their feedback becomes. Written only by zhifa.supervision.actions.social.

A social supervisor has no account: each gets a personal, login-free feedback link carrying a
signed token (see actions.social.token_for). `contact` is private: shown to supervisors only.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import EncryptedCharField
from zhifa.common.roles import Role
from zhifa.common.scope import REGION, SUBTREE, RestrictedManager
from zhifa.supervision.choices import LeadState, SupervisorKind, SupervisorState

USER = settings.AUTH_USER_MODEL
# Only the justice bureau's supervisors (and administrators) see the registry and the leads.
_NOBODY_ELSE = {Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None, Role.LEGAL_REVIEWER: None, Role.OFFICER: None}


class SocialSupervisor(models.Model):
    Kind = SupervisorKind
    State = SupervisorState

    bureau = models.ForeignKey("orgs.Entity", verbose_name=_("聘任机关"), on_delete=models.PROTECT,
                               related_name="social_supervisors")
    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("身份类别"), max_length=12, choices=Kind.choices)
    workplace = models.CharField(_("工作单位"), max_length=120, blank=True)
    contact = EncryptedCharField(_("联系方式（不公开）"), max_length=100, blank=True)
    region = models.ForeignKey("orgs.Region", verbose_name=_("监督区域"), on_delete=models.PROTECT,
                               related_name="+")
    entities = models.ManyToManyField("orgs.Entity", verbose_name=_("重点监督主体"), blank=True,
                                      related_name="+")
    appointed_on = models.DateField(_("聘任日期"))
    term_ends_on = models.DateField(_("任期届满"))
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.ACTIVE, db_index=True)
    ended_on = models.DateField(_("解聘日期"), null=True, blank=True)
    end_reason = models.CharField(_("解聘原因"), max_length=200, blank=True)
    token_version = models.PositiveIntegerField(_("链接版本"), default=1)
    appointed_by = models.ForeignKey(USER, verbose_name=_("聘任经办人"), on_delete=models.PROTECT, related_name="+")

    objects = RestrictedManager()
    scope_entity_path = "bureau"
    # The appointing bureau's own supervisors manage its registry; supervisors above see it.
    scope_rules = {"view": {Role.SUPERVISOR: SUBTREE, **_NOBODY_ELSE},
                   "appoint": {Role.SUPERVISOR: REGION}, "change": {Role.SUPERVISOR: REGION, **_NOBODY_ELSE}}

    class Meta:
        verbose_name = _("社会监督员")
        verbose_name_plural = _("社会监督员")
        ordering = ["state", "-appointed_on", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    def is_serving(self, on) -> bool:
        return self.state == self.State.ACTIVE and self.appointed_on <= on <= self.term_ends_on


class SupervisionLead(models.Model):
    """线索: a social supervisor's feedback, converted by a supervisor into a complaint case, an
    alert or a 督办 order, or closed with a note."""

    State = LeadState

    supervisor = models.ForeignKey(SocialSupervisor, verbose_name=_("社会监督员"), on_delete=models.PROTECT,
                                   related_name="leads")
    bureau = models.ForeignKey("orgs.Entity", verbose_name=_("受理机关"), on_delete=models.PROTECT,
                               related_name="+")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("涉及执法主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("反映内容"))
    case_ref = models.CharField(_("涉及案件或事项"), max_length=100, blank=True)
    received_on = models.DateField(_("收到日期"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.NEW, db_index=True)
    complaint = models.ForeignKey("disclosure.Complaint", verbose_name=_("转办投诉"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    alert = models.ForeignKey("supervision.Alert", verbose_name=_("转为预警"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("supervision.SupervisionOrder", verbose_name=_("督办通知"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("处理说明"), blank=True)
    handled_by = models.ForeignKey(USER, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    handled_on = models.DateField(_("处理日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = RestrictedManager()
    scope_entity_path = "bureau"
    scope_rules = {"view": {Role.SUPERVISOR: SUBTREE, **_NOBODY_ELSE},
                   "change": {Role.SUPERVISOR: SUBTREE, **_NOBODY_ELSE}}

    class Meta:
        verbose_name = _("监督线索")
        verbose_name_plural = _("监督线索")
        ordering = ["state", "-received_on", "-id"]

    def __str__(self):
        return f"线索{self.pk}（{self.supervisor.name}）"
