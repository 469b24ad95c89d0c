"""Session guards (issue 16), after authentication and django-otp's middleware:

0. a superuser outside demo mode (三员分立): the session is ended;
1. idle timeout (ZHIFA_SESSION_IDLE_MINUTES) and absolute limit (ZHIFA_SESSION_MAX_HOURS): the session
   is logged out and the user sent to the login page;
2. a password set by an administrator or older than ZHIFA_PASSWORD_MAX_AGE_DAYS: only the change page;
3. the second factor: a user who needs it (policy.second_factor_needed) and has not passed it in this
   session reaches only the verification page, or, without a device, only the enrolment page.

The session API (/api/) gets the same refusals as Chinese JSON. Bearer tokens are checked where they
are issued (zhifa.accounts.api)."""
from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from zhifa.accounts import audit, policy

LOGIN_AT, SEEN_AT = "zhifa_login_at", "zhifa_seen_at"
# Set once the gates below are passed, so that later requests of the session cost no query. A
# password change by anyone else ends the session anyway (Django's session auth hash).
GATES_OK = "zhifa_gates_ok"
# The seen-at stamp is rewritten at most this often (a session write per minute, not per request).
SEEN_RESOLUTION = 30
OPEN_PREFIXES = ("/static/", "/healthz", "/readyz", "/metrics", "/gs/", "/login/", "/logout/", "/admin/login/",
                 "/admin/logout/", "/api/v1/auth/token", "/api/openapi.json", "/api/docs")


class SecurityHeadersMiddleware:
    """Permissions-Policy on every answer (Django's SecurityMiddleware does the rest)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.ZHIFA_PERMISSIONS_POLICY)
        return response


def _api_refusal(rule: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"rule": rule, "message": message, "field": None}, status=status,
                        json_dumps_params={"ensure_ascii": False})


class AccountGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            refusal = self._no_superuser(request) or self._timeouts(request) or self._gates(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    # ---- 0. no superuser in production (三员分立): a session that has one is ended
    def _no_superuser(self, request):
        if not request.user.is_superuser or settings.DEMO:
            return None
        audit.record("auth.superuser_refused", user=request.user, request=request)
        logout(request)
        message = "生产环境不允许超级管理员登录，请使用系统管理员、安全管理员或安全审计员账号（zhifa create-admins）"
        if request.path.startswith("/api/"):
            return _api_refusal("auth.no_superuser", message, 403)
        return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")

    # ---- 1. timeouts
    def _timeouts(self, request):
        now = time.time()
        session = request.session
        login_at = session.get(LOGIN_AT)
        seen_at = session.get(SEEN_AT)
        if login_at is None:  # a session from before this guard, or force_login: start counting now
            session[LOGIN_AT] = login_at = now
        idle = settings.ZHIFA_SESSION_IDLE_MINUTES * 60
        limit = settings.ZHIFA_SESSION_MAX_HOURS * 3600
        reason = ""
        if limit and now - login_at > limit:
            reason = "max"
        elif idle and seen_at is not None and now - seen_at > idle:
            reason = "idle"
        if reason:
            request.zhifa_logout_reason = reason
            logout(request)
            message = {"idle": f"已超过{settings.ZHIFA_SESSION_IDLE_MINUTES}分钟无操作",
                       "max": f"会话已持续{settings.ZHIFA_SESSION_MAX_HOURS}小时"}[reason]
            if request.path.startswith("/api/"):
                return _api_refusal("auth.session_expired", f"{message}，会话已结束，请重新登录", 401)
            return redirect(f"{reverse('login')}?{urlencode({'expired': reason, 'next': request.get_full_path()})}")
        if seen_at is None or now - seen_at >= SEEN_RESOLUTION:
            session[SEEN_AT] = now
        return None

    # ---- 2. and 3. what the user must do before anything else
    def _gates(self, request):
        path = request.path
        if request.session.get(GATES_OK) or path.startswith(OPEN_PREFIXES) or path.startswith("/account/password/"):
            return None
        user = request.user
        reason = policy.password_change_reason(user)
        if reason:
            if path.startswith("/api/"):
                return _api_refusal("auth.password_change", reason + "（请在网页上修改）", 403)
            return redirect("account-password")
        if path.startswith("/account/2fa/"):
            return None
        if policy.second_factor_needed(user) and not user.is_verified():
            if path.startswith("/api/"):
                return _api_refusal("auth.second_factor", "须先通过双因素认证（动态口令）", 403)
            has_device = policy.totp_device(user) is not None
            target = reverse("account-2fa-verify" if has_device else "account-2fa-setup")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        request.session[GATES_OK] = True
        return None
