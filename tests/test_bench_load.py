"""`zhifa bench load` end to end at tiny scale on PostgreSQL: demo seed `county`, a few hundred open cases and
published decisions, gunicorn on a free port of 127.0.0.1, locust (headless, its own process) for a few
seconds. Asserts the report's shape (every page of the mix with p50/p95 and ratios against /healthz measured
in the same run) and that no request failed."""
import importlib.util
import io
import json
import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.test_bench import _pg_reachable

URL = "postgresql://postgres@127.0.0.1:5432/zhifa_bench_test_load"
PAGES = ["officer case list /cases/", "officer case detail /cases/<id>/", "officer work queue /cases/queue/",
         "reviewer review queue /review/", "supervisor home /supervision/", "supervisor case list /cases/",
         "portal search /gs/results/?q=", "portal decision /gs/results/<id>/", "portal home /gs/",
         "API case list /api/v1/cases", "API work queue /api/v1/cases/queue"]


def test_locust_runner_refuses_other_hosts(tmp_path):
    """In its own process (importing locust monkey-patches the standard library: never in a test process)."""
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"host": "http://10.1.2.3:80", "roles": {}}))
    r = subprocess.run([sys.executable, "-m", "zhifa.site.bench.locustrun", str(cfg), str(tmp_path / "o.json")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "only a server on this machine" in r.stderr, r.stderr
    assert not (tmp_path / "o.json").exists()


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="in the suite's PostgreSQL run only (a county seed: minutes; the SQLite run need not repeat it)")
def test_bench_load_tiny(tmp_path, monkeypatch):
    if importlib.util.find_spec("locust") is None:  # not imported here: it monkey-patches with gevent
        pytest.skip("locust 未安装（测试依赖）")
    if not _pg_reachable(URL):
        pytest.skip("PostgreSQL 不可用")
    monkeypatch.setenv("ZHIFA_FAST_PASSWORDS", "1")
    doc, out = tmp_path / "benchmarks.md", io.StringIO()
    try:
        call_command("bench", "load", "--scale", "county", "--database-url", URL, "--load-cases", "300",
                     "--load-publications", "200", "--load-users", "6", "--load-seconds", "8", "--load-warmup", "2",
                     "--doc", str(doc), stdout=out)
    except CommandError:
        pytest.fail("bench load failed:\n" + out.getvalue()[-4000:])
    text = doc.read_text(encoding="utf-8")
    assert "## load" in text
    assert re.search(r"\| mix under gunicorn gthread, 2 workers × 4 threads, 6 simulated people, [\d.]+ s after 2 s "
                     r"warm-up \(\d[\d,]* open cases, \d[\d,]* published decisions\) \| [\d.]+ req/s; [\d,]+ requests, "
                     r"0 errors \(0\.00%\) \| 0 errors \| — \| — \| yes \|", text), text
    for page in PAGES:
        row = re.search(re.escape(f"| {page}: ") + r"[\d,]+ requests, [\d.]+/s, 0 errors \| [\d.]+ / [\d.]+ ms \| — \| "
                        r"/healthz p50 / p95 [\d.]+ / [\d.]+ ms \| \d+× / \d+× \| — \|", text)
        assert row, (page, text)
    assert re.search(r"\| baseline /healthz: [\d,]+ requests \(the baseline, same run\) \| [\d.]+ / [\d.]+ ms", text)
    assert "logins: officer " in text and "server CPU" in text
