"""`zhifa create-admins`: the three administrators of 三员分立 instead of `createsuperuser`.

Creates whichever of 系统管理员 / 安全管理员 / 安全审计员 the installation lacks, each with a random
initial password printed once (the owner changes it and enrols a second factor at first login).
`--demote-superusers` takes the superuser flag from accounts made before (production has none).
"""
from __future__ import annotations

import secrets
import string

from django.core.management.base import BaseCommand

from zhifa.common.roles import Role
from zhifa.orgs import actions
from zhifa.orgs.models import User

DEFAULTS = ((Role.ADMIN, "sysadmin", "--system"), (Role.SECURITY_ADMIN, "secadmin", "--security"),
            (Role.AUDIT_ADMIN, "auditadmin", "--audit"))


def initial_password() -> str:
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _ in range(14))
    return f"{body}-{secrets.choice(string.digits)}{secrets.choice(string.ascii_uppercase)}"


class Command(BaseCommand):
    help = "创建三员账号（系统管理员、安全管理员、安全审计员），代替 createsuperuser"

    def add_arguments(self, parser):
        for _role, default, flag in DEFAULTS:
            parser.add_argument(flag, default=default, metavar="用户名", help=f"用户名（默认 {default}）")
        parser.add_argument("--demote-superusers", action="store_true", help="取消已有账号的超级管理员标记")

    def handle(self, *args, **opts):
        names = [opts[flag.lstrip("-")] for _r, _d, flag in DEFAULTS]
        if len(set(names)) != len(names):
            self.stderr.write("三员账号必须是三个不同的账号（用户名不能相同）")
            raise SystemExit(1)
        if opts["demote_superusers"]:
            demoted = actions.do_demote_superusers()
            self.stdout.write(f"已取消超级管理员标记：{'、'.join(demoted) if demoted else '（无）'}")
        for (role, _default, _flag), username in zip(DEFAULTS, names, strict=True):
            title = actions.ADMIN_TITLES[role]
            existing = User.objects.filter(role=role, is_active=True).order_by("pk").first()
            if existing is not None:
                self.stdout.write(f"{title}：已有账号 {existing.username}，未新建")
                continue
            password = initial_password()
            actions.do_create_admin(username=username, password=password, role=role)
            self.stdout.write(f"{title}：{username}  初始密码 {password}（首次登录须修改密码并启用动态口令）")
