"""Atomic hit counters in the shared cache (the portal's rate limits, issue 15).

`hit(key, limit, window)` counts one attempt with `cache.add` (creates the counter with its window,
only if absent) and `cache.incr` (atomic in Redis and in Django's per-process cache): concurrent
attempts on several app servers can never all read the same old count. The attempt over the limit is
refused; the window starts at the first attempt and is not extended by later ones.
"""
from __future__ import annotations

from django.core.cache import cache


def count(key: str) -> int:
    return int(cache.get(key, 0))


def hit(key: str, limit: int, window: int) -> bool:
    """Count one attempt; True while at most `limit` attempts fell in the window."""
    cache.add(key, 0, window)
    try:
        n = cache.incr(key)
    except ValueError:  # the counter expired between add and incr: a new window
        cache.add(key, 0, window)
        n = cache.incr(key)
    return n <= limit
