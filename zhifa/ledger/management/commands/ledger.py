"""`zhifa ledger sign` (sign a tree head of the current size; run it from cron) and
`zhifa ledger status` (size, root, the latest signed head, the public key)."""
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhifa.ledger import log, signing


class Command(BaseCommand):
    help = "防篡改日志：sign（签署当前树头，供定时任务调用）| status（查看日志状态）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sign", "status"])
        parser.add_argument("--if-grown", action="store_true",
                            help="sign：仅当日志自上次签名后有新增条目时才签名")

    def handle(self, *args: Any, action: str, if_grown: bool, **opts: Any) -> None:
        if action == "sign":
            latest = log.latest_tree_head()
            if if_grown and latest is not None and latest.tree_size >= log.size():
                self.stdout.write(f"日志未增长（{latest.tree_size} 条），未签名")
                return
            head = log.sign_tree_head()
            self.stdout.write(f"已签署树头：{head.tree_size} 条，根哈希 {head.root_hash}，密钥 {head.key_id}")
            self.stdout.write(json.dumps(head.as_dict(), ensure_ascii=False))
            return
        current = log.current_head()
        latest = log.latest_tree_head()
        self.stdout.write(f"日志条目：{current.size}\n根哈希：{current.root}\n公钥：{signing.public_key_hex()}"
                          f"（{signing.key_id()}）")
        if latest is None:
            self.stdout.write("尚无签名树头")
        else:
            self.stdout.write(f"最新签名树头：{latest.tree_size} 条，时间戳 {latest.timestamp}")
