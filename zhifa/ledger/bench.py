"""`zhifa bench ledger`: the tamper-evident log at a million entries.

    zhifa bench ledger [--entries 1000000] [--appends 2000] [--proofs 1000]

(1) build: `--entries` entries through log.append_many in transactions of 10 000, one in ten of
    them through the change log's own hook (common.actions.bulk_log_created: ChangeLog rows that
    `verify` must then find and fingerprint). Baseline: INSERT … SELECT of as many rows of similar
    width into a bare table.
(2) single appends at that size: `--appends` calls of log.append, each in its own transaction (so
    each pays a head lock, a frontier read, the inserts and a commit). Baseline: a one-row INSERT
    in its own transaction into a bare table.
(3) proofs at that size: `--proofs` inclusion and consistency proofs between random sizes in the
    upper half of the log, p50/p95. Baseline: one primary-key lookup of an entry.
(4) `zhifa verify` over the whole log. Baseline: streaming every body and SHA-256 hashing it.
"""
from __future__ import annotations

import io
import random
import time
from types import ModuleType
from typing import Any

from zhifa.common.registry import bench_suites

ARGUMENTS = [
    (("--entries",), dict(type=int, default=1_000_000, help="ledger: 预先写入的日志条目数")),
    (("--appends",), dict(type=int, default=2000, help="ledger: 单条追加（各自一个事务）的次数")),
    (("--proofs",), dict(type=int, default=1000, help="ledger: 包含证明、一致性证明各测几次")),
]
CHUNK = 10_000
EVENTS = ["record.added", "record.version", "record.accessed", "case.transition", "document.generated"]


def _bench() -> ModuleType:
    from zhifa.common import benchkit as bench

    return bench


def _ms(seconds_list: list[float]) -> dict[str, float]:
    b = _bench()
    return {"p50": b.percentile(seconds_list, 50) * 1000, "p95": b.percentile(seconds_list, 95) * 1000}


@bench_suites.register("ledger", order=30)
class Ledger:
    """Issue 'ledger': building, appending, proving and verifying at 1 000 000 entries."""

    name = "ledger"
    default_url = "postgresql://postgres@127.0.0.1:5432/zhifa_bench_ledger"
    arguments = ARGUMENTS
    options = ("entries", "appends", "proofs")

    def run(self, opts: dict[str, Any]) -> dict[str, Any]:
        from django import get_version

        b = _bench()
        out = {"scale": f"{opts['entries']:,} entries", "db": b.db_version(), "django": get_version()}
        out["build"] = self.build(opts["entries"])
        out["append"] = self.bench_append(opts["appends"])
        out["proofs"] = self.bench_proofs(opts["proofs"])
        out["verify"] = self.bench_verify()
        return out

    # (1) ------------------------------------------------------------------------------------------
    def build(self, n: int) -> dict[str, Any]:
        from django.db import connection, transaction

        from zhifa.common.actions import bulk_log_created
        from zhifa.ledger import log
        from zhifa.orgs.models import Region

        rng = random.Random(9)
        t = time.perf_counter()
        done = 0
        while done < n:
            k = min(CHUNK, n - done)
            changes = k // 10
            with transaction.atomic():
                # Real rows behind the change-logged tenth, so the row-drift check has as many to compare.
                regions = Region.objects.bulk_create([
                    Region(code=f"{900000000 + done + i:09d}", name=f"基准乡镇{done + i}", level=Region.Level.TOWN,
                           path=f"{900000000 + done + i:09d}") for i in range(changes)])
                bulk_log_created(regions, acting_user=None, reason="bench")
                log.append_many([(EVENTS[i % len(EVENTS)], {
                    "case": rng.randrange(1, 100_000),
                    "data": {"sha256": rng.randbytes(32).hex(), "size": rng.randrange(10**7), "item": done + i},
                }) for i in range(k - changes)])
            done += k
        seconds = time.perf_counter() - t
        with connection.cursor() as c:
            c.execute("ANALYZE")  # statistics for the planner after the bulk load
            c.execute("CREATE TABLE bench_baseline (seq bigint, body text, h bytea)" if connection.vendor == "postgresql"
                      else "CREATE TABLE bench_baseline (seq bigint, body text, h blob)")
            t = time.perf_counter()
            if connection.vendor == "postgresql":
                c.execute("INSERT INTO bench_baseline SELECT g, repeat(md5(g::text), 5), sha256(g::text::bytea) "
                          "FROM generate_series(1, %s) g", [n])
            else:
                c.execute("INSERT INTO bench_baseline WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s "
                          "WHERE g < %s) SELECT g, hex(randomblob(80)), randomblob(32) FROM s", [n])
            baseline = time.perf_counter() - t
            c.execute("DROP TABLE bench_baseline")
        return {"entries": log.size(), "seconds": seconds, "baseline_seconds": baseline}

    # (2) ------------------------------------------------------------------------------------------
    def bench_append(self, n: int) -> dict[str, Any]:
        from django.db import connection, transaction

        from zhifa.ledger import log

        times: list[float] = []
        t0 = time.perf_counter()
        for i in range(n):
            t = time.perf_counter()
            with transaction.atomic():
                log.append("bench.single", case=i, data={"i": i})
            times.append(time.perf_counter() - t)
        total = time.perf_counter() - t0
        base: list[float] = []
        with connection.cursor() as c:
            c.execute("CREATE TABLE bench_single (id bigint primary key, body text)")
        for i in range(n):
            t = time.perf_counter()
            with transaction.atomic(), connection.cursor() as c:
                c.execute("INSERT INTO bench_single VALUES (%s, %s)", [i, "x" * 200])
            base.append(time.perf_counter() - t)
        with connection.cursor() as c:
            c.execute("DROP TABLE bench_single")
        return {"appends": n, "seconds": total, "per_second": n / max(total, 1e-9), **_ms(times),
                "baseline_per_second": n / max(sum(base), 1e-9), "baseline": _ms(base), "size_after": log.size()}

    # (3) ------------------------------------------------------------------------------------------
    def bench_proofs(self, n: int) -> dict[str, Any]:
        from zhifa.ledger import log, merkle
        from zhifa.ledger.models import LedgerEntry

        size = log.size()
        rng = random.Random(3)
        inc: list[float] = []
        con: list[float] = []
        base: list[float] = []
        checked = 0
        for k in range(n):
            second = rng.randrange(max(1, size // 2), size + 1)
            index, first = rng.randrange(second), rng.randrange(1, second + 1)
            t = time.perf_counter()
            proof = log.inclusion_proof(index, second)
            inc.append(time.perf_counter() - t)
            t = time.perf_counter()
            cproof = log.consistency_proof(first, second)
            con.append(time.perf_counter() - t)
            t = time.perf_counter()
            leaf = bytes(LedgerEntry.objects.filter(seq=index).values_list("leaf_hash", flat=True)[0])
            base.append(time.perf_counter() - t)
            if k % 50 == 0:  # and they are right
                r2 = log.root(second)
                assert merkle.verify_inclusion(index, second, leaf, proof, r2)
                assert merkle.verify_consistency(first, second, log.root(first), r2, cproof)
                checked += 1
        return {"proofs": n, "size": size, "inclusion": _ms(inc), "consistency": _ms(con), "baseline": _ms(base),
                "checked": checked}

    # (4) ------------------------------------------------------------------------------------------
    def bench_verify(self) -> dict[str, Any]:
        import hashlib

        from django.core.management import call_command
        from django.core.management.base import CommandError
        from django.db import connection

        from zhifa.ledger import log

        out = io.StringIO()
        t = time.perf_counter()
        try:
            call_command("verify", stdout=out)
            ok = True
        except CommandError:
            ok = False
        seconds = time.perf_counter() - t
        t = time.perf_counter()
        last = -1
        with connection.cursor() as c:
            while True:  # the same keyset chunks verify reads, hashing each body once
                c.execute("SELECT seq, body FROM ledger_ledgerentry WHERE seq > %s ORDER BY seq LIMIT 10000", [last])
                rows = c.fetchall()
                if not rows:
                    break
                for _seq, body in rows:
                    hashlib.sha256(b"\x00" + body.encode()).digest()
                last = rows[-1][0]
        baseline = time.perf_counter() - t
        return {"entries": log.size(), "seconds": seconds, "ok": ok, "baseline_seconds": baseline,
                "output": out.getvalue()[-2000:], "drift": self.bench_drift()}

    def bench_drift(self) -> dict[str, Any]:
        """The row-drift check alone: time, Python heap peak (tracemalloc, a second pass), and one edit
        behind the application found. Baseline: reading every change-log snapshot and every row."""
        import tracemalloc

        from django.db import connection

        from zhifa.common.models import ChangeLog
        from zhifa.ledger.drift import check_row_drift
        from zhifa.orgs.models import Region

        rows = Region.objects.count()
        t = time.perf_counter()
        clean = list(check_row_drift())
        seconds = time.perf_counter() - t
        t = time.perf_counter()
        for _after in ChangeLog.objects.values_list("after", flat=True).iterator(chunk_size=10_000):
            pass
        for _row in Region.objects.values_list("pk", "code", "name", "level", "parent", "path").iterator(
                chunk_size=10_000):
            pass
        baseline = time.perf_counter() - t
        tracemalloc.start()
        sum(1 for _ in check_row_drift())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        victim = Region.objects.filter(code__startswith="9").order_by("?").first()
        found: list[Any] = []
        tamper_found = False
        if victim is not None:
            with connection.cursor() as c:  # the insider's UPDATE, behind the application
                c.execute(f"UPDATE {Region._meta.db_table} SET name = %s WHERE id = %s", ["篡改", victim.pk])
            found = [d for d in check_row_drift() if d.kind == "ledger.row_drift"]
            with connection.cursor() as c:
                c.execute(f"UPDATE {Region._meta.db_table} SET name = %s WHERE id = %s", [victim.name, victim.pk])
            tamper_found = len(found) == 1 and f"pk={victim.pk}" in found[0].where
        return {"rows": rows, "seconds": seconds, "findings": len(clean), "baseline_seconds": baseline,
                "peak_mb": peak / 1e6, "tamper_found": tamper_found}

    # report ----------------------------------------------------------------------------------------
    def report(self, r: dict[str, Any]) -> list[list[str]]:
        ok = _bench().ok_mark
        b, a, p, v = r["build"], r["append"], r["proofs"], r["verify"]
        per_m = b["entries"] / 1e6
        rows = [[
            f"build {b['entries']:,} entries with append_many (10 % through the change-log hook)",
            f"{b['seconds']:.1f} s ({b['entries'] / max(b['seconds'], 1e-9):,.0f} /s)", "< 5 min per 1 000 000",
            f"INSERT … SELECT {b['entries']:,} rows: {b['baseline_seconds']:.2f} s",
            f"{b['seconds'] / max(b['baseline_seconds'], 1e-9):.0f}×", ok(b["seconds"] < 300 * max(per_m, 0.01)),
        ], [
            f"single append in its own transaction at {a['size_after']:,} entries ({a['appends']:,} appends), "
            f"p50 / p95", f"{a['per_second']:,.0f} /s; {a['p50']:.2f} / {a['p95']:.2f} ms", "≥ 200 /s",
            f"one-row INSERT + COMMIT: {a['baseline_per_second']:,.0f} /s",
            f"{a['baseline_per_second'] / max(a['per_second'], 1e-9):.1f}×", ok(a["per_second"] >= 200),
        ]]
        for kind in ("inclusion", "consistency"):
            rows.append([
                f"{kind} proof at {p['size']:,} entries ({p['proofs']:,} random sizes in the upper half), p50 / p95",
                f"{p[kind]['p50']:.2f} / {p[kind]['p95']:.2f} ms", "p95 < 20 ms",
                f"primary-key lookup p95 {p['baseline']['p95']:.2f} ms",
                f"{p[kind]['p95'] / max(p['baseline']['p95'], 1e-9):.0f}×", ok(p[kind]["p95"] < 20),
            ])
        rows.append([
            f"`zhifa verify` over {v['entries']:,} entries" + ("" if v["ok"] else " (**reported discrepancies**)"),
            f"{v['seconds']:.1f} s", "< 3 min per 1 000 000",
            f"stream + SHA-256 every body: {v['baseline_seconds']:.1f} s",
            f"{v['seconds'] / max(v['baseline_seconds'], 1e-9):.1f}×",
            ok(v["ok"] and v["seconds"] < 180 * max(per_m, 0.01)),
        ])
        d = v.get("drift")
        if d:
            rows.append([
                f"row-drift check alone: {d['rows']:,} change-logged rows against their latest snapshot "
                f"(part of `zhifa verify`); Python heap peak {d['peak_mb']:.1f} MB; an UPDATE behind the "
                f"application {'found' if d['tamper_found'] else '**not found**'}",
                f"{d['seconds']:.1f} s", "verify < 60 s per 1 000 000, memory flat",
                f"read every snapshot and row: {d['baseline_seconds']:.1f} s",
                f"{d['seconds'] / max(d['baseline_seconds'], 1e-9):.1f}×",
                ok(d["tamper_found"] and d["findings"] == 0 and v["seconds"] < 60 * max(per_m, 0.01)),
            ])
        return rows

    @staticmethod
    def details(r: dict[str, Any]) -> list[str]:
        v = r.get("verify", {})
        last = [line for line in v.get("output", "").splitlines() if line.strip()][-1:]
        return [f"verify summary: {last[0] if last else '—'}",
                f"proofs spot-checked against roots: {r.get('proofs', {}).get('checked', 0)}"]
