"""Fast search (zhifa/disclosure/search.py) returns exactly what a brute-force substring scan
returns, on SQLite and PostgreSQL, through both the probe and the index paths."""
import datetime as dt
import random

import pytest
from django.db import connection

from tests.disclosure.conftest import decided_case
from zhifa.disclosure import bench as bench_portal
from zhifa.disclosure import public, search
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.models import Publication


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


@pytest.fixture
def corpus(cw):
    """~240 published decisions (bulk-loaded like the benchmark) plus a few drafts/withdrawn rows."""
    bodies = bench_portal.templates(12, seed=5) + ["短文本：罚款%与_下划线\\反斜杠，ABC公司。"]
    entities = [cw["smj"], cw["df"], cw["zy"]]
    bench_portal.bulk_load(240, entities, bodies, seed=7, batch=100)
    # not public: a draft and a withdrawn row with the same text never appear
    Publication.objects.filter(pk__in=list(Publication.objects.order_by("id").values_list("id", flat=True)[:6]))\
        .update(state="draft")
    Publication.objects.filter(pk__in=list(Publication.objects.order_by("id").values_list("id", flat=True)[6:9]))\
        .update(state="withdrawn")
    return entities


def brute(params, q):
    qs, _ = public.filtered(params)
    return [p.pk for p in qs.order_by("-published_on", "-id") if q in p.search_text]


def all_pages(params):
    out, page = [], 1
    while True:
        res, _ = public.search_page(params, page)
        out += [p.pk for p in res]
        if not res.has_next():
            return out, res
        page += 1


def sample_queries(seed=11, n=60):
    r = random.Random(seed)
    texts = list(public.published().values_list("search_text", flat=True))
    qs = []
    for _ in range(n):
        t = r.choice(texts)
        k = r.randint(1, 8)
        i = r.randrange(0, len(t) - k)
        qs.append(t[i:i + k])
    return qs + ["鳄鱼", "鳄", "zz", "，", "罚款%", "%", "_", "\\", "abc", "罚款", "食", "食品安全", "行政处罚决定书"]


@pytest.mark.slow
@pytest.mark.parametrize("probe", [16, 2000])
def test_fast_search_equals_brute_force(corpus, monkeypatch, probe):
    """PROBE=16 sends most queries down the index path (tsvector/FTS5 tokens for 1–2 characters,
    pg_trgm/FTS5 trigram for 3+); PROBE=2000 answers them from the newest-rows probe."""
    monkeypatch.setattr(search, "PROBE", probe)
    monkeypatch.setattr(search, "MAX_PROBE", max(probe, 64))
    paths = set()
    filters = [{}, {"entity": str(corpus[0].pk)}, {"region": corpus[1].region.code, "min_amount": "20000"},
               {"from": "2024-06-01", "to": "2025-03-01", "category": "市场监管"}]
    for i, q in enumerate(sample_queries()):
        params = {"q": q, **filters[i % len(filters)]}
        nq = public.normalise(q)
        expected = brute(params, nq)
        got, res = all_pages(params)
        assert got == expected, (q, params, res.path)
        assert res.count == len(expected) and not res.approximate
        # the queryset form (public API) agrees too
        qs, _ = public.search(params)
        assert list(qs.values_list("pk", flat=True)) == expected
        paths.add(res.path)
    assert "index" in paths if probe == 16 else "probe" in paths


def test_short_queries_use_the_token_index(corpus, monkeypatch):
    monkeypatch.setattr(search, "PROBE", 8)
    monkeypatch.setattr(search, "MAX_PROBE", 8)
    for q in ("鳄", "鳄鱼", "下划线"):
        res, _ = public.search_page({"q": q})
        assert res.path == "index"
        assert [p.pk for p in res] == brute({}, q)
    # no letter or digit: the scan path, still exact
    res, _ = public.search_page({"q": "%"})
    assert res.path == "scan" and [p.pk for p in res] == brute({}, "%")[:20]


def test_common_query_is_estimated_and_said_so(corpus, client, monkeypatch):
    monkeypatch.setattr(search, "PROBE", 40)
    monkeypatch.setattr(search, "COUNT_CAP", 30)
    res, _ = public.search_page({"q": "罚款"})
    exact = brute({}, "罚款")
    assert res.path == "probe" and [p.pk for p in res] == exact[:20]
    if connection.vendor == "postgresql":  # the planner's estimate; SQLite counts exactly
        assert res.approximate
        page = client.get("/gs/results/", {"q": "罚款"}).content.decode()
        assert "约 " in page and "可翻阅前" in page
    else:
        assert res.count > 30
    page2, _ = public.search_page({"q": "罚款"}, 2)
    assert [p.pk for p in page2] == exact[20:40]


def test_results_page_highlights_and_paginates(corpus, client):
    page = client.get("/gs/results/", {"q": "罚款"}).content.decode()
    assert "<mark>罚款</mark>" in page and "下一页" in page and 'data-testid="result"' in page
    n = len(brute({}, "罚款"))
    assert f"共 {n} 条" in page
    page2 = client.get("/gs/results/", {"q": "罚款", "page": "2"}).content.decode()
    assert "第 2/" in page2
    assert client.get("/gs/results/", {"q": "罚款", "page": "x"}).status_code == 200
    assert "共 0 条" in client.get("/gs/results/", {"q": "鳄鱼"}).content.decode()
    data = client.get("/api/v1/public/decisions", {"q": "食"}).json()
    assert data["count"] == len(brute({}, "食"))


def test_write_time_segmentation():
    toks = search.tokens("销售过期食品，罚款人民币5000元")
    words = toks.split()
    assert "食品" in words and "罚款" in words and "食" in words and "5" in words and "，" not in toks


def test_withdrawn_and_redacted_text_leave_the_index(cw, client):
    pub = decided_case(cw, facts="当事人张建国在其经营的门店销售超过保质期的鳄鱼罐头。").publication
    assert public.search_page({"q": "鳄鱼"})[0].count == 0  # a draft is not public
    pub = publication_actions.do_approve(pub, acting_user=cw["head"], on=dt.date(2026, 4, 22))
    for q in ("鳄", "鳄鱼", "鳄鱼罐头"):
        assert [p.pk for p in public.search_page({"q": q})[0]] == [pub.pk], q
    publication_actions.do_withdraw(pub, acting_user=cw["head"], ground="revoked", public_reason="决定已被依法撤销")
    for q in ("鳄", "鳄鱼", "鳄鱼罐头"):
        assert public.search_page({"q": q})[0].count == 0, q
        assert not public.search({"q": q})[0].exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM disclosure_search_trigram WHERE rowid = %s", [pub.pk])
            assert c.fetchone()[0] == 0


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_triggers_are_restored_after_a_table_rebuild(corpus):
    with connection.cursor() as c:
        c.execute("DROP TRIGGER disclosure_pub_search_au")
        c.execute("DELETE FROM disclosure_search_tokens")
    search.ensure_sqlite_index(using="default")
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name LIKE 'disclosure_pub_search_%'")
        assert c.fetchone()[0] == 3
        c.execute("SELECT count(*) FROM disclosure_search_tokens")
        assert c.fetchone()[0] == public.published().count()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_indexes_exist_and_locale_suits_pg_trgm(db):
    with connection.cursor() as c:
        c.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'disclosure_publication'")
        names = {r[0] for r in c.fetchall()}
        assert {"disclosure_pub_search_tsv", "disclosure_pub_search_trgm"} <= names
        c.execute("SELECT show_trgm('食品安全')")
        assert c.fetchone()[0], "pg_trgm extracts no trigrams from CJK: the database's LC_CTYPE must be C.UTF-8"
