"""Who needs what: the second factor, a password change (issue 16)."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from zhifa.common.roles import Role

# Roles that decide or oversee (and the administrators): a password alone never lets them in.
SECOND_FACTOR_ROLES = frozenset({Role.LEGAL_REVIEWER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN})


def second_factor_required(user) -> bool:
    """Mandatory for the roles above (and staff/superusers) when ZHIFA_REQUIRE_2FA is on
    (production default; off in demo mode)."""
    if not settings.ZHIFA_REQUIRE_2FA:
        return False
    return user.role in SECOND_FACTOR_ROLES or user.is_staff or user.is_superuser


def totp_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_needed(user) -> bool:
    """Mandatory for the role, or chosen by the user (an officer who enrolled a device)."""
    return second_factor_required(user) or totp_device(user) is not None


def _state(user):
    from zhifa.accounts.models import AccountState

    return AccountState.objects.filter(user=user).first()


def password_change_reason(user) -> str:
    """Why the user must change the password now ("" if not): set by an administrator, or too old."""
    state = _state(user)
    if state and state.must_change_password:
        return "首次登录或密码由管理员设置，请先修改密码。"
    days = settings.ZHIFA_PASSWORD_MAX_AGE_DAYS
    if days > 0:
        changed = (state.password_changed_at if state and state.password_changed_at else None) or user.date_joined
        if timezone.now() - changed > dt.timedelta(days=days):
            return f"密码已超过{days}天未修改，请修改密码。"
    return ""
