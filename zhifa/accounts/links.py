"""Keys of the signed public links (issue 16): a social supervisor's login-free link, the party's
查询码 printed on case documents. They are MACs under settings.ZHIFA_LINK_KEYS, never under
SECRET_KEY: the first key signs, every listed key verifies, so a key is rotated by putting a new
one first and removed (killing the links it made) once they have been reissued (docs/deploy.md)."""
from __future__ import annotations

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac


def keys() -> list[str]:
    return list(settings.ZHIFA_LINK_KEYS)


def mac(salt: str, message: str, length: int, key: str | None = None) -> str:
    key = key if key is not None else keys()[0]
    return salted_hmac(salt, message, secret=key, algorithm="sha256").hexdigest()[:length]


def matches(salt: str, message: str, given: str, length: int, *, upper: bool = False) -> bool:
    """True if `given` is the MAC of `message` under any current or older link key."""
    given = (given or "").strip()
    if len(given) != length:
        return False
    found = False
    for key in keys():  # no early exit: the time taken does not tell which key matched
        expected = mac(salt, message, length, key)
        found |= constant_time_compare(expected.upper() if upper else expected, given)
    return found


# The party's 查询码 for its case (办理动态 on the portal, credit repair): printed on the documents
# served on the party (zhifa/documents), checked by zhifa.disclosure.pipeline.access_code_matches.
CASE_ACCESS_SALT = "zhifa.case-access"


def case_access_code(case_pk) -> str:
    """The 8-character code of a case under the current link key."""
    return mac(CASE_ACCESS_SALT, str(case_pk), 8).upper()
