"""Pending due dates (待定期限): a due date whose period runs into a year whose holiday
arrangement is not yet on file is stored as pending, never guessed and never a reason to refuse
the action that opened it. Each row carries the year it waits for.

Apps that store due dates declare them in a module `<app>/pending.py` (autodiscovered, the way
`zhifa verify` finds `<app>/verify.py`):

    from zhifa.legalcal import pending

    pending.register("supervision.order", "督办、整改通知答复期限", count=count_by_year, resolve=resolve)
    pending.after_resolve(recompute_alerts)

`count()` → {year: number of pending due dates waiting for that year}; `resolve(year, *,
acting_user, on)` recomputes every item waiting for `year` (writing change-log and ledger
entries) and returns how many it computed; the `after_resolve` hooks then run once (mark what
is already breached, raise alerts). `resolve_year` is called by the calendar actions inside the
transaction that enters the year.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from zhifa.legalcal.periods import Due

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from zhifa.orgs.models import User


def label(year: int | None) -> str:
    """What lists, queues, documents and the API show instead of a pending date."""
    return f"待定：需录入{year}年节假日安排" if year else "待定"


def phrase(n: int, unit_label: str = "个工作日", start: str = "自收到之日起") -> str:
    """The period in words, for a document whose due date is pending: '自收到之日起5个工作日内'."""
    return f"{start}{n}{unit_label}内"


def split(due: Due) -> tuple[dt.date | None, int | None]:
    """(date, None) when known; (None, year it waits for) when pending."""
    return (due.date, None) if due.known else (None, due.unknown_year)


def show(date: dt.date | None, pending_year: int | None) -> str:
    """A due date for display: '2027-01-08' or '待定：需录入2027年节假日安排' (or '' when none)."""
    if date:
        return f"{date:%Y-%m-%d}"
    return label(pending_year) if pending_year else ""


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    count: Callable[[], dict[int, int]]
    resolve: Callable[..., int]


REGISTRY: dict[str, Kind] = {}
_after: list[Callable[..., None]] = []
_discovered = False


def register(key: str, title: str, *, count: Callable[[], dict[int, int]], resolve: Callable[..., int]) -> None:
    REGISTRY[key] = Kind(key, title, count, resolve)


def after_resolve(fn: Callable[..., None]) -> Callable[..., None]:
    if fn not in _after:
        _after.append(fn)
    return fn


def kinds() -> list[Kind]:
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("pending")
        _discovered = True
    return list(REGISTRY.values())


def by_kind() -> dict[str, dict[int, int]]:
    """{kind key: {year: count}} for every registered kind (kinds with none pending included)."""
    return {k.key: k.count() for k in kinds()}


def by_year() -> dict[int, int]:
    """{year: pending due dates waiting for it}, all kinds together."""
    total: dict[int, int] = {}
    for counts in by_kind().values():
        for year, n in counts.items():
            if n:
                total[year] = total.get(year, 0) + n
    return dict(sorted(total.items()))


def titles() -> dict[str, str]:
    return {k.key: k.title for k in kinds()}


def resolve_year(year: int, *, acting_user: User | AnonymousUser | None, on: dt.date | None = None) -> dict[str, int]:
    """Compute every due date waiting for `year` (call inside the transaction that enters it).

    Items whose period also runs into a later unknown year move on to wait for that year."""
    from zhifa.legalcal import periods

    periods.clear_cache()  # the year just entered must be seen now, before commit
    on = on or timezone.localdate()
    done = {k.key: k.resolve(year, acting_user=acting_user, on=on) for k in kinds()}
    for fn in _after:
        fn(year=year, acting_user=acting_user, on=on, resolved=done)
    forget_warning()
    return done


# ---- warning ahead (banner, /readyz) --------------------------------------------------------------
WARN_FROM = (11, 1)  # the State Council's notice usually appears in late October or November
WARN_CACHE_SECONDS = 60


def missing_years(today: dt.date | None = None) -> list[int]:
    """This year if unknown; next year too from 1 November."""
    from zhifa.legalcal import periods

    today = today or timezone.localdate()
    known = periods.current().years
    years = [today.year] if today.year not in known else []
    if (today.month, today.day) >= WARN_FROM and today.year + 1 not in known:
        years.append(today.year + 1)
    return years


def calendar_warning(today: dt.date | None = None) -> dict[str, Any] | None:
    """{'years': [2027], 'pending': 12, 'text': …} while a year the product needs is missing, else None.
    Cached briefly: the banner is on every page of administrators and supervisors."""
    from django.core.cache import cache

    today = today or timezone.localdate()
    key = f"zhifa:calendar-warning:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        years = missing_years(today)
        if years:
            n = sum(by_year().values())  # every pending due date waits for some year not entered
            found = {"years": years, "pending": n,
                     "text": f"{'、'.join(f'{y}年' for y in years)}法定节假日安排尚未录入"
                             f"（待定期限{n}项）：请录入国务院办公厅放假安排通知"}
        else:
            found = {}
        cache.set(key, found, WARN_CACHE_SECONDS)
    return found or None


def forget_warning() -> None:
    from django.core.cache import cache

    cache.delete(f"zhifa:calendar-warning:{timezone.localdate().isoformat()}")
