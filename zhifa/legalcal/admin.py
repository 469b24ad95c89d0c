"""Read-only in the Django admin: years are entered on the staff page through the action
(validation, change log, cache invalidation)."""
from django.contrib import admin

from zhifa.legalcal.models import CalendarDay, CalendarYear


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ("date", "kind", "name")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
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
