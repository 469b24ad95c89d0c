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


@pytest.fixture
def bench(cw):
    """A published 裁量基准 for the case world's power item."""
    import datetime as dt

    from zhifa.powers import actions as power_actions
    from zhifa.powers.models import DiscretionBenchmark

    levels = [
        {"level": "从轻", "circumstances": "初次违法、及时改正", "sanctions": ["warning", "fine"],
         "fine_min": "1000", "fine_max": "3000"},
        {"level": "一般", "circumstances": "一般情形", "sanctions": ["warning", "fine"],
         "fine_min": "3000", "fine_max": "8000"},
        {"level": "从重", "circumstances": "多次违法", "sanctions": ["fine", "confiscate_gains"],
         "fine_min": "8000", "fine_max": "10000"},
    ]
    b = power_actions.do_create_versioned(DiscretionBenchmark, {
        "entity": cw["smj"], "power_item_code": cw["item"].code, "violation": "销售不符合食品安全标准的食品",
        "basis": "《中华人民共和国食品安全法》第一百二十四条", "levels": levels,
        "effective_from": dt.date(2026, 1, 1)}, acting_user=cw["head"])
    power_actions.do_submit_versioned(b, acting_user=cw["head"])
    return power_actions.do_confirm_versioned(b, acting_user=cw["sup_county"])
