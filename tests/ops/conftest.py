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
               ZHIFA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="zhifa.settings")
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def prod_env(tmp_path):
    return lambda **extra: production_env(tmp_path / "data", **extra)
