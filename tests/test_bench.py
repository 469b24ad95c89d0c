"""`zhifa bench foundation` end to end at county scale on a throw-away SQLite file (~8 s)."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.site.management.commands.bench import markdown, percentile, recreate_database


def test_percentile_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50 and percentile(values, 95) == 95 and percentile(values, 100) == 100
    assert percentile([7.0], 95) == 7.0


def test_refuses_to_drop_a_database_not_named_bench():
    with pytest.raises(CommandError):
        recreate_database("postgresql://postgres@127.0.0.1:5432/zhifa")


def test_markdown_table():
    assert markdown([["a", "1 s", "< 2 s", "b", "2×", "yes"]]).splitlines()[2] == "| a | 1 s | < 2 s | b | 2× | yes |"


@pytest.mark.slow
def test_bench_foundation_small(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIFA_FAST_PASSWORDS", "1")
    doc = tmp_path / "benchmarks.md"
    out = io.StringIO()
    call_command("bench", "foundation", "--scale", "county", "--database-url",
                 f"sqlite:///{tmp_path / 'bench.sqlite3'}", "--requests", "24", "--import-rows", "40",
                 "--doc", str(doc), stdout=out)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks") and "## foundation" in text
    assert "| seed `county` (15 entities, 140 officers, 380 items;" in text
    assert "/orgs/officers/ with filters, 24 requests" in text
    assert "import 40 officers from .xlsx" in text and "importer not available" not in text
    assert "SQLite" in text
    assert not (tmp_path / "bench.sqlite3").exists()  # dropped without --keep


def _pg_reachable(url: str) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
        return True
    except (psycopg.Error, OSError):
        return False


@pytest.mark.slow
def test_bench_supervision_small_on_postgresql(tmp_path):
    """`zhifa bench supervision` end to end on a small province (COPY needs PostgreSQL)."""
    url = "postgresql://postgres@127.0.0.1:5432/zhifa_bench_test_supervision"
    if not _pg_reachable(url):
        pytest.skip("PostgreSQL 不可用")
    doc = tmp_path / "benchmarks.md"
    call_command("bench", "supervision", "--database-url", url, "--sup-cases", "3000", "--sup-entities", "40",
                 "--home-requests", "3", "--doc", str(doc), stdout=io.StringIO())
    text = doc.read_text(encoding="utf-8")
    assert "## supervision" in text and "3,000 cases, 40 entities" in text
    assert "right after a transition in one entity" in text and "the next day before the nightly rebuild" in text
    assert "recompute all alerts" in text and "yearly report" in text


@pytest.mark.slow
def test_bench_portal_small_on_sqlite(tmp_path):
    """`zhifa bench portal` end to end on SQLite (bulk insert, FTS5, gunicorn), a few thousand rows (~40 s)."""
    doc, out = tmp_path / "benchmarks.md", io.StringIO()
    try:
        call_command("bench", "portal", "--database-url", f"sqlite:///{tmp_path / 'portal.sqlite3'}", "--rows", "1500",
                     "--search-repeat", "1", "--page-requests", "5", "--http-seconds", "1", "--doc", str(doc),
                     stdout=out)
    except CommandError:
        pytest.fail("bench portal failed:\n" + out.getvalue()[-4000:])
    text = doc.read_text(encoding="utf-8")
    assert "## portal" in text and "load 1,500 published decisions (bulk insert" in text
    assert "search p95, queries of 1–8 characters, no filter" in text and "decision page /gs/results/<id>/" in text
    assert "home page /gs/ under gunicorn" in text and "〕77777号" in text
