"""The suggestion rule (zhifa.discretion.suggest): circumstances → level, band, amount and reasons."""
from decimal import Decimal
from types import SimpleNamespace

from tests.discretion.conftest import LEVELS
from zhifa.discretion import suggest as sg

NATIONAL = {f["code"]: f for f in sg.national_factors()}
BM = SimpleNamespace(pk=7, version=3, levels=LEVELS)


def run(*codes, levels=None, base=None):
    bm = BM if levels is None else SimpleNamespace(pk=7, version=3, levels=levels)
    return sg.suggest(bm, [NATIONAL[c] for c in codes], base)


def test_no_circumstance_is_general_middle():
    s = run()
    assert (s["level"], s["lo"], s["hi"], s["amount"]) == ("一般", "3000", "8000", "5500")
    assert s["benchmark_version"] == 3 and "不具有从轻" in "".join(s["reasons"])


def test_lighter_factor_and_stacking_moves_down():
    one, two = run("eliminated_harm"), run("eliminated_harm", "confessed")
    assert one["level"] == two["level"] == "从轻"
    assert Decimal(one["amount"]) == 2000 and Decimal(two["amount"]) < Decimal(one["amount"])
    assert any("第三十二条" in r for r in two["reasons"])


def test_offsetting_factors_are_general():
    s = run("eliminated_harm", "repeat_offence")
    assert s["level"] == "一般" and "相互抵消" in "".join(s["reasons"])


def test_heavier_factor():
    s = run("repeat_offence", "refused_correction")
    assert s["level"] == "从重" and Decimal(s["amount"]) > 9000


def test_no_penalty_factor_art_33():
    s = run("first_minor_corrected")
    assert s["level"] == "不予处罚" and s["amount"] is None
    assert sg.distance(s, Decimal("500")) == 1 and sg.distance(s, Decimal(0)) == 0


def test_mitigation_without_level_goes_below_the_lightest_minimum():
    s = run("coerced")
    assert s["level"] == "从轻" and s["wanted"] == "减轻"
    assert Decimal(s["hi"]) == 1000 and Decimal(s["lo"]) == 0


def test_multiple_of_gains_needs_base():
    levels = [{"level": "一般", "circumstances": "一般", "sanctions": ["fine"], "fine_basis": "multiple_of_illegal_gains",
               "multiple_min": "1", "multiple_max": "3"}]
    assert run(levels=levels)["amount"] is None
    s = run(levels=levels, base="2000")
    assert (s["lo"], s["hi"], s["amount"]) == ("2000", "6000", "4000")


def test_distance():
    s = run()
    assert sg.distance(s, Decimal("8000")) == 0
    assert sg.distance(s, Decimal("12000")) == Decimal("0.5")
    assert sg.distance(s, Decimal("1500")) == Decimal("0.5")
