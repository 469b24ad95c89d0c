"""The production web server (issue 15, item 2): gunicorn with deploy/gunicorn.conf.py, debug off, the
documented environment; static files through whitenoise (hashed names, compressed, cached for ever),
Swagger UI from our own static files, the OpenAPI schema built once, https behind a trusted proxy."""
import http.client
import json
import re
import subprocess
import time

import pytest

from tests.ops.conftest import ROOT, ZHIFA, free_port, production_env

pytestmark = pytest.mark.slow
HOST = "zhifa.example.gov.cn"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def get(port, path, *, proxied=True, headers=None, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Host": HOST, "Accept-Encoding": "gzip, br"}
    if proxied:  # what deploy/nginx/zhifa.conf sends
        h |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    conn.request("GET", path, headers=h | (headers or {}))
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r, body


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("prod")
    env = production_env(data / "data", DATABASE_URL=f"sqlite:///{data / 'db.sqlite3'}", ZHIFA_BLOB_BACKEND="local",
                         ZHIFA_LEDGER_KEY_FILE=str(data / "ledger-key.pem"))
    env.pop("ZHIFA_CACHE_URL")
    for cmd in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([str(ZHIFA), *cmd], env=env, check=True, timeout=300)
    port = free_port()
    log = open(data / "gunicorn.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen([str(GUNICORN), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind",
                             f"127.0.0.1:{port}", "--workers", "2", "zhifa.wsgi"],
                            env=env, cwd=str(data), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(port, "/healthz", proxied=False, timeout=5)[0].status == 200:
                break
        except OSError:
            pass
        assert proc.poll() is None, (data / "gunicorn.log").read_text()
        assert time.monotonic() < deadline, "gunicorn did not answer"
        time.sleep(0.3)
    yield port, data
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def test_staff_login_page_styles_and_vendored_scripts_are_served_compressed(server):
    port, data = server
    r, body = get(port, "/login/")
    assert r.status == 200, body[:500]
    page = body.decode()
    css = re.search(r'href="(/static/zhifa\.[0-9a-f]{12}\.css)"', page).group(1)
    htmx = re.search(r'src="(/static/vendor/htmx\.min\.[0-9a-f]{12}\.js)"', page).group(1)
    for path in (css, htmx):
        r, body = get(port, path)
        assert r.status == 200 and r.getheader("Content-Encoding") == "br", path  # Brotli, precompressed
        assert "immutable" in r.getheader("Cache-Control")
    manifest = json.loads((data / "data" / "static" / "staticfiles.json").read_text())["paths"]
    r, body = get(port, "/static/" + manifest["vendor/echarts.min.js"])
    assert r.status == 200 and r.getheader("Content-Encoding") == "br"
    raw = (data / "data" / "static" / "vendor" / "echarts.min.js").stat().st_size
    assert len(body) < raw / 3  # ~1 MB → ~0.29 MB on the wire with Brotli (gzip: ~0.34 MB)
    r, gz = get(port, "/static/" + manifest["vendor/echarts.min.js"], headers={"Accept-Encoding": "gzip"})
    assert r.getheader("Content-Encoding") == "gzip" and len(body) < len(gz)  # a client without br gets gzip


def test_swagger_ui_is_local_and_the_schema_is_built_once(server):
    port, _ = server
    r, body = get(port, "/api/docs")
    assert r.status == 200
    page = body.decode()
    assert "cdn.jsdelivr" not in page and "unpkg" not in page
    for js in re.findall(r'src="(/static/ninja/[^"]+\.js)"', page):
        assert get(port, js)[0].status == 200, js
    times = []
    for _ in range(3):
        start = time.perf_counter()
        r, body = get(port, "/api/openapi.json", timeout=120)
        times.append(time.perf_counter() - start)
        assert r.status == 200 and json.loads(body if r.getheader("Content-Encoding") != "gzip" else
                                              __import__("gzip").decompress(body))["paths"]
    assert min(times) < 0.5, times  # two workers: at least the third request finds its worker's copy


def test_https_behind_the_proxy(server):
    port, _ = server
    r, _ = get(port, "/login/", proxied=False)
    assert r.status == 301 and r.getheader("Location") == f"https://{HOST}/login/"
    r, _ = get(port, "/login/")
    assert r.status == 200 and "max-age=31536000" in r.getheader("Strict-Transport-Security")
    assert "Secure" in (r.getheader("Set-Cookie") or "Secure")
    assert get(port, "/healthz", proxied=False)[0].status == 200  # probes are not redirected


def test_gunicorn_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path / "data", ZHIFA_SECRET_KEY="")
    r = subprocess.run([str(GUNICORN), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind",
                        f"127.0.0.1:{free_port()}", "--workers", "1", "zhifa.wsgi"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert "拒绝启动" in r.stderr and "Traceback" not in r.stderr
