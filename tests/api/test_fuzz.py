"""A bounded schemathesis run over the whole OpenAPI schema (/api/openapi.json), in process.

One test per operation (schemathesis' pytest integration): its coverage phase (boundary values,
wrong types, missing and extra parameters: a `year` of 0 or 10000, ids beyond 2^63, a NUL in a
string …) and FUZZ_EXAMPLES generated requests (default 5), positive and negative, deterministic
(fixed seed, no example database). Requests go through Django's WSGI handler inside the test's
savepoint as a system administrator (Bearer token) over a small world with a decided case and its
publication. Each answer is checked for:
  * no 5xx (a bad parameter is a Chinese 4xx, never a server error);
  * the body conforms to the documented response schema of its status code.
Run by `.ci/run` (ZHIFA_FUZZ=1, two workers, on SQLite); skipped otherwise, since loading schemathesis and
the schema costs every test run ~10 s of collection. `FUZZ_EXAMPLES=50` runs longer; `FUZZ_REPORT=path`
writes the counts (cases, status codes) as JSON, one file per worker.
"""
from __future__ import annotations

import json
import os
from collections import Counter

import pytest

if not os.environ.get("ZHIFA_FUZZ"):
    pytest.skip("the schemathesis run: ZHIFA_FUZZ=1 (.ci/run)", allow_module_level=True)

import schemathesis
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.config import SchemathesisConfig

from tests.worlds import built_once

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
SEED = 20261207
CONFIG = SchemathesisConfig.from_dict({
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True, "database": "none",
                   "no-shrink": True},
    "phases": {"examples": {"enabled": False}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
               "stateful": {"enabled": False}},
    "suppress-health-check": ["all"],
})
COUNTS: Counter = Counter()


@pytest.fixture(scope="module")
def fuzz_world(cw_once, django_db_blocker):
    from django.test import Client

    from tests.builders import case_at
    from tests.factories import user
    from zhifa.common.roles import Role

    with built_once(django_db_blocker):
        case_at(cw_once, "decided")
        admin = user(Role.ADMIN, cw_once["smj"], None, "fuzzadmin")
        r = Client().post("/api/v1/auth/token", {"username": admin.username, "password": "pass12345"},
                          content_type="application/json")
        assert r.status_code == 200, r.content
        yield {"token": r.json()["token"]}
    report = os.environ.get("FUZZ_REPORT")
    if report:  # one file per xdist worker: <path>.<worker>
        with open(f"{report}.{os.environ.get('PYTEST_XDIST_WORKER', 'main')}", "w") as f:
            json.dump({str(k): v for k, v in sorted(COUNTS.items(), key=str)}, f, indent=1)


def _schema():
    from django.core.handlers.wsgi import WSGIHandler

    return schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler(), config=CONFIG)


schema = _schema()


@schema.parametrize()
def test_api(case, fuzz_world, db, settings):
    settings.DEBUG = False
    response = case.call(headers={"Authorization": f"Bearer {fuzz_world['token']}"})
    COUNTS["cases"] += 1
    COUNTS[response.status_code] += 1
    if response.status_code >= 500:
        COUNTS["5xx"] += 1
    try:
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    except BaseException:
        COUNTS["failed"] += 1
        raise
