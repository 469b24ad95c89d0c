"""`zhifa verify-proof FILE [--key HEX]`: check a downloaded publication proof offline.

No Django, no database (dispatched by zhifa/cli.py before setup). Checks, in order:
the entry is a "publication" entry of this seq whose body_sha256 matches the decision text;
the leaf SHA-256(0x00 ‖ entry) is included in the tree of `tree_size` leaves (RFC 9162 §2.1.3.2)
whose root is the signed tree head's; the head's Ed25519 signature verifies with the key in the
file or, safer, the key given with --key (from /api/v1/ledger/public-key or a printed copy);
with --witness-key HEX (repeatable: keys a witness such as the supervising justice bureau
publishes itself), at least one co-signature of the head by one of those keys verifies — the
check an insider holding the platform's key cannot pass by re-signing a rewritten log.
Exit code 0 when everything holds, 1 otherwise; each check is printed in Chinese.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys

from zhifa.ledger import merkle, pure


def check(doc: dict, key: str | None = None, witness_keys: list[str] | None = None) -> list[tuple[bool, str]]:
    results = []
    try:
        entry_text = doc["entry"]
        entry = json.loads(entry_text)
        head = doc["tree_head"]
        seq, size = int(doc["seq"]), int(doc["tree_size"])
        proof = [bytes.fromhex(h) for h in doc["proof"]]
    except (KeyError, TypeError, ValueError) as e:
        return [(False, f"证明文件格式不正确：{e}")]
    body = (doc.get("decision") or {}).get("body", "")
    results.append((entry.get("seq") == seq and entry.get("type") == "publication", f"日志条目为第{seq}条公示记录"))
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    results.append(((entry.get("data") or {}).get("body_sha256") == digest, "公示正文与日志记录的摘要一致"))
    leaf = merkle.leaf_hash(entry_text.encode("utf-8"))
    try:
        root = bytes.fromhex(head["root_hash"])
    except (KeyError, ValueError):
        root = b""
    ok = head.get("tree_size") == size and merkle.verify_inclusion(seq, size, leaf, proof, root)
    results.append((ok, f"条目包含在大小为{size}的默克尔树中（RFC 9162）"))
    pub_key = key or head.get("public_key", "")
    signed = pure.verify_tree_head(head, pub_key) if pub_key else False
    results.append((signed, "树头签名有效（Ed25519，" + ("指定公钥" if key else "文件内公钥，建议用 --key 指定") + "）"))
    if witness_keys:
        from zhifa.witness import protocol

        wanted = {k.strip().lower() for k in witness_keys}
        names = [c.get("witness", "") for c in doc.get("cosignatures") or []
                 if isinstance(c, dict) and str(c.get("public_key", "")).lower() in wanted
                 and protocol.verify_cosignature(head, str(c.get("signature", "")), str(c.get("public_key", "")).lower())]
        results.append((bool(names) and signed, "树头经指定见证方联署" + (f"（{'、'.join(names)}）" if names else
                                                                   "：证明文件中没有指定见证方的有效联署")))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="zhifa verify-proof", description="离线核验公示信息的包含证明")
    parser.add_argument("file")
    parser.add_argument("--key", help="可信的 Ed25519 公钥（十六进制）")
    parser.add_argument("--witness-key", action="append", default=[],
                        help="见证方公布的 Ed25519 公钥（十六进制，可重复）：要求树头经其联署")
    args = parser.parse_args(argv)
    try:
        with open(args.file, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"无法读取证明文件：{e}")
        return 1
    results = check(doc, args.key, args.witness_key)
    for ok, text in results:
        print(("通过  " if ok else "失败  ") + text)
    good = all(ok for ok, _ in results)
    print("核验通过：该公示信息记录在防篡改日志中且未被改动" if good else "核验未通过")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
