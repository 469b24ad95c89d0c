"""Offline check of an archive package: `zhifa verify-archive FILE [--public-key HEX]`.

Needs only Python, `cryptography` and the package itself: no Django, no settings, no database
(zhifa/cli.py runs this before Django is set up). Checks, and reports every failure:

1. every file listed in the manifest is in the ZIP with its SHA-256, SM3 and size, and nothing
   else is;
2. the tree head's Ed25519 signature (and, given --public-key, that it is the expected key);
3. each ledger entry's RFC 9162 inclusion proof against the signed root;
4. each record version, record, document and case event: its fingerprint, recomputed from the
   fields in the manifest, equals the fingerprint in its ledger entry; each version's file has
   the digests the version's blob row states.
"""
from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from dataclasses import dataclass

from zhifa.ledger.merkle import leaf_hash, verify_inclusion
from zhifa.ledger.pure import canonical_json, key_id, verify_tree_head

FORMAT = "zhifa-archive/1"
FIXED = {"manifest.json", "README.txt"}


@dataclass
class Result:
    problems: list[str]
    checked: dict

    @property
    def ok(self):
        return not self.problems


def fingerprint(fields: dict) -> str:
    return hashlib.sha256(canonical_json(fields)).hexdigest()


def _file_digests(zf, name):
    sha, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            sha.update(chunk)
            sm3.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), sm3.hexdigest(), size


def verify_archive(path: str, public_key: str | None = None) -> Result:
    problems: list[str] = []
    checked = {"files": 0, "entries": 0, "rows": 0}
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        return Result([f"无法打开归档包：{e}"], checked)
    with zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except (KeyError, ValueError) as e:
            return Result([f"manifest.json 缺失或无法解析：{e}"], checked)
        if manifest.get("format") != FORMAT:
            problems.append(f"未知的归档包格式：{manifest.get('format')!r}")
        # 1. files
        listed = {f["path"]: f for f in manifest.get("files", [])}
        present = {n for n in zf.namelist() if not n.endswith("/")}
        for name in sorted(present - set(listed) - FIXED):
            problems.append(f"文件 {name}：不在清单中（被加入）")
        by_sha = {}
        for name, f in listed.items():
            if name not in present:
                problems.append(f"文件 {name}：清单中有但包内缺失")
                continue
            sha, sm3, size = _file_digests(zf, name)
            checked["files"] += 1
            for label, want, got in (("SHA-256", f["sha256"], sha), ("SM3", f["sm3"], sm3), ("大小", f["size"], size)):
                if want != got:
                    problems.append(f"文件 {name}：{label} 应为 {want}，实为 {got}")
            by_sha[name] = sha
        # 2. tree head
        head = manifest.get("ledger", {}).get("tree_head") or {}
        key = head.get("public_key", "")
        if not head or not verify_tree_head(head, key):
            problems.append("树头签名无效（或缺失）")
        if public_key and key.lower() != public_key.lower():
            problems.append(f"树头由密钥 {key_id(key) if key else '?'} 签名，不是指定的公钥 {key_id(public_key)}")
        try:
            root, size = bytes.fromhex(head.get("root_hash", "")), int(head.get("tree_size", 0))
        except (TypeError, ValueError):
            root, size = b"", 0
            problems.append("树头的根哈希或大小格式错误")
        # 3. entries and their inclusion proofs
        fingerprints: dict[str, set[str]] = {}
        for e in manifest.get("ledger", {}).get("entries", []):
            seq, body = e.get("seq"), e.get("body", "")
            try:
                parsed = json.loads(body)
                proof = [bytes.fromhex(h) for h in e.get("proof", [])]
            except (TypeError, ValueError):
                problems.append(f"日志条目 {seq}：格式错误")
                continue
            checked["entries"] += 1
            if parsed.get("seq") != seq:
                problems.append(f"日志条目 {seq}：条目内序号为 {parsed.get('seq')}")
            if not verify_inclusion(seq, size, leaf_hash(body.encode("utf-8")), proof, root):
                problems.append(f"日志条目 {seq}：包含证明不成立（条目被改动或不属于该树）")
                continue
            if parsed.get("subject"):
                fingerprints.setdefault(parsed["subject"], set()).add(parsed.get("fingerprint"))
        # 4. rows ↔ entries ↔ files
        def check_row(row, what):
            checked["rows"] += 1
            fp = fingerprint(row.get("fields", {}))
            if row.get("subject") not in fingerprints:
                problems.append(f"{what} {row.get('subject')}：没有对应的日志条目")
            elif fp not in fingerprints[row["subject"]]:
                problems.append(f"{what} {row.get('subject')}：登记信息与日志条目不符（被改动）")

        for rec in manifest.get("records", []):
            check_row(rec, "记录")
            for v in rec.get("versions", []):
                check_row(v, "记录版本")
                if v.get("fields", {}).get("blob") != v.get("sha256"):
                    problems.append(f"记录版本 {v.get('subject')}：文件摘要与登记信息不符")
                if v.get("file") and by_sha.get(v["file"]) not in (None, v.get("sha256")):
                    problems.append(f"记录版本 {v.get('subject')}：文件 {v['file']} 的内容与登记的摘要不符")
        for doc in manifest.get("documents", []):
            check_row(doc, "文书")
            want = doc.get("fields", {}).get("docx_sha256")
            for name in doc.get("files", []):
                if name.endswith(".docx") and by_sha.get(name) not in (None, want):
                    problems.append(f"文书 {doc.get('subject')}：Word 文件与登记的摘要不符")
        for ev in manifest.get("events", []):
            check_row(ev, "办案环节")
    return Result(problems, checked)


def main(argv: list[str]) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="zhifa verify-archive", description="离线校验案件归档包（无需数据库）")
    p.add_argument("archive")
    p.add_argument("--public-key", help="执法监督机关公布的日志公钥（十六进制）")
    args = p.parse_args(argv)
    result = verify_archive(args.archive, args.public_key)
    for line in result.problems:
        print(f"不符：{line}")
    c = result.checked
    summary = f"文件 {c['files']} 个，日志条目 {c['entries']} 条，登记信息 {c['rows']} 项"
    if result.ok:
        print(f"校验通过：{summary}")
        return 0
    print(f"校验未通过：发现 {len(result.problems)} 处不符（{summary}）")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
