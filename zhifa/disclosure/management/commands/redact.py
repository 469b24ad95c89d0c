"""zhifa redact FILE [--name 姓名 ...] [--keep 文字 ...] [--spans]: print the proposed public text."""
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from zhifa.disclosure import redact


class Command(BaseCommand):
    help = "输出决定书的拟公示文本（脱敏后），可用于脚本处理"

    def add_arguments(self, parser):
        parser.add_argument("file", help="决定书文本文件（UTF-8），- 表示标准输入")
        parser.add_argument("--name", action="append", default=[], help="已知当事人姓名（可多次）")
        parser.add_argument("--keep", action="append", default=[], help="不隐去的文字（可多次）")
        parser.add_argument("--spans", action="store_true", help="输出隐去范围（JSON）而非文本")

    def handle(self, *args, **opts):
        try:
            if opts["file"] == "-":
                text = sys.stdin.read()
            else:
                with open(opts["file"], encoding="utf-8") as f:
                    text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise CommandError(f"无法读取文件：{e}") from None
        spans = redact.find_spans(text, opts["name"], opts["keep"])
        if opts["spans"]:
            self.stdout.write(json.dumps([s.as_dict() for s in spans], ensure_ascii=False, indent=1))
        else:
            self.stdout.write(redact.apply(text, spans), ending="")
