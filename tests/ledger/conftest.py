import pytest


@pytest.fixture(autouse=True)
def _ledger_key(settings, tmp_path_factory):
    """A signing key of the test session's own, never the one in the data directory."""
    path = tmp_path_factory.getbasetemp() / "ledger-test-key.pem"
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        path.write_bytes(Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    settings.ZHIFA_LEDGER_KEY_FILE = str(path)
    settings.ZHIFA_LEDGER_TRUSTED_KEYS = []
    return path
