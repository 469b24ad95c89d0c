"""Throw-away PostgreSQL servers for the engine tests (issue 23, item 4): Debian's own binaries,
a primary started with initdb in a temporary directory on a free port, and a streaming replica made
with pg_basebackup -R on another port. Never touches the machine's own server. As root, the servers
run as the `postgres` OS user (initdb refuses root)."""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("ZHIFA_PG_BIN", "/usr/lib/postgresql/15/bin"))


def missing() -> str | None:
    """Why these tests cannot run here, or None."""
    for tool in ("initdb", "pg_ctl", "pg_basebackup", "postgres", "psql"):
        if not (PG_BIN / tool).exists():
            return f"PostgreSQL binaries absent: {PG_BIN / tool} (Debian postgresql-15)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a `postgres` OS user to run initdb/pg_ctl"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Server:
    def __init__(self, datadir: Path, port: int, sockdir: Path):
        self.datadir, self.port, self.sockdir = datadir, port, sockdir

    def url(self, db: str = "zhifa") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        subprocess.run(_as_pg([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.datadir / "server.log"),
                               "-w", "-t", "60", "-o", f"-p {self.port} -k {self.sockdir}", "start"]),
                       check=True, capture_output=True, timeout=90)

    def stop(self) -> None:
        subprocess.run(_as_pg([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop"]),
                       capture_output=True, timeout=60)

    def psql(self, sql: str, db: str = "zhifa") -> str:
        r = subprocess.run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db,
                            "-XAtc", sql], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()


class Cluster:
    """A primary and (after add_replica) one streaming replica, in one temporary directory."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="zhifa-pg-"))
        os.chmod(self.root, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.primary: Server | None = None
        self.replica: Server | None = None

    def start_primary(self) -> Server:
        data = self.root / "primary"
        subprocess.run(_as_pg([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                               "-E", "UTF8", "--locale=C.UTF-8", "-N"]), check=True, capture_output=True, timeout=120)
        conf = ("\nlisten_addresses = '127.0.0.1'\nwal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nshared_buffers = 32MB\n"
                "max_connections = 40\n")
        subprocess.run(_as_pg(["sh", "-c", f"cat >> {data / 'postgresql.conf'}"]), input=conf.encode(), check=True)
        self.primary = Server(data, free_port(), self.root)
        self.primary.start()
        self.primary.psql("CREATE DATABASE zhifa", db="postgres")
        return self.primary

    def add_replica(self) -> Server:
        assert self.primary
        data = self.root / "replica"
        subprocess.run(_as_pg([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port),
                               "-U", "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast"]),
                       check=True, capture_output=True, timeout=300)
        self.replica = Server(data, free_port(), self.root)
        self.replica.start()
        return self.replica

    def wait_replayed(self, timeout: float = 30) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        assert self.primary and self.replica
        lsn = self.primary.psql("SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + timeout
        while self.replica.psql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") != "t":
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.2)

    def close(self) -> None:
        for s in (self.replica, self.primary):
            if s:
                s.stop()
        shutil.rmtree(self.root, ignore_errors=True)
