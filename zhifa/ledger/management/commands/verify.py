"""`zhifa verify`: run every registered check (zhifa.ledger.verify.CHECKS) and print each
discrepancy; exit code 1 if there is any, 0 otherwise."""
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.ledger import verify


def cannot_finish(e: Exception) -> str:
    """What stopped a check, in one line: an unreachable object store or database, a missing table."""
    from django.db import DatabaseError

    text = (str(e).strip().splitlines() or [type(e).__name__])[0][:300]
    module = type(e).__module__
    if module.startswith(("botocore", "boto3", "urllib3")):
        return f"无法读取对象存储（ZHIFA_S3_ENDPOINT_URL / ZHIFA_S3_*）：{text}"
    if isinstance(e, DatabaseError):
        return f"数据库错误（缺少数据表或无法连接？请检查 DATABASE_URL 并运行 zhifa migrate）：{text}"
    if isinstance(e, OSError):
        return f"无法读取文件：{text}"
    return f"检查未能完成（{type(e).__name__}）：{text}"


class Command(BaseCommand):
    help = "核验防篡改日志及各项记录（逐条列出不一致之处；有不一致时退出码为 1）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="append", default=[],
                            help="只运行名称包含该文字的检查（可重复），如 --check log")
        parser.add_argument("--list", dest="list_checks", action="store_true", help="列出已登记的检查后退出")

    def handle(self, *args: Any, check: list[str], list_checks: bool, **opts: Any) -> None:
        verify.discover()
        checks = [c for c in verify.CHECKS if not check or any(w in c.__name__ for w in check)]
        if list_checks:
            for c in verify.CHECKS:
                self.stdout.write(f"{c.__module__}.{c.__name__}  {(c.__doc__ or '').strip().splitlines()[0:1]}")
            return
        # Nothing migrated (or no database): the command line's one line says so, not a finding per check.
        from zhifa.ledger.models import LedgerHead

        LedgerHead.objects.first()
        started = time.perf_counter()
        found = notes = 0
        for c in checks:
            try:
                for d in c():
                    if d.failure:
                        found += 1
                    else:
                        notes += 1
                    self.stdout.write(str(d))
            except Exception as e:  # noqa: BLE001 - one finding per check that cannot finish; go on
                found += 1
                self.stdout.write(str(verify.Discrepancy("verify.check_failed", c.__name__, cannot_finish(e))))
        seconds = time.perf_counter() - started
        summary = f"核验完成：{len(checks)} 项检查，用时 {seconds:.1f} 秒，发现 {found} 处不一致" + (
            f"，{notes} 条提示" if notes else "")
        if found:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary + "（日志完整）"))
