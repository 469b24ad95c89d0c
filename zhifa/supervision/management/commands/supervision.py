"""`zhifa supervision alerts [--today YYYY-MM-DD]`: recompute every alert (the cron entry)."""
import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhifa.supervision.alerts import recompute_alerts


class Command(BaseCommand):
    help = "执法监督：重新计算预警（zhifa supervision alerts）"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["alerts"])
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, what, today=None, **options):
        today = today or timezone.localdate()
        r = recompute_alerts(today)
        self.stdout.write(f"{today}：新增预警{r['opened']}条，仍未关闭{r['still_open']}条，自动关闭{r['closed']}条")
