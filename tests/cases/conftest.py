import pytest


@pytest.fixture(autouse=True)
def _calendar(legal_calendar):
    """The shared legal calendar (tests/conftest.py)."""
    yield


@pytest.fixture(autouse=True)
def _drop_rule(monkeypatch):
    """ZHIFA_CASES_DROP_RULE=name turns one rule into a no-op: the suite must then fail
    (used to check that every rule has a test that fails without it)."""
    import os

    name = os.environ.get("ZHIFA_CASES_DROP_RULE")
    if name:
        from zhifa.cases.rules import RULES

        assert name in RULES, name
        monkeypatch.setitem(RULES, name, lambda ctx: None)


@pytest.fixture(autouse=True)
def _drop_guard(monkeypatch):
    """ZHIFA_CASES_DROP_GUARD=kind:transition:rule removes one guard from one transition."""
    import dataclasses
    import os

    spec = os.environ.get("ZHIFA_CASES_DROP_GUARD")
    if spec:
        from zhifa.cases import machine

        kind, name, rule = spec.split(":")
        t = machine.MACHINES[kind][name]
        assert rule in t.guards, spec
        table = dict(machine.MACHINES[kind])
        table[name] = dataclasses.replace(t, guards=tuple(g for g in t.guards if g != rule))
        monkeypatch.setitem(machine.MACHINES, kind, table)
