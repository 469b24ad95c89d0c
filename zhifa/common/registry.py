"""Registries that apps fill from one module each, found by autodiscovery.

The same idiom as the case seam (`<app>/subscribers.py`), the pending due dates
(`<app>/pending.py`) and `zhifa verify` (`<app>/verify.py`): an app that contributes to a
cross-cutting list declares it in a module of a fixed name, and whoever reads the list calls
`discover()` first. The lists live here, on the ground floor, so that an app contributes without
importing the app (or the top floor) that reads them:

| registry        | module            | read by                                        |
|-----------------|-------------------|------------------------------------------------|
| `bench_suites`  | `<app>/bench.py`  | `zhifa bench <suite>` (zhifa/site)             |
| `demo_steps`    | `<app>/demo.py`   | `zhifa seed` / the demo builder (zhifa/site)   |
| `alert_checks`  | `<app>/alerts.py` | 预警 recomputation (zhifa/supervision/alerts)  |
| `portal_pages`  | `<app>/urls_public.py` | the public site /gs/ (zhifa/portal)       |
| `case_panels`   | `<app>/panels.py` | the case page (zhifa/cases/views/case.py)      |
| `target_panels` | `<app>/panels.py` | the 一户式 page (zhifa/records/views.py target) |
| `document_facts`| `<app>/docfacts.py` | a case's document data (documents/context.py) |
| `periodic_tasks`| `<app>/periodic.py` | the scheduler's clock (supervision/tasks.periodic_jobs) |
| `target_sections`| `<app>/targets.py` | the 一户式 page of one credit code / ID (records) |
| `supervision_sections`| `<app>/figures.py` | the supervision home's figures (supervision/views/figures) |

    from zhifa.common.registry import alert_checks

    @alert_checks.register("complaints", order=90)
    def overdue_complaints(today): ...
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.utils.module_loading import autodiscover_modules

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    key: str
    value: T
    order: int
    module: str


class Registry(Generic[T]):
    """Named entries, ordered by `order` then key, contributed by `<app>/<module>.py`."""

    def __init__(self, module: str, what: str) -> None:
        self.module = module
        self.what = what
        self._entries: dict[str, Entry[T]] = {}
        self._discovered = False

    def register(self, key: str, value: T | None = None, *, order: int = 100, module: str | None = None) -> Any:
        """`register(key, value)` or, as a decorator, `@register(key)`. Registering the same key
        from the same module again (a module imported twice) is a no-op; from another module it
        is a mistake and raises. `module` names the contributing module when the value does not
        carry its own `__module__` (an instance rather than a function or a class)."""
        def add(item: T) -> T:
            contributor = module or getattr(item, "__module__", "") or ""
            known = self._entries.get(key)
            if known is not None and known.module != contributor:
                raise ValueError(f"{self.what} {key!r} registered twice: {known.module} and {contributor}")
            self._entries[key] = Entry(key, item, order, contributor)
            return item

        if value is not None:
            return add(value)
        return add

    def discover(self) -> None:
        if not self._discovered:
            autodiscover_modules(self.module)
            self._discovered = True

    def entries(self) -> list[Entry[T]]:
        self.discover()
        return sorted(self._entries.values(), key=lambda entry: (entry.order, entry.key))

    def keys(self) -> list[str]:
        return [entry.key for entry in self.entries()]

    def values(self) -> list[T]:
        return [entry.value for entry in self.entries()]

    def get(self, key: str) -> T | None:
        self.discover()
        entry = self._entries.get(key)
        return entry.value if entry else None

    def __getitem__(self, key: str) -> T:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        self.discover()
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())


# `zhifa bench <key>`: a class with `run(opts) -> dict` (child process, bench database) and
# `report(results) -> rows`; optional `options` (argparse dests), `add_arguments(parser)`, `details`.
bench_suites: Registry[type] = Registry("bench", "bench suite")

# Demo steps, run in order after the foundation and the demo cases: fn(demo) where `demo` is the
# builder (main_entity, users, admin, password, cases, scale, log). `order` places the step.
demo_steps: Registry[Callable[..., Any]] = Registry("demo", "demo step")

# 预警 conditions: fn(today) yielding `Finding`s; the alert engine opens, keeps and closes alerts.
alert_checks: Registry[Callable[..., Iterator[Any]]] = Registry("alerts", "alert check")



@dataclass(frozen=True)
class PortalLink:
    """One entry of the public site's navigation: `module` is what a page passes in its context to
    mark the entry it belongs to; entries from every app are shown by `order`."""

    label: str
    url_name: str
    module: str
    order: int


@dataclass(frozen=True)
class PortalPages:
    """An app's public pages: its `<app>/urls_public.py` (the module that registers this, passing
    `module=__name__`) mounted at /gs/<prefix>, and its entries in the navigation."""

    prefix: str = ""
    nav: tuple[PortalLink, ...] = ()


# The public site (公示平台, /gs/), assembled by zhifa/portal from every app's `urls_public.py`:
#     portal_pages.register("guidance", PortalPages("guidance/", nav=(...)), order=80, module=__name__)
# `order` places the app's URLs (the first match wins); the key is the app's label.
portal_pages: Registry[PortalPages] = Registry("urls_public", "portal pages")


@dataclass
class Finding:
    """One condition an alert check found on a day: `key` identifies it across days (an alert stays
    open while its key is found), `kind` is one of the supervision app's Alert.Kind values."""

    key: str
    kind: str
    entity_id: int
    text: str
    case_id: int | None = None
    officer_id: int | None = None
    certificate_id: int | None = None


@dataclass(frozen=True)
class CasePanel:
    """A panel another app shows on the case page, loaded with HTMX from `url_name` (which takes the
    case's pk); `kinds` limits it to case kinds (empty = all); the panel's HTML answer holds an element
    with id `select` (what the page keeps of it)."""

    title: str
    url_name: str
    select: str
    kinds: tuple[str, ...] = ()


# The case page's panels from the apps built on cases, by `order` (the case engine never imports them):
#     case_panels.register("discretion", CasePanel("裁量辅助", "discretion-case-panel", "case-discretion",
#                                                  kinds=("penalty_general",)), module=__name__)
case_panels: Registry[CasePanel] = Registry("panels", "case panel")



@dataclass(frozen=True)
class TargetPanel:
    """A panel another app shows on the 一户式 page (records' `target`: one holder's cases and records by
    its credit code or ID number), loaded with HTMX from `url_name` with `?key=<the code>`; the answer
    holds an element with id `select`."""

    title: str
    url_name: str
    select: str


# The 一户式 page's panels from the apps above records (records never imports them), by `order`:
#     target_panels.register("permits", TargetPanel("行政许可", "permits-target-panel", "target-permits"),
#                            module=__name__)
target_panels: Registry[TargetPanel] = Registry("panels", "target panel")

# Facts an app adds to a case's document data: fn(case, *, on) -> dict | None, stored under
# data["extensions"][key] by documents/context.case_data (e.g. key "discretion": the 裁量说明 paragraphs
# that the 事先告知书 and 决定书 print).
document_facts: Registry[Callable[..., Any]] = Registry("docfacts", "document facts")

# Sections other apps add to the 一户式 page (records/views.target) of one credit code or ID number:
# fn(user, key) -> TargetSection | None, scoped to what `user` may see (e.g. inspections: 双随机 history).
@dataclass(frozen=True)
class TargetSection:
    title: str
    html: str  # rendered by the contributing app (escaped there)
    count: int = 0


target_sections: Registry[Callable[..., Any]] = Registry("targets", "one-household section")


# Figures other apps add to the supervision home (执法监督首页, supervision/views/figures.home) of one
# region: fn(user, today, region, year) -> SupervisionSection | None, scoped to what `user` may see and
# to the region's subtree; `year` (or None: all) as the home's year filter (e.g. inspections: 双随机).
@dataclass(frozen=True)
class SupervisionSection:
    title: str
    html: str  # rendered by the contributing app (escaped there)


supervision_sections: Registry[Callable[..., Any]] = Registry("figures", "supervision home section")

# What happens elsewhere when a published decision goes public or leaves public view: fn(event, pub, on)
# with event "published", "withdrawn" or "expired" (公示期满 or 信用修复: `pub.expiry_cause`), called by
# the disclosure app inside the same transaction (the credit publicity feed: zhifa/exchange).
publication_hooks: Registry[Callable[..., Any]] = Registry("publication_hooks", "publication hook")


def publication_event(event: str, pub: Any, on: Any) -> None:
    for hook in publication_hooks.values():
        hook(event, pub, on)




@dataclass(frozen=True)
class PeriodicJob:
    """A background task the scheduler (`zhifa scheduler`, `supervision.tasks.periodic_jobs`) enqueues:
    `daily` once a day at ZHIFA_DAILY_AT with the keyword argument `today` (ISO date), or else every
    `every_minutes` minutes without arguments. `task` is a django-tasks task of the contributing app."""

    task: Any
    daily: bool = False
    every_minutes: int = 0


# Periodic background work of the apps, enqueued by the scheduler without it importing them:
#     periodic_tasks.register("notify.deliver_due", PeriodicJob(deliver_due_task, every_minutes=5),
#                             module=__name__)
periodic_tasks: Registry[PeriodicJob] = Registry("periodic", "periodic job")
