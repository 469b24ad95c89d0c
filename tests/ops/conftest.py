import os
import secrets
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ZHIFA = ROOT / ".venv" / "bin" / "zhifa"


def production_env(data_dir, **extra) -> dict:
    """deploy/zhifa.env with its placeholders filled, on top of this process's environment minus demo
    mode and the test settings: what a production process sees."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("ZHIFA_DEMO", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTEST_XDIST_WORKER",
                        "DJANGO_ALLOW_ASYNC_UNSAFE")  # set by tests/browser for Playwright
           and not k.startswith("ZHIFA_")}
    for line in (ROOT / "deploy" / "zhifa.env").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        k, v = line.split("=", 1)
        env[k] = v
    env.update(ZHIFA_SECRET_KEY=secrets.token_urlsafe(50), ZHIFA_METRICS_TOKEN=secrets.token_hex(16),
               ZHIFA_LINK_KEYS=secrets.token_urlsafe(40), ZHIFA_LEDGER_KEY_FILE=str(ledger_key(Path(data_dir))),
               ZHIFA_DATA_KEY_FILE=str(data_key(Path(data_dir))),
               ZHIFA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="zhifa.settings")
    env.update(extra)
    return env


def data_key(data_dir: Path) -> Path:
    """The SM4 data key file docs/deploy.md has the operator make (`zhifa rotate-data-key --new-key`)."""
    from zhifa.common.datakeys import new_key_line

    path = data_dir / "keys" / "data-sm4.keys"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_key_line("prod1") + "\n")
        path.chmod(0o600)
    return path


def ledger_key(data_dir: Path) -> Path:
    """An Ed25519 key under the data dir, as docs/deploy.md has the operator make one (production
    refuses to start without ZHIFA_LEDGER_KEY_FILE)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = data_dir / "keys" / "ledger-ed25519.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        path.chmod(0o600)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def prod_env(tmp_path):
    return lambda **extra: production_env(tmp_path / "data", **extra)
