"""Console script: `zhifa <management command>` (zhifa migrate, zhifa seed, zhifa bench …).

What reaches the command line is one Chinese line, never a traceback, for the errors a user can
act on: a refused action (its rule and message, exit 1), a database not yet migrated ("run zhifa
migrate"), a database that cannot be reached. Anything else is a bug: one line naming it and the file
that holds its traceback (internal_error; `--traceback` or ZHIFA_DEBUG=1 prints the traceback itself).
"""
import os
import signal
import sys
from pathlib import Path

NOT_INITIALISED = "数据库尚未初始化（缺少数据表 {table}）：请先运行 zhifa migrate"


def missing_table(exc) -> str | None:
    """The table named by a "no such table" (SQLite) / "relation … does not exist" (PostgreSQL) error."""
    import re

    text = str(exc)
    m = re.search(r"no such table: (\S+)", text) or re.search(r'relation "([^"]+)" does not exist', text)
    return m.group(1) if m else None


def one_line(exc) -> str | None:
    """The one line to print for an error the user can act on, or None (a bug: show the traceback)."""
    from django.db import DatabaseError

    from zhifa.common.actions import ActionRefused

    if isinstance(exc, ActionRefused):
        return f"[{exc.rule}] {exc.message}"
    from zhifa.common.datakeys import DataKeyError

    if isinstance(exc, DataKeyError):  # a missing or wrong data key: one line naming the setting
        return str(exc)
    if isinstance(exc, DatabaseError):
        table = missing_table(exc)
        if table:
            return NOT_INITIALISED.format(table=table)
        from django.db import OperationalError

        if isinstance(exc, OperationalError) and ("connect" in str(exc) or "could not" in str(exc)):
            return f"无法连接数据库（DATABASE_URL）：{str(exc).strip().splitlines()[0]}"
    return None


def main() -> None:
    if hasattr(signal, "SIGPIPE"):  # `zhifa calendar status | head`: end quietly, as other tools do
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sys.argv[1:2] == ["verify-archive"]:
        # Offline: no settings, no database (the package may be checked on any machine).
        from zhifa.records.archive_verify import main as verify_archive

        sys.exit(verify_archive(sys.argv[2:]))
    if sys.argv[1:2] == ["verify-proof"]:
        from zhifa.disclosure.verify_proof import main as verify_proof  # offline, like verify-archive

        sys.exit(verify_proof(sys.argv[2:]))
    if sys.argv[1:2] == ["verify-draw"]:
        from zhifa.inspections.verify_draw import main as verify_draw  # offline, like verify-archive

        sys.exit(verify_draw(sys.argv[2:]))
    if sys.argv[1:2] == ["witness"]:
        # Another party's machine: no settings, no database, only its own directory and HTTP.
        from zhifa.witness.client import main as witness

        sys.exit(witness(sys.argv[2:]))
    if sys.argv[1:2] == ["createsuperuser"]:
        # 三员分立 (issue 16): no all-powerful account. The three administrators instead; the demo's
        # accounts come from `zhifa seed`.
        print("zhifa 不设超级管理员：请运行 zhifa create-admins 创建系统管理员、安全管理员和安全审计员"
              "（见 docs/deploy.md）", file=sys.stderr)
        sys.exit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["zhifa", *sys.argv[1:]])
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        line = one_line(exc)
        if line is None:
            if "--traceback" in sys.argv or os.environ.get("ZHIFA_DEBUG") == "1":
                raise
            line = internal_error(exc)
        print(line, file=sys.stderr)
        sys.exit(1)


def internal_error(exc: BaseException) -> str:
    """A fault of ours (a bug, not bad input): one line for the operator, the traceback in a file under
    the data directory for whoever fixes it (`--traceback` or ZHIFA_DEBUG=1 prints it instead)."""
    import datetime as dt
    import tempfile
    import traceback

    text = "".join(traceback.format_exception(exc))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    try:
        from django.conf import settings

        folder = Path(settings.DATA_DIR) / "logs"
    except Exception:  # noqa: BLE001 - settings themselves may be what failed
        folder = Path(tempfile.gettempdir())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"zhifa-error-{stamp}.log"
        path.write_text(f"zhifa {' '.join(sys.argv[1:])}\n{text}", encoding="utf-8")
        where = f"详细信息已写入 {path}"
    except OSError:
        where = "详细信息无法写入文件；加 --traceback 重新运行可显示"
    summary = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"内部错误（{type(exc).__name__}{'：' + summary if summary else ''}），请联系运维人员；{where}"


if __name__ == "__main__":
    main()
