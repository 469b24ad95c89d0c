"""Sign-in and the Django admin's permissions by role (三员分立, issue 16 item 4).

- No superuser outside demo mode: such an account cannot sign in (login page, admin, token endpoint:
  all go through `authenticate`), a session that has one is ended (AccountGuardMiddleware), a token it
  owns is refused (zhifa.accounts.api), the scope layer gives it nothing, and `zhifa check` reports it
  (zhifa.accounts.checks). `zhifa create-admins` makes the three administrators instead.
- The Django admin's permissions come from the role, not from per-user grants:
    系统管理员  every model but the audit logs and the security records (configuration and accounts);
    安全管理员  the security records (lockouts, API tokens, second-factor devices, password state) and
               reading the accounts;
    安全审计员  reading the audit logs (change log, access log, ledger, login attempts) and nothing else.
  A grant made through groups or user permissions never opens an audit log to the system or security
  administrator (PermissionDenied stops the other backends).
"""
from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from zhifa.common.roles import AUDIT_EXCLUDED, Role

# (app_label, model) pairs; a model with `audit_log = True` is an audit log too.
AUDIT_MODELS = frozenset({("common", "changelog"), ("records", "accesslog"), ("ledger", "ledgerentry"),
                          ("ledger", "ledgernode"), ("ledger", "treehead"), ("ledger", "ledgerhead"),
                          ("witness", "cosignature"), ("axes", "accesslog"), ("axes", "accessfailurelog")})
SECURITY_APPS = frozenset({"otp_totp", "otp_static", "accounts"})
SECURITY_MODELS = frozenset({("axes", "accessattempt")})


def is_audit_model(app_label: str, model: str) -> bool:
    if (app_label, model) in AUDIT_MODELS:
        return True
    try:
        return bool(getattr(apps.get_model(app_label, model), "audit_log", False))
    except LookupError:
        return False


def is_security_model(app_label: str, model: str) -> bool:
    return app_label in SECURITY_APPS or (app_label, model) in SECURITY_MODELS


def _split(perm: str) -> tuple[str, str, str]:
    """'app.view_model' → ('app', 'view', 'model')."""
    app_label, _, codename = perm.partition(".")
    action, _, model = codename.partition("_")
    return app_label, action, model


def role_permits(role: str, perm: str) -> bool:
    app_label, action, model = _split(perm)
    audit, security = is_audit_model(app_label, model), is_security_model(app_label, model)
    if role == Role.AUDIT_ADMIN:
        return audit and action == "view"
    if role == Role.SECURITY_ADMIN:
        return (security and action in ("view", "change", "delete")) or (perm == "orgs.view_user")
    if role == Role.ADMIN:
        return not audit and not security
    return False


class RoleBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not (user.is_superuser and not settings.DEMO)

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        app_label, _, model = _split(perm)
        if user_obj.role in AUDIT_EXCLUDED and is_audit_model(app_label, model):
            raise PermissionDenied  # no grant opens the audit logs to these two
        if role_permits(user_obj.role, perm):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active:
            return False
        role = user_obj.role
        if role in (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
            models = [m._meta.model_name for m in apps.get_app_config(app_label).get_models()] \
                if app_label in {c.label for c in apps.get_app_configs()} else []
            if any(role_permits(role, f"{app_label}.view_{m}") or role_permits(role, f"{app_label}.change_{m}")
                   for m in models):
                return True
        return super().has_module_perms(user_obj, app_label)
