"""The replica router's decisions (zhifa/common/dbrouter.py), without a replica: which requests may
read the replica, the lag bound, read-your-writes."""
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from zhifa.common import dbrouter
from zhifa.common.dbrouter import ReplicaMiddleware, ReplicaRouter


@pytest.fixture
def replica(monkeypatch, settings):
    settings.ZHIFA_REPLICA_MAX_LAG_SECONDS = 10
    settings.ZHIFA_REPLICA_PIN_SECONDS = 30
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)
    status = {"reachable": True, "usable": True, "lag_seconds": 0.1, "max_lag_seconds": 10}
    monkeypatch.setattr(dbrouter, "replica_status", lambda **kw: dict(status))
    return status


def run(request, *, write=False):
    seen = {}

    def view(req):
        seen["read"] = ReplicaRouter().db_for_read(None)
        if write:
            ReplicaRouter().db_for_write(None)
            seen["after"] = ReplicaRouter().db_for_read(None)
        return HttpResponse("ok")

    response = ReplicaMiddleware(view)(request)
    return seen, response


def test_portal_get_reads_the_replica(replica):
    seen, response = run(RequestFactory().get("/gs/data/"))
    assert seen["read"] == "replica" and response["X-Zhifa-Read-DB"] == "replica"


def test_staff_pages_and_posts_read_the_primary(replica):
    assert run(RequestFactory().get("/cases/"))[0]["read"] == "default"
    assert run(RequestFactory().post("/gs/complaints/new/"))[0]["read"] == "default"


def test_lag_past_the_limit_or_unreachable_falls_back_to_the_primary(replica):
    replica.update(usable=False, lag_seconds=11.0)
    assert run(RequestFactory().get("/gs/"))[0]["read"] == "default"
    replica.update(reachable=False, usable=False, lag_seconds=None)
    assert run(RequestFactory().get("/gs/"))[0]["read"] == "default"


def test_a_request_that_writes_reads_the_primary_after_and_pins_the_browser(replica):
    seen, response = run(RequestFactory().get("/gs/"), write=True)
    assert seen == {"read": "replica", "after": "default"}
    assert dbrouter.PIN_COOKIE in response.cookies
    rf = RequestFactory()
    rf.cookies[dbrouter.PIN_COOKIE] = f"{time.time():.3f}"
    assert run(rf.get("/gs/"))[0]["read"] == "default"
    rf.cookies[dbrouter.PIN_COOKIE] = f"{time.time() - 31:.3f}"  # pinned no longer
    assert run(rf.get("/gs/"))[0]["read"] == "replica"


def test_outside_requests_everything_uses_the_primary():
    assert ReplicaRouter().db_for_read(None) == "default"
    assert ReplicaRouter().allow_migrate("replica", "cases") is False
    assert ReplicaRouter().allow_migrate("default", "cases") is True


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary(replica):
    from django.db import transaction

    seen = {}

    def view(req):
        with transaction.atomic():
            seen["read"] = ReplicaRouter().db_for_read(None)
        return HttpResponse("ok")

    ReplicaMiddleware(view)(RequestFactory().get("/gs/"))
    assert seen["read"] == "default"
