"""Outside demo mode the product refuses to start without its keys (issue 16, item 1)."""
import subprocess

import pytest

from tests.ops.conftest import ZHIFA, production_env

pytestmark = pytest.mark.slow


@pytest.fixture
def prod_env(tmp_path):
    return lambda **extra: production_env(tmp_path / "data", **extra)


def run(env):
    return subprocess.run([str(ZHIFA), "check"], env=env, capture_output=True, text=True, timeout=120)


def test_refuses_without_link_keys_or_ledger_key(prod_env):
    assert run(prod_env()).returncode == 0
    env = prod_env()
    for bad in ({"ZHIFA_LINK_KEYS": ""}, {"ZHIFA_LINK_KEYS": "short"}, {"ZHIFA_LINK_KEYS": env["ZHIFA_SECRET_KEY"]},
                {"ZHIFA_LINK_KEYS": "dev-insecure-link-key"}, {"ZHIFA_LEDGER_KEY_FILE": ""},
                {"ZHIFA_DATA_KEY_FILE": ""}):
        r = run({**env, **bad})
        assert r.returncode == 3, (bad, r.stderr)
        assert "拒绝启动" in r.stderr and next(iter(bad)) in r.stderr and "Traceback" not in r.stderr


def test_demo_mode_starts_without_them(prod_env):
    r = run(prod_env(ZHIFA_DEMO="1", ZHIFA_SECRET_KEY="", ZHIFA_LINK_KEYS="", ZHIFA_LEDGER_KEY_FILE="",
                   ZHIFA_DATA_KEY_FILE=""))
    assert r.returncode == 0, r.stderr
