"""Django admin writes still leave a change-log row with before and after."""
from django.contrib import admin

from zhifa.common.actions import log_change, snapshot
from zhifa.common.models import ChangeLog


class LoggedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            before = snapshot(type(obj)._default_manager.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        log_change(obj, ChangeLog.Action.UPDATE if change else ChangeLog.Action.CREATE,
                   acting_user=request.user, before=before, after=snapshot(obj), reason="系统管理后台")

    def delete_model(self, request, obj):
        before, pk = snapshot(obj), obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        log_change(obj, ChangeLog.Action.DELETE, acting_user=request.user, before=before, reason="系统管理后台")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
