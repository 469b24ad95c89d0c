"""API tokens as records (issue 16): `zf_<prefix>_<secret>`; the row is found by its prefix and the
secret checked against its SHA-256. A token is refused when revoked, expired, its owner inactive, or
its owner's password changed since it was made (password_mark)."""
from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from zhifa.accounts.models import ApiToken

PREFIX = "zf_"
# last_used_at is refreshed at most this often (one UPDATE per token per minute, not per request).
TOUCH_SECONDS = 60


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def session_hash(session_key: str | None) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest() if session_key else ""


def password_mark(user) -> str:
    return salted_hmac("zhifa.accounts.token.password", user.password or "", algorithm="sha256").hexdigest()


def new_secret() -> tuple[str, str, str]:
    """(prefix, secret, the token as given to the owner)."""
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    return prefix, secret, f"{PREFIX}{prefix}_{secret}"


def parse(raw: str) -> tuple[str, str] | None:
    raw = (raw or "").strip()
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    prefix, sep, secret = raw[len(PREFIX):].partition("_")
    if not sep or len(prefix) != 12 or not secret:
        return None
    return prefix, secret


def lookup(raw: str) -> ApiToken | None:
    """The live token record for a presented token, or None. Marks a token whose owner changed the
    password as revoked on the way."""
    parsed = parse(raw)
    if parsed is None:
        return None
    prefix, secret = parsed
    token = ApiToken.objects.select_related("owner", "owner__entity", "owner__unit").filter(prefix=prefix).first()
    if token is None or not constant_time_compare(token.secret_hash, digest(secret)):
        return None
    now = timezone.now()
    if token.revoked_at or token.expires_at <= now or not token.owner.is_active:
        return None
    if not constant_time_compare(token.password_mark, password_mark(token.owner)):
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_reason="修改密码")
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
