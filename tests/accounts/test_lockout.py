"""django-axes: 5 failures lock the account and the address for 30 minutes, on the login form, the
admin and the token endpoint (issue 16, item 2). The address is the one zhifa.common.proxy resolved."""
import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.accounts.conftest import PASSWORD, form_login, logged_in
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def fail(n, username, *, ip="10.1.1.1", path="/login/"):
    for _ in range(n):
        r = form_login(Client(), username, "wrong-password", ip=ip, path=path)
        assert r.status_code in (200, 429)


def test_form_locks_the_account_after_5_failures_for_30_minutes(people):
    with time_machine.travel(T0, tick=False) as t:
        fail(4, "officer", ip="10.1.1.1")
        c = Client()
        form_login(c, "officer", ip="10.1.1.2")  # the 5th try, right: still fine
        assert logged_in(c)
        fail(5, "officer", ip="10.1.1.3")
        c = Client()
        r = form_login(c, "officer", ip="10.1.1.4")  # a 6th, from another address, right password
        assert r.status_code == 429 and "锁定30分钟" in r.content.decode() and not logged_in(c)
        t.shift(dt.timedelta(minutes=29))
        assert form_login(Client(), "officer", ip="10.1.1.5").status_code == 429
        t.shift(dt.timedelta(minutes=2))
        c = Client()
        form_login(c, "officer", ip="10.1.1.6")
        assert logged_in(c)


def test_form_locks_the_address(people):
    with time_machine.travel(T0, tick=False):
        for name in ("nobody1", "nobody2", "nobody3", "nobody4", "nobody5"):
            fail(1, name, ip="10.9.9.9")
        c = Client()
        assert form_login(c, "head", ip="10.9.9.9").status_code == 429 and not logged_in(c)
        c = Client()
        form_login(c, "head", ip="10.9.9.8")  # the account itself is not locked
        assert logged_in(c)


def test_forwarded_for_from_an_untrusted_peer_does_not_change_the_address(people, settings):
    settings.ZHIFA_TRUSTED_PROXIES = []
    with time_machine.travel(T0, tick=False):
        for i in range(5):
            Client().post("/login/", {"username": f"x{i}", "password": "bad"}, REMOTE_ADDR="10.7.7.7",
                          HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        r = Client().post("/login/", {"username": "head", "password": PASSWORD}, REMOTE_ADDR="10.7.7.7",
                          HTTP_X_FORWARDED_FOR="192.0.2.99")
        assert r.status_code == 429


def test_behind_a_trusted_proxy_the_client_address_counts(people, settings):
    settings.ZHIFA_TRUSTED_PROXIES = ["127.0.0.1"]
    with time_machine.travel(T0, tick=False):
        for i in range(5):
            Client().post("/login/", {"username": f"x{i}", "password": "bad"}, REMOTE_ADDR="127.0.0.1",
                          HTTP_X_FORWARDED_FOR="192.0.2.1")
        locked = Client().post("/login/", {"username": "head", "password": PASSWORD}, REMOTE_ADDR="127.0.0.1",
                               HTTP_X_FORWARDED_FOR="192.0.2.1")
        assert locked.status_code == 429
        c = Client()
        c.post("/login/", {"username": "head", "password": PASSWORD}, REMOTE_ADDR="127.0.0.1",
               HTTP_X_FORWARDED_FOR="192.0.2.2")
        assert logged_in(c)  # another client behind the same proxy is not locked out


def test_admin_login_locks(people):
    admin = people["admin"]
    admin.set_password(PASSWORD)
    admin.save()
    with time_machine.travel(T0, tick=False):
        fail(5, admin.username, path="/admin/login/")
        c = Client()
        r = form_login(c, admin.username, path="/admin/login/", ip="10.2.2.2")
        assert r.status_code == 429 and not logged_in(c)


def test_token_endpoint_locks_with_a_chinese_json_answer(people):
    with time_machine.travel(T0, tick=False) as t:
        for _ in range(5):
            r = ApiClient().post("/auth/token", {"username": "officer", "password": "wrong-password"})
            assert r.status_code in (401, 429)
        r = ApiClient().post("/auth/token", {"username": "officer", "password": PASSWORD})
        assert r.status_code == 429
        body = r.json()
        assert body["rule"] == "auth.locked" and "锁定30分钟" in body["message"]
        # the form is locked too: one account, every door
        assert form_login(Client(), "officer", ip="10.3.3.3").status_code == 429
        t.shift(dt.timedelta(minutes=31))
        assert ApiClient().post("/auth/token", {"username": "officer", "password": PASSWORD}).status_code == 200


def test_unlock_command(people):
    from django.core.management import call_command

    with time_machine.travel(T0, tick=False):
        fail(5, "officer", ip="10.4.4.4")
        assert form_login(Client(), "officer", ip="10.4.4.5").status_code == 429
        call_command("axes_reset_username", "officer")
        c = Client()
        form_login(c, "officer", ip="10.4.4.5")
        assert logged_in(c)
