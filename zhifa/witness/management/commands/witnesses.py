"""`zhifa witnesses list | add NAME PUBLIC_KEY | deactivate ID | activate ID`: the witness keys the
platform accepts co-signatures from (an administrator's task; change-logged). Not to be confused
with `zhifa witness`, which a witness runs on its own machine."""
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from zhifa.common.roles import Role
from zhifa.witness import actions
from zhifa.witness.models import WitnessKey


class Command(BaseCommand):
    help = "见证方密钥：list（列出）| add 名称 公钥（登记）| deactivate 编号 | activate 编号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "add", "deactivate", "activate"])
        parser.add_argument("args", nargs="*")
        parser.add_argument("--user", help="以该系统管理员的名义操作（默认：第一个有效的系统管理员）")
        parser.add_argument("--note", default="", help="add：备注")

    def handle(self, *args: Any, action: str, user: str | None, note: str, **opts: Any) -> None:
        if action == "list":
            for wk in WitnessKey.objects.order_by("id"):
                self.stdout.write(f"{wk.pk}\t{'有效' if wk.active else '已停用'}\t{wk.name}\t{wk.public_key}\t"
                                  f"联署 {wk.cosignatures.count()} 个")
            return
        acting = self.acting_user(user)
        if action == "add":
            if len(args) != 2:
                raise CommandError("用法：zhifa witnesses add 名称 公钥")
            wk = actions.do_register_witness_key(args[0], args[1], note=note, acting_user=acting)
            self.stdout.write(f"已登记见证方 {wk.name}（编号 {wk.pk}，密钥标识 {wk.key_id}）")
            return
        if len(args) != 1 or not args[0].isdigit():
            raise CommandError(f"用法：zhifa witnesses {action} 编号")
        wk_or_none = WitnessKey.objects.filter(pk=int(args[0])).first()
        if wk_or_none is None:
            raise CommandError(f"见证方密钥不存在：{args[0]}")
        wk = actions.do_set_witness_key_active(wk_or_none, action == "activate", acting_user=acting)
        self.stdout.write(f"见证方 {wk.name} 已{'启用' if wk.active else '停用'}")

    def acting_user(self, username: str | None) -> Any:
        User = get_user_model()
        qs = User.objects.filter(is_active=True)
        found = (qs.filter(username=username) if username
                 else qs.filter(Q(is_superuser=True) | Q(role=Role.ADMIN)).order_by("pk")).first()
        if found is None:
            raise CommandError(f"用户不存在或已停用：{username}" if username
                               else "没有可用的系统管理员账号：请先创建系统管理员，或用 --user 指定")
        return found
