"""Observe (issue 15, item 3): logs with request ids, 500s with tracebacks, /readyz, /metrics."""
import datetime as dt
import io
import json
import logging

import pytest
from django.test import Client
from django.utils import timezone

from zhifa.ops import heartbeat, logs


@pytest.fixture
def stderr_log():
    """What the stderr handler of settings.LOGGING writes, captured."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "stderr")
    buf = io.StringIO()
    old = handler.setStream(buf)
    yield buf
    handler.setStream(old)


@pytest.mark.urls("tests.ops.urls_boom")
def test_a_500_leaves_a_logged_traceback_with_its_request_id(db, settings, stderr_log):
    assert settings.DEBUG is False
    r = Client(raise_request_exception=False).get("/boom/")
    assert r.status_code == 500
    rid = r["X-Request-ID"]
    text = stderr_log.getvalue()
    error_line = next(line for line in text.splitlines() if " ERROR django.request " in line)
    assert f"[{rid} " in error_line and "/boom/" in error_line
    assert "Traceback (most recent call last)" in text and "RuntimeError: 故意出错" in text


def test_every_line_of_a_request_carries_its_id_and_the_user(cw, stderr_log):
    client = Client()
    client.force_login(cw["rev"])
    r = client.get("/cases/999999/")
    assert r.status_code == 404
    line = next(line for line in stderr_log.getvalue().splitlines() if "/cases/999999/" in line)
    assert f"[{r['X-Request-ID']} {cw['rev'].username}]" in line


def test_a_trusted_proxy_passes_its_request_id(db, settings):
    settings.ZHIFA_TRUSTED_PROXIES = ["127.0.0.1"]
    r = Client().get("/healthz", HTTP_X_REQUEST_ID="nginx-0123456789abcdef", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert r["X-Request-ID"] == "nginx-0123456789abcdef"
    settings.ZHIFA_TRUSTED_PROXIES = []
    r = Client().get("/healthz", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")
    assert r["X-Request-ID"] != "nginx-0123456789abcdef"


def test_json_log_lines():
    try:
        raise ValueError("坏了")
    except ValueError:
        import sys

        record = logging.LogRecord("zhifa.x", logging.ERROR, __file__, 1, "出错 %s", ("甲",), sys.exc_info())
    token = logs.request_id.set("abc123")
    try:
        logs.ContextFilter().filter(record)
    finally:
        logs.request_id.reset(token)
    out = json.loads(logs.JsonFormatter().format(record))
    assert out["message"] == "出错 甲" and out["request_id"] == "abc123" and out["user"] == "-"
    assert "ValueError: 坏了" in out["exc_info"] and out["level"] == "ERROR"


def _check(client, name):
    body = client.get("/readyz").json()
    return body, next((c for c in body["checks"] if c["name"] == name), None)


def test_readyz_fails_without_a_worker_heartbeat_and_with_an_old_queue(db, client, settings):
    body, worker = _check(client, "worker")
    assert body["status"] == "fail" and worker["status"] == "fail" and "从未运行" in worker["detail"]
    assert client.get("/readyz").status_code == 503
    heartbeat.beat("worker")
    body, worker = _check(client, "worker")
    assert worker["status"] == "ok"
    assert client.get("/healthz").json() == {"ok": True}

    # A stopped worker: its last beat grows old.
    from zhifa.ops.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update(beat_at=timezone.now() - dt.timedelta(seconds=settings.ZHIFA_WORKER_STALE_SECONDS + 5))
    body, worker = _check(client, "worker")
    assert worker["status"] == "fail" and "无心跳" in worker["detail"]

    # A worker that beats but takes no task (stuck): the oldest ready task's wait.
    heartbeat.beat("worker")
    from django_tasks_db.models import DBTaskResult

    from zhifa.supervision.tasks import recompute_alerts_task

    recompute_alerts_task.enqueue()
    assert _check(client, "worker")[1]["status"] == "ok"
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(hours=1))
    body, worker = _check(client, "worker")
    assert worker["status"] == "fail" and worker["ready_tasks"] == 1 and "等待" in worker["detail"]


def test_readyz_warns_while_ledger_entries_wait_unsigned(db, client):
    from zhifa.ledger import log

    log.append("ops.test", data={"n": 1})
    ledger = _check(client, "ledger")[1]
    assert ledger["status"] == "warn" and ledger["entries"] >= 1 and "从未生成" in ledger["detail"]
    log.sign_tree_head()
    assert _check(client, "ledger")[1]["status"] == "ok"


def test_readyz_checks_the_object_store_when_evidence_is_in_s3(db, client, settings):
    assert _check(client, "object_store")[1] is None
    settings.ZHIFA_BLOB_BACKEND = "s3"
    settings.ZHIFA_S3_ENDPOINT_URL = "http://127.0.0.1:9"  # nothing listens
    body, store = _check(client, "object_store")
    assert store["status"] == "fail" and body["status"] == "fail"


def test_metrics_are_closed_to_the_public(db, client, settings):
    settings.ZHIFA_METRICS_TOKEN = "s3cret-token"
    settings.ZHIFA_METRICS_ALLOW = []
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.post("/login/", {"username": "nobody", "password": "x"})
    r = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert r.status_code == 200
    text = r.content.decode()
    for name in ("zhifa_http_request_duration_seconds_bucket", "zhifa_logins_failed_total", "zhifa_tasks_ready",
                 "zhifa_tasks_oldest_ready_age_seconds", "zhifa_worker_heartbeat_age_seconds", "zhifa_ledger_entries",
                 "zhifa_alerts_open", "zhifa_database_up 1.0"):
        assert name in text, name
    assert 'view="login"' in text
    # Direct scraping from an allowed address, never through the proxy.
    settings.ZHIFA_METRICS_ALLOW = ["127.0.0.1"]
    assert client.get("/metrics").status_code == 200
    settings.ZHIFA_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 404


def test_heartbeat_roles():
    assert heartbeat.role_of(["zhifa", "db_worker"]) == "worker"
    assert heartbeat.role_of(["zhifa", "scheduler", "--worker"]) == "scheduler+worker"
    assert heartbeat.role_of(["zhifa", "scheduler"]) == "scheduler"
    assert heartbeat.role_of(["zhifa", "runserver"]) is None
