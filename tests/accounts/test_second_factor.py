"""TOTP second factor (django-otp): mandatory with production settings for heads, reviewers,
supervisors and administrators, optional for officers; recovery codes work once."""
import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import PASSWORD, form_login, logged_in
from tests.api.conftest import ApiClient
from zhifa.accounts import policy
from zhifa.common.roles import Role

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def production(settings):
    settings.ZHIFA_REQUIRE_2FA = True


def code(device):
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()


def otp(device) -> str:
    return f"{code(device):0{device.digits}d}"


def enrol(client, user):
    r = client.get("/account/2fa/setup/")
    assert r.status_code == 200 and "<svg" in r.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    r = client.post("/account/2fa/setup/", {"otp": otp(device)})
    assert r.status_code == 200, r.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", r.content.decode())
    assert len(codes) == 10
    return TOTPDevice.objects.get(user=user, confirmed=True), codes


def test_the_roles_that_need_it():
    assert {Role.LEGAL_REVIEWER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.SUPERVISOR,
                                          Role.ADMIN} == policy.SECOND_FACTOR_ROLES


def test_a_head_cannot_get_in_on_a_password_alone(people, production):
    with time_machine.travel(T0, tick=False) as t:
        c = Client()
        form_login(c, "head")
        assert logged_in(c)
        for path in ("/", "/cases/", "/orgs/officers/", "/account/tokens/"):
            r = c.get(path)
            assert r.status_code == 302 and r["Location"].startswith("/account/2fa/setup/"), path
        assert c.get("/api/v1/officers").status_code == 403  # the session API too
        device, codes = enrol(c, people["head"])
        assert c.get("/cases/").status_code == 200
        c.post("/logout/")
        # next login: password, then the code
        t.shift(dt.timedelta(minutes=1))
        c = Client()
        form_login(c, "head")
        r = c.get("/cases/")
        assert r.status_code == 302 and r["Location"].startswith("/account/2fa/verify/")
        assert c.post("/account/2fa/verify/", {"otp": "000000" if otp(device) != "000000" else "111111"}).status_code == 422
        assert c.get("/cases/").status_code == 302
        t.shift(dt.timedelta(seconds=5))  # django-otp throttles after a wrong code (1 s, then doubling)
        r = c.post("/account/2fa/verify/?next=/cases/", {"otp": otp(device), "next": "/cases/"})
        assert r.status_code == 302 and r["Location"] == "/cases/"
        assert c.get("/cases/").status_code == 200


def test_an_officer_may_go_without(people, production):
    c = Client()
    form_login(c, "officer")
    assert c.get("/cases/").status_code == 200


def test_an_officer_who_enrolled_is_asked_too(people, production):
    with time_machine.travel(T0, tick=False) as t:
        c = Client()
        form_login(c, "officer")
        enrol(c, people["officer"])
        c.post("/logout/")
        t.shift(dt.timedelta(minutes=1))
        c = Client()
        form_login(c, "officer")
        assert c.get("/cases/")["Location"].startswith("/account/2fa/verify/")


def test_demo_mode_needs_no_second_factor(people, settings):
    settings.ZHIFA_REQUIRE_2FA = False
    c = Client()
    form_login(c, "head")
    assert c.get("/cases/").status_code == 200


def test_a_recovery_code_works_once(people, production):
    with time_machine.travel(T0, tick=False) as t:
        c = Client()
        form_login(c, "reviewer")
        _, codes = enrol(c, people["reviewer"])
        c.post("/logout/")
        for attempt in range(2):
            t.shift(dt.timedelta(minutes=1))
            c = Client()
            form_login(c, "reviewer")
            r = c.post("/account/2fa/verify/", {"otp": codes[0]})
            if attempt == 0:
                assert r.status_code == 302 and c.get("/cases/").status_code == 200
                c.post("/logout/")
            else:
                assert r.status_code == 422 and c.get("/cases/").status_code == 302
        t.shift(dt.timedelta(seconds=5))  # throttled for a moment after the refused code
        r = c.post("/account/2fa/verify/", {"otp": codes[1]})
        assert r.status_code == 302 and c.get("/cases/").status_code == 200


def test_token_endpoint_asks_for_the_code(people, production):
    with time_machine.travel(T0, tick=False) as t:
        r = ApiClient().post("/auth/token", {"username": "head", "password": PASSWORD})
        assert r.status_code == 403 and "启用" in r.json()["message"]  # no device yet
        c = Client()
        form_login(c, "head")
        device, _ = enrol(c, people["head"])
        t.shift(dt.timedelta(minutes=1))
        r = ApiClient().post("/auth/token", {"username": "head", "password": PASSWORD})
        assert r.status_code == 401 and "动态口令" in r.json()["message"]
        r = ApiClient().post("/auth/token", {"username": "head", "password": PASSWORD, "otp": otp(device)})
        assert r.status_code == 200, r.content.decode()
        assert ApiClient(token=r.json()["token"]).get("/auth/me").json()["username"] == "head"
    r = ApiClient().post("/auth/token", {"username": "officer", "password": PASSWORD})
    assert r.status_code == 200  # optional for officers
