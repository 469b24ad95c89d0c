"""Issue 23, item 4: PgBouncer in transaction mode in front of PostgreSQL (Debian `pgbouncer`, started
by the test on a free port, in front of a scratch database on the PostgreSQL server at 127.0.0.1:5432).
Migrations, real requests, an action in a transaction and iterator() over a queryset all go through it
with the settings ZHIFA_PGBOUNCER=1 gives (no server-side cursors)."""
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.engines import pgcluster

ROOT = Path(__file__).resolve().parents[2]
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
SERVER = os.environ.get("ZHIFA_PGBOUNCER_TEST_SERVER", "postgresql://postgres@127.0.0.1:5432")


def _server_down() -> str | None:
    if not Path(PGBOUNCER).exists():
        return "pgbouncer is not installed (Debian `pgbouncer`: make system-deps)"
    if not (pgcluster.PG_BIN / "psql").exists():
        return "psql absent (Debian postgresql-client-15)"
    r = subprocess.run([str(pgcluster.PG_BIN / "psql"), f"{SERVER}/postgres", "-XAtc", "SELECT 1"],
                       capture_output=True, timeout=30)
    return None if r.returncode == 0 else f"PostgreSQL unreachable at {SERVER}"


_WHY_NOT = _server_down()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(_WHY_NOT is not None, reason=_WHY_NOT or "")]


def psql(url, sql):
    r = subprocess.run([str(pgcluster.PG_BIN / "psql"), url, "-XAtc", sql], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r, body


@pytest.fixture(scope="module")
def bouncer(tmp_path_factory):
    db = f"zhifa_pgb_{secrets.token_hex(4)}"
    psql(f"{SERVER}/postgres", f"CREATE DATABASE {db} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                               " TEMPLATE template0")
    conf_dir = Path(tempfile.mkdtemp(prefix="zhifa-pgb-"))
    port = pgcluster.free_port()
    host, server_port = SERVER.rsplit("@", 1)[1].split(":")
    (conf_dir / "userlist.txt").write_text('"postgres" ""\n')
    (conf_dir / "pgbouncer.ini").write_text(f"""[databases]
{db} = host={host} port={server_port} dbname={db}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {conf_dir / 'userlist.txt'}
admin_users = postgres
pool_mode = transaction
default_pool_size = 4
max_client_conn = 100
ignore_startup_parameters = extra_float_digits
logfile = {conf_dir / 'pgbouncer.log'}
pidfile = {conf_dir / 'pgbouncer.pid'}
""")
    cmd = [PGBOUNCER, str(conf_dir / "pgbouncer.ini")]
    if os.geteuid() == 0:  # pgbouncer refuses to run as root
        os.chmod(conf_dir, 0o777)
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    server = None
    try:
        url = f"postgresql://postgres@127.0.0.1:{port}/{db}"
        deadline = time.monotonic() + 30
        while subprocess.run([str(pgcluster.PG_BIN / "psql"), url, "-XAtc", "SELECT 1"], capture_output=True).returncode:
            assert proc.poll() is None, (conf_dir / "pgbouncer.log").read_text()
            assert time.monotonic() < deadline, "pgbouncer did not answer"
            time.sleep(0.2)
        data = tmp_path_factory.mktemp("pgb")
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER",
                            "ZHIFA_CACHE_URL")}
        env.update(ZHIFA_DEMO="1", ZHIFA_DATA_DIR=str(data), DATABASE_URL=url, ZHIFA_PGBOUNCER="1",
                   DJANGO_SETTINGS_MODULE="zhifa.settings", ZHIFA_CONN_MAX_AGE="60")
        # Migrations through PgBouncer too (each migration is one transaction).
        subprocess.run([sys.executable, "-m", "zhifa", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT,
                       check=True, timeout=900)
        web = pgcluster.free_port()
        log = open(data / "server.log", "w")  # noqa: SIM115 - closed at teardown
        server = subprocess.Popen([sys.executable, "-m", "zhifa", "runserver", "--noreload", "--skip-checks",
                                   f"127.0.0.1:{web}"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(web, "/healthz")[0].status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (data / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.3)
        yield {"url": url, "env": env, "web": web, "admin": f"postgresql://postgres@127.0.0.1:{port}/pgbouncer",
               "db": db}
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(conf_dir, ignore_errors=True)
        psql(f"{SERVER}/postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


def transactions(bouncer) -> int:
    """PgBouncer's own count of transactions it passed to the scratch database."""
    r = subprocess.run([str(pgcluster.PG_BIN / "psql"), bouncer["admin"], "-XAt", "-F", "|", "-c", "SHOW STATS"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    for line in r.stdout.splitlines():
        cols = line.split("|")
        if cols[0] == bouncer["db"]:
            return int(cols[1])  # total_xact_count
    return 0


SCRIPT = r"""
import django
django.setup()
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from zhifa.orgs.models import User

assert settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
# An action's shape: one transaction, a row lock, writes.
with transaction.atomic():
    u = User.objects.create(username="pgb-officer")
    User.objects.select_for_update().get(pk=u.pk)
    u.first_name = "张三"
    u.save(update_fields=["first_name"])
# iterator() in chunks smaller than the table, in autocommit between other statements: without server-side
# cursors each chunk is read client-side, nothing depends on a cursor surviving on one server connection.
total = Permission.objects.count()
seen = 0
for p in Permission.objects.order_by("pk").iterator(chunk_size=7):
    seen += 1
    if seen % 50 == 0:
        User.objects.filter(pk=u.pk).exists()
assert seen == total > 50, (seen, total)
assert [x.first_name for x in User.objects.filter(username="pgb-officer").iterator(chunk_size=1)] == ["张三"]
print("ok", seen)
"""


def test_requests_actions_and_iterator_through_pgbouncer_in_transaction_mode(bouncer):
    before = transactions(bouncer)
    r = subprocess.run([sys.executable, "-c", SCRIPT], env=bouncer["env"], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.startswith("ok")
    for path in ("/gs/", "/gs/data/", "/login/"):
        resp, body = get(bouncer["web"], path)
        assert resp.status == 200, (path, body[:500])
    # /readyz fails here for want of a worker; its database check passes through PgBouncer.
    checks = json.loads(get(bouncer["web"], "/readyz")[1])["checks"]
    assert next(c for c in checks if c["name"] == "database")["status"] == "ok"
    assert transactions(bouncer) > before + 5, "the work did not go through PgBouncer"
    # zhifa verify reads every log table with iterator(): through PgBouncer it runs to the end.
    v = subprocess.run([sys.executable, "-m", "zhifa", "verify"], env=bouncer["env"], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert "Traceback" not in v.stderr, v.stderr[-3000:]


def test_settings_detect_pgbouncer():
    code = ("import django; django.setup(); from django.conf import settings; "
            "d = settings.DATABASES['default']; print(settings.ZHIFA_PGBOUNCER, d.get('DISABLE_SERVER_SIDE_CURSORS'))")
    env = {k: v for k, v in os.environ.items() if k not in ("ZHIFA_PGBOUNCER", "DJANGO_SETTINGS_MODULE")}
    env.update(ZHIFA_DEMO="1", DJANGO_SETTINGS_MODULE="zhifa.settings")
    out = {}
    for name, url, flag in (("port", "postgresql://u@127.0.0.1:6432/z", None),
                            ("direct", "postgresql://u@127.0.0.1:5432/z", None),
                            ("flag", "postgresql://u@127.0.0.1:5432/z", "1")):
        e = env | {"DATABASE_URL": url} | ({"ZHIFA_PGBOUNCER": flag} if flag else {})
        out[name] = subprocess.run([sys.executable, "-c", code], env=e, cwd=ROOT, capture_output=True, text=True,
                                   check=True, timeout=120).stdout.strip()
    assert out == {"port": "True True", "direct": "False False", "flag": "True True"}
