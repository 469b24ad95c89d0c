"""Norms at the point of use: 办案规范 and 执法用语指引 for a step of a case, entered by an agency
for itself or by a justice bureau for its region (and below)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.discretion.choices import NormKind


class Norm(models.Model):
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", help_text=_("仅适用于本机关时填写"))
    region = models.ForeignKey("orgs.Region", verbose_name=_("行政区划"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", help_text=_("适用于本区域及下级区域"))
    kind = models.CharField(_("类别"), max_length=12, choices=NormKind.choices)
    step = models.CharField(_("案件环节"), max_length=30, blank=True, db_index=True)
    field = models.CharField(_("执法领域"), max_length=50, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"))
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["step", "kind", "id"]
        verbose_name = _("执法规范")
        verbose_name_plural = _("执法规范")

    def __str__(self):
        return self.title
