"""Archive packages verify offline; every kind of tampering is reported."""
import json
import os
import subprocess
import sys
import zipfile

import pytest

from tests.records.test_actions import archived_inspection
from zhifa.records.archive import build_archive
from zhifa.records.archive_verify import verify_archive


@pytest.fixture
def package(cw, tmp_path):
    insp, item = archived_inspection(cw)
    path = tmp_path / "pkg.zip"
    manifest = build_archive(insp, acting_user=cw["head"], out_path=str(path))
    return path, manifest


def rewrite(src, dst, change):
    """Copy a ZIP, passing each (name, bytes) through change(name, data) -> bytes | None."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)
    return dst


def test_clean_package_verifies(package):
    path, manifest = package
    result = verify_archive(str(path))
    assert result.ok, result.problems
    assert result.checked["files"] >= 1 and result.checked["entries"] >= 5 and result.checked["rows"] >= 5
    assert manifest["ledger"]["tree_head"]["tree_size"] > 0


def test_flipped_byte_in_a_record_is_caught(package, tmp_path):
    path, _ = package

    def flip(name, data):
        if name.startswith("records/"):
            return data[:100] + bytes([data[100] ^ 1]) + data[101:]
        return data

    result = verify_archive(str(rewrite(path, tmp_path / "t.zip", flip)))
    assert not result.ok and any("SHA-256" in p for p in result.problems)


def test_manifest_edits_are_caught(package, tmp_path):
    path, _ = package

    def edit(name, data):
        if name != "manifest.json":
            return data
        m = json.loads(data)
        m["records"][0]["versions"][0]["fields"]["title"] = "改过的名称"
        return json.dumps(m, ensure_ascii=False).encode()

    result = verify_archive(str(rewrite(path, tmp_path / "t.zip", edit)))
    assert any("登记信息与日志条目不符" in p for p in result.problems)


def test_swapped_file_and_digest_is_caught(package, tmp_path):
    """Replace a record's bytes AND its manifest digests: the ledger-bound blob digest still differs."""
    import hashlib

    path, _ = package
    fake = b"\xff\xd8\xff" + b"forged" * 100
    target = {}

    def swap(name, data):
        if name.startswith("records/") and not target:
            target["name"] = name
            return fake
        return data

    tmp = rewrite(path, tmp_path / "a.zip", swap)

    def fix(name, data):
        if name != "manifest.json":
            return data
        m = json.loads(data)
        for f in m["files"]:
            if f["path"] == target["name"]:
                f.update(sha256=hashlib.sha256(fake).hexdigest(), sm3=hashlib.new("sm3", fake).hexdigest(),
                         size=len(fake))
        return json.dumps(m, ensure_ascii=False).encode()

    result = verify_archive(str(rewrite(tmp, tmp_path / "b.zip", fix)))
    assert not result.ok and any("与登记的摘要不符" in p for p in result.problems)


def test_forged_tree_head_and_wrong_key(package, tmp_path):
    path, manifest = package

    def forge(name, data):
        if name != "manifest.json":
            return data
        m = json.loads(data)
        m["ledger"]["tree_head"]["tree_size"] += 1
        return json.dumps(m, ensure_ascii=False).encode()

    assert any("签名无效" in p for p in verify_archive(str(rewrite(path, tmp_path / "t.zip", forge))).problems)
    other = "11" * 32
    assert any("不是指定的公钥" in p for p in verify_archive(str(path), public_key=other).problems)
    assert verify_archive(str(path), public_key=manifest["ledger"]["tree_head"]["public_key"]).ok


def test_command_runs_without_database_or_settings(package, tmp_path):
    path, _ = package
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "ZHIFA", "DATABASE"))}
    env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"  # unusable on purpose
    env["ZHIFA_DATA_DIR"] = str(tmp_path / "must-not-be-created")
    code = "import sys; from zhifa.cli import main; sys.argv=['zhifa','verify-archive',sys.argv[1]]; main()"
    out = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "校验通过" in out.stdout
    assert not (tmp_path / "must-not-be-created").exists()
    assert "django" not in out.stderr.lower()
    bad = rewrite(path, tmp_path / "bad.zip", lambda n, d: d if n != "README.txt" else None)
    bad2 = rewrite(bad, tmp_path / "bad2.zip", lambda n, d: d + b"x" if n.startswith("records/") else d)
    out = subprocess.run([sys.executable, "-c", code, str(bad2)], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 1 and "不符" in out.stdout
