"""Reads on a PostgreSQL streaming replica (issue 23, item 4; docs/deploy.md "A streaming replica").

With DATABASE_REPLICA_URL set, settings.py adds a "replica" database alias and this router. A request
reads from the replica only when all of these hold; anything else reads and writes the primary:

- it is a GET or HEAD under one of ZHIFA_REPLICA_PATHS (the public portal /gs/ with its open data,
  the staff reports pages) — the pages that many people read and nobody writes;
- the browser has not written in the last ZHIFA_REPLICA_PIN_SECONDS (read-your-writes: a request that
  writes sets the `zhifa_wrote` cookie; the citizen who just filed a complaint sees it on the next page);
- the request itself has not written yet (after its first write every read goes to the primary);
- the replica answers and its replay lag is at most ZHIFA_REPLICA_MAX_LAG_SECONDS. The lag
  (pg_last_xact_replay_timestamp) is measured at most every ZHIFA_REPLICA_CHECK_SECONDS per process;
  an unreachable or lagging replica sends reads to the primary until the next check says otherwise.

Outside requests (the worker, commands, `zhifa verify`) everything uses the primary. Writes always go
to the primary; migrations run only there (the replica is a copy of it).
"""
from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "zhifa_wrote"

# Per request (a contextvar, so per thread under gunicorn's threads): None outside requests, else
# {"replica": may this request read the replica, "wrote": has it written}.
_request: contextvars.ContextVar[dict[str, bool] | None] = contextvars.ContextVar("zhifa_replica_request",
                                                                                  default=None)

_lock = threading.Lock()
_status: dict[str, Any] = {}
_checked_at = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _measure() -> dict[str, Any]:
    limit = settings.ZHIFA_REPLICA_MAX_LAG_SECONDS
    try:
        with connections[REPLICA].cursor() as cur:
            # Nothing to replay (receive = replay) means caught up, however long ago the last commit was.
            cur.execute(
                "SELECT pg_is_in_recovery(), CASE WHEN NOT pg_is_in_recovery() THEN 0"
                " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END")
            in_recovery, lag = cur.fetchone()
    except Exception as e:  # noqa: BLE001 - any failure: the replica is not used
        with contextlib.suppress(Exception):
            connections[REPLICA].close()  # a broken connection is reopened at the next check
        detail = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
        return {"reachable": False, "usable": False, "lag_seconds": None, "max_lag_seconds": limit,
                "detail": detail}
    lag = max(float(lag or 0), 0.0)
    return {"reachable": True, "usable": lag <= limit, "lag_seconds": round(lag, 3), "max_lag_seconds": limit,
            "in_recovery": bool(in_recovery)}


def replica_status(*, fresh: bool = False) -> dict[str, Any]:
    """{"reachable", "usable", "lag_seconds", "max_lag_seconds", ...}, measured at most every
    ZHIFA_REPLICA_CHECK_SECONDS unless `fresh`. Only meaningful when a replica is configured."""
    global _status, _checked_at
    now = time.monotonic()
    with _lock:
        if fresh or not _status or now - _checked_at >= settings.ZHIFA_REPLICA_CHECK_SECONDS:
            _status = _measure()
            _checked_at = time.monotonic()
        return dict(_status)


def reset() -> None:
    """Forget the last measurement (tests)."""
    global _status, _checked_at
    with _lock:
        _status, _checked_at = {}, 0.0


def _replica_path(path: str) -> bool:
    return any(path.startswith(p) for p in settings.ZHIFA_REPLICA_PATHS)


def _pinned(request) -> bool:
    try:
        wrote = float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return True  # a cookie we cannot read: be safe, read the primary
    return time.time() - wrote < settings.ZHIFA_REPLICA_PIN_SECONDS


class ReplicaMiddleware:
    """Decides per request whether its reads may go to the replica, and pins a browser that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        use = (request.method in ("GET", "HEAD") and _replica_path(request.path_info)
               and not _pinned(request) and replica_status()["usable"])
        state = {"replica": use, "wrote": False}
        token = _request.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        response["X-Zhifa-Read-DB"] = REPLICA if use and not state["wrote"] else "default"
        if state["wrote"]:
            response.set_cookie(PIN_COOKIE, f"{time.time():.3f}", max_age=max(settings.ZHIFA_REPLICA_PIN_SECONDS, 1),
                                httponly=True, samesite="Lax", secure=request.is_secure())
        return response


class ReplicaRouter:
    """DATABASE_ROUTERS entry (only with a replica configured)."""

    def db_for_read(self, model, **hints):
        state = _request.get()
        if state is None or not state["replica"] or state["wrote"]:
            return "default"
        if connections["default"].in_atomic_block:
            return "default"  # inside a transaction (select_for_update, an action): the primary's view
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _request.get()
        if state is not None:
            state["wrote"] = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
