"""Generic tests of the case machine's transitions, in the spirit of NetBox's ViewTestCases: a test
module declares one Spec per transition and subclasses TransitionTests; every transition then gets

- a success: the case moves to the transition's target, and the engine wrote one CaseEvent, one
  ChangeLog row for the case and the event's `case.transition` ledger entry (in that order of cause);
- a refusal: ActionRefused names the declared rule (a guard of machine.py, or a common rule), and
  nothing was written — no event, no change-log row, no ledger entry, the case unchanged;
- a role refusal: a supervisor (who sees every case of the subtree but acts on none) is refused
  with `case.role`, and nothing was written.

The cases a spec starts from are built once per class (tests/builders.py case_at, inside
tests/worlds.py built_once); each test transitions its own copy through a savepoint.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest
from django.contrib.contenttypes.models import ContentType

from tests import builders
from tests.worlds import built_once
from zhifa.cases import machine
from zhifa.cases.models import Case, CaseEvent
from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.ledger.models import LedgerEntry
from zhifa.orgs import actions as org_actions

Payload = dict[str, Any] | Callable[[dict], dict[str, Any]]


@dataclass(frozen=True)
class Start:
    """A case to start from: case_at(state, **options), then the steps in `after` (builders.take)."""

    state: str = ""                    # "" : nothing yet (the kind's first transition creates the case)
    options: tuple[tuple[str, Any], ...] = ()
    after: tuple[str, ...] = ()

    @classmethod
    def at(cls, state: str, *after: str, **options: Any) -> Start:
        return cls(state, tuple(sorted(options.items())), after)


@dataclass(frozen=True)
class Refusal:
    """How the transition is refused: payload overrides (`on`, `acting_user` or the action's own
    keywords), a different start, or `prepare(w, case)` run just before (e.g. a certificate expires)."""

    rule: str
    payload: Payload = field(default_factory=dict)
    start: Start | None = None
    prepare: Callable[[dict, Case | None], None] | None = None


@dataclass(frozen=True)
class Spec:
    kind: str
    name: str
    start: Start
    refusal: Refusal
    payload: Payload = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.name}"


def resolve(payload: Payload, w: dict) -> dict[str, Any]:
    return payload(w) if callable(payload) else dict(payload)


def footprint() -> tuple[int, int, int, int]:
    """What a refused transition must leave as it was: cases, events, change-log rows, ledger entries."""
    # the login audit (auth.* entries) is not a write of the transition
    return (Case.objects.count(), CaseEvent.objects.count(), ChangeLog.objects.count(),
            LedgerEntry.objects.exclude(event_type__startswith="auth.").count())


def case_footprint(case: Case | None) -> tuple[Any, ...]:
    if case is None:
        return ()
    case.refresh_from_db()
    return (case.state, case.version, case.last_action_on)


def changelog_of(case: Case):
    return ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk))


class TransitionTests:
    """Subclass with `specs = [...]` (one Spec per transition of machine.MACHINES) and a `cw` fixture."""

    specs: ClassVar[list[Spec]] = []

    def pytest_generate_tests(self, metafunc):
        if "spec" in metafunc.fixturenames:
            metafunc.parametrize("spec", self.specs, ids=[s.id for s in self.specs])

    # ---- the cases to start from, built once for the class ------------------------------------
    @pytest.fixture(scope="class")
    @classmethod
    def starts(cls, cw_once, django_db_blocker) -> dict[tuple[str, Start], int]:
        wanted = {(s.kind, start) for s in cls.specs for start in (s.start, s.refusal.start) if start and start.state}
        with built_once(django_db_blocker):
            built = {}
            for kind, start in sorted(wanted, key=repr):
                case = builders.case_at(cw_once, start.state, kind=kind, **dict(start.options))
                for name in start.after:
                    builders.take(cw_once, case, name, opts=builders.options_for(kind, start.state,
                                                                                 **dict(start.options)))
                built[(kind, start)] = case.pk
            yield built

    def start(self, starts, spec: Spec, start: Start) -> Case | None:
        return Case.objects.get(pk=starts[(spec.kind, start)]) if start.state else None

    def run(self, w: dict, spec: Spec, case: Case | None, start: Start, payload: dict[str, Any]) -> Case:
        if case is None:
            return builders.create(w, spec.kind, **payload)
        opts = builders.options_for(spec.kind, start.state, **dict(start.options))
        return builders.take(w, case, spec.name, opts=opts, **payload)

    # ---- the generic tests --------------------------------------------------------------------
    def test_success_writes_event_changelog_and_ledger_entry(self, cw, starts, spec: Spec):
        case = self.start(starts, spec, spec.start)
        transition = machine.transitions(spec.kind)[spec.name]
        source, version = (case.state, case.version) if case else ("", 0)
        logs = changelog_of(case).count() if case else 0
        last_event = CaseEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        case = self.run(cw, spec, case, spec.start, resolve(spec.payload, cw))
        assert case.state == machine.target_of(transition, source)
        assert case.version == version + 1
        event = CaseEvent.objects.get(case=case, id__gt=last_event)
        assert (event.transition, event.from_state, event.to_state) == (spec.name, source, case.state)
        assert changelog_of(case).count() == logs + 1
        assert changelog_of(case).order_by("-id").first().action == ("update" if source else "create")
        entry = LedgerEntry.objects.get(event_type="case.transition", subject_id=str(event.pk),
                                        subject_type=ContentType.objects.get_for_model(CaseEvent))
        assert entry.case_id == case.pk and entry.actor_id == event.actor_id
        row = changelog_of(case).order_by("-id").first()
        change = LedgerEntry.objects.get(event_type="change", subject_id=str(row.pk),
                                         subject_type=ContentType.objects.get_for_model(ChangeLog))
        assert change.seq == entry.seq + 1 and change.case_id == case.pk  # the change log right after the event

    def test_refusal_names_its_rule_and_writes_nothing(self, cw, starts, spec: Spec):
        refusal = spec.refusal
        start = refusal.start or spec.start
        case = self.start(starts, spec, start)
        if refusal.prepare:
            refusal.prepare(cw, case)
        before, case_before = footprint(), case_footprint(case)
        with pytest.raises(ActionRefused) as refused:
            self.run(cw, spec, case, start, {**resolve(spec.payload, cw), **resolve(refusal.payload, cw)})
        assert refused.value.rule == refusal.rule, (refused.value.rule, refused.value.message)
        assert refused.value.message
        assert footprint() == before and case_footprint(case) == case_before

    def test_a_role_outside_the_transition_is_refused(self, cw, starts, spec: Spec):
        case = self.start(starts, spec, spec.start)
        before, case_before = footprint(), case_footprint(case)
        with pytest.raises(ActionRefused) as refused:
            self.run(cw, spec, case, spec.start, {**resolve(spec.payload, cw), "acting_user": cw["sup_county"]})
        assert refused.value.rule == "case.role"
        assert footprint() == before and case_footprint(case) == case_before

    def test_every_transition_is_declared(self):
        declared = {(s.kind, s.name) for s in self.specs}
        assert declared == {(kind, name) for kind, table in machine.MACHINES.items() for name in table}
        assert len(declared) == len(self.specs)


def expire_certificate(officer_key: str, last_valid_day: dt.date) -> Callable[[dict, Case | None], None]:
    """prepare: the officer's certificate ends on `last_valid_day` (officers.two_certified)."""

    def prepare(w: dict, case: Case | None) -> None:
        cert = w[officer_key].certificates.get()
        org_actions.do_update_certificate(cert, {"expires_on": last_valid_day}, acting_user=w["admin"])

    return prepare
