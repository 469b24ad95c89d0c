"""`zhifa inspections kit --latest FILE` (or `--draw ID`): write a draw's verification kit, the same
file the portal offers; check it with `zhifa verify-draw FILE` on any machine."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhifa.inspections.kit import kit_bytes, latest_drawn
from zhifa.inspections.models import Draw


class Command(BaseCommand):
    help = "双随机抽查：导出抽取核验包（kit）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        kit = sub.add_parser("kit", help="写出抽取核验包（JSON）")
        which = kit.add_mutually_exclusive_group(required=True)
        which.add_argument("--latest", action="store_true", help="最近一次完成的抽取")
        which.add_argument("--draw", type=int, help="抽取编号")
        kit.add_argument("file", help="输出文件（- 为标准输出）")

    def handle(self, *args, **opts):
        if opts["draw"]:
            draw = Draw.objects.filter(pk=opts["draw"], state=Draw.State.DRAWN).first()
            if draw is None:
                raise CommandError(f"没有编号为{opts['draw']}的已完成抽取")
        else:
            draw = latest_drawn()
            if draw is None:
                raise CommandError("还没有已完成的抽取")
        data = kit_bytes(draw)
        if opts["file"] == "-":
            self.stdout.write(data.decode("utf-8"))
            return
        try:
            with open(opts["file"], "wb") as f:
                f.write(data)
        except OSError as e:
            raise CommandError(f"无法写入 {opts['file']}：{e}") from e
        self.stdout.write(f"已写出抽取#{draw.pk}的核验包：{opts['file']}（{len(data)} 字节）；"
                          f"核验：zhifa verify-draw {opts['file']}")
