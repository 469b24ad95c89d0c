"""`zhifa bench portal`: the public portal at a million published decisions (issue 6, Performance).

    zhifa bench portal [--rows 1000000] [--search-repeat 15] [--page-requests 300] [--http-seconds 10]

(1) load: `--rows` cases + published decisions into the bench database (PostgreSQL COPY in
    batches; the search indexes are dropped before and rebuilt after, as a bulk load should).
    Bodies are redacted generated decision documents (zhifa.disclosure.corpus, TEMPLATES of
    them), each row with its own title, decision number, dates, amount, category and entity;
    `search_text`/`search_tokens` are made by the same functions pipeline.build uses.
(2) search: `public.search_page` (the probe / index paths of search.py, count, first page, rows
    highlighted) for queries of 1–8 characters, without filters and with entity / region /
    category / date / amount filters; server time p50/p95. Also the whole /gs/results/ page
    through django.test.Client. Baseline: /healthz through the same client.
(3) decision page: GET /gs/results/<id>/ for random ids through django.test.Client, p95.
(4) home page under gunicorn (2 sync workers): requests per second of GET /gs/ and, in the same
    run with the same load generator, of /healthz (a minimal Django view): the overhead ratio.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from django import get_version
from django.db import connection
from django.test import Client
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.common import benchkit as bench
from zhifa.common.identifiers import make_credit_code
from zhifa.common.registry import bench_suites
from zhifa.disclosure import corpus, public, redact, search
from zhifa.disclosure.models import Publication
from zhifa.disclosure.pipeline import normalise
from zhifa.orgs.models import Entity, Region

QUERIES = ["食", "罚", "款", "罚款", "过期", "鳄鱼", "食品安", "道路运输", "明码标价", "违法所得", "销售过期食品",
           "中华人民共和国", "城市市容和环境卫", "七星关区洪山路", "价格法第四十二条",
           "〕77777号"]  # the last: one decision's number (a rare hit through the trigram index)
CATEGORIES = ["市场监管", "交通运输", "城市管理", "生态环境", "自然资源", "卫生健康", "文化市场", "农业农村"]
TEMPLATES = 120

ARGUMENTS = [
    (("--rows",), dict(type=int, default=1_000_000, help="portal: 已公示的执法决定数")),
    (("--search-repeat",), dict(type=int, default=15, help="portal: 每个检索（查询词×筛选）重复次数")),
    (("--page-requests",), dict(type=int, default=300, help="portal: 决定详情页请求次数")),
    (("--http-seconds",), dict(type=float, default=10.0, help="portal: gunicorn 压测每个地址的秒数")),
]


# ---- data -----------------------------------------------------------------------------------------

def templates(n: int = TEMPLATES, seed: int = 1) -> list[str]:
    """Redacted generated decision bodies (the redaction is the slow part: ~50 ms each)."""
    return [redact.redact(d.text, d.names, d.keep) for d in corpus.generate(n, seed)]


def org(n_entities: int = 40):
    """Regions and entities for the bench (idempotent)."""
    gz, _ = Region.objects.get_or_create(code="520000", defaults={"name": "贵州省", "level": 1})
    bj, _ = Region.objects.get_or_create(code="520500", defaults={"name": "毕节市", "level": 2, "parent": gz})
    counties = []
    for code, name in [("520502", "七星关区"), ("520521", "大方县"), ("520522", "黔西市"), ("520523", "金沙县")]:
        counties.append(Region.objects.get_or_create(code=code, defaults={"name": name, "level": 3, "parent": bj})[0])
    out = []
    for i in range(n_entities):
        reg = counties[i % len(counties)]
        e = Entity.objects.filter(short_code=f"测{i}").first() or Entity.objects.create(
            name=f"{reg.name}{CATEGORIES[i % len(CATEGORIES)]}执法局{i}", short_code=f"测{i}", region=reg,
            credit_code=make_credit_code(reg.code, f"{i:08d}"))
        out.append(e)
    return out


def rows(n: int, entities, bodies, seed: int = 1, start: int = 0):
    """Yield (case kwargs, publication kwargs) for n published decisions."""
    r = random.Random(seed + start)
    body_tokens = [search.tokens(normalise(b)) for b in bodies]
    for i in range(start, start + n):
        e = entities[r.randrange(len(entities))]
        k = r.randrange(len(bodies))
        on = dt.date(2024, 1, 1) + dt.timedelta(days=r.randint(0, 700))
        cat = CATEGORIES[r.randrange(len(CATEGORIES))]
        number = f"{e.short_code}罚〔{on.year}〕{i + 1}号"
        title = f"{e.name}{number}行政处罚决定"
        text = normalise(" ".join([title, bodies[k], cat]))
        # the body's tokens are segmented once per template; the title's per row
        toks = search.tokens(normalise(title + cat)) + " " + body_tokens[k]
        yield ({"kind": "penalty_general", "state": "closed", "title": "行政处罚案", "entity_id": e.pk,
                "number": f"BP{i + 1}"},
               {"entity_id": e.pk, "decision_number": number, "decided_on": on, "published_on": on + dt.timedelta(days=3),
                "state": "published", "category": cat, "fine_amount": r.randint(1, 200) * 500,
                "source_text": "", "public_title": title, "public_target": "", "public_body": bodies[k],
                "search_text": text, "search_tokens": toks})


def bulk_load(n: int, entities, bodies, seed: int = 1, batch: int = 5000, progress=None):
    """bulk_create in batches (both engines; used by the tests at small n and by the bench)."""
    done = 0
    while done < n:
        k = min(batch, n - done)
        pairs = list(rows(k, entities, bodies, seed, done))
        cases = Case.objects.bulk_create([Case(**c) for c, _p in pairs])
        Publication.objects.bulk_create([Publication(case=c, **p) for c, (_c, p) in zip(cases, pairs)])
        done += k
        if progress:
            progress(done)


# ---- the suite ------------------------------------------------------------------------------------

def _bench():
    return bench


PG_SEARCH_INDEXES = {
    "disclosure_pub_search_tsv": "CREATE INDEX disclosure_pub_search_tsv ON disclosure_publication "
                                 "USING gin (to_tsvector('simple'::regconfig, search_tokens))",
    "disclosure_pub_search_trgm": "CREATE INDEX disclosure_pub_search_trgm ON disclosure_publication "
                                  "USING gin (search_text gin_trgm_ops)",
}


@bench_suites.register("portal", order=60)
class Portal:
    """Issue 6: search, decision page and home page at a million published decisions."""

    name = "portal"
    default_url = "postgresql://postgres@127.0.0.1:5432/zhifa_bench_portal"
    arguments = ARGUMENTS
    options = ("rows", "search_repeat", "page_requests", "http_seconds")

    def run(self, opts) -> dict:
        b = _bench()
        out = {"scale": f"{opts['rows']:,} decisions", "db": b.db_version(), "django": get_version()}
        with connection.cursor() as c:
            if connection.vendor == "postgresql":
                c.execute("SHOW lc_ctype")
                out["lc_ctype"] = c.fetchone()[0]

        if os.environ.get("ZHIFA_BENCH_PORTAL_REUSE") and Publication.objects.count() >= opts["rows"]:
            out["load"] = {"rows": Publication.objects.count(), "reused": True, "rows_seconds": 0,
                           "index_seconds": 0, "sizes": {}}  # developing the measurements on a kept database
        else:
            out["load"] = self.load(opts["rows"])
        out["search"] = self.bench_search(opts["search_repeat"])
        out["decision"] = self.bench_decision(opts["page_requests"])
        out["http"] = self.bench_http(opts["http_seconds"])
        return out

    def load(self, n: int) -> dict:
        t0 = time.perf_counter()
        bodies = templates()
        entities = org()
        t_tpl = time.perf_counter() - t0
        pg = connection.vendor == "postgresql"
        if pg:
            with connection.cursor() as c:
                for name in PG_SEARCH_INDEXES:
                    c.execute(f"DROP INDEX IF EXISTS {name}")
        t1 = time.perf_counter()
        if pg:
            self.copy_load(n, entities, bodies)
        else:
            bulk_load(n, entities, bodies, progress=lambda d: d % 100000 == 0 and print(f"  {d:,} rows", flush=True))
        t_rows = time.perf_counter() - t1
        t2 = time.perf_counter()
        sizes = {}
        if pg:
            with connection.cursor() as c:
                c.execute("SET maintenance_work_mem = '1GB'")
                for name, sql in PG_SEARCH_INDEXES.items():
                    t = time.perf_counter()
                    c.execute(sql)
                    print(f"  index {name}: {time.perf_counter() - t:.0f} s", flush=True)
                c.execute("VACUUM ANALYZE disclosure_publication")
                c.execute("VACUUM ANALYZE cases_case")
                for name in [*PG_SEARCH_INDEXES, "disclosure_publication"]:
                    c.execute("SELECT pg_size_pretty(pg_total_relation_size(%s::regclass))"
                              if name == "disclosure_publication" else
                              "SELECT pg_size_pretty(pg_relation_size(%s::regclass))", [name])
                    sizes[name] = c.fetchone()[0]
        return {"rows": n, "templates_seconds": t_tpl, "rows_seconds": t_rows,
                "index_seconds": time.perf_counter() - t2, "sizes": sizes}

    def copy_load(self, n, entities, bodies, batch: int = 50000):
        """COPY cases and publications in batches; ids come from the tables' sequences."""
        case_cols, case_defaults = _copy_columns(Case, {"kind", "state", "title", "entity_id", "number"})
        pub_cols, pub_defaults = _copy_columns(Publication, {"case_id"} | set(next(rows(1, entities, bodies))[1]))
        done = 0
        with connection.cursor() as c:
            # a bulk load of rows consistent by construction: no per-row foreign-key triggers;
            # lz4 rather than pglz for the TOASTed texts (PostgreSQL 14+)
            c.execute("SET session_replication_role = replica")
            c.execute("SET default_toast_compression = 'lz4'")
            while done < n:
                k = min(batch, n - done)
                pairs = list(rows(k, entities, bodies, 1, done))
                c.execute("SELECT nextval(pg_get_serial_sequence('cases_case', 'id')) FROM generate_series(1, %s)", [k])
                ids = [x[0] for x in c.fetchall()]
                with c.cursor.copy(f"COPY cases_case (id, {', '.join(case_cols)}) FROM STDIN") as cp:
                    for cid, (cw, _p) in zip(ids, pairs):
                        cp.write_row([cid, *[cw.get(col, case_defaults.get(col)) for col in case_cols]])
                with c.cursor.copy(f"COPY disclosure_publication ({', '.join(pub_cols)}) FROM STDIN") as cp:
                    for cid, (_c, pw) in zip(ids, pairs):
                        pw = {**pw, "case_id": cid}
                        cp.write_row([pw.get(col, pub_defaults.get(col)) for col in pub_cols])
                done += k
                if done % 100000 == 0 or done == n:
                    print(f"  {done:,} rows", flush=True)
            c.execute("SET session_replication_role = origin")

    # (2) search -------------------------------------------------------------------------------------
    def bench_search(self, repeat: int) -> dict:
        b = _bench()
        e = Publication.objects.order_by("id").values_list("entity_id", flat=True).first()
        filters = {
            "none": {},
            "entity": {"entity": str(e)},
            "region+category": {"region": "520521", "category": "交通运输"},
            "entity+date+amount": {"entity": str(e), "from": "2024-06-01", "to": "2025-06-30", "min_amount": "20000"},
        }
        by, rows_out = {}, []
        for q in QUERIES:
            for fname, f in filters.items():
                times, res = [], None
                for _ in range(repeat):
                    t = time.perf_counter()
                    res, nq = public.search_page({"q": q, **f}, 1)
                    [(p.public_title, public.highlight(p.public_body, nq, 120)) for p in res]
                    times.append((time.perf_counter() - t) * 1000)
                rows_out.append({"q": q, "len": len(q), "filter": fname, "p50": statistics.median(times),
                                 "p95": b.percentile(times, 95), "hits": res.count, "approx": res.approximate,
                                 "path": res.path})
                x = rows_out[-1]
                print(f"  {q} {fname}: p50 {x['p50']:.1f} p95 {x['p95']:.1f} ms, {x['hits']} hits, {x['path']}",
                      flush=True)
                by.setdefault("none" if fname == "none" else "filtered", []).extend(times)
        # deeper pages of a common query and the whole page through the client
        client = Client()
        deep = [self._time(lambda: public.search_page({"q": "罚款"}, 50)) for _ in range(repeat)]
        page_times, health = [], []
        for _ in range(repeat):
            for q in ("罚款", "食", "销售过期食品", "鳄鱼"):
                page_times.append(self._time(lambda q=q: client.get("/gs/results/", {"q": q})))
            health.append(self._time(lambda: client.get("/healthz")))
        return {"rows": rows_out,
                "p95_none": b.percentile(by["none"], 95), "p95_filtered": b.percentile(by["filtered"], 95),
                "p50_none": statistics.median(by["none"]), "p50_filtered": statistics.median(by["filtered"]),
                "deep_p95": b.percentile(deep, 95), "page_p95": b.percentile(page_times, 95),
                "page_p50": statistics.median(page_times), "health_p95": b.percentile(health, 95)}

    @staticmethod
    def _time(fn) -> float:
        t = time.perf_counter()
        resp = fn()
        if hasattr(resp, "status_code"):
            assert resp.status_code == 200, resp.status_code
        return (time.perf_counter() - t) * 1000

    # (3) decision page -------------------------------------------------------------------------------
    def bench_decision(self, n: int) -> dict:
        b = _bench()
        lo = Publication.objects.order_by("id").values_list("id", flat=True).first()
        hi = Publication.objects.order_by("-id").values_list("id", flat=True).first()
        r = random.Random(3)
        client = Client()
        client.get(f"/gs/results/{lo}/")
        times = [self._time(lambda: client.get(f"/gs/results/{r.randint(lo, hi)}/")) for _ in range(n)]
        health = [self._time(lambda: client.get("/healthz")) for _ in range(n)]
        return {"requests": n, "p50": statistics.median(times), "p95": b.percentile(times, 95),
                "health_p95": b.percentile(health, 95)}

    # (4) home page under gunicorn ---------------------------------------------------------------------
    def bench_http(self, seconds: float) -> dict:
        with socket.socket() as sock:  # a free port (a fixed one may be taken by another run)
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {**os.environ, "ZHIFA_DEBUG": "0"}
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "zhifa.wsgi:application", "--workers", "2",
                                   "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"],
                                  env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            # Warm both workers on both paths (imports, templates, the minute-long caches of the home's
            # figures): a worker's first /gs/ takes 1–3 s and would otherwise dominate a short run.
            for path in ("/gs/", "/healthz"):
                _load(base + path, 1.5, 4)
            out = {"server": "gunicorn 2 sync workers", "concurrency": 8}
            for name, path in (("health", "/healthz"), ("home", "/gs/"), ("health2", "/healthz"), ("home2", "/gs/")):
                out[name] = _load(base + path, seconds / 2, out["concurrency"])
            out["health_rps"] = (out["health"]["rps"] + out["health2"]["rps"]) / 2
            out["home_rps"] = (out["home"]["rps"] + out["home2"]["rps"]) / 2
            return out
        finally:
            server.terminate()
            server.wait(timeout=30)

    # report ------------------------------------------------------------------------------------------
    def report(self, r: dict) -> list[list[str]]:
        s, d, h, ld = r["search"], r["decision"], r["http"], r["load"]
        ok = _bench().ok_mark
        return [
            [f"load {ld['rows']:,} published decisions "
             + ("(COPY) + GIN indexes" if r["db"].startswith("PostgreSQL") else "(bulk insert, FTS5 kept by triggers)"),
             "kept database of an earlier run" if ld.get("reused") else
             f"{ld['rows_seconds']:.0f} s + {ld['index_seconds']:.0f} s", "—", "—", "—", "—"],
            ["search p95, queries of 1–8 characters, no filter (search_page: count + first page, highlighted)",
             f"{s['p95_none']:.1f} ms (p50 {s['p50_none']:.1f})", "< 100 ms", f"/healthz p95 {s['health_p95']:.1f} ms",
             f"{s['p95_none'] / max(s['health_p95'], 1e-9):.0f}×", ok(s["p95_none"] < 100)],
            ["search p95, same queries with entity / region+category / entity+date+amount filters",
             f"{s['p95_filtered']:.1f} ms (p50 {s['p50_filtered']:.1f})", "< 100 ms",
             f"/healthz p95 {s['health_p95']:.1f} ms", f"{s['p95_filtered'] / max(s['health_p95'], 1e-9):.0f}×",
             ok(s["p95_filtered"] < 100)],
            ["/gs/results/ whole page (Client), 罚款 / 食 / 销售过期食品 / 鳄鱼", f"p95 {s['page_p95']:.1f} ms",
             "—", f"/healthz p95 {s['health_p95']:.1f} ms", f"{s['page_p95'] / max(s['health_p95'], 1e-9):.0f}×", "—"],
            ["search 罚款 page 50", f"p95 {s['deep_p95']:.1f} ms", "—", "—", "—", "—"],
            [f"decision page /gs/results/<id>/ (Client, {d['requests']} random ids)",
             f"p95 {d['p95']:.1f} ms (p50 {d['p50']:.1f})", "< 50 ms", f"/healthz p95 {d['health_p95']:.1f} ms",
             f"{d['p95'] / max(d['health_p95'], 1e-9):.0f}×", ok(d["p95"] < 50)],
            [f"home page /gs/ under {h['server']}, {h['concurrency']} concurrent clients",
             f"{h['home_rps']:.0f} req/s", "—", f"minimal Django view /healthz {h['health_rps']:.0f} req/s",
             f"{h['health_rps'] / max(h['home_rps'], 1e-9):.1f}× slower", "—"],
        ]

    @staticmethod
    def details(r: dict) -> list[str]:
        ld = r["load"]
        out = [f"PostgreSQL LC_CTYPE of the bench database: {r.get('lc_ctype', '?')}; index sizes: "
               + ", ".join(f"{k} {v}" for k, v in ld["sizes"].items())]
        lines = ["| query (chars) | filter | path | p50 ms | p95 ms | hits |", "|---|---|---|---|---|---|"]
        for x in r["search"]["rows"]:
            hits = f"约 {x['hits']:,}" if x["approx"] else f"{x['hits']:,}"
            lines.append(f"| {x['q']} ({x['len']}) | {x['filter']} | {x['path']} | {x['p50']:.1f} | {x['p95']:.1f} "
                         f"| {hits} |")
        out.append("per query:\n\n" + "\n".join(lines) + "\n")
        return out


def _copy_columns(model, given: set) -> tuple[list[str], dict]:
    """Every concrete column of `model` except the primary key, with defaults for those not given."""
    cols, defaults = [], {}
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f.column)
        if f.column in given or f.attname in given:
            continue
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            defaults[f.column] = timezone.now()
        elif f.has_default():
            v = f.get_default()
            defaults[f.column] = (_json(v) if f.get_internal_type() == "JSONField" or getattr(f, "encrypted", False)
                                  else v)
        else:
            defaults[f.column] = None if f.null else ("" if f.get_internal_type() in ("CharField", "TextField") else None)
    return cols, defaults


def _json(v):
    return json.dumps(v)


def _load(url: str, seconds: float, concurrency: int) -> dict:
    """Closed-loop load: `concurrency` threads, each one request at a time, for `seconds`."""
    stop = time.perf_counter() + seconds
    counts, errors = [0] * concurrency, [0] * concurrency

    def worker(i):
        while time.perf_counter() < stop:
            try:
                with urllib.request.urlopen(url, timeout=30) as resp:
                    resp.read()
                counts[i] += 1
            except OSError:
                errors[i] += 1

    t = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    return {"requests": sum(counts), "errors": sum(errors), "rps": sum(counts) / elapsed}

