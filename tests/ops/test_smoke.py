"""Production smoke test (issue 15, item 7): the stack started the way docs/deploy.md says — migrate,
collectstatic, gunicorn with deploy/gunicorn.conf.py and debug off, `zhifa db_worker`, `zhifa
scheduler` — on the suite's database (SQLite with the local store; in the PostgreSQL run, PostgreSQL
with the SeaweedFS S3 store and Redis when it answers). Headless Chromium logs in, opens a case page
(styles applied, every HTMX panel loaded), opens the portal; the worker drains the queue (seeded PDFs
through LibreOffice); `zhifa verify` and /readyz are green; the worker stops and /readyz turns red
within its threshold. On the way the officer uploads a photo as evidence (to S3 in the PostgreSQL run) and
generates a document whose PDF the worker renders. TLS is not in the loop (cookies over http: ZHIFA_HTTPS=0); test_gunicorn.py
covers https behind the proxy."""
import io
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.blobs.conftest import seaweedfs  # noqa: F401
from tests.browser.conftest import wait_until
from tests.common.test_shared_cache import REDIS, _redis_up
from tests.ops.conftest import ROOT, ZHIFA, free_port, production_env
from tests.ops.test_backup_drill import ON_PG, PG_BASE, PG_NAME, _drop_db, _pg_available

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
STALE = 8  # ZHIFA_WORKER_STALE_SECONDS for the test; the worker beats every second


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(out, "PNG")
    return out.getvalue()


def readyz(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def check(body, name):
    return next(c for c in body["checks"] if c["name"] == name)


OWNER_ROLE, APP_ROLE = "zhifa_smoke_owner", "zhifa_smoke_app"


def _roles_db(name):
    """The database and roles exactly as docs/deploy.md §3 creates them (its SQL block, names swapped;
    the server here trusts local connections, so the passwords are not used)."""
    import psycopg

    doc = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    sql = doc.split("sudo -u postgres psql <<'SQL'\n", 1)[1].split("\nSQL\n", 1)[0]
    sql = sql.replace("zhifa_owner", OWNER_ROLE).replace("zhifa_app", APP_ROLE).replace(
        "CREATE DATABASE zhifa ", f'CREATE DATABASE "{name}" ')
    server, database = sql.split("\\c zhifa\n")
    _drop_db(name)
    _drop_roles()
    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as con:
        for statement in filter(str.strip, server.split(";")):
            con.execute(statement)
    with psycopg.connect(f"{PG_BASE}/{name}", autocommit=True) as con:
        for statement in filter(str.strip, database.split(";")):
            con.execute(statement)
    host = PG_BASE.split("@", 1)[1]
    return f"postgresql://{OWNER_ROLE}@{host}/{name}", f"postgresql://{APP_ROLE}@{host}/{name}"


def _drop_roles():
    import psycopg

    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as con:
        for role in (APP_ROLE, OWNER_ROLE):
            con.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def stack_env(tmp_path, request):
    extra = {"ZHIFA_HTTPS": "0", "ZHIFA_HEARTBEAT_SECONDS": "1", "ZHIFA_WORKER_STALE_SECONDS": str(STALE),
             "ZHIFA_BLOB_BACKEND": "local", "HOME": str(tmp_path)}
    dbname = None
    if ON_PG and _pg_available():
        dbname = f"{PG_NAME}_smoke"
        s3 = request.getfixturevalue("seaweedfs")
        owner_url, app_url = _roles_db(dbname)
        extra |= {"DATABASE_URL": app_url, "OWNER_DATABASE_URL": owner_url, "ZHIFA_DB_APP_ROLE": APP_ROLE,
                  "ZHIFA_BLOB_BACKEND": "s3", "ZHIFA_S3_BUCKET": "smoke",
                  "ZHIFA_S3_ENDPOINT_URL": s3["endpoint"], "ZHIFA_S3_ACCESS_KEY": s3["access_key"],
                  "ZHIFA_S3_SECRET_KEY": s3["secret_key"]}
    else:
        extra["DATABASE_URL"] = f"sqlite:///{tmp_path / 'data' / 'zhifa.sqlite3'}"
    (tmp_path / "prometheus").mkdir()
    extra["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / "prometheus")  # as deploy/systemd/zhifa-web.service
    env = production_env(tmp_path / "data", **extra)
    # production_env made the ledger key under the data dir (production refuses to start without one)
    if _redis_up():
        env["ZHIFA_CACHE_URL"] = REDIS
        env["ZHIFA_CACHE_PREFIX"] = f"smoke-{tmp_path.name}"  # counters from earlier runs stay apart
    else:
        env.pop("ZHIFA_CACHE_URL")
    yield env
    if dbname:
        _drop_db(dbname)
        _drop_roles()


def test_production_stack(stack_env, tmp_path, browser):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium missing")
    env = stack_env

    def run(*a, **override):
        r = subprocess.run([str(ZHIFA), *a], env=env | override, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, f"zhifa {' '.join(a)} exited {r.returncode}:\n{r.stdout[-3000:]}\n{r.stderr[-6000:]}"
        return r
    # Migrations as the owner role (PostgreSQL), everything else as the application role.
    run("migrate", "--noinput", "-v0", DATABASE_URL=env.get("OWNER_DATABASE_URL", env["DATABASE_URL"]))
    run("seed", "--scale", "county")
    run("collectstatic", "--noinput", "-v0")
    run("ledger", "sign")
    port = free_port()
    logs = {n: open(tmp_path / f"{n}.log", "w") for n in ("web", "worker", "scheduler")}  # noqa: SIM115
    procs = {
        "web": subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                 "--bind", f"127.0.0.1:{port}", "--workers", "2", "zhifa.wsgi"],
                                env=env, cwd=tmp_path, stdout=logs["web"], stderr=subprocess.STDOUT),
        "worker": subprocess.Popen([str(ZHIFA), "db_worker", "--queue-name", "default", "--interval", "1"],
                                   env=env, cwd=tmp_path, stdout=logs["worker"], stderr=subprocess.STDOUT),
        "scheduler": subprocess.Popen([str(ZHIFA), "scheduler"], env=env, cwd=tmp_path, stdout=logs["scheduler"],
                                      stderr=subprocess.STDOUT),
    }
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, body = readyz(port)
                break
            except OSError:
                assert procs["web"].poll() is None, (tmp_path / "web.log").read_text()
                assert time.monotonic() < deadline
                time.sleep(0.5)

        base = f"http://127.0.0.1:{port}"
        context = browser.new_context(locale="zh-CN")
        try:
            page = context.new_page()
            page.set_default_timeout(30000)
            page.goto(f"{base}/login/")
            page.fill("input[name=username]", "officer")
            page.fill("input[name=password]", "Zhifa@2026")
            page.click("button[type=submit], input[type=submit]")
            page.wait_for_url(lambda u: "/login/" not in u)
            # A case under investigation (the newest cases of the demo are finished 双随机 inspections).
            page.goto(f"{base}/cases/?kind=penalty_general&state=investigating")
            page.locator("a.caselink").first.click()
            page.wait_for_url("**/cases/*/")
            # zhifa.css applied (served by whitenoise under its hashed name) and htmx loaded every panel.
            assert page.evaluate("[...document.styleSheets].some(s => s.href && /zhifa\\.[0-9a-f]{12}\\.css/.test(s.href) && s.cssRules.length > 10)")
            wait_until(page, "!document.body.innerText.includes('正在加载')", timeout=60000)
            assert page.evaluate("typeof htmx") == "object"
            # Evidence: a photo through the chunked upload (into the S3 bucket in the PostgreSQL run).
            page.get_by_role("tab", name="记录").click()  # the case page's tabs (概况/当事人/记录/文书/…)
            page.locator("[data-testid=add-record] summary").click()
            page.set_input_files("#rec-file", files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": _png()}])
            page.fill("#rec-title", "冒烟测试现场照片")
            page.locator("#case-records button[type=submit]").click()
            expect(page.locator("#case-records tbody")).to_contain_text("冒烟测试现场照片", timeout=60000)
            # A document: the .docx in the request, its PDF by the worker (LibreOffice); the cell updates itself.
            page.get_by_role("tab", name="文书").click()
            row = page.locator('#case-documents tr[data-doc-type="filing_approval"]').first
            row.locator("summary").click()
            row.get_by_role("button", name=re.compile("^生成")).click()
            row = page.locator('#case-documents tr[data-doc-type="filing_approval"]').first
            expect(row.locator('[role="alert"]')).to_have_count(0)
            expect(row.locator("a", has_text="PDF")).to_be_visible(timeout=600000)  # behind the seed's PDFs
            pdf = context.request.get(base + row.locator("a", has_text="PDF").get_attribute("href"))
            assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
            page.goto(f"{base}/gs/")
            assert page.evaluate("[...document.styleSheets].some(s => s.cssRules.length > 10)")
            assert "执法" in page.inner_text("body")
        finally:
            context.close()

        # /metrics with two gunicorn workers in multiprocess mode: the scrape sums both workers' counters.
        hits = 40
        for _ in range(hits):
            urllib.request.urlopen(f"{base}/healthz", timeout=30).read()
        req = urllib.request.Request(f"{base}/metrics", headers={"Authorization": f"Bearer {env['ZHIFA_METRICS_TOKEN']}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
        counted = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                      if line.startswith("zhifa_http_request_duration_seconds_count") and "healthz" in line)
        assert counted >= hits, text[:2000]
        # Both workers served some of them (a file of samples per worker pid), so the sum is the aggregate.
        assert len(list((tmp_path / "prometheus").glob("histogram_*.db"))) >= 2
        with pytest.raises(urllib.error.HTTPError):  # closed to the public
            urllib.request.urlopen(f"{base}/metrics", timeout=30)

        # The worker renders what the seed queued (PDFs of supervision documents) and drains the queue.
        deadline = time.monotonic() + 600
        while True:
            status, body = readyz(port)
            worker = check(body, "worker")
            if worker["ready_tasks"] == 0 and worker["status"] == "ok":
                break
            assert time.monotonic() < deadline, body
            time.sleep(2)
        assert status == 200 and body["status"] in ("ok", "warn"), body
        assert all(c["status"] != "fail" for c in body["checks"])
        assert check(body, "cache")["status"] == "ok" and check(body, "database")["status"] == "ok"
        if env["ZHIFA_BLOB_BACKEND"] == "s3":
            assert check(body, "object_store")["status"] == "ok"
        assert "发现 0 处不一致" in run("verify").stdout

        # The worker stops: /readyz is red within its threshold.
        procs["worker"].terminate()
        procs["worker"].wait(timeout=60)
        stopped = time.monotonic()
        while readyz(port)[0] != 503:
            assert time.monotonic() - stopped < STALE + 5, readyz(port)
            time.sleep(0.5)
        status, body = readyz(port)
        assert "无心跳" in check(body, "worker")["detail"]
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        for f in logs.values():
            f.close()
        print(*(f"== {n}\n{(tmp_path / f'{n}.log').read_text()[-3000:]}" for n in logs), sep="\n")
    assert os.environ.get("ZHIFA_DEMO") == "1"  # the suite itself stays in demo mode
