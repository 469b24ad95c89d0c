"""Account actions (issue 16): password change, API tokens. Every event is audited
(zhifa.accounts.audit: log line + ledger entry)."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.accounts import audit, tokens
from zhifa.accounts.models import AccountState, ApiToken, PasswordRecord
from zhifa.common import roles
from zhifa.common.actions import ActionRefused, OutOfScope


def is_security_admin(user) -> bool:
    """Who manages every user's tokens, lockouts and second factors: the security administrator
    (三员分立), not the system administrator."""
    return roles.is_security_admin(user)


# ---- passwords ---------------------------------------------------------------------------------
def on_password_changed(user, *, keep: int = 5) -> None:
    """Called by Django after every set_password + save (PasswordHistoryValidator.password_changed):
    remember the hash, restart the password's age, lift a forced change, revoke the API tokens."""
    now = timezone.now()
    with transaction.atomic():
        PasswordRecord.objects.create(user=user, password=user.password, created_at=now)
        old = PasswordRecord.objects.filter(user=user).values_list("pk", flat=True)[keep:]
        PasswordRecord.objects.filter(pk__in=list(old)).delete()
        AccountState.objects.update_or_create(user=user, defaults={"password_changed_at": now,
                                                                   "must_change_password": False})
        ApiToken.objects.filter(owner=user, revoked_at__isnull=True).update(revoked_at=now, revoked_reason="修改密码")


def set_must_change_password(user, value: bool = True) -> None:
    """An administrator set this password (new account, reset): the owner changes it at next login."""
    AccountState.objects.update_or_create(user=user, defaults={"must_change_password": value})


@transaction.atomic
def do_change_password(user, *, old_password: str, new_password: str, request=None) -> None:
    if not user.check_password(old_password or ""):
        raise ActionRefused("account.old_password", "原密码不正确", "old_password")
    if old_password == new_password:
        raise ActionRefused("account.same_password", "新密码不能与原密码相同", "new_password1")
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as e:
        raise ActionRefused("account.password_policy", "；".join(e.messages), "new_password1") from e
    user.set_password(new_password)
    user.save()  # → on_password_changed
    audit.record("auth.password_changed", user=user, request=request)


# ---- API tokens ---------------------------------------------------------------------------------
@transaction.atomic
def do_create_token(*, acting_user, name: str, scope: str = ApiToken.Scope.WRITE, days: int | None = None,
                    session_key: str | None = None, request=None) -> tuple[ApiToken, str]:
    """A new token for acting_user; returns the record and the token text (shown once)."""
    name = (name or "").strip()
    if not name:
        raise ActionRefused("validation", "名称：必须填写", "name")
    if len(name) > 100:
        raise ActionRefused("validation", "名称：长度不能超过100个字符", "name")
    if scope not in ApiToken.Scope.values:
        raise ActionRefused("validation", "权限：取值无效，可选值：read、write", "scope")
    days = settings.ZHIFA_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.ZHIFA_TOKEN_MAX_DAYS:
        raise ActionRefused("validation", f"有效天数：应为1至{settings.ZHIFA_TOKEN_MAX_DAYS}天", "days")
    prefix, secret, text = tokens.new_secret()
    now = timezone.now()
    token = ApiToken.objects.create(
        name=name, owner=acting_user, prefix=prefix, secret_hash=tokens.digest(secret), scope=scope,
        created_at=now, expires_at=now + dt.timedelta(days=days), session_hash=tokens.session_hash(session_key),
        password_mark=tokens.password_mark(acting_user))
    audit.record("auth.token_created", user=acting_user, request=request, token=prefix, name=name, scope=scope,
                 expires_at=token.expires_at.isoformat())
    return token, text


def visible_tokens(user):
    qs = ApiToken.objects.select_related("owner")
    return qs if is_security_admin(user) else qs.filter(owner=user)


@transaction.atomic
def do_revoke_token(token: ApiToken, *, acting_user, reason: str = "", request=None) -> ApiToken:
    if token.owner_id != acting_user.pk and not is_security_admin(acting_user):
        raise OutOfScope()
    if token.revoked_at:
        raise ActionRefused("token.already_revoked", "该令牌已撤销", None)
    token.revoked_at = timezone.now()
    token.revoked_reason = (reason or ("持有人撤销" if token.owner_id == acting_user.pk else "安全管理员撤销"))[:100]
    token.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record("auth.token_revoked", user=acting_user, request=request, token=token.prefix,
                 owner=token.owner.get_username(), reason=token.revoked_reason)
    return token


def revoke_session_tokens(user, session_key: str | None) -> int:
    """At logout: the tokens this browser session created."""
    if not session_key:
        return 0
    return ApiToken.objects.filter(owner=user, session_hash=tokens.session_hash(session_key),
                                   revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_reason="会话退出")
