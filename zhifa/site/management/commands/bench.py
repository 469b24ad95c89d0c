"""`zhifa bench <suite>`: performance benchmarks on a throw-away database.

    zhifa bench foundation [--database-url URL] [--keep] [--scale bijie]
    zhifa bench cases [--database-url URL] [--keep] [--scale bijie] [--cases 10000] …  (site/bench/cases.py;
                      its default database is …/zhifa_bench_cases)
    zhifa bench load [--scale county] [--load-users 20] [--load-seconds 30] …  (site/bench/load.py: gunicorn +
                      locust, a mix of pages against /healthz; default database …/zhifa_bench_load)

The command (re)creates the benchmark database (default PostgreSQL
postgresql://postgres@127.0.0.1:5432/zhifa_bench; only databases whose name contains "bench"
are ever dropped), then runs the measurements in a child process whose DATABASE_URL points at
it (so this process's own database is never touched), prints a markdown table with targets,
baselines and ratios, and appends it to docs/benchmarks.md.

Suites are registered by the apps they measure, in `<app>/bench.py` (zhifa.common.registry.bench_suites):
a suite has `run(opts) -> dict` (runs in the child, against the bench database, after
migrations) and `report(results) -> list[row]`.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhifa.common.benchkit import machine_info, percentile
from zhifa.common.registry import bench_suites

__all__ = ["markdown", "percentile", "recreate_database"]

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/zhifa_bench"


# ---- database lifecycle (parent process) ------------------------------------------------------

def _db_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def _sqlite_path(url: str) -> Path:
    import dj_database_url

    return Path(dj_database_url.parse(url)["NAME"])


def _admin_conn(url: str):
    import psycopg

    u = urlparse(url)
    return psycopg.connect(host=u.hostname or "127.0.0.1", port=u.port or 5432, user=u.username or "postgres",
                           password=u.password, dbname="postgres", autocommit=True)


def recreate_database(url: str):
    if _is_sqlite(url):
        path = _sqlite_path(url)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    name = _db_name(url)
    if "bench" not in name:
        raise CommandError(f"拒绝删除数据库“{name}”：基准测试库名须包含 bench")
    from psycopg import sql

    with _admin_conn(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(sql.Identifier(name)))


def drop_database(url: str):
    if _is_sqlite(url):
        path = _sqlite_path(url)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = _db_name(url)
    if "bench" not in name:
        return
    from psycopg import sql

    with _admin_conn(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


HEADERS = ["measurement", "result", "target", "baseline", "ratio", "met"]


def markdown(rows) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "性能基准测试（在独立的基准测试数据库上运行）：zhifa bench foundation | cases"

    def add_arguments(self, parser):
        parser.add_argument("suite", choices=bench_suites.keys())
        parser.add_argument("--database-url", default=os.environ.get("ZHIFA_BENCH_DATABASE_URL"),
                            help=f"基准测试数据库（会被删除重建），默认 {DEFAULT_URL}（cases：…/zhifa_bench_cases）")
        parser.add_argument("--keep", action="store_true", help="结束后保留基准测试数据库")
        parser.add_argument("--scale", default="bijie", choices=["county", "city", "bijie"])
        parser.add_argument("--requests", type=int, default=280, help="列表页请求次数（两个账号合计）")
        parser.add_argument("--import-rows", type=int, default=10000)
        parser.add_argument("--doc", default=str(settings.BASE_DIR / "docs" / "benchmarks.md"),
                            help="追加结果的文档")
        parser.add_argument("--no-doc", action="store_true", help="不写文档，只打印")
        for suite in bench_suites.values():  # suite-specific options (documented by each suite)
            for flags, kw in getattr(suite, "arguments", ()):
                parser.add_argument(*flags, **kw)
        parser.add_argument("--json-out", help=argparse_hidden())
        parser.add_argument("--inner", action="store_true", help=argparse_hidden())

    def handle(self, *args, suite, database_url, keep, **opts):
        bench = bench_suites[suite]()
        database_url = database_url or getattr(bench, "default_url", DEFAULT_URL)
        if opts["inner"]:
            return self.inner(bench, database_url, opts)
        if os.environ.get(f"ZHIFA_BENCH_{suite.upper()}_REUSE"):
            # measure again on a database kept by an earlier run (--keep): a million rows take minutes to load
            self.stdout.write(f"基准测试 {suite}：沿用数据库 {database_url}")
        else:
            self.stdout.write(f"基准测试 {suite}：重建数据库 {database_url} …")
            recreate_database(database_url)
        try:
            results = self.run_child(suite, database_url, opts)
        finally:
            if not keep:
                drop_database(database_url)
        rows = bench.report(results)
        table = markdown(rows)
        self.stdout.write(table)
        if not opts["no_doc"]:
            self.write_doc(Path(opts["doc"]), suite, results, table)
            self.stdout.write(f"结果已追加到 {opts['doc']}")
        return None

    def run_child(self, suite, url, opts) -> dict:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "results.json"
            cmd = [sys.executable, "-m", "zhifa", "bench", suite, "--inner", "--database-url", url,
                   "--scale", opts["scale"], "--requests", str(opts["requests"]),
                   "--import-rows", str(opts["import_rows"]), "--json-out", str(out)]
            for dest in getattr(bench_suites[suite], "options", ()):
                cmd += ["--" + dest.replace("_", "-"), str(opts[dest])]
            env = {**os.environ, "DATABASE_URL": url, "ZHIFA_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "zhifa.settings"}
            proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if proc.stdout.strip():
                self.stdout.write(proc.stdout.rstrip())
            if proc.returncode != 0 or not out.exists():
                raise CommandError(f"基准测试子进程失败（退出码 {proc.returncode}）")
            return json.loads(out.read_text(encoding="utf-8"))

    def inner(self, bench, database_url, opts):
        from django.db import connection

        if os.environ.get("DATABASE_URL", "") != database_url:
            raise CommandError("--inner 只能由 zhifa bench 调用")
        call_command("migrate", verbosity=0, interactive=False)
        load_before = os.getloadavg()[0]
        results = bench.run({"scale": opts["scale"], "requests": opts["requests"],
                             "import_rows": opts["import_rows"],
                             **{k: opts[k] for k in getattr(bench, "options", ())}})
        results["machine"] = machine_info()
        # Other work on the machine skews every figure; the baselines' ratios show by how much.
        results["machine"]["load"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        results["database_name"] = connection.settings_dict.get("NAME")
        Path(opts["json_out"]).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")

    @staticmethod
    def write_doc(path: Path, suite, r: dict, table: str):
        m = r["machine"]
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(DOC_HEADER, encoding="utf-8")
        details = []
        s = r.get("seed", {})
        if s.get("steps"):
            details.append("seed steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in s["steps"].items()))
        li = r.get("list", {})
        if li.get("by_query"):
            details.append("officer list p95 by query: " + "; ".join(
                f"`{k}` {v['p95']:.0f} ms" for k, v in li["by_query"].items()))
            details.append("officer list p95 by user: " + "; ".join(
                f"{k} {v['p95']:.0f} ms" for k, v in li["by_user"].items()))
        details += getattr(bench_suites.get(suite), "details", lambda _r: [])(r)
        section = (
            f"\n## {suite} — {dt.date.today():%Y-%m-%d}, scale `{r.get('scale')}`\n\n"
            f"Machine: {m.get('uname')}; {m.get('cpus')} CPUs ({m.get('cpu', '?')}); {m.get('ram_gib', '?')} GiB RAM; "
            f"{r.get('db')}; Python {m.get('python')}; Django {r.get('django')}; "
            f"1-min load average {m.get('load', ['?', '?'])[0]} at start, {m.get('load', ['?', '?'])[1]} at end.\n\n"
            f"{table}\n\n" + "".join(f"- {d}\n" for d in details)
        )
        with path.open("a", encoding="utf-8") as f:
            f.write(section)


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS


DOC_HEADER = """# Benchmarks

Produced by `zhifa bench <suite>`; each run appends a section. The bench database is dropped
and recreated at the start (default `postgresql://postgres@127.0.0.1:5432/zhifa_bench`), the
measurements run in a child process against it, and the database is dropped at the end unless
`--keep` is given.

Baselines put each figure in proportion on the same machine and database: seeding against one
`INSERT … SELECT generate_series` of as many rows as seeding wrote; the list page against
`/healthz` (a trivial view through the same middleware and test client); the import against a
bare openpyxl read-only parse of the same file. Times are wall-clock in the benchmark process
(the list figures are server time through `django.test.Client`, no network), `DEBUG` off.
"""
