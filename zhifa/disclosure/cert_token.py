"""亮证 that verifies offline (issue 20): a short-lived token of an officer's certificate, signed
with the platform's Ed25519 key (the ledger's key, published with the tree heads at /gs/ledger/ and
on the check page), carried in the fragment of the QR's URL so that the public check page
(/gs/cert/v/#<token>) verifies it in the citizen's browser, with no request to the server.

    token = base64url(payload) "." base64url(signature)
    payload = canonical JSON {"v", "n" 证号, "o" 姓名, "e" 执法主体, "f" 执法领域, "u" 有效期至, "s" 状态,
                              "iat", "exp" (Unix seconds; TTL minutes), "nonce"}
    signature = Ed25519(DOMAIN + payload)
"""
from __future__ import annotations

import base64
import json
import secrets
import time

from zhifa.common.actions import ActionRefused
from zhifa.ledger import signing
from zhifa.ledger.pure import canonical_json

VERSION = "zhifa-liangzheng/1"
DOMAIN = (VERSION + "\n").encode()
TTL_SECONDS = 600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(cert, *, now: float | None = None, ttl: int = TTL_SECONDS, task=None) -> str:
    """`task`: the case or inspection the officer is at; the token then names it ("t", its id) and the
    party's scan is logged as the officers' arrival (到场) on it (zhifa/disclosure/arrival.py)."""
    now = int(now if now is not None else time.time())
    payload = {"v": VERSION, "n": cert.number, "o": cert.officer.name, "e": str(cert.officer.entity or ""),
               "f": cert.fields, "u": cert.expires_on.isoformat(), "s": cert.get_status_display(),
               "iat": now, "exp": now + ttl, "nonce": secrets.token_hex(8)}
    if task is not None:
        payload["t"] = task.pk
    raw = canonical_json(payload)
    return _b64(raw) + "." + _b64(bytes.fromhex(signing.sign(DOMAIN + raw)))


def verify(token: str, *, now: float | None = None) -> dict:
    """The payload of a good token; refuses cert.qr_signature (malformed or not signed by a trusted
    platform key) or cert.qr_expired (past its short validity: a screenshot cannot be reused)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        head, sig = (token or "").strip().split(".")
        raw, signature = _unb64(head), _unb64(sig)
        payload = json.loads(raw)
    except (ValueError, TypeError):
        raise ActionRefused("cert.qr_signature", "二维码内容不完整或格式不正确，不能核验", "token") from None
    for key in signing.trusted_keys().values():
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(key)).verify(signature, DOMAIN + raw)
            break
        except (InvalidSignature, ValueError):
            continue
    else:
        raise ActionRefused("cert.qr_signature", "二维码签名无效：不是本平台签发的亮证码，证件真伪无法确认", "token")
    if payload.get("v") != VERSION:
        raise ActionRefused("cert.qr_signature", "二维码版本不正确", "token")
    if int(payload.get("exp", 0)) < (now if now is not None else time.time()):
        raise ActionRefused("cert.qr_expired", "亮证码已过期（有效期10分钟），请执法人员刷新后重新出示", "token")
    return payload
