"""The seam between the case engine and the apps built on it.

After a transition has written its CaseEvent, the event's ledger entry and the case's change log,
the engine publishes the event here. Apps that react to transitions declare their subscribers in
one module each, `<app>/subscribers.py`, found when the cases app is ready (the way `zhifa verify`
finds `<app>/verify.py`); the engine itself imports none of them.

    from zhifa.cases.events import subscribe

    @subscribe(transitions={"decide"})
    def queue_publication(event, ctx): ...   # in the transition's transaction, after its ledger entry

    @subscribe(after_commit=True)
    def recompute(event, ctx): ...           # once the transition has committed

A subscriber gets the CaseEvent just written and the engine's Ctx (case, user, on, transition,
payload as the caller gave it). In-transaction subscribers run in the order of INSTALLED_APPS, then
of declaration; a refusal they raise undoes the whole transition. Their own ledger entries follow
the transition's: cause before effect. `registered()` lists every subscriber (docs/architecture.md,
tests/cases/test_events.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.db import transaction


@dataclass(frozen=True)
class Subscriber:
    fn: Callable
    transitions: frozenset[str] | None = None   # None: every transition
    to_states: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    after_commit: bool = False

    @property
    def name(self) -> str:
        return f"{self.fn.__module__}.{self.fn.__qualname__}"

    def wants(self, event) -> bool:
        return ((self.transitions is None or event.transition in self.transitions)
                and (self.to_states is None or event.to_state in self.to_states)
                and (self.kinds is None or event.case.kind in self.kinds))


SUBSCRIBERS: list[Subscriber] = []


def _set(values: Iterable[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def subscribe(*, transitions: Iterable[str] | None = None, to_states: Iterable[str] | None = None,
              kinds: Iterable[str] | None = None, after_commit: bool = False):
    """Declare fn(event, ctx) as a subscriber to the case transitions matching every filter given."""
    def register(fn):
        sub = Subscriber(fn, _set(transitions), _set(to_states), _set(kinds), after_commit)
        if sub.name not in {s.name for s in SUBSCRIBERS}:  # a module imported twice registers once
            SUBSCRIBERS.append(sub)
        return fn
    return register


def discover() -> None:
    """Import every installed app's `subscribers` module (called by CasesConfig.ready)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("subscribers")


def registered() -> list[Subscriber]:
    return list(SUBSCRIBERS)


def publish(event, ctx) -> None:
    """Called by the engine once the transition's event, ledger entry and change log are written."""
    for sub in SUBSCRIBERS:
        if not sub.wants(event):
            continue
        if sub.after_commit:
            transaction.on_commit(partial(sub.fn, event, ctx))
        else:
            sub.fn(event, ctx)
