"""django-axes hooks: the client's address and the answer to a locked-out attempt."""
from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def client_ip(request) -> str:
    """REMOTE_ADDR as zhifa.common.proxy.TrustedProxyMiddleware resolved it: behind a trusted proxy
    the client named by X-Forwarded-For, otherwise the peer. Never a header a client controls."""
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"


def minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def message() -> str:
    return (f"登录失败次数过多（连续{settings.AXES_FAILURE_LIMIT}次），该账号或您的网络地址已被锁定"
            f"{minutes()}分钟。请稍后再试，或联系系统管理员解锁。")


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    if request.path.startswith("/api/"):
        return JsonResponse({"rule": "auth.locked", "message": message(), "field": None}, status=429,
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "accounts/locked.html", {"message": message()}, status=429)
