"""`zhifa refresh_deadlines [--today YYYY-MM-DD] [--warn-days N]`: mark breached periods, list warnings."""
import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhifa.cases import deadlines


class Command(BaseCommand):
    help = "标记已超期的法定期限，并列出即将届满的期限"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--warn-days", type=int, default=3)

    def handle(self, *args, today=None, warn_days=3, **options):
        today = today or timezone.localdate()
        breached = deadlines.refresh_deadlines(today)
        self.stdout.write(f"{today:%Y-%m-%d}：新标记超期 {breached} 项")
        for dl in deadlines.warnings(today, warn_days):
            due = f"{dl.due_on:%Y-%m-%d}" if dl.known else dl.unknown_reason
            self.stdout.write(f"  {dl.case.number or dl.case.pk} {dl.label}：{due}")
