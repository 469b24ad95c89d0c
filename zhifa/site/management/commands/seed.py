"""`zhifa seed --scale county|city|bijie [--fresh]`: deterministic demo data (seed 003, 毕节)."""
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from zhifa.site.demo import SCALES, analyze, demo_logins, is_seeded, seed


class Command(BaseCommand):
    help = "生成演示数据（毕节市）：county=七星关区，city=毕节市及8个县区，bijie=种子文档003的全市规模"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="county")
        parser.add_argument("--fresh", action="store_true", help="先清空数据库（flush）再生成")

    def handle(self, *args, scale, fresh, **options):
        if fresh:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("已清空数据库。")
        elif is_seeded():
            self.stdout.write(self.style.WARNING(
                "数据库中已有执法主体数据，未重复生成。如需重新生成，请加 --fresh（将清空全部数据）。"))
            self._print_logins()
            return
        verbose = options.get("verbosity", 1) > 1
        started = time.perf_counter()
        self.stdout.write(f"正在生成演示数据（规模：{scale}）……")
        b = seed(scale, log=self.stdout.write if verbose else None)
        analyze()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"完成，用时 {elapsed:.1f} 秒：执法主体 {len(b.entities)} 个，执法人员 {b.officer_count} 名，"
            f"执法证 {b.certificate_count} 张，培训记录 {b.training_count} 条，"
            f"已发布权责清单事项 {b.power_count} 项，演示案件 {len(b.cases)} 件。"))
        self._print_logins()

    def _print_logins(self):
        rows = demo_logins()
        if not rows:
            return
        headers = ("用户名", "密码", "角色", "所属主体")
        self.stdout.write("\n演示账号（每个角色一个）：")
        self.stdout.write("| " + " | ".join(headers) + " |")
        self.stdout.write("|" + "---|" * len(headers))
        for row in rows:
            self.stdout.write("| " + " | ".join(row) + " |")
