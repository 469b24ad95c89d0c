"""Idle timeout and absolute session limit (ZHIFA_SESSION_IDLE_MINUTES, ZHIFA_SESSION_MAX_HOURS), and
the cookie flags from settings. The suite runs with both timeouts off (zhifa/settings_test.py)."""
import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.accounts.conftest import form_login, logged_in
from zhifa.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def timeouts(settings):
    settings.ZHIFA_SESSION_IDLE_MINUTES = 15
    settings.ZHIFA_SESSION_MAX_HOURS = 12


def test_idle_timeout(people, timeouts):
    with time_machine.travel(T0, tick=False) as t:
        c = Client()
        form_login(c, "officer")
        assert c.get("/cases/").status_code == 200
        t.shift(dt.timedelta(minutes=14))
        assert c.get("/cases/").status_code == 200  # activity restarts the idle clock
        t.shift(dt.timedelta(minutes=14))
        assert c.get("/cases/").status_code == 200
        t.shift(dt.timedelta(minutes=16))
        r = c.get("/cases/")
        assert r.status_code == 302 and r["Location"].startswith("/login/?expired=idle")
        assert not logged_in(c)
        assert "长时间无操作" in c.get(r["Location"]).content.decode()
        assert LedgerEntry.objects.filter(event_type="auth.timeout").count() == 1


def test_idle_timeout_on_the_session_api(people, timeouts):
    with time_machine.travel(T0, tick=False) as t:
        c = Client()
        form_login(c, "officer")
        assert c.get("/api/v1/auth/me").status_code == 200
        t.shift(dt.timedelta(minutes=16))
        r = c.get("/api/v1/auth/me")
        assert r.status_code == 401 and r.json()["rule"] == "auth.session_expired"


def test_absolute_limit(people, timeouts):
    with time_machine.travel(T0, tick=False) as t:
        c = Client()
        form_login(c, "officer")
        for _ in range(12 * 6 + 1):  # busy all day, a request every 10 minutes
            t.shift(dt.timedelta(minutes=10))
            r = c.get("/")
            if r.status_code != 200:
                break
        assert r.status_code == 302 and r["Location"].startswith("/login/?expired=max")
        assert dt.timedelta(hours=12) <= dt.timedelta(minutes=10) * (_ + 1) <= dt.timedelta(hours=12, minutes=10)


def test_timeouts_off(people, settings):
    settings.ZHIFA_SESSION_IDLE_MINUTES = 0
    settings.ZHIFA_SESSION_MAX_HOURS = 0
    with time_machine.travel(T0, tick=False) as t:
        c = Client()
        form_login(c, "officer")
        t.shift(dt.timedelta(days=1))
        assert c.get("/cases/").status_code == 200


def test_production_cookie_and_header_settings():
    """Production values, read from a process without demo mode (tests/ops/test_settings.py does the
    same for the secret key)."""
    import subprocess
    import tempfile
    from pathlib import Path

    from tests.ops.conftest import ZHIFA, production_env

    with tempfile.TemporaryDirectory() as d:
        show = ["shell", "-v", "0", "-c", "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
                "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS, "
                "s.X_FRAME_OPTIONS, s.ZHIFA_REQUIRE_2FA, s.ZHIFA_SESSION_IDLE_MINUTES, s.ZHIFA_SESSION_MAX_HOURS, "
                "s.ZHIFA_PASSWORD_MAX_AGE_DAYS)"]
        r = subprocess.run([str(ZHIFA), *show], env=production_env(Path(d) / "data"), capture_output=True, text=True,
                           timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "True", "True", "Lax", "31536000", "DENY", "True", "15", "12", "90"]
