"""Headless Chromium against pytest-django's live_server.

One browser per session, a fresh context (cookies, storage) per test. The Debian `chromium`
binary is used as is; Playwright's own browser download is never needed.
"""
from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django's ORM calls from the test
# body (fixtures, assertions on the database) would otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync"]
PASSWORD = "pass12345"
# Named people so the change log shows a real operator name, not a login name.
DISPLAY_NAMES = {"head": "张局长", "unithead": "刘队长", "supcounty": "陈监督", "supcity": "吴监督"}


@pytest.fixture(scope="session", autouse=True)
def _warm_urlconf():
    """Import every view and the whole API once, before any live server answers: the first
    request would otherwise spend seconds importing and a loaded machine hits the page timeout."""
    from django.urls import get_resolver

    _ = get_resolver().url_patterns  # the property builds the URLconf
    import zhifa.api  # noqa: F401  (the ninja API builds its routers and schema on import)


@pytest.fixture
def context(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(10000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def world(transactional_db):
    """The shared test world, committed (live_server's thread must see it)."""
    from tests.factories import world as build
    from zhifa.orgs.models import User

    w = build()
    for username, name in DISPLAY_NAMES.items():
        User.objects.filter(username=username).update(display_name=name)
    return w


@pytest.fixture
def site(live_server, world):
    return live_server.url


def login(page, site, username, password=PASSWORD):
    """Log in through the form, as a person would."""
    page.goto(f"{site}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{site}/")
    return page


def logout(page, site):
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(f"{site}/login/")


def wait_until(page, expression: str, timeout: float = 10000):
    """page.wait_for_function without eval: Playwright evaluates a polled predicate with eval(), which
    the Content Security Policy (script-src 'self', issue 16) refuses; page.evaluate is not affected."""
    import time

    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def nav_link(page, name):
    """The header link `name`, its menu opened first (links sit in 办案/法制审核/基础数据/监督/系统 menus)."""
    import re

    link = page.locator("header nav a").filter(has_text=re.compile(f"^{re.escape(name)}$")).first
    if not link.is_visible():
        link.locator("xpath=ancestor::details[1]/summary").click()
    return link
