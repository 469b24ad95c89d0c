import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _calendar(legal_calendar):
    """The shared legal calendar (tests/conftest.py)."""
    yield


@pytest.fixture(autouse=True)
def _drop_rule(monkeypatch):
    """ZHIFA_CASES_DROP_RULE=name turns one rule into a no-op (see tests/cases/conftest.py)."""
    import os

    name = os.environ.get("ZHIFA_CASES_DROP_RULE")
    if name:
        from zhifa.cases.rules import RULES

        assert name in RULES, name
        monkeypatch.setitem(RULES, name, lambda ctx: None)


@pytest.fixture(autouse=True)
def _index(settings):
    """Every query sees the profiles written so far (no cached index between tests)."""
    from zhifa.discretion import similar

    settings.ZHIFA_DISCRETION_INDEX_TTL = 0
    similar.reset()
    yield
    similar.reset()


LEVELS = [
    {"level": "不予处罚", "circumstances": "初次违法且危害后果轻微并及时改正", "sanctions": []},
    {"level": "从轻", "circumstances": "初次违法、及时改正", "sanctions": ["warning", "fine"],
     "fine_min": "1000", "fine_max": "3000"},
    {"level": "一般", "circumstances": "一般情形", "sanctions": ["warning", "fine"],
     "fine_min": "3000", "fine_max": "8000"},
    {"level": "从重", "circumstances": "多次违法", "sanctions": ["fine", "confiscate_gains"],
     "fine_min": "8000", "fine_max": "10000"},
]


def publish_benchmark(cw, levels=None):
    from zhifa.powers import actions as power_actions
    from zhifa.powers.models import DiscretionBenchmark

    b = power_actions.do_create_versioned(DiscretionBenchmark, {
        "entity": cw["smj"], "power_item_code": cw["item"].code, "violation": "销售不符合食品安全标准的食品",
        "basis": "《中华人民共和国食品安全法》第一百二十四条", "levels": levels or LEVELS,
        "effective_from": dt.date(2026, 1, 1)}, acting_user=cw["head"])
    power_actions.do_submit_versioned(b, acting_user=cw["head"])
    return power_actions.do_confirm_versioned(b, acting_user=cw["sup_county"])


@pytest.fixture
def bench(cw):
    return publish_benchmark(cw)
