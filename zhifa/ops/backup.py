"""`zhifa backup DEST` and `zhifa restore SRC` (issue 15, item 5).

A backup is a directory:

    manifest.json            format, time, database engine, row count of every table, sha256 + size of every file
    database/zhifa.pgdump    PostgreSQL: pg_dump --format=custom, taken in an exported snapshot
    database/zhifa.sqlite3   SQLite: the online backup API (a consistent copy while the site runs)
    blobs/<sha256>           evidence content, from the local store or the S3 bucket
    documents/<name>         generated documents and templates (the "documents" storage)
    reports/<name>           stored annual report exports (DATA_DIR/reports)
    keys/ledger-public.json  the ledger's public key and the trusted earlier keys
    keys/ledger-key.pem      the private signing key, only with --include-private-key

Order: the database first, then the files. Blobs are content-addressed and never change, so every
blob a row of the dump refers to is already stored when it is copied (`zhifa blobs gc` must not run
during a backup; the systemd timer of deploy/ runs them one after the other). Row counts are
taken in the dump's own snapshot, so a restore can be checked table by table.

`restore` checks every file against the manifest before touching anything, refuses a database
that already has tables, loads the dump, puts blobs and documents into the configured stores, and
compares every table's row count with the manifest.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection, transaction
from django.utils import timezone

FORMAT = "zhifa-backup/1"
CHUNK = 1 << 20


class BackupError(Exception):
    """A refusal the operator can act on: printed as one line (zhifa/cli.py prints CommandError)."""


# ---- helpers -----------------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _copy_stream(src, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "wb") as out:
        shutil.copyfileobj(src, out, CHUNK)


def pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                     ("PGDATABASE", "NAME")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def table_counts(cursor, tables: list[str]) -> dict[str, int]:
    qn = connection.ops.quote_name
    out = {}
    for t in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {qn(t)}")
        out[t] = cursor.fetchone()[0]
    return out


def storage_files(storage: Storage, prefix: str = "") -> Iterator[str]:
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{prefix}/{name}" if prefix else name
    for d in dirs:
        yield from storage_files(storage, f"{prefix}/{d}" if prefix else d)


# ---- backup ------------------------------------------------------------------------------------
def _dump_sqlite(dest: Path) -> dict[str, int]:
    connection.ensure_connection()
    src = connection.connection
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(dest)
    try:
        src.backup(target)
        tables = [r[0] for r in target.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        counts = {}
        for t in sorted(tables):
            counts[t] = target.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
    finally:
        target.close()
    return counts


def _dump_postgres(dest: Path) -> dict[str, int]:
    """pg_dump in a snapshot this transaction exported: the dump and the row counts see the same data."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = cur.fetchone()[0]
        r = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                            "--file", str(dest)], env=pg_env(), capture_output=True, text=True)
        if r.returncode != 0:
            raise BackupError(f"pg_dump 失败：{r.stderr.strip()[:500]}")
        counts = table_counts(cur, connection.introspection.table_names(cur))
    return counts


def backup(dest: Path, *, include_private_key: bool = False, log=print) -> dict[str, Any]:
    from zhifa.blobs.store import blob_store
    from zhifa.ledger import signing

    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"备份目录 {dest} 不是空目录")
    dest.mkdir(parents=True, exist_ok=True)
    started = timezone.now()

    if is_postgres():
        db_file = dest / "database" / "zhifa.pgdump"
        counts = _dump_postgres(db_file)
    else:
        db_file = dest / "database" / "zhifa.sqlite3"
        counts = _dump_sqlite(db_file)
    log(f"数据库：{len(counts)} 张表，{sum(counts.values())} 行")

    store = blob_store()
    n_blobs = 0
    for sha, _mtime in store.entries():
        with store.open(sha) as f:
            _copy_stream(f, dest / "blobs" / sha)
        n_blobs += 1
    log(f"证据文件：{n_blobs} 个（{store!r}）")

    documents = storages["documents"]
    n_docs = 0
    for name in storage_files(documents):
        with documents.open(name, "rb") as f:
            _copy_stream(f, dest / "documents" / name)
        n_docs += 1
    reports = Path(settings.DATA_DIR) / "reports"
    if reports.is_dir():
        shutil.copytree(reports, dest / "reports")
    log(f"文书文件：{n_docs} 个")

    keys = dest / "keys"
    keys.mkdir()
    public = {"current": signing.public_key_hex(), "key_id": signing.key_id(),
              "trusted": list(getattr(settings, "ZHIFA_LEDGER_TRUSTED_KEYS", []))}
    (keys / "ledger-public.json").write_text(json.dumps(public, indent=2) + "\n")
    if include_private_key:
        pem = keys / "ledger-key.pem"
        shutil.copyfile(signing.key_path(), pem)
        os.chmod(pem, 0o600)
        log("已包含日志签名私钥（keys/ledger-key.pem）：此备份须按私钥保管")

    files: dict[str, dict[str, Any]] = {}
    for p in sorted(dest.rglob("*")):
        if p.is_file():
            rel = p.relative_to(dest).as_posix()
            files[rel] = {"sha256": sha256_file(p), "size": p.stat().st_size}
    manifest = {"format": FORMAT, "created_at": started.isoformat(), "finished_at": timezone.now().isoformat(),
                "database": {"vendor": connection.vendor, "file": db_file.relative_to(dest).as_posix(),
                             "tables": counts},
                "blob_backend": settings.ZHIFA_BLOB_BACKEND, "blobs": n_blobs, "documents": n_docs,
                "ledger_public_key": public["current"], "private_key_included": include_private_key,
                "files": files}
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    size = sum(f["size"] for f in files.values())
    log(f"备份完成：{dest}（{len(files)} 个文件，{size / 1e6:.1f} MB）")
    return manifest


# ---- restore -----------------------------------------------------------------------------------
def read_manifest(src: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((src / "manifest.json").read_text())
    except FileNotFoundError:
        raise BackupError(f"{src} 不是 zhifa 备份（缺少 manifest.json）")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')!r}")
    return manifest


def check_files(src: Path, manifest: dict[str, Any]) -> None:
    bad = []
    for rel, meta in manifest["files"].items():
        p = src / rel
        if not p.is_file():
            bad.append(f"缺少 {rel}")
        elif p.stat().st_size != meta["size"] or sha256_file(p) != meta["sha256"]:
            bad.append(f"内容与清单不符 {rel}")
    if bad:
        raise BackupError("备份已损坏，未做任何恢复：" + "；".join(bad[:10]) + ("……" if len(bad) > 10 else ""))


def _existing_tables() -> list[str]:
    with connection.cursor() as cur:
        return connection.introspection.table_names(cur)


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_postgres(dump: Path) -> None:
    connection.close()
    r = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                        "--dbname", pg_env()["PGDATABASE"], str(dump)], env=pg_env(), capture_output=True, text=True)
    if r.returncode != 0:
        raise BackupError(f"pg_restore 失败：{r.stderr.strip()[:500]}")


def restore(src: Path, *, log=print) -> dict[str, Any]:
    from zhifa.blobs.store import blob_store
    from zhifa.ledger import signing

    src = Path(src)
    manifest = read_manifest(src)
    db = manifest["database"]
    if db["vendor"] != connection.vendor:
        raise BackupError(f"备份来自 {db['vendor']} 数据库，当前数据库是 {connection.vendor}")
    existing = _existing_tables()
    if existing:
        raise BackupError(f"目标数据库不是空库（已有 {len(existing)} 张表）：只能恢复到新建的空数据库")
    check_files(src, manifest)
    log(f"备份文件完整：{len(manifest['files'])} 个文件与清单一致")

    dump = src / db["file"]
    if db["vendor"] == "postgresql":
        _restore_postgres(dump)
    else:
        _restore_sqlite(dump)
    log("数据库已恢复")

    store = blob_store()
    n = 0
    for p in sorted((src / "blobs").glob("*")) if (src / "blobs").is_dir() else []:
        if store.exists(p.name):
            continue
        spool = store.spool()
        with open(p, "rb") as f:
            while chunk := f.read(CHUNK):
                spool.write(chunk)
        store.commit(spool, p.name)
        n += 1
    log(f"证据文件：已写入 {n} 个（{store!r}）")

    documents = storages["documents"]
    n = 0
    docs = src / "documents"
    for p in sorted(docs.rglob("*")) if docs.is_dir() else []:
        if not p.is_file():
            continue
        name = p.relative_to(docs).as_posix()
        if documents.exists(name):
            with documents.open(name, "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != manifest["files"][f"documents/{name}"]["sha256"]:
                    raise BackupError(f"文书存储中已有同名而内容不同的文件：{name}")
            continue
        with open(p, "rb") as f:
            saved = documents.save(name, File(f, name=name))
        if saved != name:
            raise BackupError(f"文书存储改了文件名：{name} → {saved}")
        n += 1
    if (src / "reports").is_dir():
        shutil.copytree(src / "reports", Path(settings.DATA_DIR) / "reports", dirs_exist_ok=True)
    log(f"文书文件：已写入 {n} 个")

    pem = src / "keys" / "ledger-key.pem"
    target = signing.key_path()
    if pem.is_file() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copyfile(pem, target)
        os.chmod(target, 0o600)
        signing.clear_cache()
        log(f"日志签名私钥已恢复到 {target}")
    public = json.loads((src / "keys" / "ledger-public.json").read_text())
    old_keys = [public["current"], *public.get("trusted", [])]
    trusted = signing.trusted_keys().values()
    missing = [k for k in old_keys if k not in trusted]
    if missing:
        log("注意：备份中的树头由以下公钥签名，须加入 ZHIFA_LEDGER_TRUSTED_KEYS 后 zhifa verify 才能通过：\n"
            f"  ZHIFA_LEDGER_TRUSTED_KEYS={','.join(missing)}")

    with connection.cursor() as cur:
        counts = table_counts(cur, connection.introspection.table_names(cur))
    diff = {t: (n, counts.get(t)) for t, n in db["tables"].items() if counts.get(t) != n}
    if diff:
        raise BackupError("恢复后行数与备份不符：" + "；".join(f"{t} 备份 {a} 行、恢复后 {b} 行" for t, (a, b) in diff.items()))
    log(f"恢复完成：{len(counts)} 张表的行数与备份一致（共 {sum(counts.values())} 行）；请运行 zhifa verify")
    return {"tables": counts, "restored_at": dt.datetime.now(dt.UTC).isoformat()}
