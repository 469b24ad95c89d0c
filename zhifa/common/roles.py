from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    UNIT_HEAD = "unit_head", _("承办机构负责人")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    AGENCY_HEAD = "agency_head", _("行政机关负责人")
    SUPERVISOR = "supervisor", _("执法监督人员")
    # 三员分立 (GB/T 22239-2019 8.1.4.2 f / 8.1.10.x): three administrators, none all-powerful.
    ADMIN = "admin", _("系统管理员")  # configuration and accounts; never the audit logs
    SECURITY_ADMIN = "security_admin", _("安全管理员")  # lockouts, tokens, second-factor resets, security settings
    AUDIT_ADMIN = "audit_admin", _("安全审计员")  # only reads the audit logs


# The three administrator roles: accounts that act for no entity and enter the Django admin.
ADMIN_ROLES = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles kept away from the audit logs (ledger entries, change log, access log, login audit): the
# administrators whose own acts those logs record.
AUDIT_EXCLUDED = frozenset({Role.ADMIN, Role.SECURITY_ADMIN})


def _demo() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "DEMO", False))


def is_superuser_allowed(user) -> bool:
    """A superuser counts as one only in demo mode; in production there is none (refused at sign-in)."""
    return bool(user is not None and getattr(user, "is_superuser", False) and _demo())


def is_security_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.role == Role.SECURITY_ADMIN or is_superuser_allowed(user)))


def is_audit_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.role == Role.AUDIT_ADMIN or is_superuser_allowed(user)))


def may_read_audit_logs(user) -> bool:
    """Whether the user may see audit-log rows at all (their own case's history included): never the
    system or security administrator (三员分立); the audit administrator and business roles may,
    each within their scope."""
    if not (user and user.is_authenticated):
        return False
    if user.is_superuser:
        return _demo()
    return user.role not in AUDIT_EXCLUDED
