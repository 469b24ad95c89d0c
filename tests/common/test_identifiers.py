import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.common.identifiers import (
    USCC_ALPHABET,
    check_credit_code,
    check_id_number,
    check_phone,
    check_region_code,
    make_credit_code,
    make_id_number,
    uscc_check_char,
)

# Published real codes (national agencies), used as fixed points for the check-digit maths.
REAL_USCC = ["91350100M000100Y43"]  # GB 32100 example
REAL_ID = "11010519491231002X"  # the GB 11643 standard's own example


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_credit_codes_pass(code):
    assert check_credit_code(code) is None


def test_real_id_number_passes():
    assert check_id_number(REAL_ID) is None


def test_credit_code_errors_are_chinese_and_specific():
    assert "18位" in check_credit_code("123")
    assert "非法字符" in check_credit_code("91350100M000100I43")
    assert "校验位" in check_credit_code("91350100M000100Y44")


def test_id_number_errors():
    assert "18位" in check_id_number("1234")
    assert "出生日期" in check_id_number("110105194902301234")
    assert "校验位" in check_id_number("110105194912310021")
    assert "行政区划" in check_id_number("990105194912310021")


@given(st.sampled_from(["520502", "110105", "440305"]), st.dates(dt.date(1930, 1, 1), dt.date(2010, 1, 1)),
       st.integers(0, 999), st.sampled_from("MF"))
def test_generated_id_numbers_valid(region, born, seq, gender):
    n = make_id_number(region, born, seq, gender)
    assert check_id_number(n) is None
    assert (int(n[16]) % 2 == 1) == (gender == "M")


@given(st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8))
def test_generated_credit_codes_valid(org):
    assert check_credit_code(make_credit_code("520502", org)) is None


@given(st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2),
       st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9), st.integers(1, 30))
def test_any_check_char_change_breaks_credit_code(head, org, shift):
    body = head + "520502" + org
    full = body + uscc_check_char(body)
    assert check_credit_code(full) is None
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(full[17]) + shift) % 31]
    assert check_credit_code(full[:17] + wrong) is not None


@pytest.mark.parametrize("phone,ok", [("13800138000", True), ("0857-8221234", True), ("08578221234", True),
                                      ("12345", True), ("400-123-4567", True), ("1380013800", False),
                                      ("abc", False), ("23800138000", False)])
def test_phone(phone, ok):
    assert (check_phone(phone) is None) == ok


@pytest.mark.parametrize("code,ok", [("520502", True), ("520502001", True), ("990000", False), ("5205", False)])
def test_region_code(code, ok):
    assert (check_region_code(code) is None) == ok
