"""`zhifa bench discretion`: similar-case lookup over a province's decided cases (issue 22, Performance).

    zhifa bench discretion [--sim-cases 1000000] [--sim-items 500] [--sim-queries 200]

Corpus (synthetic, generated in the child process, no database rows): `--sim-cases` decided cases of
one province over `--sim-items` power items, each with facts written from templates (subject, place, act
of its item, goods, amounts, circumstances), a fine and an article. What a decision stores is its
profile (tokens by rjieba); the corpus is tokenized first (timed as the per-decision cost), then:

(1) index build: SimilarIndex.build over the profiles (item/article groups + bm25s sparse matrix)
    (target < 10 minutes). Baseline: tokenizing the same facts with rjieba.
(2) lookup: SimilarIndex.query for a case (same item first, then BM25 over its facts, province mask,
    top 8) plus MinHash near-duplicate marks of the 8 hits — what similar_cases() does besides fetching
    the 8 rows by primary key — p50 / p95 of `--sim-queries` cases (target p95 < 200 ms). Baseline: one
    numpy argpartition over as many floats as there are cases (the floor of any full scan).
(3) save / memory-mapped load of the index (what `zhifa discretion reindex` writes and the other
    processes read), and the child's peak resident memory.
"""
from __future__ import annotations

import random
import resource
import tempfile
import time
from pathlib import Path

from zhifa.common.registry import bench_suites

ARGUMENTS = [
    (("--sim-cases",), dict(type=int, default=1_000_000, help="discretion: 已决案件数")),
    (("--sim-items",), dict(type=int, default=500, help="discretion: 权责事项数")),
    (("--sim-queries",), dict(type=int, default=200, help="discretion: 类案查询次数")),
]
SUBJECTS = ["当事人", "该公司", "该经营部", "该超市", "该个体工商户", "该餐饮店", "该药店", "该企业"]
PLACES = ["在其经营场所", "在其门店内", "在农贸市场摊位", "在网络店铺", "在其生产车间", "在其仓库", "在其餐厅后厨", "在其柜台"]
ACTS = ["销售超过保质期的{g}", "销售侵犯注册商标专用权的{g}", "未按规定明码标价销售{g}", "生产不符合食品安全标准的{g}",
        "使用未经定期检验的{e}", "未取得许可经营{g}", "发布虚假广告宣传{g}", "销售掺杂掺假的{g}", "未建立进货查验记录销售{g}",
        "使用不合格计量器具称量{g}", "销售失效变质的{g}", "擅自改变{e}用途"]
GOODS = ["牛奶", "白酒", "食用油", "大米", "面粉", "饮料", "糕点", "月饼", "茶叶", "蜂蜜", "奶粉", "保健食品", "化妆品", "口罩",
         "电线", "轮胎", "童装", "玩具", "眼镜", "燃气灶", "电动车", "插座", "水泥", "钢筋", "药品", "农药", "化肥", "种子"]
EQUIP = ["电梯", "锅炉", "压力容器", "起重机械", "叉车", "燃气热水器", "游乐设施"]
EXTRA = ["执法人员责令其改正后仍未改正", "当事人主动下架并封存涉案商品", "当事人如实陈述违法事实", "经抽检不合格",
         "群众举报后经核查属实", "当事人系初次违法", "一年内曾因同类违法行为受过处罚", "涉案商品已全部售出",
         "当事人不能提供进货凭证", "造成消费者身体不适"]


def fact(rng: random.Random, item: int) -> str:
    act = ACTS[item % len(ACTS)].format(g=rng.choice(GOODS), e=rng.choice(EQUIP))
    n, v = rng.randint(2, 300), rng.randint(100, 90000)
    extra = "，".join(rng.sample(EXTRA, rng.randint(1, 3)))
    return f"{rng.choice(SUBJECTS)}{rng.choice(PLACES)}{act}{n}件，货值金额{v}元，违法所得{v // 10}元，{extra}。"


@bench_suites.register("discretion", order=80)
class Discretion:
    """Issue 22: similar-case lookup p95 and index build time at 1 000 000 decided cases."""

    name = "discretion"
    default_url = "sqlite:////tmp/zhifa_bench_discretion.sqlite3"
    arguments = ARGUMENTS
    options = ("sim_cases", "sim_items", "sim_queries")

    def run(self, opts) -> dict:
        import numpy as np

        from zhifa.common import benchkit
        from zhifa.discretion import similar as sim

        n, n_items, n_q = opts["sim_cases"], opts["sim_items"], opts["sim_queries"]
        rng = random.Random(22)
        t = time.perf_counter()
        items = [rng.randrange(n_items) for _ in range(n)]
        facts = [fact(rng, it) for it in items]
        gen_s = time.perf_counter() - t
        t = time.perf_counter()
        tokens = [" ".join(sim.tokenize(f)) for f in facts]
        tok_s = time.perf_counter() - t

        def rows():
            for i in range(n):
                yield (i + 1, i + 1, "52", f"B{items[i]:04d}", f"法{items[i] % 97}:{items[i] % 50 + 1}", tokens[i],
                       1000 + (items[i] * 37 + i) % 50000)

        t = time.perf_counter()
        idx = sim.SimilarIndex.build(rows())
        build_s = time.perf_counter() - t
        tokens.clear()
        qrng = random.Random(7)
        times, hits_total = [], 0
        for _ in range(n_q):
            it = qrng.randrange(n_items)
            text = fact(qrng, it)
            t = time.perf_counter()
            hits = idx.query(province=52, items=[f"B{it:04d}"], articles=[f"法{it % 97}:{it % 50 + 1}"],
                             tokens=sim.tokenize(text), k=8)
            mine = sim.minhash(text)
            for h in hits:
                mine.jaccard(sim.minhash(facts[h.case_id - 1]))
            times.append((time.perf_counter() - t) * 1000)
            hits_total += len(hits)
        base = []
        arr = np.random.default_rng(1).random(n)
        for _ in range(20):
            t = time.perf_counter()
            np.argpartition(-arr, 7)[:8]
            base.append((time.perf_counter() - t) * 1000)
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            idx.save(Path(tmp) / "idx")
            save_s = time.perf_counter() - t
            t = time.perf_counter()
            sim.SimilarIndex.load(Path(tmp) / "idx")
            load_s = time.perf_counter() - t
        return {"cases": n, "items": n_items, "queries": n_q, "generate_s": gen_s, "tokenize_s": tok_s,
                "build_s": build_s, "p50_ms": benchkit.percentile(times, 50), "p95_ms": benchkit.percentile(times, 95),
                "base_p95_ms": benchkit.percentile(base, 95), "hits_avg": hits_total / max(n_q, 1),
                "save_s": save_s, "load_s": load_s, "vocab": len(idx.retriever.vocab_dict) if idx.retriever else 0,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}

    def report(self, r: dict) -> list[list[str]]:
        from zhifa.common.benchkit import ok_mark

        return [
            [f"similar-case index build over {r['cases']:,} decided cases ({r['items']} power items, "
             f"vocabulary {r['vocab']:,})", f"{r['build_s']:.1f} s", "< 600 s",
             f"rjieba tokenizing the facts {r['tokenize_s']:.1f} s", f"{r['build_s'] / max(r['tokenize_s'], 1e-9):.2f}×",
             ok_mark(r["build_s"] < 600)],
            [f"similar-case lookup (item/article + BM25 top 8, MinHash of the hits), p50 / p95 of {r['queries']}",
             f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} ms", "p95 < 200 ms",
             f"argpartition over {r['cases']:,} floats p95 {r['base_p95_ms']:.1f} ms",
             f"{r['p95_ms'] / max(r['base_p95_ms'], 1e-9):.2f}×", ok_mark(r["p95_ms"] < 200)],
            ["index save / memory-mapped load; child peak RSS", f"{r['save_s']:.1f} s / {r['load_s']:.1f} s; "
             f"{r['peak_rss_mb']:.0f} MB", "—", "—", "—", "—"],
        ]
