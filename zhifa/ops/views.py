"""Views of the operations floor: the cached OpenAPI schema and the Prometheus metrics."""
from __future__ import annotations

import threading

from django.http import HttpRequest, HttpResponse

_schema: bytes | None = None
_schema_lock = threading.Lock()


def openapi_json(request: HttpRequest) -> HttpResponse:
    """/api/openapi.json built once per process (django-ninja builds it per request: 1.5–3.9 s for
    our ~400 operations). The schema depends on the code only, never on the user or the data."""
    global _schema
    if _schema is None:
        with _schema_lock:
            if _schema is None:
                import json

                from ninja.responses import NinjaJSONEncoder

                from zhifa.api import api

                schema = api.get_openapi_schema(path_prefix="/api/")
                _schema = json.dumps(schema, cls=NinjaJSONEncoder, ensure_ascii=False).encode()
    return HttpResponse(_schema, content_type="application/json; charset=utf-8")
