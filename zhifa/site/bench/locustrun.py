"""The load generator of `zhifa bench load`, run as its own process (locust as a library, headless).

    python -m zhifa.site.bench.locustrun CONFIG.json OUT.json

Imports no Django: locust monkey-patches the standard library with gevent at import, which must not
happen inside the Django process that seeded the data. CONFIG (written by zhifa/site/bench/load.py)
names the server (`host`, only 127.0.0.1), the users (`users`, `spawn_rate`), the duration
(`seconds`, after `warmup` seconds whose samples are dropped) and, per role, the sessions / tokens
and the paths to request. OUT gets every request's server round-trip time (ms) per page name and the
failures; percentiles and ratios are computed by the suite.

Every request is a GET without redirects: anything but 200 counts as an error (a redirect to the
login page is an error, not a fast page).
"""
from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from itertools import count
from urllib.parse import urlparse


def main(config_path: str, out_path: str) -> int:
    with open(config_path, encoding="utf-8") as f:
        cfg = json.load(f)
    if urlparse(cfg["host"]).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("locustrun: only a server on this machine (127.0.0.1) may be loaded")
    # Imported here, never at module level: locust monkey-patches the standard library (gevent) on import.
    import gevent
    from locust import FastHttpUser, between, events
    from locust.env import Environment
    roles = cfg["roles"]
    wait = between(*cfg.get("wait", [0.0, 0.0]))
    samples: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    failure_examples: list[str] = []
    measure_from = [float("inf")]
    ticket = defaultdict(count)

    def on_request(request_type, name, response_time, response_length, exception=None, start_time=None, **kw):
        t = start_time or time.time()
        if t < measure_from[0] or (len(measure_from) > 1 and t > measure_from[1]):
            return  # warm-up (workers importing, templates compiling, caches filling), or after the end
        if exception is not None:
            failures[name] += 1
            if len(failure_examples) < 10:
                failure_examples.append(f"{name}: {str(exception)[:200]}")
        else:
            samples[name].append(response_time)

    events.request.add_listener(on_request)

    def make_user(role: str, spec: dict):
        def get(self, name: str, path: str):
            with self.client.get(path, name=name, headers=self.headers, allow_redirects=False,
                                 catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"HTTP {r.status_code} {path}")
                else:
                    r.success()

        def on_start(self):
            k = next(ticket[role])
            self.k = k
            self.headers = {}
            if spec.get("sessions"):
                self.headers["Cookie"] = "sessionid=" + spec["sessions"][k % len(spec["sessions"])]
            if spec.get("tokens"):
                self.headers["Authorization"] = "Bearer " + spec["tokens"][k % len(spec["tokens"])]
            self.n = 0

        # Each person goes through the role's pages in a fixed interleaved order, each page as often as its
        # weight ([2, 3, 1] → A B C A B B): every page is requested within the first pass, even in a short run.
        pages, left, seq = spec["pages"], [p.get("weight", 1) for p in spec["pages"]], []
        while any(left):
            for i in range(len(left)):
                if left[i]:
                    seq.append(i)
                    left[i] -= 1

        def run(self):
            page = pages[seq[self.n % len(seq)]]
            paths = page["paths"]
            if isinstance(paths, dict):  # per login (a case detail: one of this officer's own cases)
                paths = paths[str(self.k % len(paths))]
            self.n += 1
            get(self, page["name"], paths[(self.n * 7 + self.k) % len(paths)])

        tasks = [run]
        attrs = {"weight": spec["weight"], "wait_time": wait, "tasks": tasks, "on_start": on_start,
                 "host": cfg["host"], "connection_timeout": 30.0, "network_timeout": 60.0}
        return type(f"{role.title()}User", (FastHttpUser,), attrs)

    classes = [make_user(role, spec) for role, spec in roles.items()]
    # Every role gets at least one simulated person, the rest in proportion to the weights (largest
    # remainder): locust's own weighting would leave the small roles out of a small run.
    users = max(cfg["users"], len(classes))
    total = sum(c.weight for c in classes)
    base = [max(1, int(users * c.weight / total)) for c in classes]
    order = sorted(range(len(classes)), key=lambda i: -(users * classes[i].weight / total - base[i]))
    k = 0
    while sum(base) < users:
        base[order[k % len(order)]] += 1
        k += 1
    while sum(base) > users:
        i = max(range(len(base)), key=lambda i: base[i])
        base[i] -= 1
    for c, n in zip(classes, base):
        c.fixed_count = n
    env = Environment(user_classes=classes, events=events)
    runner = env.create_local_runner()
    started = time.time()
    measure_from[0] = started + cfg.get("warmup", 0)
    stopped_at = [0.0]

    def stop():
        stopped_at[0] = time.time()
        measure_from.append(stopped_at[0])  # samples of requests still in flight are not counted
        runner.quit()

    runner.start(users, spawn_rate=max(cfg["spawn_rate"], users))
    gevent.spawn_later(cfg.get("warmup", 0) + cfg["seconds"], stop)
    runner.greenlet.join()
    measured = stopped_at[0] - measure_from[0]
    out = {"seconds": measured, "users": users, "per_role": dict(zip(roles, base)), "samples": samples, "failures": failures,
           "failure_examples": failure_examples,
           }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
