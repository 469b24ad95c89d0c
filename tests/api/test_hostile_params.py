"""Every operation of the OpenAPI schema with hostile parameter values: years outside 1–9999, ids
beyond the database's 64-bit range, a NUL inside a string. Each answer must be a 4xx with a Chinese
message (or a 2xx), never a server error. A fast, deterministic companion of the schemathesis run
(tests/api/test_fuzz.py)."""
from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HUGE = str(2**64)
VALUES = {"integer": ["0", "1", "9999", "10000", "-1", str(2**63 - 1), HUGE, "1e400"],
          "string": ["a\x00b", "=" * 5000, "0", "-1", HUGE]}


@pytest.fixture
def world(shared_world):
    return shared_world


def _operations():
    from zhifa.api import api

    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        for method, op in item.items():
            yield path, method, op


def _requests(path, method, op):
    params = op.get("parameters", [])
    path_params = {p["name"]: p for p in params if p["in"] == "path"}
    query = [p for p in params if p["in"] == "query"]

    def fill(overrides):
        url = path
        for name in path_params:
            url = url.replace("{" + name + "}", overrides.get(name, "1"))
        return url

    for name, p in path_params.items():
        kind = p.get("schema", {}).get("type", "string")
        for v in VALUES.get(kind, VALUES["string"]):
            if "\x00" in v or "/" in v:
                continue
            yield fill({name: v}), {}
    for p in query:
        kind = p.get("schema", {}).get("type", "string")
        for v in VALUES.get(kind, VALUES["string"]) + ["a\x00b"]:
            yield fill({}), {p["name"]: v}


def test_hostile_parameters_never_5xx(world, settings):
    from tests.factories import user
    from zhifa.common.roles import Role

    settings.DEBUG = False
    admin = user(Role.ADMIN, world["smj"], None, "probeadmin")
    clients = {"admin": Client(raise_request_exception=False), "anon": Client(raise_request_exception=False)}
    clients["admin"].force_login(admin)
    bad = []
    n = 0
    for path, method, op in _operations():
        if method != "get":
            continue
        for url, query in _requests(path, method, op):
            for who, c in clients.items():
                n += 1
                r = c.get(url, query)
                if r.status_code >= 500:
                    bad.append(f"{who} {r.status_code} GET {url} {query!r:.80}")
                elif r.status_code == 422 and not re.search(r"[\u4e00-\u9fff]", r.json().get("message", "")):
                    bad.append(f"{who} 422 without a Chinese message: GET {url} {query!r:.80} {r.content[:200]!r}")
    print(f"\nprobed {n} requests, {len(bad)} server errors")
    assert not bad, "\n".join(bad)
