"""Search latency over published decisions (run by `zhifa bench_portal_search`, throwaway database;
SQLite or PostgreSQL — the million-row PostgreSQL figures come from `zhifa bench portal`).

Fills N cases + published Publications with redacted generated decision texts (bulk inserts,
no actions, no ledger), then times `public.search` + the first page (count + 20 rows) for queries
of 1–8 characters, with and without an entity filter. Server-side time only (no HTTP)."""
from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from zhifa.cases.models import Case
from zhifa.common.identifiers import make_credit_code
from zhifa.disclosure import corpus, public, redact, search
from zhifa.disclosure.models import Publication
from zhifa.disclosure.pipeline import normalise
from zhifa.orgs.models import Entity, Region

QUERIES = ["食", "罚款", "过期", "食品安全", "道路运输", "明码标价", "销售过期食品", "城市市容和环境卫生"]


def fill(n: int, seed: int = 1):
    r = random.Random(seed)
    gz, _ = Region.objects.get_or_create(code="520000", defaults={"name": "贵州省", "level": 1})
    region, _ = Region.objects.get_or_create(code="520502", defaults={"name": "七星关区", "level": 3, "parent": gz})
    entities = [Entity.objects.create(name=f"测试执法局{i}", short_code=f"测{i}", region=region,
                                      credit_code=make_credit_code("520502", f"{i:08d}")) for i in range(5)]
    docs = corpus.generate(200, seed)
    bodies = [(redact.redact(d.text, d.names, d.keep), d) for d in docs]
    batch = 2000
    for start in range(0, n, batch):
        k = min(batch, n - start)
        cases = Case.objects.bulk_create([Case(kind="penalty_general", state="closed", title="销售过期食品案",
                                               entity=r.choice(entities), number=f"B{start + i}")
                                          for i in range(k)])
        pubs = []
        for c in cases:
            body, _doc = r.choice(bodies)
            on = dt.date(2025, 1, 1) + dt.timedelta(days=r.randint(0, 600))
            title = f"{c.entity.name}第{c.pk}号行政处罚决定"
            pubs.append(Publication(case=c, entity=c.entity, decision_number=f"B{c.pk}", decided_on=on,
                                    published_on=on, state="published", source_text="", public_title=title,
                                    public_body=body, fine_amount=r.randint(1, 50) * 1000, category="市场监管",
                                    search_text=normalise(title + body),
                                    search_tokens=search.tokens(normalise(title + body))))
        Publication.objects.bulk_create(pubs)
    return entities


def run(n: int, repeat: int = 20, out=print):
    entities = fill(n)
    out(f"{n} published decisions; {repeat} runs per query; server time of search + count + first page")
    out("| query (chars) | filter | p50 ms | p95 ms | hits |")
    out("|---|---|---|---|---|")
    for q in QUERIES:
        for filt in ({}, {"entity": str(entities[0].pk), "min_amount": "10000"}):
            times, hits = [], 0
            for _ in range(repeat):
                t = time.perf_counter()
                res, nq = public.search_page({"q": q, **filt})
                hits = res.count
                rows = [(p.public_title, public.highlight(p.public_body, nq, 120)) for p in res]
                times.append((time.perf_counter() - t) * 1000)
                assert len(rows) <= 20
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            out(f"| {q} ({len(q)}) | {'entity+amount' if filt else '—'} | {statistics.median(times):.1f} | {p95:.1f} | {hits} |")
