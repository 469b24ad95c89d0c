"""One money format for every page (issue 18): `{{ amount|yuan }}` → ¥12,345.00.

Registered in this library (`{% load money %}`) and in zhifa_tags (`{% load zhifa_tags %}`), so staff
and public templates use the same filter."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()

EMPTY = "—"


def format_yuan(value, empty: str = EMPTY) -> str:
    """¥ with thousands separators and two decimals; `empty` for None or ""; anything that is not
    a number is returned as it is (never an error on a page)."""
    if value is None or value == "":
        return empty
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    amount = amount.quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def yuan(value, empty: str = EMPTY) -> str:
    return format_yuan(value, empty)
