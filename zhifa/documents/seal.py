"""Signing the generated PDFs: a pluggable seal provider, PAdES by default, SM2/SM3 beside it.

    provider().seal(pdf, signer_name=…) -> (signed pdf bytes, record for the ledger)

Built in:
  * PAdES (pyHanko): the PDF gets an embedded CMS signature (PAdES-B-B) made with the key and
    certificate of the configured key store, visible in any PDF reader's signature panel and
    validated by `zhifa verify` (documents.seal check).
  * SM2 with SM3 (gmssl): a detached SM2 signature over the SM3 digest of the signed PDF, recorded in
    the ledger entry of the PDF with the public key; `zhifa verify` re-hashes and checks it.

Key store (settings): ZHIFA_SEAL_KEY_FILE / ZHIFA_SEAL_CERT_FILE (PEM, RSA or Ed25519) and
ZHIFA_SEAL_SM2_KEY_FILE (hex private key). In demo mode, when unset, a self-signed certificate and an
SM2 key are generated once under $ZHIFA_DATA_DIR/keys/seal/. Outside demo mode without keys the
provider is NoSeal (PDFs are left unsigned).

This is NOT a legally issued 电子印章: those are issued by the 统一电子印章 system (GB/T 38540) and
applied through a production adapter implementing SealProvider; the built-in signature proves only
that the platform produced this PDF and that it has not changed since.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import hashlib
import secrets
import warnings
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

# pyHanko imports cryptography's DSA types when loaded (a deprecation warning); no DSA is used here.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="pyhanko")


class SealError(Exception):
    pass


class SealProvider:
    name = "none"

    def seal(self, pdf: bytes, *, signer_name: str = "") -> tuple[bytes, dict]:
        return pdf, {}


class NoSeal(SealProvider):
    pass


def _store() -> Path:
    p = Path(settings.DATA_DIR) / "keys" / "seal"
    p.mkdir(parents=True, exist_ok=True)
    return p


def _demo_certificate(key_path: Path, cert_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "行政执法平台（演示，非电子印章）"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "zhifa demo document signer")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def key_files() -> tuple[Path, Path]:
    key, cert = settings.ZHIFA_SEAL_KEY_FILE, settings.ZHIFA_SEAL_CERT_FILE
    if key and cert:
        return Path(key), Path(cert)
    if not settings.DEMO:
        raise SealError("未配置文书签名密钥（ZHIFA_SEAL_KEY_FILE、ZHIFA_SEAL_CERT_FILE）")
    key_path, cert_path = _store() / "demo-signer.key", _store() / "demo-signer.pem"
    if not (key_path.exists() and cert_path.exists()):
        _demo_certificate(key_path, cert_path)
    return key_path, cert_path


def certificate_pem() -> bytes:
    return key_files()[1].read_bytes()


# ---- SM2 / SM3 --------------------------------------------------------------------------------------
def sm3_hex(data: bytes) -> str:
    from gmssl import func, sm3

    return sm3.sm3_hash(func.bytes_to_list(data))


@lru_cache(maxsize=4)
def _sm2_keys(path: str) -> tuple[str, str]:
    from gmssl import sm2

    private = Path(path).read_text().strip()
    sig = sm2.CryptSM2(private_key=private, public_key="")
    public = sig._kg(int(private, 16), sm2.default_ecc_table["g"])
    return private, public


def sm2_key_file() -> Path:
    if settings.ZHIFA_SEAL_SM2_KEY_FILE:
        return Path(settings.ZHIFA_SEAL_SM2_KEY_FILE)
    if not settings.DEMO:
        raise SealError("未配置SM2签名密钥（ZHIFA_SEAL_SM2_KEY_FILE）")
    path = _store() / "demo-sm2.key"
    if not path.exists():
        from gmssl import sm2

        n = int(sm2.default_ecc_table["n"], 16)
        path.write_text(f"{secrets.randbelow(n - 1) + 1:064x}\n")
        path.chmod(0o600)
    return path


def sm2_sign(data: bytes) -> dict:
    from gmssl import func, sm2

    private, public = _sm2_keys(str(sm2_key_file()))
    signer = sm2.CryptSM2(private_key=private, public_key=public)
    signature = signer.sign_with_sm3(data, func.random_hex(signer.para_len))
    return {"sm3": sm3_hex(data), "sm2_signature": signature, "sm2_public_key": public}


def sm2_verify(data: bytes, record: dict) -> bool:
    from gmssl import sm2

    if sm3_hex(data) != record.get("sm3"):
        return False
    return bool(sm2.CryptSM2(private_key="", public_key=record["sm2_public_key"]).verify_with_sm3(
        record["sm2_signature"], data))


def outside_event_loop(fn, *args, **kwargs):
    """Call `fn` where no asyncio loop runs. pyHanko's synchronous API calls asyncio.run(), which refuses
    inside a running loop: an async view or worker, or a Playwright sync session in the same thread. There
    the call is made on a short-lived thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


# ---- PAdES --------------------------------------------------------------------------------------------
class PadesSeal(SealProvider):
    """PAdES-B-B with pyHanko, then the SM2/SM3 detached signature over the signed file."""

    name = "pades"

    def seal(self, pdf: bytes, *, signer_name: str = "") -> tuple[bytes, dict]:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        key_path, cert_path = key_files()
        signer = signers.SimpleSigner.load(str(key_path), str(cert_path), key_passphrase=None)
        if signer is None:
            raise SealError("无法读取文书签名密钥或证书")
        meta = signers.PdfSignatureMetadata(field_name="ZhifaSeal", subfilter=fields.SigSeedSubFilter.PADES,
                                            reason="行政执法平台生成文书（非电子印章）",
                                            name=signer_name or None, md_algorithm="sha256")
        out = outside_event_loop(signers.sign_pdf, IncrementalPdfFileWriter(BytesIO(pdf), strict=False), meta,
                                 signer=signer)
        signed = out.getvalue()
        cert_der = signer.signing_cert.dump()
        return signed, {"seal": self.name, "cert_sha256": hashlib.sha256(cert_der).hexdigest(), **sm2_sign(signed)}


def provider() -> SealProvider:
    path = settings.ZHIFA_SEAL_PROVIDER
    if not path:
        return NoSeal()
    return import_string(path)()


def apply(pdf: bytes, *, signer_name: str = "") -> tuple[bytes, dict]:
    """Seal `pdf` with the configured provider. A provider failure leaves the PDF unsigned, with the reason
    (the PDF is still needed; `zhifa verify` reports an unsigned PDF where a seal is configured)."""
    try:
        return provider().seal(pdf, signer_name=signer_name)
    except Exception as e:  # noqa: BLE001 - any provider failure: unsigned, reason recorded
        return pdf, {"seal_error": f"{type(e).__name__}: {e}"[:300]}


def validate_pades(pdf: bytes) -> tuple[bool, str]:
    """(valid, reason): the embedded signature intact, covering the whole file, by our certificate."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    sigs = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
    if not sigs:
        return False, "PDF中没有签名"
    _t, _h, der = pem.unarmor(certificate_pem())
    root = x509.Certificate.load(der)
    status = outside_event_loop(validate_pdf_signature, sigs[-1], ValidationContext(trust_roots=[root]))
    if not status.intact or not status.valid:
        return False, "签名无效或文件签名后被修改"
    if status.coverage.name != "ENTIRE_FILE":
        return False, f"签名未覆盖整个文件（{status.coverage.name}）"
    return True, ""
