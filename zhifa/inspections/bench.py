"""`zhifa bench inspections`: the verifiable draw at scale (issue 19, Performance).

    zhifa bench inspections [--sjs-objects 100000] [--sjs-inspectors 2000] [--sjs-recusals 100]

Synthetic rosters generated in the child process (no database rows: the draw, the kit and
verify-draw are pure functions, zhifa/inspections/algorithm.py; the action adds one commit and one
result row around them): `--sjs-objects` objects in the 4 credit-risk strata (A 40 %, B 30 %, C 20 %,
D 10 %; ratios 3 / 5 / 10 / 20 %), `--sjs-inspectors` certified inspectors, 2 per object. Each figure
has a baseline measured in the same run:

(1) snapshots: both rosters sorted, every row a canonical-JSON leaf, the RFC 9162 Merkle roots.
    Baseline: SHA-256 of every leaf alone (the hashing floor, no tree).
(2) draw: commitment → seed → stratified partial Fisher–Yates with rejection sampling → inspector
    matching. Baseline: Python's `random.Random(seed).sample` of the same counts (unverifiable).
(3) publish: the verification kit written as JSON (what the portal serves). Baseline: json.dumps
    of the object snapshot alone.
(4) `zhifa verify-draw`: parse the kit, recompute both roots, the commitment digest, the draw and
    `--sjs-recusals` 回避 re-draws. Baseline: json.loads of the kit alone.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import resource
import time
from typing import Any

from zhifa.common.registry import bench_suites

ARGUMENTS = [
    (("--sjs-objects",), dict(type=int, default=100_000, help="inspections: 检查对象名录库条数")),
    (("--sjs-inspectors",), dict(type=int, default=2_000, help="inspections: 执法检查人员数")),
    (("--sjs-recusals",), dict(type=int, default=100, help="inspections: 抽取后的回避重新抽取次数")),
]
LEVELS = (("A", 40, "3"), ("B", 30, "5"), ("C", 20, "10"), ("D", 10, "20"))
INDUSTRIES = ["食品销售", "餐饮服务", "药品零售", "特种设备使用", "成品油零售", "日用品批发"]


def rosters(n_objects: int, n_inspectors: int, rng: random.Random) -> tuple[list[dict], list[dict]]:
    from zhifa.common.identifiers import make_credit_code

    weights = [w for _, w, _ in LEVELS]
    levels = [lv for lv, _, _ in LEVELS]
    objects = []
    for i in range(n_objects):
        last = (dt.date(2026, 9, 1) - dt.timedelta(days=rng.randint(1, 900))).isoformat() if rng.random() < .3 else None
        objects.append({"key": make_credit_code("520502", f"{i:08d}", authority="9"), "name": f"毕节市测试商贸{i}号有限公司",
                        "kind": "market", "industry": INDUSTRIES[i % 6], "area": "七星关区", "size": "小型",
                        "risk": rng.choices(levels, weights)[0], "abnormal": rng.random() < .05, "last_inspected": last})
    inspectors = [{"officer": i + 1, "name": f"检查员{i + 1}", "certificate": f"52050200{i + 1:06d}",
                   "cert_expires": "2029-12-31", "fields": ["市场监管"], "specialty": f"执法{i % 9 + 1}中队"}
                  for i in range(n_inspectors)]
    return objects, inspectors


def _kit(commitment: dict, objects, inspectors, reveal, result, recusals) -> dict[str, Any]:
    from zhifa.inspections import algorithm as alg
    from zhifa.inspections.verify_draw import COMMIT_EVENT, KIT_FORMAT
    from zhifa.ledger.pure import canonical_json

    digest = hashlib.sha256(canonical_json(commitment)).hexdigest()
    entry = {"type": COMMIT_EVENT, "time": "2026-09-10T02:00:00.000000Z", "data": {"commitment_sha256": digest}}
    return {"format": KIT_FORMAT, "commitment": commitment, "commitment_sha256": digest,
            "ledger_entry": json.dumps(entry), "ledger_seq": 1, "objects": objects, "inspectors": inspectors,
            "reveal": reveal, "result": result, "result_sha256": alg.result_hash(result), "recusals": recusals}


@bench_suites.register("inspections", order=90)
class Inspections:
    """Issue 19: snapshot, draw, publish and verify-draw at 100 000 objects and 2 000 inspectors."""

    name = "inspections"
    default_url = "sqlite:////tmp/zhifa_bench_inspections.sqlite3"
    arguments = ARGUMENTS
    options = ("sjs_objects", "sjs_inspectors", "sjs_recusals")

    def run(self, opts: dict[str, Any]) -> dict[str, Any]:
        from django import get_version

        from zhifa.inspections import algorithm as alg
        from zhifa.inspections.verify_draw import check
        from zhifa.ledger.pure import canonical_json

        n, m, n_rec = opts["sjs_objects"], opts["sjs_inspectors"], opts["sjs_recusals"]
        rng = random.Random(19)
        t = time.perf_counter()
        objects, inspectors = rosters(n, m, rng)
        gen_s = time.perf_counter() - t
        # (1) snapshots
        t = time.perf_counter()
        objects = alg.sort_objects(objects)
        inspectors = alg.sort_inspectors(inspectors)
        roots = alg.root(objects), alg.root(inspectors)
        snap_s = time.perf_counter() - t
        t = time.perf_counter()
        for r in objects:
            hashlib.sha256(alg.leaf(r)).digest()
        for r in inspectors:
            hashlib.sha256(alg.leaf(r)).digest()
        snap_base_s = time.perf_counter() - t
        # (2) draw
        commitment = {
            "algorithm": alg.ALGORITHM, "draw": 1, "draw_date": "2026-09-10",
            "entity": {"id": 1, "name": "七星关区市场监督管理局"},
            "batch": {"id": 1, "name": "基准批次", "plan": 1, "plan_title": "基准计划", "items": ["SJ-001"],
                      "strata": [{"level": lv, "ratio": ratio} for lv, _, ratio in LEVELS], "inspectors_per_object": 2,
                      "joint_entities": [], "starts_on": "2026-09-14", "ends_on": "2026-10-30"},
            "objects": {"snapshot": 1, "root": roots[0], "count": len(objects)},
            "inspectors": {"snapshot": 2, "root": roots[1], "count": len(inspectors)},
            "exclusions": {"window_days": 180, "recusals": []},
            "source": {"kind": "lottery", "name": "中国福利彩票双色球", "issue": "2026105", "draw_on": "2026-09-11"},
        }
        reveal = {"value": "03 08 15 21 27 30 12"}
        revealed = alg.revealed_bytes(commitment["source"], reveal)
        t = time.perf_counter()
        result = alg.draw(commitment, objects, inspectors, revealed)
        draw_s = time.perf_counter() - t
        selected = [(key, ids) for _, key, ids in alg.selected(result)]
        t = time.perf_counter()
        sampler = random.Random(alg.seed_of(canonical_json(commitment), revealed))
        for s in result["strata"]:
            pool = [o for o in objects if o["risk"] == s["level"]]
            for _ in sampler.sample(pool, s["count"]):
                sampler.sample(inspectors, 2)
        draw_base_s = time.perf_counter() - t
        picks = random.Random(5).sample(selected, min(n_rec, len(selected)))
        recusals = [{"index": i + 1, "key": key, "officer": ids[0], "on": "2026-09-15"} for i, (key, ids) in enumerate(picks)]
        t = time.perf_counter()
        replaced = alg.replay_recusals(commitment, result, inspectors, recusals)
        recusal_s = time.perf_counter() - t
        for r, new in zip(recusals, replaced, strict=True):
            r["replacement"] = new
        # (3) publish: the kit
        t = time.perf_counter()
        kit_bytes = json.dumps(_kit(commitment, objects, inspectors, reveal, result, recusals), ensure_ascii=False,
                               sort_keys=True).encode("utf-8")
        kit_s = time.perf_counter() - t
        t = time.perf_counter()
        json.dumps(objects, ensure_ascii=False).encode("utf-8")
        kit_base_s = time.perf_counter() - t
        # (4) verify-draw
        t = time.perf_counter()
        checks = check(json.loads(kit_bytes))
        verify_s = time.perf_counter() - t
        t = time.perf_counter()
        json.loads(kit_bytes)
        verify_base_s = time.perf_counter() - t
        failed = [text for ok, text in checks if not ok]
        if failed:
            raise RuntimeError(f"verify-draw failed on the bench kit: {failed}")
        return {"scale": f"{n:,} objects, {m:,} inspectors", "db": "no database (pure functions)", "django": get_version(),
                "objects": n, "inspectors": m, "selected": len(selected), "recusals": len(recusals),
                "generate_s": gen_s, "snapshot_s": snap_s, "snapshot_base_s": snap_base_s, "draw_s": draw_s,
                "draw_base_s": draw_base_s, "recusal_s": recusal_s, "kit_s": kit_s, "kit_base_s": kit_base_s,
                "kit_mb": len(kit_bytes) / 1e6, "verify_s": verify_s, "verify_base_s": verify_base_s,
                "strata": {s["level"]: [s["eligible"], s["count"]] for s in result["strata"]},
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}

    def report(self, r: dict) -> list[list[str]]:
        from zhifa.common.benchkit import ok_mark

        def ratio(a, b):
            return f"{a / max(b, 1e-9):.2f}×"

        total = r["snapshot_s"] + r["draw_s"] + r["kit_s"]
        return [
            [f"snapshots: Merkle roots of {r['objects']:,} objects and {r['inspectors']:,} inspectors",
             f"{r['snapshot_s']:.2f} s", "—", f"SHA-256 of every leaf {r['snapshot_base_s']:.2f} s",
             ratio(r["snapshot_s"], r["snapshot_base_s"]), "—"],
            [f"draw: {r['selected']:,} objects in 4 strata, 2 inspectors each (rejection sampling)",
             f"{r['draw_s']:.2f} s", "—", f"random.sample of the same counts {r['draw_base_s']:.2f} s",
             ratio(r["draw_s"], r["draw_base_s"]), "—"],
            [f"publish: verification kit ({r['kit_mb']:.1f} MB JSON)", f"{r['kit_s']:.2f} s", "—",
             f"json.dumps of the object snapshot {r['kit_base_s']:.2f} s", ratio(r["kit_s"], r["kit_base_s"]), "—"],
            ["commit + draw + publish (snapshots, draw, kit)", f"{total:.2f} s", "< 10 s", "—", "—", ok_mark(total < 10)],
            [f"zhifa verify-draw (roots, commitment, draw, {r['recusals']} 回避 re-draws)", f"{r['verify_s']:.2f} s",
             "< 10 s", f"json.loads of the kit {r['verify_base_s']:.2f} s", ratio(r["verify_s"], r["verify_base_s"]),
             ok_mark(r["verify_s"] < 10)],
            ["回避 re-draws replayed; child peak RSS", f"{r['recusal_s'] * 1000:.0f} ms; {r['peak_rss_mb']:.0f} MB",
             "—", "—", "—", "—"],
        ]

    @staticmethod
    def details(r: dict) -> list[str]:
        strata = ", ".join(f"{lv} {e:,} eligible → {c:,}" for lv, (e, c) in r["strata"].items())
        return [f"strata: {strata}", f"synthetic rosters generated in {r['generate_s']:.1f} s (not counted)"]
