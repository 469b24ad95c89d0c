"""The legal working calendar (法定工作日历): one row per year whose State Council holiday
notice is on file, and one row per day that departs from the Monday–Friday rule.

A year is *known* iff a CalendarYear row exists. Within a known year, weekends are rest days
unless listed as a make-up working day (调休上班, kind=workday), and weekdays are working days
unless listed as a holiday (kind=holiday). Holidays falling on a weekend may be listed too
(for their names); they change nothing.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.scope import RestrictedManager


class CalendarYear(models.Model):
    class Source(models.TextChoices):
        PACKAGE = "chinesecalendar", _("chinesecalendar 数据包")
        ADMIN = "admin", _("管理员录入")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("数据来源"), max_length=20, choices=Source.choices)
    notice = models.CharField(_("放假安排通知文号"), max_length=200, blank=True,
                              help_text=_("如：国办发明电〔2025〕7号"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    source_text = models.TextField(_("通知原文"), blank=True,
                                   help_text=_("管理员粘贴的《国务院办公厅关于某年部分节假日安排的通知》原文"))
    confirmed = models.BooleanField(_("已核对"), default=False,
                                    help_text=_("已与国务院办公厅放假安排通知原文逐日核对"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedManager()
    scope_entity_path = None  # reference data: every staff user may view; only administrators change

    class Meta:
        ordering = ["-year"]
        verbose_name = _("法定工作日历年度")
        verbose_name_plural = _("法定工作日历")

    def __str__(self) -> str:
        return f"{self.year}年法定节假日安排"

    @property
    def entered_by_name(self) -> str:
        u = self.entered_by
        return (u.display_name or u.username) if u else "系统"


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("休")
        WORKDAY = "workday", _("班")

    calendar_year = models.ForeignKey(CalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE,
                                      related_name="days")
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("如：春节、国庆节调休"))

    objects = RestrictedManager()
    scope_entity_path = None

    class Meta:
        ordering = ["date"]
        verbose_name = _("法定日历日")
        verbose_name_plural = _("法定日历日")
        constraints = [models.CheckConstraint(condition=models.Q(kind__in=["holiday", "workday"]),
                                              name="legalcal_day_kind_valid")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} {self.get_kind_display()}"
