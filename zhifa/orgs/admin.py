from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from zhifa.common.admin_mixins import LoggedAdmin
from zhifa.orgs.models import Certificate, Entity, LegalAdviser, Officer, Region, Training, Unit, User


@admin.register(User)
class ZhifaUserAdmin(LoggedAdmin, UserAdmin):
    list_display = ("username", "display_name", "role", "entity", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    fieldsets = UserAdmin.fieldsets + (("执法平台", {"fields": ("display_name", "role", "entity", "unit")}),)
    raw_id_fields = ("entity", "unit")


@admin.register(Region)
class RegionAdmin(LoggedAdmin):
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")
    list_filter = ("level",)
    raw_id_fields = ("parent",)


for model, fields in [(Entity, ("name", "short_code", "kind", "region")), (Unit, ("name", "entity")),
                      (Officer, ("name", "entity", "status")), (Certificate, ("number", "officer", "status")),
                      (Training, ("officer", "year", "hours")), (LegalAdviser, ("name", "kind", "entity"))]:
    admin.site.register(model, LoggedAdmin, list_display=fields, search_fields=("name",) if "name" in fields else (),
                        raw_id_fields=[f.name for f in model._meta.fields if f.is_relation and f.name != "id"])
