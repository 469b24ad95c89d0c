"""Logging to stderr with the request id and the acting user on every line (issue 15).

`ContextFilter` (on the stderr handler) stamps each record with `request_id` and `user` from the
request being served in this thread or task (set by `zhifa.ops.middleware.RequestContextMiddleware`);
`-` outside a request. `JsonFormatter` writes one JSON object per line (ZHIFA_LOG_FORMAT=json), with
the traceback in `exc_info`. Imported by LOGGING: no models here.
"""
from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
from typing import Any

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("zhifa_request_id", default="-")
current_request: contextvars.ContextVar[Any] = contextvars.ContextVar("zhifa_request", default=None)

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s] %(message)s"


def acting_user(request: Any) -> str:
    """The user's username once authentication has run and the user is known; `-` otherwise. Never
    makes the lazy user evaluate itself (a log line must not query the database)."""
    if request is None:
        return "-"
    user = request.__dict__.get("user")
    if user is None:
        return "-"
    wrapped = getattr(user, "_wrapped", user)
    from django.utils.functional import empty

    if wrapped is empty:
        cached = request.__dict__.get("_cached_user")
        if cached is None:
            return "-"
        wrapped = cached
    if not getattr(wrapped, "is_authenticated", False):
        return "anonymous"
    return str(getattr(wrapped, "username", "") or getattr(wrapped, "pk", "-"))


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        if not hasattr(record, "user"):
            record.user = acting_user(current_request.get())
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"), "user": getattr(record, "user", "-"),
        }
        for key in ("method", "path", "status", "duration_ms", "view", "client"):
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def config(fmt: str, level: str, access_log: bool) -> dict[str, Any]:
    """settings.LOGGING: everything to stderr (journald / the container log keep it)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "zhifa.ops.logs.ContextFilter"}},
        "formatters": {"plain": {"format": PLAIN_FORMAT}, "json": {"()": "zhifa.ops.logs.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                "filters": ["context"], "formatter": "json" if fmt == "json" else "plain"}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # django.request logs every 500 with its traceback (and 4xx as warnings).
            "django": {"handlers": ["stderr"], "level": level, "propagate": False},
            "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "zhifa.access": {"handlers": ["stderr"], "level": "INFO" if access_log else "WARNING",
                             "propagate": False},
        },
    }
