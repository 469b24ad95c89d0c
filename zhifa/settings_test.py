"""Settings of the test suite and the type checker: zhifa.settings in demo mode (ZHIFA_DEMO=1, set in
the environment so that every `zhifa` or gunicorn process a test starts inherits it). A test that
needs production settings starts a process with ZHIFA_DEMO=0 (tests/ops/test_settings.py)."""
import os

os.environ.setdefault("ZHIFA_DEMO", "1")

from zhifa.settings import *  # noqa: F403

# Session timeouts off for the suite (many tests travel in time with a logged-in client); the
# timeout tests switch them on with settings overrides (tests/accounts).
ZHIFA_SESSION_IDLE_MINUTES = 0
ZHIFA_SESSION_MAX_HOURS = 0
SESSION_COOKIE_AGE = 14 * 86400  # Django's default: the server-side session outlives any time travel
