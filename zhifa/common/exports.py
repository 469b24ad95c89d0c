"""Cells of every spreadsheet and CSV the platform writes (staff .xlsx exports, statistics and annual
reports, the public open-data CSV) pass through `cell()`: text that a spreadsheet would read as a
formula — it begins with = + - @ TAB or CR — gets a leading apostrophe (OWASP "CSV injection").
A name imported as `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` then opens as the text it is.

Numbers stay numbers: ints, floats and Decimals are never touched, nor is text that is only a
number ("-12.5", "+86"), which no spreadsheet runs and which users expect to see unchanged.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)*|\.\d+)([eE][+-]?\d+)?%?$")


def cell(value: Any) -> Any:
    """The value to write into a spreadsheet or CSV cell (formula-leading text neutralised)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    """`cell` of every value of a row."""
    return [cell(v) for v in values]


def is_neutral(value: Any) -> bool:
    """No spreadsheet would evaluate this cell (what the tests assert of every exported cell)."""
    return not (isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value))
