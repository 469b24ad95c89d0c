"""Personal data at rest: the data keys, SM4-GCM and the keyed SM3 blind index (issue 16 item 5).

Keys. A key ring of (key id, 32 bytes of key material), the current key first, from
  * settings.ZHIFA_DATA_KEY_FILE: a text file, one key a line, `<id> <64 hex digits>`, `#` comments;
    rotation puts a new line first and keeps the old ones until `zhifa rotate-data-key` has run; or
  * settings.ZHIFA_DATA_KEY_PROVIDER: the dotted path of a callable returning [(id, bytes), …] (a KMS
    hook: it fetches or unwraps the keys; it is called once per process);
  * demo mode only: a key generated once into $ZHIFA_DATA_DIR/keys/data-sm4.keys (mode 0600).
Outside demo mode settings.py refuses to start without one of the first two.

From each key's material two sub-keys are derived with HMAC-SM3 (a one-step KDF, distinct labels):
the 128-bit SM4 key and the HMAC-SM3 key of blind indexes and change-log digests.

Ciphertext (text, so it fits any text column):  sm4g1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>
  SM4 (GB/T 32907) in GCM mode (authenticated: a changed byte fails to decrypt), 96-bit random nonce,
  128-bit tag, associated data = the column ("cases.party.id_number"), so a value moved to another
  column does not decrypt. "sm4g1" names the algorithm and format version; the key id says which key
  of the ring decrypts it, so rows written under an old key still read while rotation runs.

Blind index: hex HMAC-SM3(index key, "<kind>\\0<normalised value>"), kinds in NORMALISERS (ID
numbers and credit codes upper-cased, phone numbers reduced to their digits). Equal values give equal
indexes under one key; the index of every key in the ring is searched, so look-ups work mid-rotation.
"""
from __future__ import annotations

import base64
import os
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.utils.module_loading import import_string

PREFIX = "sm4g1"
DIGEST_PREFIX = "hmac-sm3"
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
DEMO_FILE = "data-sm4.keys"


class DataKeyError(RuntimeError):
    """The data keys are missing, malformed, or do not decrypt a stored value (a Chinese message)."""


def _hmac(key: bytes, data: bytes) -> bytes:
    h = hmac.HMAC(key, hashes.SM3())
    h.update(data)
    return h.finalize()


@dataclass(frozen=True)
class DataKey:
    kid: str
    enc: bytes  # 16 bytes, SM4
    mac: bytes  # 32 bytes, HMAC-SM3

    @classmethod
    def derive(cls, kid: str, material: bytes) -> DataKey:
        if not KEY_ID.match(kid):
            raise DataKeyError(f"数据密钥编号无效：{kid!r}（1–16位字母、数字、-、_）")
        if len(material) < 32:
            raise DataKeyError(f"数据密钥 {kid} 过短：至少32字节（64位十六进制）")
        return cls(kid, _hmac(material, b"zhifa/sm4-gcm/v1")[:16], _hmac(material, b"zhifa/blind-index/v1"))


# ---- the key ring ------------------------------------------------------------------------------------

_ring: list[DataKey] | None = None
_lock = threading.Lock()


def clear_cache() -> None:
    """Forget the loaded keys (tests and the rotation command after the file changed)."""
    global _ring
    _ring = None


def parse_key_file(text: str, where: str = "ZHIFA_DATA_KEY_FILE") -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2:
            raise DataKeyError(f"数据密钥文件第{n}行格式应为“密钥编号 64位十六进制密钥”（{where}）")
        try:
            material = bytes.fromhex(parts[1])
        except ValueError:
            raise DataKeyError(f"数据密钥文件第{n}行的密钥不是十六进制（{where}）") from None
        out.append((parts[0], material))
    if not out:
        raise DataKeyError(f"数据密钥文件中没有密钥（{where}）")
    if len({k for k, _ in out}) != len(out):
        raise DataKeyError(f"数据密钥文件中有重复的密钥编号（{where}）")
    return out


def new_key_line(kid: str | None = None) -> str:
    return f"{kid or 'k' + secrets.token_hex(3)} {secrets.token_bytes(32).hex()}"


def demo_key_path() -> Path:
    return Path(settings.DATA_DIR) / "keys" / DEMO_FILE


def _load() -> list[tuple[str, bytes]]:
    provider = getattr(settings, "ZHIFA_DATA_KEY_PROVIDER", "")
    if provider:
        try:
            fn: Callable[[], list[tuple[str, bytes]]] = import_string(provider)
            keys = list(fn())
        except DataKeyError:
            raise
        except Exception as e:
            raise DataKeyError(f"无法从密钥服务取得数据密钥（ZHIFA_DATA_KEY_PROVIDER={provider}）：{e}") from e
        if not keys:
            raise DataKeyError(f"密钥服务未返回数据密钥（ZHIFA_DATA_KEY_PROVIDER={provider}）")
        return keys
    configured = getattr(settings, "ZHIFA_DATA_KEY_FILE", "")
    path = Path(configured) if configured else demo_key_path()
    if not path.exists():
        if configured or not getattr(settings, "DEMO", False):
            raise DataKeyError(f"数据密钥文件不存在：{path}（ZHIFA_DATA_KEY_FILE）")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:  # O_EXCL: two processes starting at once end up with one key
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write("# 演示模式自动生成的个人信息加密密钥（SM4），勿用于生产\n" + new_key_line("demo1") + "\n")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise DataKeyError(f"无法读取数据密钥文件 {path}：{e.strerror}（ZHIFA_DATA_KEY_FILE）") from e
    return parse_key_file(text)


def ring() -> list[DataKey]:
    global _ring
    r = _ring
    if r is None:
        with _lock:
            if _ring is None:
                _ring = [DataKey.derive(kid, material) for kid, material in _load()]
            r = _ring
    return r


def current() -> DataKey:
    return ring()[0]


def key(kid: str) -> DataKey:
    for k in ring():
        if k.kid == kid:
            return k
    raise DataKeyError(f"个人信息密文使用的数据密钥 {kid} 不在当前密钥中（ZHIFA_DATA_KEY_FILE）：请加回该密钥")


# ---- SM4-GCM -------------------------------------------------------------------------------------------

def encrypt(plaintext: str, aad: str, k: DataKey | None = None) -> str:
    k = k or current()
    nonce = os.urandom(12)
    enc = Cipher(algorithms.SM4(k.enc), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad.encode())
    body = enc.update(plaintext.encode("utf-8")) + enc.finalize()
    return f"{PREFIX}:{k.kid}:" + base64.urlsafe_b64encode(nonce + body + enc.tag).decode().rstrip("=")


def is_ciphertext(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def key_id_of(value: str) -> str | None:
    if not is_ciphertext(value):
        return None
    return value.split(":", 2)[1]


def decrypt(value: str, aad: str) -> str:
    try:
        _, kid, b64 = value.split(":", 2)
        raw = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
    except ValueError:
        raise DataKeyError(f"个人信息密文格式无效（{aad}）") from None
    if len(raw) < 28:
        raise DataKeyError(f"个人信息密文格式无效（{aad}）")
    k = key(kid)
    dec = Cipher(algorithms.SM4(k.enc), modes.GCM(raw[:12], raw[-16:])).decryptor()
    dec.authenticate_additional_data(aad.encode())
    try:
        return (dec.update(raw[12:-16]) + dec.finalize()).decode("utf-8")
    except InvalidTag:
        raise DataKeyError(f"个人信息解密失败（{aad}，密钥 {kid}）：密钥与加密时不同，或密文被改动"
                           "（ZHIFA_DATA_KEY_FILE）") from None


# ---- blind index and digests --------------------------------------------------------------------------

def _upper(v: str) -> str:
    return "".join(v.split()).upper()


def _digits(v: str) -> str:
    return "".join(c for c in v if c.isdigit())


def _plain(v: str) -> str:
    return " ".join(v.split())


NORMALISERS: dict[str, Callable[[str], str]] = {"id_number": _upper, "code": _upper, "phone": _digits,
                                                "text": _plain}


def normalise(kind: str, value: str) -> str:
    return NORMALISERS[kind](value or "")


def blind_index(kind: str, value: str, k: DataKey | None = None) -> str:
    """The blind index of `value` (empty for an empty value) under `k` (default: the current key)."""
    v = normalise(kind, value)
    if not v:
        return ""
    return _hmac((k or current()).mac, f"{kind}\0{v}".encode()).hex()


def blind_indexes(kind: str, value: str) -> list[str]:
    """Its blind index under every key of the ring (look-ups while rotation runs)."""
    return [b for b in dict.fromkeys(blind_index(kind, value, k) for k in ring()) if b]


def digest(column: str, value: str, k: DataKey | None = None) -> str:
    """What the change log keeps of an encrypted value: a keyed SM3 digest naming its key."""
    k = k or current()
    return f"{DIGEST_PREFIX}:{k.kid}:" + _hmac(k.mac, f"log\0{column}\0{value}".encode()).hex()[:32]


def same_digest(column: str, expected: str, value: str) -> bool | None:
    """Does `value` match the change-log digest `expected`? None when its key is no longer in the ring."""
    try:
        _, kid, _hex = expected.split(":", 2)
        k = key(kid)
    except (ValueError, DataKeyError):
        return None
    return secrets.compare_digest(digest(column, value, k), expected)
