"""Worlds built once per module or class, for tests that only read (or whose writes are undone).

pytest-django runs each test in a transaction rolled back at its end. A fixture of module or class
scope that builds its rows inside `built_once(django_db_blocker)` keeps them in an outer
transaction instead: every test of the module sees them through its own savepoint, and the rows go
when the block ends (the module's last test is done). Tests still write freely; what a test
writes is undone after it, as before. Not for modules with transactional tests (live_server,
transaction=True): those need committed rows.

    @pytest.fixture(scope="module")
    def decided(cw_once, django_db_blocker):     # cw_once: the case world of this module
        with built_once(django_db_blocker):
            yield builders.case_at(cw_once, "decided")

A module whose tests only need the standard world opts in with one fixture (tests/conftest.py):

    @pytest.fixture
    def cw(shared_cw):
        return shared_cw

The Python objects are shared by the module's tests: a test that changes one in memory should
refresh_from_db() what it reads, or take `fresh(obj)` (a deep copy) — the shared_world and
shared_cw fixtures hand each test its own copy. Module-scoped fixtures of the same module must
not build rows the shared world also builds (test_stats seeds the demo: it keeps its own world).
"""
from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.test import override_settings

from tests.calendar_ahead import ensure_calendar_ahead
from tests.factories import case_world, system_admin, world

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def built_once(django_db_blocker) -> Iterator[None]:
    """Database access and an outer transaction, rolled back when the block ends (passwords hashed
    the fast way, as the autouse _fast_passwords fixture does for each test)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def fresh(value: Any) -> Any:
    """A copy of a shared world (dicts, lists, model instances) a test may change in memory."""
    return copy.deepcopy(value)


def build_world() -> dict:
    """tests.factories.world() with the legal calendar a year ahead (the `world` fixture's setup)."""
    ensure_calendar_ahead(system_admin())
    return world()


def build_cw() -> dict:
    """build_world() plus the case people and a published power item (the `cw` fixture)."""
    return case_world(build_world())
