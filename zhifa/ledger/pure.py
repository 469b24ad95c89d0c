"""Signed tree heads and canonical JSON without Django or a database.

The offline archive verifier imports this module (and merkle.py) on a machine that has neither
the application's settings nor its database, so nothing here may import django.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

LOG_NAME = "zhifa"


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8 (not \\u escapes): one byte string per value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def tree_head_message(tree_size: int, root_hash_hex: str, timestamp: int) -> bytes:
    """The bytes a tree head signature covers."""
    return canonical_json({"log": LOG_NAME, "root_hash": root_hash_hex, "timestamp": int(timestamp),
                           "tree_size": int(tree_size)})


def key_id(public_key_hex: str) -> str:
    """First 16 hex digits of SHA-256 of the raw 32-byte Ed25519 public key."""
    return hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16]


def verify_tree_head(head: dict[str, Any], public_key_hex: str) -> bool:
    """True when `head` ({"tree_size", "root_hash", "timestamp", "signature"}, hex strings) is
    signed by the Ed25519 key `public_key_hex` (raw 32 bytes, hex)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        signature = bytes.fromhex(head["signature"])
        root = head["root_hash"]
        if len(bytes.fromhex(root)) != 32 or root != root.lower():
            return False
        message = tree_head_message(head["tree_size"], root, head["timestamp"])
        key.verify(signature, message)
    except (InvalidSignature, KeyError, TypeError, ValueError):
        return False
    return True
