"""法规库: statute texts, one row per version with its effective dates, article by article.
Shipped texts (zhifa/discretion/laws/*.md, loaded by `zhifa discretion load-laws`) and texts entered by
administrators are the same rows; public law, so not scoped."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LawText(models.Model):
    name = models.CharField(_("法律法规名称"), max_length=200, db_index=True,
                            help_text=_("全称，如“中华人民共和国行政处罚法”"))
    aliases = models.CharField(_("简称"), max_length=300, blank=True, help_text=_("以顿号分隔，如“行政处罚法”"))
    edition = models.CharField(_("版本"), max_length=100, help_text=_("如“2021年修订”"))
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("被修订或废止后不再施行之日"))
    source = models.CharField(_("来源"), max_length=200, blank=True)
    sha256 = models.CharField(_("文本摘要"), max_length=64, blank=True)

    class Meta:
        ordering = ["name", "-effective_from"]
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        constraints = [models.UniqueConstraint(fields=["name", "effective_from"], name="discretion_law_edition")]

    def __str__(self):
        return f"《{self.name}》（{self.edition}）"

    def in_force(self, on) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


class LawArticle(models.Model):
    law = models.ForeignKey(LawText, verbose_name=_("法律法规"), on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveIntegerField(_("条序号"))
    label = models.CharField(_("条"), max_length=20, help_text=_("如“第三十二条”"))
    chapter = models.CharField(_("章"), max_length=100, blank=True)
    text = models.TextField(_("条文"))

    class Meta:
        ordering = ["law_id", "number"]
        verbose_name = _("法条")
        verbose_name_plural = _("法条")
        constraints = [models.UniqueConstraint(fields=["law", "number"], name="discretion_article_unique")]

    def __str__(self):
        return f"《{self.law.name}》{self.label}"
