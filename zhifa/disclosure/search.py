"""Fast Chinese full-text search over published decisions (公示平台 执法结果), PostgreSQL and SQLite.

Write time (pipeline.build): `search_text` is the public title, body and category lower-cased
without whitespace (what a visitor's query is matched against: a result contains the query as a
substring, exactly); `search_tokens` is the same text segmented with rjieba (search mode) plus
every letter/digit as its own token, space separated.

Indexes (migration 0003_search):
- PostgreSQL: a GIN index on to_tsvector('simple', search_tokens) and a pg_trgm GIN index over
  `search_text` (pg_trgm classifies CJK as word characters only when the database's LC_CTYPE
  is a UTF-8 locale such as C.UTF-8; under C it extracts no CJK trigrams and the 3+ path
  degrades to a scan — still exact, not fast); `search_text` is stored inline (STORAGE MAIN).
- SQLite: FTS5 tables `disclosure_search_tokens` (unicode61 over search_tokens) and
  `disclosure_search_trigram` (tokenize='trigram' over search_text), holding published rows
  only, kept in sync by triggers on state/search columns (so withdrawn rows leave at once).

Query (`find`): every answer is checked with an exact substring match on `search_text`, so the
indexes only choose candidates and the results equal a brute-force scan.
1. Probe: the newest PROBE rows that pass the filters are matched in the database. When a
   query is common (a visitor typing 罚款 or 食) the first pages come from here, and the total
   is estimated from the hit density ("约 N 条").
2. Otherwise the index path: 3+ characters → trigram index (pg_trgm LIKE / FTS5 trigram phrase);
   1–2 characters → the single-character tokens (every character of the query must be in the
   row: tsvector `a & b` / FTS5 `"a" AND "b"`), then the exact substring check. Queries with no
   letter or digit (punctuation) scan the filtered rows.
Counts are exact up to COUNT_CAP; beyond it they are estimated (PostgreSQL planner rows) and
paging stops at MAX_RESULTS.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from django.db import connection, connections
from django.db.models.expressions import RawSQL

PROBE = 600
MAX_PROBE = 50000
COUNT_CAP = 2000
MAX_RESULTS = 2000
ORDER = ("-published_on", "-id")


# ---- SQLite: FTS5 tables of published rows, kept in step with every write by triggers ---------------
# (approve, withdraw, expire, redaction edits: whoever writes, the index follows)
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS disclosure_search_tokens USING fts5(tokens, detail=none, tokenize='unicode61')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS disclosure_search_trigram USING fts5(text, tokenize='trigram')",
    """CREATE TRIGGER IF NOT EXISTS disclosure_pub_search_ai AFTER INSERT ON disclosure_publication
       WHEN new.state = 'published' BEGIN
         INSERT INTO disclosure_search_tokens(rowid, tokens) VALUES (new.id, new.search_tokens);
         INSERT INTO disclosure_search_trigram(rowid, text) VALUES (new.id, new.search_text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS disclosure_pub_search_ad AFTER DELETE ON disclosure_publication BEGIN
         DELETE FROM disclosure_search_tokens WHERE rowid = old.id;
         DELETE FROM disclosure_search_trigram WHERE rowid = old.id;
       END""",
    """CREATE TRIGGER IF NOT EXISTS disclosure_pub_search_au AFTER UPDATE OF state, search_text, search_tokens
       ON disclosure_publication BEGIN
         DELETE FROM disclosure_search_tokens WHERE rowid = old.id;
         DELETE FROM disclosure_search_trigram WHERE rowid = old.id;
         INSERT INTO disclosure_search_tokens(rowid, tokens) SELECT new.id, new.search_tokens
           WHERE new.state = 'published';
         INSERT INTO disclosure_search_trigram(rowid, text) SELECT new.id, new.search_text
           WHERE new.state = 'published';
       END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS disclosure_pub_search_au",
    "DROP TRIGGER IF EXISTS disclosure_pub_search_ad",
    "DROP TRIGGER IF EXISTS disclosure_pub_search_ai",
    "DROP TABLE IF EXISTS disclosure_search_trigram",
    "DROP TABLE IF EXISTS disclosure_search_tokens",
]
SQLITE_FILL = [
    "DELETE FROM disclosure_search_tokens",
    "DELETE FROM disclosure_search_trigram",
    "INSERT INTO disclosure_search_tokens(rowid, tokens) SELECT id, search_tokens FROM disclosure_publication "
    "WHERE state = 'published'",
    "INSERT INTO disclosure_search_trigram(rowid, text) SELECT id, search_text FROM disclosure_publication "
    "WHERE state = 'published'",
]


def ensure_sqlite_index(sender=None, using="default", **kwargs):
    """post_migrate: on SQLite, Django rebuilds a table (dropping its triggers) when a later
    migration alters it; put the triggers back and refill the FTS tables if that happened."""

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as c:
        c.execute("SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name LIKE 'disclosure_pub_search_%'")
        if c.fetchone()[0] == 3:
            return
        c.execute("SELECT count(*) FROM sqlite_master WHERE name='disclosure_search_tokens'")
        if not c.fetchone()[0]:  # migration 0005 not applied (yet, or reversed)
            return
        for sql in SQLITE_FORWARD + SQLITE_FILL:
            c.execute(sql)


# ---- write time ---------------------------------------------------------------------------------

def _cut(text: str) -> list[str]:
    try:  # imported on first use, falling back to jieba when rjieba (a compiled wheel) is missing
        import rjieba

        return rjieba.cut_for_search(text)
    except ImportError:  # rjieba is a dependency; jieba (also one) gives the same segmentation
        import jieba

        return list(jieba.cut_for_search(text))


def tokens(text: str) -> str:
    """The segmented form of a (normalised) text: words, then each distinct letter/digit."""
    text = (text or "").lower()
    words = [w for w in _cut(text) if w.strip() and any(c.isalnum() for c in w)]
    chars = sorted({c for c in text if c.isalnum()})
    return " ".join(words + chars)


def query_chars(q: str) -> list[str]:
    return sorted({c for c in q if c.isalnum()})


# ---- read time ----------------------------------------------------------------------------------

@dataclass
class Result:
    rows: list
    count: int
    approximate: bool = False
    path: str = ""  # "probe" | "index" | "scan" | "all": which plan answered (benchmarks, tests)
    number: int = 1
    per_page: int = 20
    extra: dict = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.count, MAX_RESULTS if self.approximate else self.count) / self.per_page))

    # the attributes disclosure/public/pager.html reads (like a Django Page)
    @property
    def paginator(self):
        return self

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def probe(base, q: str, size: int) -> tuple[list[int], int]:
    """(ids of hits among the newest `size` filtered rows in page order, rows looked at)."""
    inner = base.order_by(*ORDER).values("id", "published_on", "search_text")[:size]
    sql, params = inner.query.sql_with_params()
    if connection.vendor == "sqlite":
        # Without ANALYZE statistics SQLite takes the state index and sorts the whole table;
        # unary + keeps that term out of index selection, so it walks a published_on index.
        sql = sql.replace('"disclosure_publication"."state" = ', '+"disclosure_publication"."state" = ')
    with connection.cursor() as c:
        # strpos/instr: exact substring like LIKE '%q%' on this lower-cased column, several times
        # cheaper per row than PostgreSQL's multibyte LIKE
        fn = "strpos" if connection.vendor == "postgresql" else "instr"
        c.execute(f"SELECT s.id, CASE WHEN {fn}(s.search_text, %s) > 0 THEN 1 ELSE 0 END "
                  f"FROM ({sql}) s ORDER BY s.published_on DESC, s.id DESC", [q, *params])
        rows = c.fetchall()
    return [r[0] for r in rows if r[1]], len(rows)


def candidates(qs, q: str):
    """Narrow `qs` through the text indexes, then check the substring exactly."""
    chars = query_chars(q)
    if not chars:
        return qs.filter(search_text__contains=q), "scan"
    if connection.vendor == "postgresql":
        if len(q) < 3:
            return qs.extra(where=["to_tsvector('simple'::regconfig, disclosure_publication.search_tokens) "
                                   "@@ plainto_tsquery('simple', %s)", "strpos(disclosure_publication.search_text, %s) > 0"],
                            params=[" ".join(chars), q]), "index"
        # 3+ characters: the LIKE itself is answered by the pg_trgm index
    elif connection.vendor == "sqlite":
        if len(q) < 3:
            match, table = " AND ".join(f'"{c}"' for c in chars), "disclosure_search_tokens"
        else:
            match, table = '"' + q.replace('"', '""') + '"', "disclosure_search_trigram"
        qs = qs.filter(id__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match]))
    return qs.filter(search_text__contains=q), "index"


def estimate(qs) -> int | None:
    """The planner's row estimate for `qs` (PostgreSQL), None elsewhere."""
    if connection.vendor != "postgresql":
        return None

    sql, params = qs.values("id").query.sql_with_params()
    with connection.cursor() as c:
        c.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = c.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def capped_count(qs) -> tuple[int, bool]:
    """(count, approximate): exact up to COUNT_CAP, else the planner's estimate (or exact on SQLite)."""
    n = qs.order_by()[:COUNT_CAP + 1].count()
    if n <= COUNT_CAP:
        return n, False
    est = estimate(qs.order_by())
    if est is None:
        return qs.order_by().count(), False
    return max(est, n), True


def filtered_total(qs) -> int:
    """How many rows a probe that stopped at its window was drawn from, for the "约 N 条" of a common
    query: the planner's estimate on PostgreSQL (counting even 2 001 rows of a region + category
    filter read thousands of heap rows, more than the search), else the count."""
    est = estimate(qs.order_by())
    return est if est is not None else capped_count(qs)[0]


def find(base, q: str, page: int = 1, per_page: int = 20) -> Result:
    """One page of `base` (published rows with the filters applied) containing `q`, newest first."""
    page = max(1, int(page or 1))
    if not q:
        count, approx = capped_count(base)
        res = Result([], count, approx, "all", page, per_page)
        res.number = page = min(page, res.num_pages)
        res.rows = list(base.order_by(*ORDER)[(page - 1) * per_page:page * per_page])
        return res
    need = min(page * per_page, MAX_RESULTS)
    ids, seen = probe(base, q, PROBE)
    size = PROBE
    if seen == size and len(ids) < need and ids:
        # common enough that a larger window of the newest rows holds the page
        size = min(MAX_PROBE, math.ceil(need * seen / len(ids) * 1.3))
        if size > PROBE:
            ids, seen = probe(base, q, size)
    if seen < size:  # the probe saw every filtered row: exact
        return _from_ids(base, ids, len(ids), False, "probe", page, per_page)
    if len(ids) >= need:
        total = max(filtered_total(base), seen)
        est = max(len(ids), round(len(ids) / seen * total))
        return _from_ids(base, ids, est, True, "probe", page, per_page)
    qs, path = candidates(base, q)
    # one query gives the count (up to the cap) and the page
    ids = list(qs.order_by(*ORDER).values_list("id", flat=True)[:COUNT_CAP + 1])
    if len(ids) <= COUNT_CAP:
        return _from_ids(base, ids, len(ids), False, path, page, per_page)
    est = estimate(qs.order_by())
    count, approx = (max(est, len(ids)), True) if est is not None else (qs.order_by().count(), False)
    if page * per_page <= len(ids):
        return _from_ids(base, ids, count, approx, path, page, per_page)
    res = Result([], count, approx, path, page, per_page)
    res.number = page = min(page, res.num_pages)
    res.rows = list(qs.order_by(*ORDER)[(page - 1) * per_page:page * per_page])
    return res


def _from_ids(base, ids, count, approx, path, page, per_page) -> Result:
    res = Result([], count, approx, path, page, per_page)
    res.number = page = min(page, max(1, math.ceil(len(ids) / per_page)))
    want = ids[(page - 1) * per_page:page * per_page]
    by_id = {p.pk: p for p in base.filter(pk__in=want)} if want else {}
    res.rows = [by_id[i] for i in want if i in by_id]
    return res
