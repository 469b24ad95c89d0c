"""`zhifa bench load`: a bounded load test of a realistic mix against a real server (issue 23 item 5).

    zhifa bench load [--scale county|city|bijie] [--load-cases 20000] [--load-publications 20000]
                     [--load-users 20] [--load-seconds 30] [--load-warmup 5] [--load-workers 2] [--load-threads 4]

Set-up (not timed): the demo seed at `--scale` (the organisation, the demo logins), the legal calendar,
`--load-cases` open cases bulk-created as `zhifa bench cases` builds them (parties, officers, timeline,
deadlines, pending legal reviews; site/bench/cases_data.py) and `--load-publications` published decisions
as `zhifa bench portal` builds them. Logins are sessions in the database (as after a real login; the
roles that need the second factor carry a confirmed TOTP device in the session) and read-only API tokens.

The server: gunicorn (`gthread`, `--load-workers` processes × `--load-threads` threads) on a free port of
127.0.0.1, started by this suite with the production settings of the bench child (`DEBUG` off, the
second factor required where the roles need it, plain HTTP on loopback).

The load: locust as a library in its own process (zhifa/site/bench/locustrun.py, headless), `--load-users`
simulated people spawned at once and working for `--load-warmup` + `--load-seconds` seconds with a think
time of 0–0.5 s; only the samples after the warm-up count. The mix (people per role in proportion to
ROLE_WEIGHTS, at least one each; each person requests the role's pages in a fixed interleaved order,
each page as often as its weight): officers working
their cases (case list, case detail of one of their own cases, work queue), legal reviewers on their
review queue, supervisors on the supervision home and the case list, citizens on the portal (search,
decision page, home), API clients (case list, work queue) and the baseline: `/healthz`, a minimal
Django view through the same middleware, requested by its own simulated users in the same run, so
every page's p50/p95 is also given as a multiple of the baseline's under the same load.
"""
from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from zhifa.common.registry import bench_suites

ARGUMENTS = [
    (("--load-cases",), dict(type=int, default=20000, help="load: 批量生成的未结案件数")),
    (("--load-publications",), dict(type=int, default=20000, help="load: 批量生成的已公示执法决定数")),
    (("--load-users",), dict(type=int, default=20, help="load: 并发模拟用户数")),
    (("--load-seconds",), dict(type=float, default=30.0, help="load: 计入结果的压测秒数")),
    (("--load-warmup",), dict(type=float, default=5.0, help="load: 预热秒数（不计入结果）")),
    (("--load-workers",), dict(type=int, default=2, help="load: gunicorn 工作进程数")),
    (("--load-threads",), dict(type=int, default=4, help="load: 每个 gunicorn 工作进程的线程数")),
]

QUERIES = ["罚款", "食品", "过期", "道路运输", "明码标价", "违法所得", "销售过期食品", "城市市容"]
# page name → (role, weight within the role); the role weights are the share of simulated people
ROLE_WEIGHTS = {"officer": 6, "reviewer": 1, "supervisor": 1, "citizen": 5, "api": 2, "baseline": 2}
BASELINE = "baseline /healthz"


def _bench():
    from zhifa.common import benchkit as bench

    return bench


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@bench_suites.register("load", order=90)
class Load:
    """Issue 23: throughput, p50/p95 and errors of a mix of pages under gunicorn, against /healthz."""

    name = "load"
    default_url = "postgresql://postgres@127.0.0.1:5432/zhifa_bench_load"
    arguments = ARGUMENTS
    options = ("load_cases", "load_publications", "load_users", "load_seconds", "load_warmup", "load_workers",
               "load_threads")

    def run(self, opts) -> dict:
        from django import get_version

        b = _bench()
        out = {"scale": opts["scale"], "db": b.db_version(), "django": get_version()}
        t = time.perf_counter()
        out["data"] = self.build(opts)
        out["data"]["seconds"] = time.perf_counter() - t
        roles = self.logins()
        out["logins"] = {r: len(s.get("sessions") or s.get("tokens")) for r, s in roles.items()
                         if s.get("sessions") or s.get("tokens")}  # citizens and the baseline: anonymous
        out["http"] = self.load(roles, opts)
        return out

    # set-up -----------------------------------------------------------------------------------------
    def build(self, opts) -> dict:
        from django.db import transaction

        from zhifa.site.demo import is_seeded

        if os.environ.get("ZHIFA_BENCH_LOAD_REUSE") and is_seeded():  # a database kept by an earlier run (--keep)
            return self.counts({"reused": True})

        from zhifa.cases.deadlines import refresh_deadlines
        from zhifa.disclosure import bench as portal_bench
        from zhifa.site.bench import cases_data as data
        from zhifa.site.demo import analyze

        t = time.perf_counter()

        def step(label):
            nonlocal t
            print(f"  {label}: {time.perf_counter() - t:.1f} s", flush=True)
            t = time.perf_counter()

        org = data.prepare_org(opts["scale"])
        step("demo seed")
        start, end = data.bench_window()
        self.desks = data.build_desks(start, end)
        factory = data.OpenCaseFactory(self.desks, start, end)
        for i in range(opts["load_cases"]):
            factory.make(i)
        with transaction.atomic():
            factory.write()
        refresh_deadlines(end)
        step(f"{opts['load_cases']} open cases")
        n_pub = opts["load_publications"]
        if n_pub:
            bodies = portal_bench.templates(min(portal_bench.TEMPLATES, max(5, n_pub // 200)))
            portal_bench.bulk_load(n_pub, portal_bench.org(), bodies)
            step(f"{n_pub} published decisions")
        analyze()
        return self.counts({**org, "desks": len(self.desks)})

    @staticmethod
    def counts(out: dict) -> dict:
        from zhifa.cases.models import Case
        from zhifa.disclosure.models import Publication
        from zhifa.orgs.models import Entity, Officer

        return {"entities": Entity.objects.count(), "officers": Officer.objects.count(), **out,
                "open_cases": Case.objects.open().count(), "cases": Case.objects.count(),
                "publications": Publication.objects.filter(state="published").count()}

    def logins(self) -> dict:
        """Per role: sessions (or tokens) and the pages the role requests."""
        from django.db.models import Count, Q

        from zhifa.accounts.actions import do_create_token
        from zhifa.accounts.models import ApiToken
        from zhifa.cases.machine import TERMINAL_STATES
        from zhifa.cases.models import CaseOfficer, LegalReview
        from zhifa.disclosure.models import Publication
        from zhifa.orgs.models import Officer, User

        rng = random.Random(23)
        active = Q(case_roles__active=True) & ~Q(case_roles__case__state__in=TERMINAL_STATES)
        busy = list(Officer.objects.filter(user__isnull=False, user__role="officer")
                    .annotate(n=Count("case_roles", filter=active)).filter(n__gt=0).order_by("-n")
                    .values_list("user_id", flat=True)[:40])
        officers = busy[:20]
        own = {}
        for k, uid in enumerate(officers):
            ids = list(CaseOfficer.objects.filter(officer__user_id=uid, active=True)
                       .values_list("case_id", flat=True)[:50])
            own[str(k)] = [f"/cases/{i}/" for i in ids]
        # the reviewers with pending reviews (a non-empty queue) first
        pending = list(LegalReview.objects.filter(decided_on__isnull=True, reviewer__role="legal_reviewer")
                       .values_list("reviewer_id", flat=True).distinct()[:10])
        reviewers = pending or list(User.objects.filter(role="legal_reviewer").values_list("pk", flat=True)[:5])
        supervisors = list(User.objects.filter(role="supervisor").order_by("entity__region__level", "pk")
                           .values_list("pk", flat=True)[:5])
        pubs = list(Publication.objects.filter(state="published").values_list("pk", flat=True)[:5000])
        tokens = []
        for uid in officers[:10]:
            _tok, text = do_create_token(acting_user=User.objects.get(pk=uid), name="zhifa bench load",
                                         scope=ApiToken.Scope.READ)
            tokens.append(text)
        roles = {
            "officer": {"sessions": [self.session(u) for u in officers], "pages": [
                {"name": "officer case list /cases/", "paths": ["/cases/", "/cases/?page=2"], "weight": 2},
                {"name": "officer case detail /cases/<id>/", "paths": own, "weight": 3},
                {"name": "officer work queue /cases/queue/", "paths": ["/cases/queue/"], "weight": 1}]},
            "reviewer": {"sessions": [self.session(u) for u in reviewers], "pages": [
                {"name": "reviewer review queue /review/", "paths": ["/review/"], "weight": 1}]},
            "supervisor": {"sessions": [self.session(u) for u in supervisors], "pages": [
                {"name": "supervisor home /supervision/", "paths": ["/supervision/"], "weight": 1},
                {"name": "supervisor case list /cases/", "paths": ["/cases/"], "weight": 1}]},
            "citizen": {"pages": [
                {"name": "portal search /gs/results/?q=", "weight": 3,
                 "paths": [f"/gs/results/?q={urllib.parse.quote(q)}" for q in QUERIES]},
                {"name": "portal decision /gs/results/<id>/", "weight": 2,
                 "paths": [f"/gs/results/{i}/" for i in rng.sample(pubs, min(200, len(pubs)))] or ["/gs/results/"]},
                {"name": "portal home /gs/", "paths": ["/gs/"], "weight": 1}]},
            "api": {"tokens": tokens, "pages": [
                {"name": "API case list /api/v1/cases", "paths": ["/api/v1/cases", "/api/v1/cases?offset=20"],
                 "weight": 2},
                {"name": "API work queue /api/v1/cases/queue", "paths": ["/api/v1/cases/queue"], "weight": 1}]},
            "baseline": {"pages": [{"name": BASELINE, "paths": ["/healthz"], "weight": 1}]},
        }
        for r, spec in roles.items():
            spec["weight"] = ROLE_WEIGHTS[r]
        return {r: s for r, s in roles.items() if s.get("sessions", True) and s.get("tokens", True)}

    @staticmethod
    def session(user_id: int) -> str:
        """A session as a login leaves it (the second factor passed where the role needs it)."""
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from zhifa.accounts.policy import SECOND_FACTOR_ROLES
        from zhifa.orgs.models import User

        user = User.objects.get(pk=user_id)
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if user.role in SECOND_FACTOR_ROLES:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="bench", confirmed=True)
            s[DEVICE_ID_SESSION_KEY] = device.persistent_id
        s.create()
        return s.session_key

    # the run ----------------------------------------------------------------------------------------
    def load(self, roles: dict, opts) -> dict:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "ZHIFA_DEBUG": "0", "ZHIFA_HTTPS": "0", "ZHIFA_REQUIRE_2FA": "1",
               "ZHIFA_SESSION_IDLE_MINUTES": "0"}
        server_cmd = [sys.executable, "-m", "gunicorn", "zhifa.wsgi:application", "-k", "gthread",
                      "--workers", str(opts["load_workers"]), "--threads", str(opts["load_threads"]),
                      "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"]
        server = subprocess.Popen(server_cmd, env=env)
        try:
            self.wait_ready(base, server)
            preflight = self.preflight(base, roles)
            with tempfile.TemporaryDirectory() as tmp:
                cfg, res = Path(tmp) / "config.json", Path(tmp) / "out.json"
                cfg.write_text(json.dumps({
                    "host": base, "users": opts["load_users"], "spawn_rate": max(1, opts["load_users"]),
                    "seconds": opts["load_seconds"], "warmup": opts["load_warmup"], "wait": [0.0, 0.5],
                    "roles": roles}, ensure_ascii=False), encoding="utf-8")
                cpu0 = _cpu_seconds(server.pid)
                t = time.perf_counter()
                proc = subprocess.run([sys.executable, "-m", "zhifa.site.bench.locustrun", str(cfg), str(res)],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                      timeout=opts["load_warmup"] + opts["load_seconds"] + 120)
                wall = time.perf_counter() - t
                server_cpu = _cpu_seconds(server.pid) - cpu0
                if proc.returncode != 0 or not res.exists():
                    raise RuntimeError(f"locust 进程失败（退出码 {proc.returncode}）：\n{proc.stdout[-3000:]}")
                raw = json.loads(res.read_text(encoding="utf-8"))
        finally:
            server.terminate()
            server.wait(timeout=30)
        return self.summarise(raw, preflight, opts, wall, server_cpu)

    @staticmethod
    def wait_ready(base: str, server) -> None:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn 未能启动（退出码 {server.returncode}）")
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn 60 秒内未就绪")

    @staticmethod
    def preflight(base: str, roles: dict) -> dict:
        """Each page once per role with the first login: the status (the load counts non-200 as errors)."""

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **kw):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        out = {}
        for spec in roles.values():
            headers = {}
            if spec.get("sessions"):
                headers["Cookie"] = "sessionid=" + spec["sessions"][0]
            if spec.get("tokens"):
                headers["Authorization"] = "Bearer " + spec["tokens"][0]
            for page in spec["pages"]:
                paths = page["paths"]
                path = (paths["0"] if isinstance(paths, dict) else paths)[0]
                try:
                    with opener.open(urllib.request.Request(base + path, headers=headers), timeout=60) as r:
                        out[page["name"]] = r.status
                except urllib.error.HTTPError as e:
                    out[page["name"]] = e.code
        return out

    @staticmethod
    def summarise(raw: dict, preflight: dict, opts, wall: float, server_cpu: float) -> dict:
        pct = _bench().percentile
        seconds = raw["seconds"]
        pages = {}
        for name in sorted(set(raw["samples"]) | set(raw["failures"])):
            ms = raw["samples"].get(name, [])
            fails = raw["failures"].get(name, 0)
            n = len(ms) + fails
            pages[name] = {"requests": n, "errors": fails, "error_rate": fails / n if n else 0.0,
                           "rps": n / seconds if seconds else 0.0,
                           "p50": pct(ms, 50), "p95": pct(ms, 95), "max": max(ms) if ms else 0.0}
        base = pages.get(BASELINE, {"p50": 0.0, "p95": 0.0})
        for p in pages.values():
            p["ratio_p50"] = p["p50"] / base["p50"] if base["p50"] else 0.0
            p["ratio_p95"] = p["p95"] / base["p95"] if base["p95"] else 0.0
        total = sum(p["requests"] for p in pages.values())
        errors = sum(p["errors"] for p in pages.values())
        return {"server": f"gunicorn gthread, {opts['load_workers']} workers × {opts['load_threads']} threads",
                "users": raw["users"], "per_role": raw.get("per_role", {}), "seconds": seconds, "warmup": opts["load_warmup"], "pages": pages,
                "requests": total, "errors": errors, "error_rate": errors / total if total else 0.0,
                "rps": total / seconds if seconds else 0.0, "failure_examples": raw.get("failure_examples", []),
                "preflight": preflight, "wall_seconds": wall, "server_cpu_seconds": server_cpu}

    # report -----------------------------------------------------------------------------------------
    def report(self, r: dict) -> list[list[str]]:
        h, d = r["http"], r["data"]
        b = h["pages"].get(BASELINE, {"p50": 0.0, "p95": 0.0})
        base = f"/healthz p50 / p95 {b['p50']:.1f} / {b['p95']:.1f} ms"
        rows = [[f"mix under {h['server']}, {h['users']} simulated people, {h['seconds']:.1f} s after "
                 f"{h['warmup']:.0f} s warm-up ({d['open_cases']:,} open cases, {d['publications']:,} published "
                 f"decisions)", f"{h['rps']:.1f} req/s; {h['requests']:,} requests, {h['errors']} errors "
                 f"({h['error_rate']:.2%})", "0 errors", "—", "—", _bench().ok_mark(h["errors"] == 0)]]
        for name, p in h["pages"].items():
            if name == BASELINE:
                continue
            rows.append([f"{name}: {p['requests']:,} requests, {p['rps']:.1f}/s, {p['errors']} errors",
                         f"{p['p50']:.1f} / {p['p95']:.1f} ms", "—", base,
                         f"{p['ratio_p50']:.0f}× / {p['ratio_p95']:.0f}×", "—"])
        rows.append([f"{BASELINE}: {b.get('requests', 0):,} requests (the baseline, same run)",
                     f"{b['p50']:.1f} / {b['p95']:.1f} ms", "—", "—", "1×", "—"])
        return rows

    @staticmethod
    def details(r: dict) -> list[str]:
        h, d = r["http"], r["data"]
        out = [f"data: demo seed `{r['scale']}` ({d.get('entities')} entities, {d.get('officers')} officers), "
               f"{d.get('desks', '?')} case-handling entities, {d['cases']:,} cases ({d['open_cases']:,} open), "
               f"{d['publications']:,} published decisions; set-up {d['seconds']:.0f} s"
               + (" (database kept by an earlier run)" if d.get("reused") else ""),
               "logins: " + ", ".join(f"{k} {v}" for k, v in r["logins"].items()),
               "simulated people per role: " + ", ".join(f"{k} {v}" for k, v in h.get("per_role", {}).items()),
               f"server CPU (gunicorn master + workers) {h['server_cpu_seconds']:.0f} s in {h['wall_seconds']:.0f} s "
               "of load-generator wall time; locust and PostgreSQL share the same 2 CPUs",
               "result column: p50 / p95 of the round trip seen by locust (FastHttpUser, keep-alive, loopback); "
               "ratio column: the page's p50 / p95 divided by /healthz's p50 / p95 measured in the same run"]
        if h["failure_examples"]:
            out.append("errors: " + "; ".join(h["failure_examples"][:5]))
        return out


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children still running (gunicorn's workers)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total
