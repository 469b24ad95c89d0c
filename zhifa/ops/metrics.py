"""Prometheus metrics (prometheus-client) at /metrics, closed to the public.

Counted in the process: request latency by view, method and status class; failed logins. Read from
the database at each scrape: task queue depth and oldest wait, running and failed tasks, the
workers' heartbeat age, ledger size and the signed tree head's age, open alerts.

Under gunicorn with several workers set PROMETHEUS_MULTIPROC_DIR (an empty directory, deploy/): the
counters of every worker are then summed at each scrape (deploy/gunicorn.conf.py marks dead
workers). Access: `Authorization: Bearer $ZHIFA_METRICS_TOKEN`, or a direct request (not through
the proxy) from ZHIFA_METRICS_ALLOW addresses; anyone else gets 404.
"""
from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from zhifa.common.proxy import is_trusted, networks

log = logging.getLogger("zhifa.ops.metrics")

REQUEST_SECONDS = Histogram("zhifa_http_request_duration_seconds", "请求处理时间（秒），按视图",
                            ["view", "method", "status"],
                            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
LOGINS_FAILED = Counter("zhifa_logins_failed", "登录失败次数")


def observe_request(view: str, method: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(view, method, f"{status // 100}xx").observe(seconds)


def _login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    LOGINS_FAILED.inc()


def install() -> None:
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(_login_failed, dispatch_uid="zhifa.ops.metrics.login_failed")


class DatabaseCollector(Collector):
    """Gauges read at scrape time; a database that cannot answer yields `zhifa_up 0` only."""

    def collect(self) -> Iterator[Metric]:
        from zhifa.ops import heartbeat, state

        up = GaugeMetricFamily("zhifa_database_up", "数据库可用（1）")
        try:
            gauges = []
            if state.database_tasks():
                q = state.queue()
                gauges += [("zhifa_tasks_ready", "待执行的后台任务数", q["ready"]),
                           ("zhifa_tasks_oldest_ready_age_seconds", "最早一个待执行任务的等待时间（秒）",
                            q["oldest_ready_age"]),
                           ("zhifa_tasks_running", "执行中的后台任务数", q["running"]),
                           ("zhifa_tasks_failed", "失败的后台任务数（保留的结果）", q["failed"])]
                age = state.heartbeat_age(heartbeat.TASK_ROLES)
                gauges.append(("zhifa_worker_heartbeat_age_seconds", "后台任务进程最近一次心跳距今（秒）；-1：从未",
                               -1 if age is None else age))
            led = state.ledger()
            gauges += [("zhifa_ledger_entries", "存证账本条目数", led["size"]),
                       ("zhifa_ledger_signed_tree_head_age_seconds", "最近一次签名树头距今（秒）；-1：从未",
                        -1 if led["signed_age"] is None else led["signed_age"]),
                       ("zhifa_alerts_open", "待处理的监督预警数", state.alerts_open())]
        except DatabaseError as e:
            log.warning("指标读取数据库失败：%s", e)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        from zhifa.common import dbrouter

        if dbrouter.replica_configured():  # issue 23: the streaming replica (never fails the scrape)
            st = dbrouter.replica_status()
            gauges += [("zhifa_replica_up", "只读副本可达（1）", 1 if st["reachable"] else 0),
                       ("zhifa_replica_lag_seconds", "只读副本回放延迟（秒）；-1：不可达",
                        -1 if st["lag_seconds"] is None else st["lag_seconds"]),
                       ("zhifa_replica_in_use", "门户读取走只读副本（1）或主库（0）", 1 if st["usable"] else 0)]
        for name, doc, value in gauges:
            g = GaugeMetricFamily(name, doc)
            g.add_metric([], float(value))
            yield g


def allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "ZHIFA_METRICS_TOKEN", "")
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
        return True
    allow = networks(tuple(getattr(settings, "ZHIFA_METRICS_ALLOW", ())))
    through_proxy = "ZHIFA_PROXY_ADDR" in request.META and "HTTP_X_FORWARDED_FOR" in request.META
    return bool(allow) and not through_proxy and is_trusted(request.META.get("REMOTE_ADDR", ""), allow)


def registry() -> CollectorRegistry:
    reg = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(reg)
    else:
        for collector in (REQUEST_SECONDS, LOGINS_FAILED):
            reg.register(collector)
    reg.register(DatabaseCollector())
    return reg


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
