"""What a witness signs, without Django or a database (the witness client imports this on a machine
that has neither the platform's settings nor its database).

A co-signature is an Ed25519 signature by a witness's own key over the tree head it checked, with
a prefix of its own so that it can never be mistaken for the log's signature on the same head
(nor the other way round):

    b"zhifa-witness-cosignature/1\\n" + canonical JSON {"log","root_hash","timestamp","tree_size"}

The second part is exactly the message the log signed (zhifa.ledger.pure.tree_head_message), so
a co-signature states "this witness saw the log sign this head and found it consistent with every
head it saw before".
"""
from __future__ import annotations

from typing import Any

from zhifa.ledger.pure import key_id, tree_head_message

PREFIX = b"zhifa-witness-cosignature/1\n"

__all__ = ["PREFIX", "cosignature_message", "key_id", "verify_cosignature", "public_key_ok"]


def cosignature_message(tree_size: int, root_hash_hex: str, timestamp: int) -> bytes:
    return PREFIX + tree_head_message(tree_size, root_hash_hex, timestamp)


def public_key_ok(public_key_hex: Any) -> bool:
    """A raw Ed25519 public key as 64 lowercase hex digits."""
    if not isinstance(public_key_hex, str) or len(public_key_hex) != 64 or public_key_hex != public_key_hex.lower():
        return False
    try:
        bytes.fromhex(public_key_hex)
    except ValueError:
        return False
    return True


def verify_cosignature(head: dict[str, Any], signature_hex: str, public_key_hex: str) -> bool:
    """True when `signature_hex` is the witness key's Ed25519 signature over `head`'s message."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        signature = bytes.fromhex(signature_hex)
        message = cosignature_message(int(head["tree_size"]), str(head["root_hash"]), int(head["timestamp"]))
        key.verify(signature, message)
    except (InvalidSignature, KeyError, TypeError, ValueError):
        return False
    return True
