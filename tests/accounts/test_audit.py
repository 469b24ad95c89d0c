"""The login audit: success, failure, lockout, logout in the log (zhifa.security) and the ledger."""
import datetime as dt
import json
import logging

import pytest
import time_machine
from django.test import Client

from tests.accounts.conftest import form_login
from zhifa.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def entries(event):
    return [json.loads(e.body) for e in LedgerEntry.objects.filter(event_type=event).order_by("seq")]


def test_login_failure_lockout_and_logout_are_audited(people, caplog):
    caplog.set_level(logging.INFO, logger="zhifa.security")
    c = Client()
    form_login(c, "officer", ip="10.5.5.5")
    [ok] = entries("auth.login")
    assert ok["actor"]["id"] == people["officer"].pk and ok["data"]["ip"] == "10.5.5.5"
    c.post("/logout/", REMOTE_ADDR="10.5.5.5")
    [out] = entries("auth.logout")
    assert out["actor"]["id"] == people["officer"].pk

    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(5):
            form_login(Client(), "head", "wrong-password", ip="10.6.6.6")
        form_login(Client(), "head", "wrong-password", ip="10.6.6.6")  # while locked: logged, not ledgered
    failed = entries("auth.login_failed")
    assert len(failed) == 5 and {f["data"]["username"] for f in failed} == {"head"}
    assert failed[0]["actor"]["id"] == people["head"].pk and failed[0]["data"]["ip"] == "10.6.6.6"
    [locked] = entries("auth.locked")
    assert locked["data"]["username"] == "head"
    lines = [r.getMessage() for r in caplog.records if r.name == "zhifa.security"]
    assert any(line.startswith("auth.login ") and "user=officer" in line for line in lines)
    assert sum(line.startswith("auth.login_failed ") for line in lines) == 6
    assert any(line.startswith("auth.locked ") for line in lines)
    assert any(line.startswith("auth.logout ") for line in lines)


def test_failed_login_of_an_unknown_name_is_audited_without_actor(people):
    form_login(Client(), "no-such-user", "x", ip="10.6.6.7")
    [f] = entries("auth.login_failed")
    assert f["actor"] is None and f["data"]["username"] == "no-such-user"
