"""案例指导: guiding cases selected, redacted, annotated and published by supervisors.

Rows are written only by zhifa.guidance.actions. A published guiding case is public (portal
/gs/guidance/) and shown to officers next to cases of the same field or power item.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import EncryptedJSONField, EncryptedTextField
from zhifa.common.roles import Role
from zhifa.common.scope import SUBTREE, RestrictedManager

USER = settings.AUTH_USER_MODEL


class GuidingCase(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("编辑中")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    case = models.ForeignKey("cases.Case", verbose_name=_("来源案件"), on_delete=models.PROTECT,
                             related_name="guiding_cases")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("办案机关"), on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("执法领域"), max_length=50, blank=True, db_index=True)
    power_items = models.ManyToManyField("powers.PowerItem", verbose_name=_("权责清单事项"), blank=True,
                                         related_name="+")
    number = models.PositiveIntegerField(_("指导案例编号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    source_text = EncryptedTextField(_("原文（不公开）"))  # SM4 at rest: it holds ID numbers
    spans = EncryptedJSONField(_("建议隐去的内容"), default=list, blank=True)
    body = models.TextField(_("公开文本（已隐去个人信息）"))
    key_points = models.TextField(_("裁判要点"), blank=True)
    significance = models.TextField(_("指导意义"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    created_by = models.ForeignKey(USER, verbose_name=_("选编人"), on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField(_("选编日期"))
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    published_by = models.ForeignKey(USER, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    # Drafts are the supervisors' work; agencies read what is published (see public()).
    scope_rules = {"view": {Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None, Role.LEGAL_REVIEWER: None,
                            Role.OFFICER: None},
                   "change": {Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("指导案例")
        verbose_name_plural = _("指导案例")

    def __str__(self):
        return f"指导案例第{self.number}号：{self.title}" if self.number else self.title


def published():
    """Published guiding cases: public by definition (the portal shows them to everyone)."""
    return GuidingCase.objects.filter(state=GuidingCase.State.PUBLISHED)
