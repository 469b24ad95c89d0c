"""Helpers every benchmark suite shares (ground: imports no app). The suites live beside their apps
(`<app>/bench*.py`); the `zhifa bench` command on the top floor (zhifa/site) runs them."""
from __future__ import annotations

import math
import os
import platform
from pathlib import Path


def percentile(values, p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    s = sorted(values)
    if not s:
        return 0.0
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def machine_info() -> dict:
    info = {"uname": " ".join(platform.uname()[i] for i in (0, 2, 4)), "cpus": os.cpu_count(),
            "python": platform.python_version()}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return info


def db_version() -> str:
    from django.db import connection

    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SHOW server_version")
            return "PostgreSQL " + c.fetchone()[0]
        c.execute("select sqlite_version()")
        return "SQLite " + c.fetchone()[0]


def ok_mark(flag: bool) -> str:
    """The "met" column of a benchmark table."""
    return "yes" if flag else "**no**"
