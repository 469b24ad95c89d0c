from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from zhifa.accounts.actions import set_must_change_password
from zhifa.common.admin_mixins import LoggedAdmin
from zhifa.common.roles import ADMIN_ROLES
from zhifa.orgs.models import Certificate, Entity, LegalAdviser, Officer, Region, Training, Unit, User


@admin.register(User)
class ZhifaUserAdmin(LoggedAdmin, UserAdmin):
    list_display = ("username", "display_name", "role", "entity", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    # No superuser flag, groups or per-user permissions: what an account may do follows from its role
    # (三员分立: zhifa.accounts.backends); the three administrators are made by `zhifa create-admins`.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("first_name", "last_name", "email")}),
        ("状态", {"fields": ("is_active",)}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
        ("执法平台", {"fields": ("display_name", "role", "entity", "unit")}),
    )
    readonly_fields = ("last_login", "date_joined")
    raw_id_fields = ("entity", "unit")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        before = obj.role if obj is not None else None

        class RoleGuardedForm(form):  # type: ignore[misc, valid-type]
            def clean_role(self):
                role = self.cleaned_data.get("role")
                if (role in ADMIN_ROLES or before in ADMIN_ROLES) and role != before:
                    raise forms.ValidationError("三员账号（系统管理员、安全管理员、安全审计员）只能由 "
                                                "zhifa create-admins 创建，角色不能在此改为或改离三员")
                return role

        return RoleGuardedForm

    # An account (or a password) set by an administrator is changed by its owner at first login.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            set_must_change_password(obj)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            if user is not None and user.pk != request.user.pk:
                set_must_change_password(user)
        return response


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
