"""等保 self-check (issue 16 item 8): statuses come from the live settings and database, not fixed text."""
import pytest
from django.test import Client, override_settings

from zhifa.common.roles import Role
from zhifa.orgs import actions as org_actions
from zhifa.site import selfcheck

pytestmark = pytest.mark.django_db


def status(clause: str) -> str:
    return next(i.status for i in selfcheck.report() if i.clause == clause)


def test_statuses_follow_the_settings():
    assert status("8.1.4.1 a)") == "部分符合"  # demo mode: passwords never expire
    with override_settings(ZHIFA_PASSWORD_MAX_AGE_DAYS=90):
        assert status("8.1.4.1 a)") == "符合"
    with override_settings(ZHIFA_REQUIRE_2FA=False):
        assert status("8.1.4.1 d)") == "不符合"
    with override_settings(ZHIFA_REQUIRE_2FA=True):
        assert status("8.1.4.1 d)") in ("符合", "部分符合")
    with override_settings(AXES_FAILURE_LIMIT=50, ZHIFA_SESSION_IDLE_MINUTES=0, ZHIFA_SESSION_MAX_HOURS=0):
        assert status("8.1.4.1 b)") == "不符合"
    assert status("8.1.4.1 b)") == "部分符合"  # the test settings switch the session limits off
    with override_settings(SESSION_COOKIE_SECURE=True, SECURE_HSTS_SECONDS=3600):
        assert status("8.1.4.1 c)") == "符合"
    assert status("8.1.4.1 c)") == "不符合"


def test_retention_and_three_administrators_follow_the_state():
    with override_settings(ZHIFA_AUDIT_RETENTION_DAYS=365):
        good = status("8.1.4.3 c)")
    with override_settings(ZHIFA_AUDIT_RETENTION_DAYS=90):
        assert status("8.1.4.3 c)") in ("部分符合", "不符合") and status("8.1.4.3 c)") != good
    assert status("8.1.5.2") == "不符合"
    assert status("8.1.4.2 d)") == "部分符合"  # separation enforced, accounts missing
    for name, role in (("s1", Role.ADMIN), ("s2", Role.SECURITY_ADMIN), ("s3", Role.AUDIT_ADMIN)):
        org_actions.do_create_admin(username=name, password="Good-pass-2026", role=role, must_change=False)
    assert status("8.1.5.2") == "符合" and status("8.1.4.2 d)") == "符合"
    c = Client()
    c.force_login(org_actions.User.objects.get(username="s2"))
    r = c.get("/security/")
    assert r.status_code == 200 and "8.1.4.3 c)" in r.content.decode() and "部署方负责" in r.content.decode()
