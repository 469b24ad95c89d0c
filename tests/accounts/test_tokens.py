"""API tokens as records (issue 16, item 3): hashed, named, scoped, expiring, listed and revoked by
the owner and the security administrator, revoked at logout of the creating session and at a
password change; the old signed tokens no longer work."""
import datetime as dt
import re

import pytest
import time_machine
from django.core import signing
from django.test import Client

from tests.accounts.conftest import PASSWORD, form_login
from tests.api.conftest import ApiClient
from zhifa.accounts import actions, tokens
from zhifa.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def issue(username="officer", **extra):
    r = ApiClient().post("/auth/token", {"username": username, "password": PASSWORD, **extra})
    assert r.status_code == 200, r.content.decode()
    return r.json()


def works(token, method="get", path="/auth/me"):
    c = ApiClient(token=token)
    return (c.get(path) if method == "get" else c.post(path, {})).status_code


def test_only_a_hash_is_stored(people):
    data = issue(name="同步脚本", scope="read", days=7)
    assert data["name"] == "同步脚本" and data["scope"] == "read" and data["token"].startswith("zf_")
    record = ApiToken.objects.get(pk=data["id"])
    secret = tokens.parse(data["token"])[1]
    assert secret not in record.secret_hash and record.secret_hash == tokens.digest(secret)
    assert data["token"] not in str(ApiToken.objects.values().get(pk=record.pk))
    assert dt.timedelta(days=6, hours=23) < record.expires_at - record.created_at <= dt.timedelta(days=7)
    assert works(data["token"]) == 200
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_list_and_revoke_through_the_api(people):
    a, b = issue(name="甲"), issue(name="乙")
    c = ApiClient(token=a["token"])
    listed = c.get("/auth/tokens").json()
    assert {t["name"] for t in listed} == {"甲", "乙"} and all("token" not in t for t in listed)
    r = c.post(f"/auth/tokens/{b['id']}/revoke")
    assert r.status_code == 200 and r.json()["state"] == "revoked"
    assert works(b["token"]) == 401 and works(a["token"]) == 200
    assert c.post(f"/auth/tokens/{b['id']}/revoke").status_code == 409  # already revoked


def test_others_cannot_see_or_revoke_but_the_security_administrator_can(people):
    mine = issue("officer")
    other = ApiClient(token=issue("head")["token"])
    assert mine["id"] not in [t["id"] for t in other.get("/auth/tokens", {"all": "true"}).json()]
    assert other.post(f"/auth/tokens/{mine['id']}/revoke").status_code == 404
    admin = ApiClient(people["admin"])
    everyone = admin.get("/auth/tokens", {"all": "true"}).json()
    assert {t["owner"] for t in everyone} >= {"officer", "head"}
    admin_client = Client()
    admin_client.force_login(people["admin"])
    page = admin_client.get("/account/tokens/?all=1").content.decode()
    assert "officer" in page and "head" in page
    assert admin_client.post(f"/account/tokens/{mine['id']}/revoke/", {"all": "1"}).status_code == 302
    assert works(mine["token"]) == 401
    assert ApiToken.objects.get(pk=mine["id"]).revoked_reason == "安全管理员撤销"


def test_read_scope_cannot_write(people):
    token = issue(scope="read")["token"]
    assert works(token, "get", "/officers") == 200
    r = ApiClient(token=token).post("/officers", {})
    assert r.status_code == 403 and "只读" in r.json()["message"]


def test_expiry(people):
    token = issue(days=1)["token"]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=23)):
        assert works(token) == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)):
        assert works(token) == 401
    r = ApiClient().post("/auth/token", {"username": "officer", "password": PASSWORD, "days": 365})
    assert r.status_code == 409 or r.status_code == 422
    assert "有效天数" in r.json()["message"]


def test_page_create_show_once_and_revoke_on_logout_of_that_session(people):
    c = Client()
    form_login(c, "officer")
    r = c.post("/account/tokens/", {"name": "网页令牌", "scope": "write", "days": "30"})
    text = re.search(r"<code>(zf_[^<]+)</code>", r.content.decode()).group(1)
    assert works(text) == 200
    listing = c.get("/account/tokens/").content.decode()
    assert "网页令牌" in listing and text not in listing  # shown once
    api_token = issue()["token"]  # made with the password, not by this session
    c.post("/logout/")
    assert works(text) == 401 and works(api_token) == 200
    assert ApiToken.objects.get(name="网页令牌").revoked_reason == "会话退出"


def test_password_change_revokes_every_token(people):
    a = issue()["token"]
    c = Client()
    form_login(c, "officer")
    c.post("/account/password/", {"old_password": PASSWORD, "new_password1": "Changed-pw-2026",
                                  "new_password2": "Changed-pw-2026"})
    assert works(a) == 401
    assert ApiToken.objects.get().revoked_reason == "修改密码"


def test_password_set_elsewhere_also_kills_tokens(people):
    """A password set in the admin or a shell: the token's password mark no longer matches."""
    a = issue()["token"]
    ApiToken.objects.update(password_mark="x" * 64)  # as if made under another password
    assert works(a) == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_inactive_owner(people):
    a = issue()["token"]
    people["officer"].is_active = False
    people["officer"].save()
    assert works(a) == 401


def test_old_signed_tokens_are_refused(people):
    """The pre-issue-16 format: TimestampSigner over '<user id>:<fragment>'."""
    old = signing.TimestampSigner(salt="zhifa.api.token").sign(f"{people['officer'].pk}:abcdef")
    assert works(old) == 401
    for bad in ("zf_", "zf_short_x", "zf_" + "a" * 12 + "_", "garbage", "zf_" + "a" * 12 + "_" + "b" * 500):
        assert works(bad) == 401


def test_page_for_the_owner(people):
    issue(name="我的令牌")
    c = Client()
    c.force_login(people["officer"])
    page = c.get("/account/tokens/").content.decode()
    assert "我的令牌" in page and "全部用户的令牌" not in page
    assert c.get("/account/tokens/?all=1").content.decode().count("<tr>") == page.count("<tr>")
    assert actions.is_security_admin(people["admin"]) and not actions.is_security_admin(people["head"])
