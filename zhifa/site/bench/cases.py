"""`zhifa bench cases`: the case-handling core on PostgreSQL (issue 3, Performance).

    zhifa bench cases [--scale bijie] [--cases 10000] [--workers N] [--writers 16] [--numbers 4000]
                      [--open-cases 100000] [--queue-requests 400]

(1) closure: `--cases` general-procedure cases from 案源登记 to 结案 through the real actions
    (zhifa.cases.actions: every guard, effect, timeline event, change-log row, number and deadline),
    in `--workers` processes (default: one per CPU), each with its own connection; wall-clock time
    from the start signal to the last case closed. Baseline: the same number of transitions as bare
    transactions (lock the case row, bump its version, append one event) in as many processes.
(2) numbering: `--writers` processes, each with its own connection, issue `--numbers` numbers from
    one counter (zhifa.cases.numbering.next_number, one transaction each); the issued numbers must
    be exactly 1..N. Processes, not threads: Python threads would queue on the GIL while one of
    them holds the row lock. Baseline: the same number of nextval() calls on a PostgreSQL sequence
    (no gap-free guarantee) from as many processes.
(3) work queue: `--open-cases` open cases are bulk-created as fixture (bench/cases_data.py), the
    daily refresh_deadlines() runs, then GET /cases/queue/ (the UI page) and GET /api/v1/cases/queue
    are timed through django.test.Client for officers, heads, reviewers and supervisors. Baseline:
    /healthz through the same client and middleware.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import time
import traceback
from collections import Counter, defaultdict

from zhifa.common.registry import bench_suites

ARGUMENTS = [
    (("--cases",), dict(type=int, default=10000, help="cases: 从登记到结案的案件数")),
    (("--workers",), dict(type=int, default=0, help="cases: 办案进程数（默认为CPU数）")),
    (("--writers",), dict(type=int, default=16, help="cases: 并发取号的写入者（进程，各自连接）")),
    (("--numbers",), dict(type=int, default=4000, help="cases: 取号总数")),
    (("--open-cases",), dict(type=int, default=100000, help="cases: 待办队列测试的未结案件数")),
    (("--queue-requests",), dict(type=int, default=400, help="cases: 待办队列请求次数")),
    (("--statement-cases",), dict(type=int, default=20, help="cases: 逐环节计数SQL语句的案件数")),
]


# Transitions that only change state (no period, number or document): the ≤ 15 statements target.
PLAIN_TRANSITIONS = ("file_case", "start_investigation")


def _bench():
    from zhifa.common import benchkit as bench

    return bench


@bench_suites.register("cases", order=20)
class Cases:
    """Issue 'cases': closure throughput, concurrent numbering, the work queue at 100 000 open cases."""

    name = "cases"
    default_url = "postgresql://postgres@127.0.0.1:5432/zhifa_bench_cases"
    arguments = ARGUMENTS
    options = ("cases", "workers", "writers", "numbers", "open_cases", "queue_requests", "statement_cases")

    def run(self, opts) -> dict:
        from django import get_version

        from zhifa.site.bench import cases_data as data

        b = _bench()
        out = {"scale": opts["scale"], "db": b.db_version(), "django": get_version()}
        t = time.perf_counter()
        out["org"] = data.prepare_org(opts["scale"])
        start, end = data.bench_window()
        self.desks = data.build_desks(start, end)
        out["org"].update(seconds=time.perf_counter() - t, desks=len(self.desks),
                          handlers=sum(len(d.officers) for d in self.desks))
        out["window"] = [str(start), str(end)]
        out["closure"] = self.bench_closure(opts["cases"], opts["workers"] or os.cpu_count() or 1, start, end)
        out["statements"] = self.bench_statements(opts["statement_cases"], start, end)
        out["numbering"] = self.bench_numbering(opts["writers"], opts["numbers"])
        out["fixture"] = self.build_open_cases(opts["open_cases"], start, end)
        out["queue"] = self.bench_queue(opts["queue_requests"])
        return out

    # (1) closure through the actions ----------------------------------------------------------------
    def bench_closure(self, n: int, workers: int, start, end) -> dict:
        from zhifa.site.bench import cases_data as data

        plans = data.closure_plans(self.desks, n, start, end)
        slices = [plans[i::workers] for i in range(workers)]
        results = _in_processes(workers, lambda k: _drive_slice(slices[k], self.desks))
        seconds = results["seconds"]
        errors = [e for r in results["parts"] for e in r["errors"]]
        closed = sum(r["closed"] for r in results["parts"])
        transitions = sum(r["transitions"] for r in results["parts"])
        baseline = _in_processes(workers, lambda k: _bare_transitions(transitions // workers, k))
        paths = Counter(p.path for p in plans)
        return {"cases": n, "workers": workers, "seconds": seconds, "closed": closed, "transitions": transitions,
                "errors": errors[:5], "error_count": len(errors), "paths": dict(paths),
                "cases_per_s": closed / seconds, "transitions_per_s": transitions / seconds,
                "baseline_seconds": baseline["seconds"], "baseline_per_s": transitions / baseline["seconds"],
                "per_process_cpu": [round(r["cpu"], 1) for r in results["parts"]],
                "cpu_ms_per_transition": sum(r["cpu"] for r in results["parts"]) * 1000 / max(transitions, 1),
                "baseline_cpu_ms": sum(r["cpu"] for r in baseline["parts"]) * 1000 / max(transitions, 1),
                **closure_checks(n)}

    # (1b) statements per transition (issue 23) ---------------------------------------------------------
    def bench_statements(self, n: int, start, end) -> dict:
        """`n` more cases taken 案源登记 → 结案 in this process, every action's SQL statements counted
        (CaptureQueriesContext around apply_transition / create_case); baseline: the 3 statements of
        the bare lock + update + insert transaction."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from zhifa.cases.actions import general, kinds
        from zhifa.site.bench import cases_data as data

        counts: dict[str, list[int]] = defaultdict(list)
        originals = {(m, name): getattr(m, name) for m in (general, kinds) for name in ("apply_transition", "create_case")}

        def counted(fn):
            def run(*args, **kw):
                with CaptureQueriesContext(connection) as ctx:
                    out = fn(*args, **kw)
                counts[args[1]].append(len(ctx))  # (case, name, …) and (kind, name, data, …)
                return out
            return run

        for (m, name), fn in originals.items():
            setattr(m, name, counted(fn))
        cpu = time.process_time()
        try:
            plans = data.closure_plans(self.desks, n, start, end)
            errors = _drive_slice(plans, self.desks)["errors"]
        finally:
            for (m, name), fn in originals.items():
                setattr(m, name, fn)
            cpu = time.process_time() - cpu
        per = {k: sum(v) / len(v) for k, v in counts.items()}
        total = sum(len(v) for v in counts.values())
        plain = {k: v for k, v in per.items() if k in PLAIN_TRANSITIONS}
        return {"cases": n, "transitions": total, "mean": sum(sum(v) for v in counts.values()) / max(total, 1),
                "per_transition": {k: round(v, 1) for k, v in sorted(per.items(), key=lambda kv: kv[1])},
                "plain_max": max(plain.values(), default=0), "decide": per.get("decide", 0),
                "cpu_ms": cpu * 1000 / max(total, 1), "errors": errors[:3]}

    # (2) numbering ------------------------------------------------------------------------------------
    def bench_numbering(self, writers: int, total: int) -> dict:
        """`writers` processes (own connections, no shared GIL) issue numbers from one counter."""
        from django.db import connection

        from zhifa.cases.models import NumberCounter
        from zhifa.cases.numbering import format_number

        entity = self.desks[0].entity
        year = dt.date.today().year
        per = max(1, total // writers)
        total = per * writers
        run = _in_processes(writers, lambda k: _issue_numbers(entity, year, per))
        issued = [n for part in run["parts"] for n in part.get("issued", [])]
        errors = [e for part in run["parts"] for e in part.get("errors", [])]
        expected = {format_number(entity.short_code, "notice", year, k) for k in range(1, total + 1)}
        last = NumberCounter.objects.get(entity=entity, doc_type="notice", year=year).last
        # Baseline: a plain sequence (no gap-free guarantee) from as many processes; SQLite: autoincrement.
        pg = connection.vendor == "postgresql"
        with connection.cursor() as c:
            c.execute("CREATE SEQUENCE bench_numbers" if pg else
                      "CREATE TABLE bench_numbers (id integer PRIMARY KEY AUTOINCREMENT)")
        baseline = _in_processes(writers, lambda k: _nextval(per, pg))["seconds"]
        with connection.cursor() as c:
            c.execute("DROP SEQUENCE bench_numbers" if pg else "DROP TABLE bench_numbers")
        seconds = run["seconds"]
        return {"writers": writers, "numbers": total, "issued": len(issued), "seconds": seconds,
                "per_s": len(issued) / seconds, "duplicates": len(issued) - len(set(issued)),
                "gaps": len(expected - set(issued)), "counter_last": last, "errors": errors[:3],
                "baseline_seconds": baseline, "baseline_per_s": total / baseline}

    # (3) the work queue -------------------------------------------------------------------------------
    def build_open_cases(self, n: int, start, end) -> dict:
        from django.db import transaction

        from zhifa.cases.deadlines import refresh_deadlines
        from zhifa.cases.models import Case, Deadline
        from zhifa.site.bench import cases_data as data
        from zhifa.site.demo import analyze

        t = time.perf_counter()
        factory = data.OpenCaseFactory(self.desks, start, end)
        for i in range(n):
            factory.make(i)
        build = time.perf_counter() - t
        t = time.perf_counter()
        with transaction.atomic():
            rows = factory.write()
        write = time.perf_counter() - t
        t = time.perf_counter()
        breached = refresh_deadlines(end)
        refresh = time.perf_counter() - t
        analyze()
        return {"open_cases": n, "build_seconds": build, "write_seconds": write, "rows": rows,
                "refresh_seconds": refresh, "breached": breached, "states": dict(factory.stats.most_common()),
                "total_cases": Case.objects.count(), "open_total": Case.objects.open().count(),
                "running_deadlines": Deadline.objects.filter(state="running").count()}

    def queue_users(self, rng) -> dict:
        from django.db.models import Count, Q

        from zhifa.cases.machine import TERMINAL_STATES
        from zhifa.orgs.models import Officer, User

        active = Q(case_roles__active=True) & ~Q(case_roles__case__state__in=TERMINAL_STATES)
        busy = list(Officer.objects.filter(user__isnull=False).annotate(n=Count("case_roles", filter=active))
                    .filter(n__gt=0).order_by("-n").values_list("user_id", "n")[:300])
        by_load = [u for u, _ in busy]
        officers = by_load[:20] + rng.sample(by_load[20:], min(20, max(0, len(by_load) - 20)))
        desks = sorted(self.desks, key=lambda d: -len(d.officers))[:10]
        groups = {
            "officer": officers,
            "unit_head": [d.unit_head.pk for d in desks],
            "agency_head": [d.head.pk for d in desks],
            "reviewer": [d.reviewer.pk for d in desks if d.reviewer][:5],
            "county_supervisor": list(User.objects.filter(role="supervisor", entity__region__level=3)
                                      .values_list("pk", flat=True)[:4]),
            "city_supervisor": list(User.objects.filter(username="citysupervisor").values_list("pk", flat=True)),
        }
        cases = dict(busy)
        return {"groups": {k: v for k, v in groups.items() if v}, "officer_loads": [cases[u] for u in officers]}

    def bench_queue(self, n_requests: int) -> dict:
        from django.test import Client
        from django.urls import NoReverseMatch, reverse

        from zhifa.cases.deadlines import work_queue
        from zhifa.orgs.models import User

        b = _bench()
        rng = random.Random(11)
        users = self.queue_users(rng)
        try:
            ui = reverse("cases-queue")
        except NoReverseMatch:
            ui = None
        paths = {"api": "/api/v1/cases/queue"}
        if ui:
            paths = {"ui": ui, **paths, "list": reverse("cases-list")}
        order = [(g, uid) for g, ids in users["groups"].items() for uid in ids]
        per_path = max(1, n_requests // len(paths))
        timings = {p: defaultdict(list) for p in paths}
        health, sizes, errors = [], {}, []
        clients = {}
        for _group, uid in order:
            user = User.objects.get(pk=uid)
            c = Client()
            c.force_login(user)
            clients[uid] = c
            sizes[uid] = work_queue(user).count()
            for p in paths.values():  # warm-up
                c.get(p)
        groups = users["groups"]
        share = {g: (0.5 if g == "officer" else 0.5 / max(1, len(groups) - 1)) for g in groups}
        for label, path in paths.items():
            # Half the requests by officers, the rest spread evenly over the other roles.
            picks = rng.choices(list(groups), weights=[share[g] for g in groups], k=per_path)
            seq = [(g, groups[g][i % len(groups[g])]) for i, g in enumerate(picks)]
            for k, (g, uid) in enumerate(seq):
                url = path + ("?page=2" if k % 5 == 4 else "")
                t = time.perf_counter()
                r = clients[uid].get(url)
                ms = (time.perf_counter() - t) * 1000
                if r.status_code != 200:
                    errors.append(f"{url} as {g} → {r.status_code}")
                    continue
                timings[label][g].append(ms)
                t = time.perf_counter()
                clients[uid].get("/healthz")
                health.append((time.perf_counter() - t) * 1000)
        out = {"paths": paths, "errors": errors[:5], "health_p50": b.percentile(health, 50),
               "health_p95": b.percentile(health, 95), "officer_loads": users["officer_loads"]}
        for label in paths:
            all_ms = [m for v in timings[label].values() for m in v]
            out[label] = {
                "requests": len(all_ms), "p50": b.percentile(all_ms, 50), "p95": b.percentile(all_ms, 95),
                "max": max(all_ms) if all_ms else 0,
                "by_role": {g: {"n": len(v), "p50": b.percentile(v, 50), "p95": b.percentile(v, 95),
                                "queue_sizes": sorted({sizes[u] for u in users["groups"][g]})[-3:]}
                            for g, v in timings[label].items()},
            }
        return out

    # report ------------------------------------------------------------------------------------------
    def report(self, r: dict) -> list[list[str]]:
        ok = _bench().ok_mark
        c, nb, f, q = r["closure"], r["numbering"], r["fixture"], r["queue"]
        rows = [[
            f"{c['cases']:,} general-procedure cases 案源登记 → 结案 through the actions, {c['workers']} process{'es' if c['workers'] > 1 else ''} "
            f"({c['transitions']:,} transitions; {c['closed']:,} closed, {c['error_count']} refused)",
            f"{c['cases_per_s']:.1f} cases/s; {c['transitions_per_s']:.0f} transitions/s ({c['seconds']:.0f} s)",
            "—", f"bare lock + update + insert transactions, {c['workers']} process{'es' if c['workers'] > 1 else ''}: "
            f"{c['baseline_per_s']:,.0f}/s",
            f"{c['baseline_per_s'] / max(c['transitions_per_s'], 1e-9):.0f}×",
            ok(c["error_count"] == 0 and c["closed"] == c["cases"] and c["numbers_ok"]),
        ], [
            f"case numbers from one counter, {nb['writers']} concurrent writer processes ({nb['numbers']:,} numbers)",
            f"{nb['per_s']:,.0f} numbers/s; {nb['duplicates']} duplicates, {nb['gaps']} gaps",
            "0 duplicates, 0 gaps", f"nextval() of a sequence, {nb['writers']} processes: {nb['baseline_per_s']:,.0f}/s",
            f"{nb['baseline_per_s'] / max(nb['per_s'], 1e-9):.0f}×",
            ok(nb["duplicates"] == 0 and nb["gaps"] == 0 and nb["counter_last"] == nb["numbers"] and not nb["errors"]),
        ]]
        st = r.get("statements")
        if st:
            rows.append([
                f"SQL statements per transition ({st['cases']} more cases in one process, {st['transitions']} transitions, "
                "CaptureQueriesContext): mean; plain transitions (提请立案, 开始调查) max; 决定",
                f"{st['mean']:.1f}; {st['plain_max']:.1f}; {st['decide']:.0f}", "plain ≤ 15",
                "bare lock + update + insert: 3", f"{st['mean'] / 3:.1f}×", ok(st["plain_max"] <= 15 and not st["errors"])])
            rows.append([
                "CPU per transition in the closure's worker processes (client side: Python, driver)",
                f"{c['cpu_ms_per_transition']:.1f} ms", "≤ 10× bare", f"bare transaction: {c['baseline_cpu_ms']:.2f} ms",
                f"{c['cpu_ms_per_transition'] / max(c['baseline_cpu_ms'], 1e-9):.0f}×",
                ok(c["cpu_ms_per_transition"] <= 10 * c["baseline_cpu_ms"])])
        names = {"ui": "GET /cases/queue/ (page)", "api": "GET /api/v1/cases/queue", "list": "GET /cases/ (case list page)"}
        for label in q["paths"]:
            s = q[label]
            rows.append([
                f"{names[label]}, {f['open_total']:,} open cases ({f['total_cases']:,} in all), {s['requests']} "
                f"requests by {len(s['by_role'])} roles, p50 / p95",
                f"{s['p50']:.1f} / {s['p95']:.1f} ms", "p95 < 100 ms", f"/healthz p95 {q['health_p95']:.1f} ms",
                f"{s['p95'] / max(q['health_p95'], 1e-9):.0f}×", ok(s["p95"] < 100 and not q["errors"]),
            ])
            for role, v in s["by_role"].items():
                rows.append([f"… as {role} (queue sizes up to {max(v['queue_sizes']):,})",
                             f"{v['p50']:.1f} / {v['p95']:.1f} ms", "p95 < 100 ms", "", "", ok(v["p95"] < 100)])
        rows.append([
            f"fixture: {f['open_cases']:,} open cases bulk-created ({sum(f['rows'].values()):,} rows), "
            f"then refresh_deadlines() marks {f['breached']:,} breaches",
            f"{f['build_seconds'] + f['write_seconds']:.0f} s; refresh {f['refresh_seconds']:.1f} s", "—", "—", "—", "—"])
        return rows

    @staticmethod
    def details(r: dict) -> list[str]:
        c, f, q, o = r["closure"], r["fixture"], r["queue"], r["org"]
        out = [
            f"organisation: demo seed `{r['scale']}` ({o['entities']} entities, {o['officers']:,} officers, "
            f"{o['items']:,} items); {o['desks']} case-handling entities with {o['handlers']:,} certified handlers "
            f"(set-up {o['seconds']:.0f} s)",
            "closure paths: " + ", ".join(f"{k} {v:,}" for k, v in sorted(c["paths"].items()))
            + f"; CPU seconds per worker process {c['per_process_cpu']}; numbers gap-free per entity and year: "
              f"{'yes' if c['numbers_ok'] else 'NO'}",
            "open-case states: " + ", ".join(f"{k} {v:,}" for k, v in f["states"].items()),
            "fixture rows: " + ", ".join(f"{k} {v:,}" for k, v in f["rows"].items())
            + f"; running deadlines after refresh: {f['running_deadlines']:,}",
            f"officers timed: open-case loads {min(q['officer_loads'], default=0)}–{max(q['officer_loads'], default=0)}",
        ]
        st = r.get("statements")
        if st:
            out.append("statements per transition (mean of the sample): " + ", ".join(
                f"{k} {v}" for k, v in st["per_transition"].items()) + f"; CPU {st['cpu_ms']:.1f} ms per transition "
                "in the counting process (debug cursor on)")
        if c["errors"]:
            out.append("closure refusals: " + "; ".join(c["errors"]))
        if q["errors"]:
            out.append("queue errors: " + "; ".join(q["errors"]))
        return out


# ---- process and thread helpers ----------------------------------------------------------------------
def _drive_slice(plans, desks) -> dict:
    from zhifa.site.bench import cases_data as data

    closed = transitions = 0
    errors = []
    for plan in plans:
        try:
            transitions += data.drive(plan, desks)
            closed += 1
        except Exception as e:  # noqa: BLE001 - counted and reported
            errors.append(f"{type(e).__name__}: {e}"[:300])
            if len(errors) == 1:
                traceback.print_exc()
    return {"closed": closed, "transitions": transitions, "errors": errors}


def _issue_numbers(entity, year, n) -> dict:
    from django.db import transaction

    from zhifa.cases.numbering import next_number

    issued, errors = [], []
    for _ in range(n):
        try:
            with transaction.atomic():
                issued.append(next_number(entity, "notice", year))
        except Exception as e:  # noqa: BLE001 - reported in the figures
            errors.append(repr(e)[:200])
    return {"issued": issued, "errors": errors}


def _nextval(n, pg) -> dict:
    from django.db import connection

    with connection.cursor() as c:
        for _ in range(n):
            c.execute("SELECT nextval('bench_numbers')" if pg else "INSERT INTO bench_numbers DEFAULT VALUES")
    return {}


def _bare_transitions(n: int, k: int) -> dict:
    """The floor of a transition: lock a row, bump its version, append an event, commit."""
    from django.db import connection, transaction

    pg = connection.vendor == "postgresql"
    lock = " FOR UPDATE" if pg else ""
    with connection.cursor() as c:
        c.execute(f"CREATE TABLE bench_case_{k} (id bigint PRIMARY KEY, version int NOT NULL)")
        c.execute(f"CREATE TABLE bench_event_{k} (id {'bigserial' if pg else 'integer'} PRIMARY KEY, case_id bigint, "
                  f"name text, on_date date, payload {'jsonb' if pg else 'text'})")
        c.executemany(f"INSERT INTO bench_case_{k} VALUES (%s, 0)", [(i,) for i in range(1, 1001)])
    for i in range(n):
        with transaction.atomic(), connection.cursor() as c:
            c.execute(f"SELECT version FROM bench_case_{k} WHERE id = %s{lock}", [i % 1000 + 1])
            c.execute(f"UPDATE bench_case_{k} SET version = version + 1 WHERE id = %s", [i % 1000 + 1])
            c.execute(f"INSERT INTO bench_event_{k} (case_id, name, on_date, payload) VALUES (%s, 'step', %s, '{{}}')",
                      [i % 1000 + 1, dt.date.today()])
    with connection.cursor() as c:
        c.execute(f"DROP TABLE bench_case_{k}")
        c.execute(f"DROP TABLE bench_event_{k}")
    return {}


def _in_processes(n: int, fn) -> dict:
    """Run fn(k) for k < n in forked processes with their own connections; wall time from the start
    signal (all children ready) to the last one done."""
    import multiprocessing as mp
    import pickle

    from django.db import connections

    connections.close_all()
    ctx = mp.get_context("fork")
    ready, go, results = ctx.Barrier(n + 1), ctx.Event(), ctx.Queue()

    def child(k):
        try:
            ready.wait()
            go.wait()
            t = time.process_time()
            out = fn(k) or {}
            out["cpu"] = time.process_time() - t
            results.put(pickle.dumps((k, out)))
        except BaseException as e:  # noqa: BLE001 - a forked child reports every failure to the parent, never dies silently
            traceback.print_exc()
            results.put(pickle.dumps((k, {"closed": 0, "transitions": 0, "errors": [repr(e)], "cpu": 0})))
        finally:
            connections.close_all()

    procs = [ctx.Process(target=child, args=(k,)) for k in range(n)]
    for p in procs:
        p.start()
    ready.wait()
    t = time.perf_counter()
    go.set()
    parts = [pickle.loads(results.get()) for _ in procs]
    seconds = time.perf_counter() - t
    for p in procs:
        p.join()
    return {"seconds": seconds, "parts": [out for _, out in sorted(parts, key=lambda x: x[0])]}


def closure_checks(n: int) -> dict:
    """Every closed case numbered, and per entity and year the filing and decision numbers are 1..N."""
    import re

    from zhifa.cases.models import Case

    numbers_ok = True
    seen = defaultdict(list)
    for entity_id, number, decision in Case.objects.filter(state="closed").values_list("entity_id", "number",
                                                                                        "decision_number"):
        for kind, value in (("filing", number), ("decision", decision)):
            m = re.search(r"〔(\d{4})〕(\d+)号$", value or "")
            if not m:
                numbers_ok = False
                continue
            seen[(entity_id, kind, m.group(1))].append(int(m.group(2)))
    for values in seen.values():
        if sorted(values) != list(range(1, len(values) + 1)):
            numbers_ok = False
    return {"numbers_ok": numbers_ok and sum(len(v) for v in seen.values()) == 2 * n}
