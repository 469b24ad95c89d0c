"""ZHIFA_CACHE_URL: the portal's rate limits count across app servers when the cache is shared (Redis)."""
import os
import subprocess
import sys
import uuid

import pytest

REDIS = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        import redis
    except ImportError:
        return False
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
        return True
    except (redis.RedisError, OSError):
        return False


COUNT = """
import django, os
django.setup()
from django.core.cache import cache
from zhifa.disclosure.actions.complaints import rate_check
from zhifa.common.actions import ActionRefused
try:
    rate_check(os.environ["CLIENT"])
    print("ok")
except ActionRefused as e:
    print(e.rule)
"""


@pytest.mark.skipif(not _redis_up(), reason="Redis 不可用")
def test_rate_limit_counts_across_processes_with_a_shared_cache(tmp_path):
    """Six submissions from one address through six separate processes (as six workers would take them):
    with ZHIFA_CACHE_URL the sixth is refused; the limit is 5 an hour."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_CACHE_URL": REDIS,
           "CLIENT": f"test-{uuid.uuid4().hex}", "ZHIFA_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    out = [subprocess.run([sys.executable, "-c", COUNT], env=env, capture_output=True, text=True, check=True)
           .stdout.strip() for _ in range(6)]
    assert out == ["ok"] * 5 + ["complaint.rate_limited"]


def test_without_a_shared_cache_each_process_counts_alone(tmp_path):
    """The default (one machine): each process has its own cache, so separate workers would not add up."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifa.settings", "CLIENT": f"test-{uuid.uuid4().hex}",
           "ZHIFA_DATA_DIR": str(tmp_path)}
    for k in ("DATABASE_URL", "ZHIFA_CACHE_URL"):
        env.pop(k, None)
    out = [subprocess.run([sys.executable, "-c", COUNT], env=env, capture_output=True, text=True, check=True)
           .stdout.strip() for _ in range(6)]
    assert out == ["ok"] * 6
