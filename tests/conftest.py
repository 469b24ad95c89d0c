import functools
import signal

import pytest

from tests import builders
from tests.factories import case_world
from tests.worlds import build_world, built_once, fresh


@pytest.fixture(autouse=True)
def _keep_sigpipe_ignored():
    """`zhifa`'s entry point (cli.main) makes SIGPIPE fatal, as command-line tools do. A test that
    calls it in-process must not leave that behind: a later live-server write to a socket Chromium
    already closed would then kill the whole test worker without a word (CI: "node down")."""
    before = signal.getsignal(signal.SIGPIPE) if hasattr(signal, "SIGPIPE") else None
    yield
    if before is not None and signal.getsignal(signal.SIGPIPE) != before:
        signal.signal(signal.SIGPIPE, before)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    # Deadlines counted from today need this year and the next in the legal calendar, also after
    # chinesecalendar's data ends (an administrator enters such a year; the tests do the same).
    return build_world()


@pytest.fixture(autouse=True, scope="session")
def _ledger_flush_unlock():
    """Transactional tests (live_server, transactional_db) end with a flush: DELETE on SQLite,
    TRUNCATE on PostgreSQL, both refused by the ledger's append-only triggers. Let the flush
    through, and nothing else."""
    from django.test import TransactionTestCase

    from zhifa.ledger.appendonly import ledger_unlocked

    original = TransactionTestCase._fixture_teardown

    def teardown(self):
        with ledger_unlocked():
            original(self)

    TransactionTestCase._fixture_teardown = teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process (Playwright's sync API cannot be started twice in a
    process): the browser tests and the production smoke test share it."""
    from pathlib import Path

    from tests.browser.conftest import ARGS, CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def cw(world):
    """world() plus the case people and a published power item (tests.factories.case_world)."""
    return case_world(world)


@pytest.fixture
def case_at(cw):
    """case_at("decided", hearing=True …): a case of the case world in any state (tests/builders.py)."""
    return functools.partial(builders.case_at, cw)


# ---- worlds built once per module (tests/worlds.py) ---------------------------------------------
@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build_world()


@pytest.fixture(scope="module")
def cw_once(world_once, django_db_blocker):
    with built_once(django_db_blocker):
        yield case_world(dict(world_once))


@pytest.fixture
def shared_world(world_once, db):
    """The `world` fixture's world, built once per module; each test gets its own copy of the objects
    and its own savepoint. A module opts in with `@pytest.fixture def world(shared_world): …`."""
    return fresh(world_once)


@pytest.fixture
def shared_cw(cw_once, db):
    """The `cw` fixture's world, built once per module (see shared_world)."""
    return fresh(cw_once)


@pytest.fixture
def legal_calendar(db):
    """The legal calendar from chinesecalendar (2004–2026 known; later years unknown), with the
    period cache cleared around the test."""
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield
    periods.clear_cache()


# Modules whose outcome depends on the date they run (the legal calendar's edge, the demo, pages
# and actions that count from today): marked `dates`, so .ci/dates runs them under libfaketime.
DATE_SENSITIVE = (
    "tests/legalcal/",
    "tests/orgs/test_seed.py",
    "tests/cases/test_demo_cases.py",
    "tests/cases/test_pages.py",
    "tests/cases/test_deadlines.py",
    "tests/supervision/test_actions.py",
    "tests/supervision/test_stats.py",
    "tests/disclosure/test_complaint_handling.py",
    "tests/disclosure/test_public_complaint_api.py",
    "tests/disclosure/test_expiry.py",
    "tests/common/test_cli.py",
)


def pytest_collection_modifyitems(config, items):
    root = str(config.rootpath)
    for item in items:
        path = str(item.path)[len(root) + 1:] if str(item.path).startswith(root) else str(item.path)
        if path.startswith(DATE_SENSITIVE):
            item.add_marker(pytest.mark.dates)
    check_shared_worlds(items)
    slow_first(items)


def slow_first(items):
    """Modules holding slow tests (demo seeds, benches, servers started for real) run first, the
    longest first: `--dist loadfile` (Makefile) hands whole files to whichever process is free, in
    collection order, so the long ones spread over the processes instead of one 5-minute test,
    collected last, keeping one process busy while the other has nothing left to do."""
    slow_modules = {item.path for item in items if item.get_closest_marker("slow")}
    order = {id(item): n for n, item in enumerate(items)}

    def rank(item):
        heaviest = next((n for n, name in enumerate(HEAVIEST) if str(item.path).endswith(name)), len(HEAVIEST))
        return (item.path not in slow_modules, heaviest, order[id(item)])

    items.sort(key=rank)


# The longest modules (durations of a whole run), longest first.
HEAVIEST = ("ops/test_backup_drill.py", "common/test_personal_data.py", "ops/test_smoke.py", "test_bench_load.py",
            "legalcal/test_calendar_edge.py", "cases/test_demo_cases.py", "api/test_hostile_params.py",
            "test_bench.py", "ops/test_gunicorn.py", "ops/test_sqlite_writers.py")


def transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(item.fixturenames)
                or (marker is not None and marker.kwargs.get("transaction")))


def check_shared_worlds(items):
    """A world built once per module lives in an open transaction: a transactional test of the same
    module would flush it (or not see it). Refuse such a module at collection, by name."""
    shared = {item.path for item in items if {"world_once", "cw_once"} & set(item.fixturenames)}
    mixed = sorted({item.nodeid for item in items if item.path in shared and transactional(item)})
    if mixed:
        raise pytest.UsageError("a module with a world built once (tests/worlds.py) has transactional tests: "
                                + ", ".join(mixed))
