"""Settings of the test suite and the type checker: zhifa.settings in demo mode (ZHIFA_DEMO=1, set in
the environment so that every `zhifa` or gunicorn process a test starts inherits it). A test that
needs production settings starts a process with ZHIFA_DEMO=0 (tests/ops/test_settings.py)."""
import os

os.environ.setdefault("ZHIFA_DEMO", "1")

from zhifa.settings import *  # noqa: F403
