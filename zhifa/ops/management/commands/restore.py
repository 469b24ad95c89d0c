"""`zhifa restore SRC`: a `zhifa backup` onto an empty database and the configured stores; every file
checked against the manifest first, every table's row count after (zhifa/ops/backup.py)."""
from django.core.management.base import BaseCommand, CommandError

from zhifa.ops import backup


class Command(BaseCommand):
    help = "从 zhifa backup 的备份目录恢复到空数据库和存储（先核对清单，恢复后核对每张表的行数）"

    def add_arguments(self, parser):
        parser.add_argument("src", help="备份目录")

    def handle(self, *args, src, **options):
        try:
            backup.restore(src, log=self.stdout.write)
        except backup.BackupError as e:
            raise CommandError(str(e))
