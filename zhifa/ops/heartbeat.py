"""The background processes' heartbeat: `zhifa db_worker` and `zhifa scheduler [--worker]` start a
daemon thread (from OpsConfig.ready) that writes its WorkerHeartbeat row every
ZHIFA_HEARTBEAT_SECONDS (30). A stopped worker stops beating: /readyz fails once its newest beat is
older than ZHIFA_WORKER_STALE_SECONDS (120). A worker stuck in a task still beats; the queue age
check of /readyz catches that one."""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import sys
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

log = logging.getLogger("zhifa.ops.heartbeat")
TASK_ROLES = ("worker", "scheduler+worker")
_started = threading.Event()


def role_of(argv: list[str]) -> str | None:
    command = argv[1] if len(argv) > 1 else ""
    if command == "db_worker":
        return "worker"
    if command == "scheduler":
        return "scheduler+worker" if "--worker" in argv else "scheduler"
    return None


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:128]


def beat(role: str, started_at=None) -> None:
    from zhifa.ops.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        process=process_name(), defaults={"role": role, "beat_at": now},
        create_defaults={"role": role, "beat_at": now, "started_at": started_at or now})
    # Rows of processes gone for a day are history, not news.
    WorkerHeartbeat.objects.filter(beat_at__lt=now - dt.timedelta(days=1)).delete()


def _loop(role: str, interval: float) -> None:
    started = timezone.now()
    while True:
        try:
            close_old_connections()
            beat(role, started)
        except DatabaseError as e:  # not migrated yet, database restarting: try again next time
            log.warning("心跳写入失败：%s", str(e).splitlines()[0] if str(e) else e)
        finally:
            connection.close()
        time.sleep(interval)


def start_if_worker(argv: list[str] | None = None) -> threading.Thread | None:
    role = role_of(sys.argv if argv is None else argv)
    if role is None or _started.is_set():
        return None
    _started.set()
    interval = float(getattr(settings, "ZHIFA_HEARTBEAT_SECONDS", 30))
    t = threading.Thread(target=_loop, args=(role, interval), name="zhifa-heartbeat", daemon=True)
    t.start()
    return t
