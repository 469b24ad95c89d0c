"""gunicorn configuration of the web service (deploy/zhifa-web.service: `gunicorn -c
/opt/zhifa/deploy/gunicorn.conf.py zhifa.wsgi`). Every value can be overridden from the environment
(GUNICORN_CMD_ARGS or the variables below)."""
import multiprocessing
import os

bind = os.environ.get("ZHIFA_BIND", "127.0.0.1:8000")
# Sync workers: 2 per core + 1. Requests that stream large evidence run in the same workers; the
# resumable upload sends ≤ 32 MiB chunks, so the timeout below is per chunk, not per file.
workers = int(os.environ.get("ZHIFA_WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
timeout = int(os.environ.get("ZHIFA_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then (memory of large exports)
max_requests_jitter = 200
# Our own access line (logger zhifa.access: request id, user, view, duration) replaces gunicorn's.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("ZHIFA_LOG_LEVEL", "info").lower()
# Behind nginx on the same machine: gunicorn itself believes no forwarded header (the application
# decides by ZHIFA_TRUSTED_PROXIES, zhifa/common/proxy.py).
forwarded_allow_ips = ""
proxy_allow_ips = ""


def child_exit(server, worker):
    """Prometheus multiprocess mode (PROMETHEUS_MULTIPROC_DIR): forget a dead worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
