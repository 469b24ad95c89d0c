"""zhifa bench_portal_search [--rows N]: search latency on a throwaway database (refuses to run
on a database that already has cases)."""
from django.core.management.base import BaseCommand, CommandError

from zhifa.cases.models import Case
from zhifa.disclosure import bench_search


class Command(BaseCommand):
    help = "公示检索耗时（须在空的临时数据库上运行）"

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=20000)
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, **opts):
        if Case.objects.exists():
            raise CommandError("数据库中已有案件：请在空的临时数据库上运行（例如 DATABASE_URL=sqlite:////tmp/bench.sqlite3）")
        bench_search.run(opts["rows"], opts["repeat"], out=self.stdout.write)
