"""`zhifa bench <suite>`: performance benchmarks on a throw-away database.

    zhifa bench foundation [--database-url URL] [--keep] [--scale bijie]
    zhifa bench cases [--database-url URL] [--keep] [--scale bijie] [--cases 10000] …  (bench_cases.py;
                      its default database is …/zhifa_bench_cases)

The command (re)creates the benchmark database (default PostgreSQL
postgresql://postgres@127.0.0.1:5432/zhifa_bench; only databases whose name contains "bench"
are ever dropped), then runs the measurements in a child process whose DATABASE_URL points at
it (so this process's own database is never touched), prints a markdown table with targets,
baselines and ratios, and appends it to docs/benchmarks.md.

Suites are entries of SUITES: a suite has `run(opts) -> dict` (runs in the child, against the
bench database, after migrations) and `report(results) -> list[row]`. Add `zhifa bench <other>`
by adding a class there.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhifa.common.benchkit import db_version, machine_info, percentile
from zhifa.common.benchkit import ok_mark as _ok

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


# ---- helpers ------------------------------------------------------------------------------------

# ---- suites (child process) -----------------------------------------------------------------------

class Foundation:
    """Issue 'foundation': seeding at prefecture scale, the officer list, the officer import."""

    name = "foundation"

    def run(self, opts) -> dict:
        from django import get_version

        out = {"scale": opts["scale"], "db": db_version(), "django": get_version()}
        out["seed"] = self.bench_seed(opts["scale"])
        out["list"] = self.bench_list(opts["requests"])
        out["import"] = self.bench_import(opts["import_rows"])
        return out

    # (a) seeding -----------------------------------------------------------------------------------
    def bench_seed(self, scale) -> dict:
        from django.apps import apps
        from django.db import connection

        from zhifa.site.demo import analyze, seed

        t = time.perf_counter()
        b = seed(scale)
        analyze()  # part of `zhifa seed` too: statistics for the planner after the bulk load
        seconds = time.perf_counter() - t
        rows = sum(m.objects.count() for m in apps.get_models()
                   if m._meta.app_label in ("orgs", "powers", "common"))
        # Baseline: the same number of rows of similar width in one INSERT … SELECT.
        with connection.cursor() as c:
            c.execute("CREATE TABLE bench_baseline (id bigint, name varchar(100), code varchar(40), body text)")
            t = time.perf_counter()
            if connection.vendor == "postgresql":
                c.execute("INSERT INTO bench_baseline SELECT g, '对违法行为' || g || '的行政处罚', md5(g::text), "
                          "repeat(md5(g::text), 8) FROM generate_series(1, %s) g", [rows])
            else:
                c.execute("INSERT INTO bench_baseline WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s "
                          "WHERE g < %s) SELECT g, '对违法行为' || g || '的行政处罚', hex(randomblob(16)), "
                          "hex(randomblob(128)) FROM s", [rows])
            baseline = time.perf_counter() - t
            c.execute("DROP TABLE bench_baseline")
        return {"seconds": seconds, "rows": rows, "baseline_seconds": baseline,
                "entities": len(b.entities), "officers": b.officer_count, "items": b.power_count,
                "steps": b.timings}

    # (b) officer list ------------------------------------------------------------------------------
    def bench_list(self, n_requests: int) -> dict:
        from django.test import Client

        from zhifa.orgs.models import Certificate, Officer, User

        sup = User.objects.get(username="citysupervisor")
        head = User.objects.select_related("entity").get(username="head")
        sample = Officer.objects.filter(entity=head.entity).order_by("pk").first()
        other = Officer.objects.exclude(entity=head.entity).order_by("-pk").first()
        cert = Certificate.objects.order_by("pk").values_list("number", flat=True).first() or "52"
        queries = [
            "", "q=王", f"q={sample.name[:2]}", "status=active", "cert=1", "cert=0&status=active",
            f"entity={head.entity_id}", "page=2", "status=active&cert=1&page=3", "q=张&status=active&page=2",
            f"entity={other.entity_id}&cert=1", "reviewer=1", f"q={sample.id_number[:10]}", f"q={cert[:10]}",
        ]
        timings = {"citysupervisor": [], "head": []}
        health = []
        per_query = {}
        rng = random.Random(7)
        for label, user in (("citysupervisor", sup), ("head", head)):
            client = Client()
            client.force_login(user)
            for q in queries[:4]:  # warm-up
                client.get("/orgs/officers/?" + q)
                client.get("/healthz")
            per_user = max(1, n_requests // 2)
            order = [queries[i % len(queries)] for i in range(per_user)]
            rng.shuffle(order)
            for q in order:
                t = time.perf_counter()
                r = client.get("/orgs/officers/?" + q)
                ms = (time.perf_counter() - t) * 1000
                if r.status_code != 200:
                    raise RuntimeError(f"/orgs/officers/?{q} → {r.status_code}")
                timings[label].append(ms)
                per_query.setdefault(q or "(无筛选)", []).append(ms)
                t = time.perf_counter()
                client.get("/healthz")
                health.append((time.perf_counter() - t) * 1000)
        all_ms = timings["citysupervisor"] + timings["head"]
        return {
            "requests": len(all_ms), "p50": percentile(all_ms, 50), "p95": percentile(all_ms, 95),
            "max": max(all_ms),
            "by_user": {k: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for k, v in timings.items()},
            "by_query": {k: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for k, v in per_query.items()},
            "health_p50": percentile(health, 50), "health_p95": percentile(health, 95),
            "officers_visible_to_supervisor": Officer.objects.restrict(sup).count(),
        }

    # (c) Excel import ---------------------------------------------------------------------------
    def bench_import(self, n_rows: int) -> dict:
        try:
            from zhifa.orgs.excel import OFFICER_HEADERS, import_officers
        except ImportError:
            return {"available": False}
        import openpyxl

        data = self.officer_xlsx(n_rows, OFFICER_HEADERS)
        t = time.perf_counter()
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        parsed = sum(1 for _ in wb.active.iter_rows(values_only=True)) - 1
        wb.close()
        baseline = time.perf_counter() - t
        from zhifa.orgs.models import Officer, User

        admin = User.objects.get(username="admin")
        before = Officer.objects.count()
        f = io.BytesIO(data)
        f.name = "执法人员导入.xlsx"
        t = time.perf_counter()
        report = import_officers(f, acting_user=admin)
        seconds = time.perf_counter() - t
        created = Officer.objects.count() - before
        errors = [f"第{e.row}行 {e.column}：{e.message}" for e in report.errors[:5]]
        return {"available": True, "rows": n_rows, "parsed": parsed, "seconds": seconds,
                "baseline_seconds": baseline, "created": created, "errors": errors,
                "bytes": len(data)}

    @staticmethod
    def officer_xlsx(n: int, headers) -> bytes:
        """n new officers spread over the seeded entities, in the importer's own layout."""
        import openpyxl

        from zhifa.common.identifiers import make_id_number
        from zhifa.orgs.models import Certificate, Entity, Officer, Unit
        from zhifa.site.demo.names import mobile, person_name

        rng = random.Random(2026)
        used = set(Officer.objects.values_list("id_number", flat=True))
        used_certs = set(Certificate.objects.values_list("number", flat=True))
        entities = list(Entity.objects.select_related("region").order_by("pk"))
        units = {}
        for u in Unit.objects.order_by("pk"):
            units.setdefault(u.entity_id, u.name)
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("执法人员")
        ws.append(list(headers))
        today = dt.date.today()
        for i in range(n):
            e = entities[i % len(entities)]
            gender = "M" if rng.random() < 0.6 else "F"
            while True:
                born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(13000))
                idn = make_id_number(e.region.code[:6], born, rng.randrange(500), gender)
                if idn not in used:
                    used.add(idn)
                    break
            number = f"IM{today.year}{i + 1:07d}"
            assert number not in used_certs
            issued = today - dt.timedelta(days=rng.randrange(30, 1500))
            row = {
                "执法主体": e.name, "内设机构": units.get(e.pk, ""), "姓名": person_name(rng, gender),
                "身份证号": idn, "性别": "男" if gender == "M" else "女", "手机号": mobile(rng), "职务": "执法队员",
                "状态": "在岗", "法律职业资格": "否", "法律职业资格证书编号": "", "是法制审核人员": "否",
                "执法证号": number, "执法领域": (e.fields.split("、")[0] or "综合行政执法"),
                "发证机关": "贵州省人民政府", "发证日期": issued, "有效期至": issued.replace(year=issued.year + 5)
                if not (issued.month == 2 and issued.day == 29) else dt.date(issued.year + 5, 2, 28),
                "证件状态": "有效",
            }
            ws.append([row.get(h, "") for h in headers])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    # report -------------------------------------------------------------------------------------------
    def report(self, r: dict) -> list[list[str]]:
        s, li, im = r["seed"], r["list"], r["import"]
        rows = [[
            f"seed `{r['scale']}` ({s['entities']} entities, {s['officers']:,} officers, {s['items']:,} items; "
            f"{s['rows']:,} rows incl. change log)",
            f"{s['seconds']:.1f} s", "< 60 s" if r["scale"] == "bijie" else "—",
            f"INSERT … SELECT {s['rows']:,} rows: {s['baseline_seconds']:.2f} s",
            f"{s['seconds'] / max(s['baseline_seconds'], 1e-9):.0f}×",
            _ok(s["seconds"] < 60) if r["scale"] == "bijie" else "—",
        ], [
            f"/orgs/officers/ with filters, {li['requests']} requests (city supervisor sees "
            f"{li['officers_visible_to_supervisor']:,}; agency head), p50 / p95",
            f"{li['p50']:.1f} / {li['p95']:.1f} ms", "p95 < 100 ms",
            f"/healthz p95 {li['health_p95']:.1f} ms", f"{li['p95'] / max(li['health_p95'], 1e-9):.0f}×",
            _ok(li["p95"] < 100),
        ]]
        if im.get("available"):
            ok = im["created"] == im["rows"]
            rows.append([
                f"import {im['rows']:,} officers from .xlsx ({im['bytes'] / 1e6:.1f} MB"
                + ("" if ok else f"; created {im['created']}, errors: {'; '.join(im['errors'])}") + ")",
                f"{im['seconds']:.1f} s", "< 20 s",
                f"openpyxl read-only parse: {im['baseline_seconds']:.2f} s",
                f"{im['seconds'] / max(im['baseline_seconds'], 1e-9):.1f}×", _ok(ok and im["seconds"] < 20),
            ])
        else:
            rows.append(["import officers from .xlsx", "importer not available", "< 20 s", "—", "—", "—"])
        return rows


from zhifa.blobs.bench_blobs import Records as Ingest  # noqa: E402  (zhifa bench ingest)
from zhifa.disclosure.bench_portal import Portal  # noqa: E402  (zhifa bench portal)
from zhifa.ledger.bench_ledger import Ledger  # noqa: E402  (zhifa bench ledger)
from zhifa.records.bench import RecordsAll  # noqa: E402  (zhifa bench records = ingest + ledger)
from zhifa.site.bench_cases import Cases  # noqa: E402  (zhifa bench cases)
from zhifa.supervision.bench import Supervision  # noqa: E402  (zhifa bench supervision)

SUITES = {"foundation": Foundation, "cases": Cases, "ledger": Ledger, "ingest": Ingest, "records": RecordsAll,
          "portal": Portal, "supervision": Supervision}
HEADERS = ["measurement", "result", "target", "baseline", "ratio", "met"]


def markdown(rows) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "性能基准测试（在独立的基准测试数据库上运行）：zhifa bench foundation | cases"

    def add_arguments(self, parser):
        parser.add_argument("suite", choices=list(SUITES))
        parser.add_argument("--database-url", default=os.environ.get("ZHIFA_BENCH_DATABASE_URL"),
                            help=f"基准测试数据库（会被删除重建），默认 {DEFAULT_URL}（cases：…/zhifa_bench_cases）")
        parser.add_argument("--keep", action="store_true", help="结束后保留基准测试数据库")
        parser.add_argument("--scale", default="bijie", choices=["county", "city", "bijie"])
        parser.add_argument("--requests", type=int, default=280, help="列表页请求次数（两个账号合计）")
        parser.add_argument("--import-rows", type=int, default=10000)
        parser.add_argument("--doc", default=str(settings.BASE_DIR / "docs" / "benchmarks.md"),
                            help="追加结果的文档")
        parser.add_argument("--no-doc", action="store_true", help="不写文档，只打印")
        for suite in SUITES.values():  # suite-specific options (documented by each suite)
            for flags, kw in getattr(suite, "arguments", ()):
                parser.add_argument(*flags, **kw)
        parser.add_argument("--json-out", help=argparse_hidden())
        parser.add_argument("--inner", action="store_true", help=argparse_hidden())

    def handle(self, *args, suite, database_url, keep, **opts):
        bench = SUITES[suite]()
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
            for dest in getattr(SUITES[suite], "options", ()):
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
        details += getattr(SUITES.get(suite), "details", lambda _r: [])(r)
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
