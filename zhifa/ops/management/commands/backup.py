"""`zhifa backup DEST [--include-private-key]`: database, evidence, documents, ledger public keys and
a manifest with sha256 of every file (zhifa/ops/backup.py; docs/deploy.md, "Backups")."""
from django.core.management.base import BaseCommand, CommandError

from zhifa.ops import backup


class Command(BaseCommand):
    help = "备份：数据库、证据文件、文书、日志公钥和带 SHA-256 的清单，写入一个新目录"

    def add_arguments(self, parser):
        parser.add_argument("dest", help="备份目录（不存在或为空）")
        parser.add_argument("--include-private-key", action="store_true",
                            help="同时备份日志签名私钥（备份须按私钥保管）")

    def handle(self, *args, dest, include_private_key=False, **options):
        try:
            backup.backup(dest, include_private_key=include_private_key, log=self.stdout.write)
        except backup.BackupError as e:
            raise CommandError(str(e))
