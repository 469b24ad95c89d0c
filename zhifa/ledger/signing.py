"""The log's Ed25519 signing key.

settings.ZHIFA_LEDGER_KEY_FILE (PKCS#8 PEM) if set; otherwise a key generated once into
DATA_DIR/keys/ledger-ed25519.pem (mode 0600) and reused. Old keys stay trusted for verification
through settings.ZHIFA_LEDGER_TRUSTED_KEYS (hex raw public keys), so a key can be rotated
without invalidating the tree heads signed before.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from zhifa.ledger.pure import key_id as key_id_of

_cache: dict[str, Ed25519PrivateKey] = {}


def clear_cache() -> None:
    """Forget loaded keys (tests that swap the key file)."""
    _cache.clear()
_lock = threading.Lock()


def key_path() -> Path:
    configured = getattr(settings, "ZHIFA_LEDGER_KEY_FILE", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "keys" / "ledger-ed25519.pem"


def private_key() -> Ed25519PrivateKey:
    path = key_path()
    with _lock:
        key = _cache.get(str(path))
        if key is None:
            key = _load_or_create(path, generate=not getattr(settings, "ZHIFA_LEDGER_KEY_FILE", ""))
            _cache[str(path)] = key
        return key


def _load_or_create(path: Path, generate: bool) -> Ed25519PrivateKey:
    if not path.exists():
        if not generate:
            raise RuntimeError(f"日志签名密钥文件不存在：{path}（ZHIFA_LEDGER_KEY_FILE）")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        try:  # O_EXCL: two processes starting at once must end up with one key, not two
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"日志签名密钥不是 Ed25519 密钥：{path}")
    return key


def public_key_hex() -> str:
    return private_key().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def key_id() -> str:
    return key_id_of(public_key_hex())


def sign(message: bytes) -> str:
    return private_key().sign(message).hex()


def trusted_keys() -> dict[str, str]:
    """key_id → public key hex: the configured key and settings.ZHIFA_LEDGER_TRUSTED_KEYS."""
    keys = [public_key_hex(), *[k.strip().lower() for k in getattr(settings, "ZHIFA_LEDGER_TRUSTED_KEYS", [])]]
    out = {}
    for k in keys:
        try:
            if len(bytes.fromhex(k)) == 32:
                out[key_id_of(k)] = k
        except ValueError:
            continue
    return out
