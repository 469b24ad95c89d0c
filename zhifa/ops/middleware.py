"""RequestContextMiddleware: a request id for every request (X-Request-ID from a trusted proxy, e.g.
nginx's $request_id, or a new one), on every log line of the request and on the response; one access
line per request (zhifa.access); the request's latency by view for the metrics."""
from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response

from zhifa.ops import logs, metrics

access = logging.getLogger("zhifa.access")
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or match._func_path


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "") if "ZHIFA_PROXY_ADDR" in request.META else ""
        rid = given if SANE_ID.match(given) else uuid.uuid4().hex[:16]
        request.request_id = rid  # type: ignore[attr-defined]
        t_rid, t_req = logs.request_id.set(rid), logs.current_request.set(request)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - start
            response["X-Request-ID"] = rid
            if response.status_code >= 400:
                # Django logs 4xx/5xx responses after the middleware, outside the request's context:
                # log them here, with the request id (the response is marked, Django won't repeat it).
                log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
            view = view_name(request)
            metrics.observe_request(view, request.method or "", response.status_code, elapsed)
            access.info("%s %s %s %.1fms", request.method, request.path, response.status_code, elapsed * 1000,
                        extra={"method": request.method, "path": request.path, "status": response.status_code,
                               "duration_ms": round(elapsed * 1000, 1), "view": view,
                               "client": request.META.get("REMOTE_ADDR", "")})
            return response
        finally:
            logs.request_id.reset(t_rid)
            logs.current_request.reset(t_req)
