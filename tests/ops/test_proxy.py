"""Behind a proxy (issue 15, item 6): the client's address from X-Forwarded-For only via a trusted
proxy; the portal's rate limits count atomically per client."""
import os
import subprocess
import sys
import threading
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from tests.common.test_shared_cache import REDIS, _redis_up
from zhifa.common import ratelimit
from zhifa.common.proxy import client_address, networks

TRUSTED = networks(("127.0.0.1", "10.0.0.0/8", "::1"))


@pytest.mark.parametrize(("peer", "xff", "client"), [
    ("198.51.100.1", "203.0.113.5", "198.51.100.1"),          # not a proxy: its header is ignored
    ("127.0.0.1", "203.0.113.5", "203.0.113.5"),              # nginx on the machine
    ("127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),     # the client's own forged hop is skipped
    ("127.0.0.1", "203.0.113.5, 10.1.2.3", "203.0.113.5"),    # load balancer → nginx
    ("127.0.0.1", "", "127.0.0.1"),                           # direct request from the machine
    ("127.0.0.1", "garbage, 10.1.2.3", "10.1.2.3"),           # malformed hop: stop at the last proxy
    ("::1", "2001:db8::7", "2001:db8::7"),
])
def test_client_address(peer, xff, client):
    assert client_address(peer, xff, TRUSTED) == client


def _submit(client: Client, entity, **extra):
    return client.post("/api/v1/public/complaints", {"entity": entity.pk, "kind": "consult",
                                                     "content": "请问办理营业执照需要哪些材料？谢谢。"},
                       content_type="application/json", **extra)


def test_citizens_behind_nginx_are_counted_apart_and_cannot_dodge_by_forging(world, settings):
    settings.ZHIFA_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.ZHIFA_COMPLAINT_RATE = 2
    cache.clear()
    entity = world["smj"]
    c = Client()  # REMOTE_ADDR 127.0.0.1: every request comes through nginx
    a = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    assert [_submit(c, entity, **a).status_code for _ in range(3)] == [201, 201, 409]
    assert _submit(c, entity, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 201
    # Forging a hop in front does not help: nginx appends the real address, which is what counts.
    assert _submit(c, entity, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5").status_code == 409
    # A peer that is not a proxy: its X-Forwarded-For is ignored, its own address counts.
    settings.ZHIFA_TRUSTED_PROXIES = []
    outsider = {"REMOTE_ADDR": "198.51.100.9"}
    codes = [_submit(c, entity, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}", **outsider).status_code for i in (20, 21, 22)]
    assert codes == [201, 201, 409]


def test_hits_are_atomic_under_concurrency():
    key = f"zhifa:test-rate:{uuid.uuid4().hex}"
    barrier = threading.Barrier(16)
    results = []

    def attempt():
        barrier.wait()
        results.append(ratelimit.hit(key, 5, 60))

    threads = [threading.Thread(target=attempt) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 5 and ratelimit.count(key) == 16


RACE = """
import django, os, time
django.setup()
from zhifa.disclosure.actions.complaints import rate_check
from zhifa.common.actions import ActionRefused
start = float(os.environ["START"])
while time.time() < start:
    pass
try:
    rate_check(os.environ["CLIENT"])
    print("ok")
except ActionRefused as e:
    print(e.rule)
"""


@pytest.mark.skipif(not _redis_up(), reason="Redis 不可用")
def test_concurrent_processes_share_one_atomic_count(tmp_path):
    """Ten app-server processes take a submission from the same citizen at the same instant: exactly five
    pass (the old get-then-set let every process read the same count)."""
    import time

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_CACHE_URL": REDIS,
           "CLIENT": f"race-{uuid.uuid4().hex}", "ZHIFA_DATA_DIR": str(tmp_path), "START": str(time.time() + 4)}
    env.pop("DATABASE_URL", None)
    procs = [subprocess.Popen([sys.executable, "-c", RACE], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(10)]
    out = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert out.count("ok") == 5 and out.count("complaint.rate_limited") == 5, out
