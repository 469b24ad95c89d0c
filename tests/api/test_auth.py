import datetime as dt

import pytest

from tests.api.conftest import ApiClient
from zhifa.accounts.api import make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


def get_token(username, password="pass12345"):
    r = ApiClient().post("/auth/token", {"username": username, "password": password})
    assert r.status_code == 200, r.content.decode()
    return r.json()


def test_anonymous_gets_401_in_chinese(world, anon):
    for path in ["/regions", "/officers", f"/officers/{world['o1'].pk}", "/power-items", "/auth/me"]:
        r = anon.get(path)
        assert r.status_code == 401
        assert r.json()["rule"] == "auth" and "令牌" in r.json()["message"]
    assert anon.post("/officers", {}).status_code == 401


def test_token_issue_and_use(world):
    data = get_token("head")
    assert data["token_type"] == "Bearer" and data["user"]["username"] == "head"
    expires = dt.datetime.fromisoformat(data["expires_at"])
    assert dt.timedelta(days=29) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)
    c = ApiClient(token=data["token"])
    assert c.get("/auth/me").json()["entity_name"] == "七星关区市场监督管理局"
    assert {o["name"] for o in c.get("/officers").json()["items"]} == {"李明", "王芳"}
    # writes with a token need no CSRF token
    c = ApiClient(token=data["token"], enforce_csrf=True)
    r = c.patch(f"/officers/{world['o2'].pk}", {"title": "科员"})
    assert r.status_code == 200 and r.json()["title"] == "科员"


def test_wrong_password_and_bad_tokens(world):
    r = ApiClient().post("/auth/token", {"username": "head", "password": "nope"})
    assert r.status_code == 401 and "密码错误" in r.json()["message"]
    for bad in ["garbage", make_token(world["head"]) + "x", ""]:
        assert ApiClient(token=bad).get("/officers").status_code == 401


def test_password_change_revokes_tokens(world):
    token = get_token("officer")["token"]
    assert ApiClient(token=token).get("/officers").status_code == 200
    user = world["officer"]
    user.set_password("another-pass-123")
    user.save()
    assert ApiClient(token=token).get("/officers").status_code == 401
    assert ApiClient(token=get_token("officer", "another-pass-123")["token"]).get("/officers").status_code == 200


def test_inactive_user_rejected(world):
    token = get_token("head")["token"]
    world["head"].is_active = False
    world["head"].save()
    assert ApiClient(token=token).get("/officers").status_code == 401
    r = ApiClient().post("/auth/token", {"username": "head", "password": "pass12345"})
    assert r.status_code == 401
    assert ApiClient(world["head"]).get("/officers").status_code == 401  # session too


def test_token_expires_after_30_days(world):
    import time_machine

    token = get_token("head")["token"]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=29), tick=False):
        assert ApiClient(token=token).get("/officers").status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=31), tick=False):
        assert ApiClient(token=token).get("/officers").status_code == 401


def test_session_auth_enforces_csrf_on_writes(world):
    c = ApiClient(world["head"], enforce_csrf=True)
    assert c.get("/officers").status_code == 200  # safe method: no CSRF needed
    r = c.patch(f"/officers/{world['o2'].pk}", {"title": "科员"})
    assert r.status_code == 403 and "CSRF" in r.json()["message"]
    c.client.get("/login/")  # sets the csrftoken cookie
    c.headers = {"X-CSRFToken": c.client.cookies["csrftoken"].value}
    r = c.patch(f"/officers/{world['o2'].pk}", {"title": "科员"})
    assert r.status_code == 200, r.content.decode()


def test_token_endpoint_validates_input(db):
    r = ApiClient().post("/auth/token", {"username": "x"})
    assert r.status_code == 422 and r.json()["message"] == "字段“密码”：必须填写"
