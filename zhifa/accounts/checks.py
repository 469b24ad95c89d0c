"""`zhifa check` (and every management command's start): no superuser outside demo mode, the audit
retention at least 180 days (三员分立 and 等保 audit, issue 16)."""
from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from zhifa.common.retention import MINIMUM_DAYS, retention_days


def superusers() -> list[str]:
    from django.contrib.auth import get_user_model

    try:
        return list(get_user_model().objects.filter(is_superuser=True, is_active=True)
                    .order_by("username").values_list("username", flat=True)[:10])
    except DatabaseError:  # not migrated yet: nothing to report
        return []


@register(Tags.security)
def no_superuser(app_configs=None, **kwargs):
    if settings.DEMO:
        return []
    names = superusers()
    if not names:
        return []
    return [Error(f"生产环境存在超级管理员账号：{'、'.join(names)}。超级管理员不能登录（三员分立）。",
                  hint="运行 zhifa create-admins 创建系统管理员、安全管理员、安全审计员，并用 "
                       "zhifa create-admins --demote-superusers 取消超级管理员标记。",
                  id="zhifa.E161")]


@register(Tags.security)
def audit_retention(app_configs=None, **kwargs):
    if retention_days() >= MINIMUM_DAYS:
        return []
    return [Error(f"ZHIFA_AUDIT_RETENTION_DAYS 为 {retention_days()} 天，审计记录须在线保存至少{MINIMUM_DAYS}天。",
                  id="zhifa.E162")]
