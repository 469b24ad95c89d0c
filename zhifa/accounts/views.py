"""The account pages (issue 16): sign-in, password change, second factor, API tokens."""
from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhifa.accounts import actions, audit, policy
from zhifa.accounts.models import ApiToken
from zhifa.common.actions import ActionRefused

RECOVERY_CODES = 10
EXPIRED = {"idle": "由于长时间无操作，会话已结束，请重新登录。", "max": "会话已达到最长时限，请重新登录。"}


class LoginView(auth_views.LoginView):
    template_name = "login.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["expired"] = EXPIRED.get(self.request.GET.get("expired", ""), "")
        return ctx


def _next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
def index(request):
    user = request.user
    return render(request, "accounts/index.html", {
        "device": policy.totp_device(user), "required": policy.second_factor_required(user),
        "recovery_left": StaticToken.objects.filter(device__user=user).count(),
        "tokens": actions.visible_tokens(user).filter(owner=user)[:5]})


# ---- password -------------------------------------------------------------------------------------
@login_required
def password(request):
    reason = policy.password_change_reason(request.user)
    error = field = None
    if request.method == "POST":
        try:
            if request.POST.get("new_password1") != request.POST.get("new_password2"):
                raise ActionRefused("account.mismatch", "两次输入的新密码不一致", "new_password2")
            actions.do_change_password(request.user, old_password=request.POST.get("old_password", ""),
                                       new_password=request.POST.get("new_password1", ""), request=request)
        except ActionRefused as e:
            error, field = e.message, e.field
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。您的API令牌已全部撤销。")
            return redirect(_next(request))
    return render(request, "accounts/password.html", {"reason": reason, "error": error, "field": field,
                                                      "help": password_validators_help_texts()},
                  status=422 if error else 200)


# ---- second factor ------------------------------------------------------------------------------
def _qr_svg(url: str) -> str:
    # Inline SVG, made on the server: no image service, no script (CSP).
    return segno.make(url, error="m").svg_inline(scale=4, dark="#14365d")


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@login_required
def setup(request):
    user = request.user
    if policy.totp_device(user) is not None:
        return redirect("account-index")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or \
        TOTPDevice.objects.create(user=user, name="动态口令", confirmed=False)
    error = None
    if request.method == "POST":
        if device.verify_token((request.POST.get("otp") or "").strip().replace(" ", "")):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, device)
            audit.record("auth.otp_enrolled", user=user, request=request)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request, "")})
        error = "动态口令不正确，请核对手机时间后重试"
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/setup.html", {
        "qr": _qr_svg(device.config_url), "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "error": error, "required": policy.second_factor_required(user), "next": request.GET.get("next", "")},
        status=422 if error else 200)


@login_required
def verify(request):
    user = request.user
    device = policy.totp_device(user)
    if device is None:
        return redirect("account-2fa-setup")
    if user.is_verified():
        return redirect(_next(request))
    error = None
    if request.method == "POST":
        code = (request.POST.get("otp") or "").strip().replace(" ", "").lower()
        used = None
        if code.isdigit() and device.verify_token(code):
            used = device
        elif code and not code.isdigit():
            recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
            if recovery is not None and recovery.verify_token(code):  # a recovery code works once
                used = recovery
        if used is not None:
            otp_login(request, used)
            audit.record("auth.otp_verified" if used is device else "auth.recovery_used", user=user, request=request,
                         **({"recovery_left": used.token_set.count()} if used is not device else {}))
            return redirect(_next(request))
        audit.record("auth.otp_failed", user=user, request=request)
        error = "动态口令或恢复码不正确"
    return render(request, "accounts/verify.html", {"error": error, "next": request.GET.get("next", "")},
                  status=422 if error else 200)


@login_required
@require_POST
def recovery(request):
    """New recovery codes (the old ones stop working); only in a session that passed the factor."""
    if policy.totp_device(request.user) is None or not request.user.is_verified():
        return redirect("account-2fa-verify")
    codes = _new_recovery_codes(request.user)
    audit.record("auth.otp_reset", user=request.user, request=request, what="recovery_codes")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": ""})


# ---- API tokens ---------------------------------------------------------------------------------
@login_required
def token_list(request):
    user = request.user
    created = error = None
    if request.method == "POST":
        try:
            days = request.POST.get("days") or "30"
            if not days.isdigit():
                raise ActionRefused("validation", "有效天数：应为整数", "days")
            _, created = actions.do_create_token(acting_user=user, name=request.POST.get("name", ""),
                                                 scope=request.POST.get("scope", "read"), days=int(days),
                                                 session_key=request.session.session_key, request=request)
        except ActionRefused as e:
            error = e.message
    show_all = actions.is_security_admin(user) and request.GET.get("all") == "1"
    qs = actions.visible_tokens(user) if show_all else ApiToken.objects.filter(owner=user)
    return render(request, "accounts/tokens.html", {
        "tokens": qs.select_related("owner")[:500], "created": created, "error": error, "show_all": show_all,
        "security_admin": actions.is_security_admin(user), "scopes": ApiToken.Scope.choices},
        status=422 if error else 200)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = actions.visible_tokens(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404("令牌不存在")
    try:
        actions.do_revoke_token(token, acting_user=request.user, request=request)
        messages.success(request, f"已撤销令牌“{token.name}”")
    except ActionRefused as e:
        messages.error(request, e.message)
    return redirect(reverse("account-tokens") + ("?all=1" if request.POST.get("all") == "1" else ""))
