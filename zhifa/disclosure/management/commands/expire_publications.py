"""zhifa expire_publications [--today YYYY-MM-DD]: take down entries past their publication period
(公示期限), each with an "expiry" ledger event. Idempotent; the scheduler runs it daily."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zhifa.disclosure.expiry import expire_publications


class Command(BaseCommand):
    help = "将公示期满的执法决定停止公示（记入防篡改日志），可重复运行"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按该日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, today=None, **opts):
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today：日期格式应为 YYYY-MM-DD") from None
        n = expire_publications(day)
        self.stdout.write(f"停止公示 {n} 条公示期满的信息。")
