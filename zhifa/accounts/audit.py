"""The login audit (issue 16): success, failure, lockout, logout, and the account's security
events, each as a line in the log (logger zhifa.security, with the request id and client address)
and as a ledger entry (event types auth.*; no subject, the actor is the user when known)."""
from __future__ import annotations

import logging
import time

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from zhifa.ledger import log as ledger

logger = logging.getLogger("zhifa.security")

TEXT = {
    "auth.login": "登录成功", "auth.login_failed": "登录失败", "auth.locked": "账号或地址被锁定",
    "auth.logout": "退出登录", "auth.timeout": "会话超时退出", "auth.password_changed": "修改密码",
    "auth.otp_enrolled": "启用双因素认证", "auth.otp_failed": "动态口令错误", "auth.otp_verified": "通过双因素认证",
    "auth.recovery_used": "使用恢复码", "auth.otp_reset": "重置双因素认证",
    "auth.token_created": "创建API令牌", "auth.token_revoked": "撤销API令牌",
    "auth.superuser_refused": "拒绝超级管理员会话",
}


def client_of(request) -> str:
    # REMOTE_ADDR as zhifa.common.proxy.TrustedProxyMiddleware left it: the client, never a header.
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:64]


def record(event: str, *, user=None, username: str = "", request=None, ledgered: bool = True, **data) -> None:
    user = user if user is not None and getattr(user, "pk", None) else None
    name = username or (user.get_username() if user else "")
    ip = client_of(request)
    path = request.path[:200] if request is not None else ""
    logger.log(logging.WARNING if event in ("auth.login_failed", "auth.locked", "auth.otp_failed",
                                                   "auth.superuser_refused") else logging.INFO,
               "%s %s user=%s ip=%s path=%s %s", event, TEXT.get(event, ""), name or "-", ip or "-", path,
               " ".join(f"{k}={v}" for k, v in data.items()))
    if ledgered:
        with transaction.atomic():
            ledger.append(event, actor=user, data={"username": name[:150], "ip": ip, "path": path, **data})


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        from zhifa.accounts.middleware import LOGIN_AT, SEEN_AT

        request.session[LOGIN_AT] = request.session[SEEN_AT] = time.time()  # the session limits count from here
    record("auth.login", user=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    from zhifa.accounts.actions import revoke_session_tokens

    reason = getattr(request, "zhifa_logout_reason", "")
    session_key = request.session.session_key if hasattr(request, "session") else None
    revoked = revoke_session_tokens(user, session_key)
    record("auth.timeout" if reason else "auth.logout", user=user, request=request,
           **({"reason": reason} if reason else {}), **({"tokens_revoked": revoked} if revoked else {}))


def _already_locked(request) -> bool:
    # axes sets axes_locked_out both for an attempt refused because of an earlier lockout (then it
    # counts nothing: axes_failures_since_start stays None) and for the failure that locks.
    return bool(getattr(request, "axes_locked_out", False)) and getattr(request, "axes_failures_since_start", None) is None


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    # Attempts while already locked are logged, not ledgered: they cannot get in, and a flood of
    # them must not flood the ledger.
    locked = _already_locked(request)
    record("auth.login_failed", user=user, username=username, request=request, ledgered=not locked,
           **({"while_locked": True} if locked else {}))


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    user = get_user_model().objects.filter(username=username).first() if username else None
    record("auth.locked", user=user, username=username or "", request=request, ledgered=not _already_locked(request))
