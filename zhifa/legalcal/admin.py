"""Read-only in the Django admin: years are entered on the staff page through the action
(validation, change log, cache invalidation)."""
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from zhifa.legalcal.models import CalendarDay, CalendarYear

if TYPE_CHECKING:  # the admin classes are not subscriptable at runtime (no django_stubs_ext.monkeypatch)
    _ModelAdmin = admin.ModelAdmin[Any]
    _DayInline = admin.TabularInline[CalendarDay, CalendarYear]
else:
    _ModelAdmin, _DayInline = admin.ModelAdmin, admin.TabularInline


class ReadOnlyAdmin(_ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class CalendarDayInline(_DayInline):
    model = CalendarDay
    fields = ("date", "kind", "name")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: CalendarYear | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CalendarYear | None = None) -> bool:
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "source", "notice", "confirmed", "entered_by", "updated_at")
    list_filter = ("source", "confirmed")
    inlines = [CalendarDayInline]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "name", "calendar_year")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"
