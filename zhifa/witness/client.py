"""`zhifa witness`: a witness of the platform's ledger, run by another party (the supervising
justice bureau, an auditor, any citizen) on its own machine.

No Django, no database, none of the platform's settings (zhifa/cli.py dispatches here before
Django is set up). Everything it trusts is in its own directory:

    zhifa witness init   --dir DIR [--log-key HEX]   own Ed25519 key (witness-key.pem) and state.json
    zhifa witness check  --url BASE --dir DIR [--submit]
    zhifa witness status --dir DIR
    zhifa witness trust-key --dir DIR HEX             accept a rotated platform key, after checking it

`check` fetches the platform's latest signed tree head and its public key over HTTP, verifies the
head's Ed25519 signature with a key the witness already trusts (pinned at init with --log-key, or
on the first check), fetches a consistency proof from the last head it stored to the new one and
verifies it here (RFC 9162 §2.1.4.2, zhifa.ledger.merkle — with the *stored* old root, never the
one the platform now claims), compares the newest page of the published history with the heads it
verified before, then stores the new head and co-signs it with its own key; with
--submit it posts the co-signature to the platform.

A fork — the same size with another root, a smaller tree, or a consistency proof that fails — is
what an insider holding the database and the signing key produces by rewriting the log: it is
reported loudly (exit 1, a Chinese message naming both heads) and both signed heads are kept in
DIR/evidence/. The stored head is not replaced, so every later check keeps comparing with it.

Exit codes: 0 consistent (and co-signed); 1 fork, bad signature or unknown key (evidence kept);
2 cannot check (directory not initialised, platform unreachable, malformed answer, submission refused).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zhifa.ledger import merkle, pure
from zhifa.witness import protocol

FORMAT = "zhifa-witness/1"
KEY_FILE = "witness-key.pem"
STATE_FILE = "state.json"
HISTORY_FILE = "heads.jsonl"
TIMEOUT = 30

# fetch(method, url, json_body_or_None) -> (HTTP status, parsed JSON body)
Fetch = Callable[[str, str, "dict[str, Any] | None"], "tuple[int, Any]"]


class CannotCheck(Exception):
    """Exit 2: nothing was learnt about the log (network, usage, malformed answer)."""


# ---- HTTP ------------------------------------------------------------------------------------------

def http_fetch(method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Accept": "application/json", "User-Agent": "zhifa-witness/1",
        **({"Content-Type": "application/json"} if data is not None else {})})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    except (urllib.error.URLError, OSError) as e:
        raise CannotCheck(f"无法连接平台 {url}：{getattr(e, 'reason', e)}") from None
    try:
        return status, json.loads(raw.decode("utf-8")) if raw else None
    except ValueError:
        raise CannotCheck(f"平台的回答不是 JSON（{url}，HTTP {status}）") from None


def _get(fetch: Fetch, url: str) -> Any:
    status, doc = fetch("GET", url, None)
    if status != 200 or not isinstance(doc, dict):
        detail = doc.get("message") if isinstance(doc, dict) else ""
        raise CannotCheck(f"平台返回 HTTP {status}：{url}" + (f"（{detail}）" if detail else ""))
    return doc


# ---- keys and state ------------------------------------------------------------------------------------

def _private_key(d: Path) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key((d / KEY_FILE).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CannotCheck(f"{d / KEY_FILE} 不是 Ed25519 私钥")
    return key


def _public_hex(key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    return str(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex())


def load_state(d: Path) -> dict[str, Any]:
    try:
        state = json.loads((d / STATE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CannotCheck(f"见证目录 {d} 尚未初始化：请先运行 zhifa witness init --dir {d}") from None
    except (OSError, ValueError) as e:
        raise CannotCheck(f"无法读取 {d / STATE_FILE}：{e}") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise CannotCheck(f"{d / STATE_FILE} 不是见证方状态文件（{FORMAT}）")
    return state


def save_state(d: Path, state: dict[str, Any]) -> None:
    """Write-then-rename: an interrupted run leaves the previous state, never half a file."""
    tmp = d / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, d / STATE_FILE)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hex_key(text: str) -> str:
    key = (text or "").strip().lower()
    if not protocol.public_key_ok(key):
        raise CannotCheck(f"公钥应为64位十六进制（Ed25519 原始公钥）：{text!r}")
    return key


# ---- heads ----------------------------------------------------------------------------------------------

HEAD_FIELDS = ("tree_size", "root_hash", "timestamp", "key_id", "public_key", "signature")


def _head(doc: Any) -> dict[str, Any]:
    """The signed fields of a tree head as the platform sent it, checked for shape."""
    if not isinstance(doc, dict):
        raise CannotCheck("平台返回的树头格式不正确")
    head: dict[str, Any] = {k: doc.get(k) for k in HEAD_FIELDS}
    ints = all(isinstance(head[k], int) and not isinstance(head[k], bool) and head[k] >= 0
               for k in ("tree_size", "timestamp"))
    texts = all(isinstance(head[k], str) for k in ("root_hash", "key_id", "public_key", "signature"))
    if not (ints and texts and len(head["root_hash"]) == 64):
        raise CannotCheck("平台返回的树头格式不正确（缺少或无效的树大小、根哈希、时间戳、签名）")
    return head


def describe(head: dict[str, Any]) -> str:
    when = dt.datetime.fromtimestamp(head["timestamp"] / 1000, dt.UTC).astimezone(
        dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M:%S")
    return f"大小 {head['tree_size']}，根哈希 {head['root_hash']}，签署于 {when}（北京时间），密钥 {head['key_id']}"


def cosign(key: Any, head: dict[str, Any]) -> str:
    return str(key.sign(protocol.cosignature_message(head["tree_size"], head["root_hash"], head["timestamp"])).hex())


# ---- commands ---------------------------------------------------------------------------------------------

def init(d: Path, log_key: str | None, out: Callable[[str], None]) -> int:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    if (d / STATE_FILE).exists() or (d / KEY_FILE).exists():
        raise CannotCheck(f"{d} 已是见证目录（已有 {STATE_FILE} 或 {KEY_FILE}），不覆盖")
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(d / KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    public = _public_hex(_private_key(d))
    keys = [_hex_key(log_key)] if log_key else []
    save_state(d, {"format": FORMAT, "public_key": public, "key_id": protocol.key_id(public), "log_keys": keys,
                   "head": None, "url": None, "checked_at": None, "created_at": _now()})
    out(f"已创建见证目录 {d}")
    out(f"见证方公钥：{public}（标识 {protocol.key_id(public)}）")
    out("请把公钥交平台管理员登记（zhifa witnesses add 名称 公钥），之后 check --submit 提交的联署才会被接受。")
    if not keys:
        out("未指定平台公钥（--log-key）：第一次 check 时将记下平台当时的公钥，请与平台公布的公钥核对。")
    return 0


def status(d: Path, out: Callable[[str], None]) -> int:
    state = load_state(d)
    out(f"见证方公钥：{state['public_key']}（标识 {state['key_id']}）")
    out("信任的平台公钥：" + ("、".join(state["log_keys"]) or "（尚无，第一次 check 时记下）"))
    out(f"平台地址：{state.get('url') or '（尚未核对）'}")
    out("已保存的树头：" + (describe(state["head"]) if state.get("head") else "（尚无）"))
    if state.get("alarms"):
        out(f"曾发出 {len(state['alarms'])} 次警报（分叉、签名无效或未知密钥），证据：" + "、".join(state["alarms"]))
    return 1 if state.get("alarms") else 0


def trust_key(d: Path, key: str, out: Callable[[str], None]) -> int:
    state = load_state(d)
    key = _hex_key(key)
    if key not in state["log_keys"]:
        state["log_keys"].append(key)
        save_state(d, state)
    out(f"已信任平台公钥 {key}（标识 {pure.key_id(key)}）")
    return 0


def _evidence(d: Path, kind: str, files: dict[str, Any], report: list[str]) -> Path:
    base = d / "evidence" / f"{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%S%fZ')}-{kind}"
    base.mkdir(parents=True, exist_ok=False)
    for name, doc in files.items():
        (base / name).write_text(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    (base / "report.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    return base


def _history_mismatches(d: Path, fetch: Fetch, api: str) -> list[str]:
    """The platform's published history (the newest page of /api/v1/witness/tree-heads) against the
    heads this witness verified before: a head of the same size must have the same root. Catches a
    history page rewritten apart from the latest head. An older platform without the list: nothing."""
    try:
        with open(d / HISTORY_FILE, encoding="utf-8") as f:
            mine = {h["tree_size"]: h["root_hash"] for h in map(json.loads, f) if isinstance(h, dict)}
    except (OSError, ValueError, KeyError, TypeError):
        mine = {}
    if not mine:
        return []
    status, doc = fetch("GET", f"{api}/witness/tree-heads", None)
    if status != 200 or not isinstance(doc, dict) or not isinstance(doc.get("heads"), list):
        return []
    out = []
    for h in doc["heads"]:
        size, root = (h.get("tree_size"), h.get("root_hash")) if isinstance(h, dict) else (None, None)
        if size in mine and root != mine[size]:
            out.append(f"平台公布的树头记录中，大小 {size} 的树头（#{h.get('id')}）根哈希为 {root}，"
                       f"本见证方此前核对的是 {mine[size]}。")
    return out


def check(d: Path, url: str, submit: bool, out: Callable[[str], None], fetch: Fetch = http_fetch) -> int:
    state = load_state(d)
    key = _private_key(d)
    base = url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise CannotCheck(f"平台地址应以 https:// 或 http:// 开头：{url}")
    api = f"{base}/api/v1"
    new = _head(_get(fetch, f"{api}/ledger/tree-head"))
    published = _get(fetch, f"{api}/ledger/public-key")

    def alarm(kind: str, title: str, reasons: list[str], files: dict[str, Any]) -> int:
        report = [f"!!! {title} !!!", f"平台：{base}", *reasons]
        where = _evidence(d, kind, files, report)
        state.setdefault("alarms", []).append(str(where))
        state["checked_at"] = _now()
        save_state(d, state)
        for line in report:
            out(line)
        out(f"证据（平台签署的树头等）已保存到 {where}：请勿删除，交上级部门或审计机构核查。")
        return 1

    if not state["log_keys"]:
        first = _hex_key(str(published.get("public_key", "")))
        state["log_keys"] = [first]
        out(f"首次核对：记下平台签名公钥 {first}（标识 {pure.key_id(first)}），请与平台或司法行政部门公布的公钥核对。")
    log_key = (new["public_key"] or "").lower()
    if log_key not in state["log_keys"]:
        return alarm("unknown-key", "树头的签名密钥不在本见证方信任的密钥中", [
            f"平台新树头：{describe(new)}",
            f"该密钥：{log_key}；本见证方信任：{'、'.join(state['log_keys'])}",
            "如平台已正式轮换密钥，请向平台和上级部门核实新公钥后运行 zhifa witness trust-key。"],
            {"new-head.json": new})
    if not pure.verify_tree_head(new, log_key) or pure.key_id(log_key) != new["key_id"]:
        return alarm("bad-signature", "平台树头签名无效", [f"平台新树头：{describe(new)}",
                                                    "签名与树头内容不符：树头被改动或签名伪造。"], {"new-head.json": new})
    old = state.get("head")
    proof_doc: Any = None
    reasons = _history_mismatches(d, fetch, api)
    if old is not None:
        if new["tree_size"] < old["tree_size"]:
            reasons.append(f"平台日志变小：已保存的树头有 {old['tree_size']} 条，平台新树头只有 {new['tree_size']} 条（日志被截断或改写）。")
        elif new["tree_size"] == old["tree_size"]:
            if new["root_hash"] != old["root_hash"]:
                reasons.append("同样大小的日志，根哈希却不同：已有记录被改写。")
        elif old["tree_size"] > 0:
            proof_doc = _get(fetch, f"{api}/ledger/proof/consistency?" + urllib.parse.urlencode(
                {"first": old["tree_size"], "second": new["tree_size"]}))
            try:
                proof = [bytes.fromhex(h) for h in proof_doc.get("proof", [])]
                ok = merkle.verify_consistency(old["tree_size"], new["tree_size"], bytes.fromhex(old["root_hash"]),
                                               bytes.fromhex(new["root_hash"]), proof)
            except (TypeError, ValueError, AttributeError):
                ok = False
            if not ok:
                claimed = proof_doc.get("first_root") if isinstance(proof_doc, dict) else None
                reasons.append("一致性证明不成立：新树头不是已保存树头的延续，已有记录被改写（RFC 9162 §2.1.4）。")
                if claimed and claimed != old["root_hash"]:
                    reasons.append(f"平台现在声称大小 {old['tree_size']} 时的根哈希为 {claimed}，与已保存的不同。")
    if reasons:
        return alarm("fork", "发现分叉：平台日志与本见证方保存的树头不一致", [
            *([f"已保存的树头：{describe(old)}"] if old else []), f"平台新树头：{describe(new)}", *reasons,
            "这些树头都由平台密钥签署：这是平台（或掌握其数据库和签名密钥的人）改写日志的证据。"],
            {**({"stored-head.json": old} if old else {}), "new-head.json": new,
             **({"consistency-proof.json": proof_doc} if proof_doc is not None else {})})
    signature = cosign(key, new)
    state.update(head=new, url=base, checked_at=_now())
    save_state(d, state)
    with open(d / HISTORY_FILE, "a", encoding="utf-8") as f:
        f.write(json.dumps({**new, "cosignature": signature, "checked_at": state["checked_at"]},
                           ensure_ascii=False, sort_keys=True) + "\n")
    if old is None:
        out(f"已保存第一个树头：{describe(new)}")
    elif old["tree_size"] == new["tree_size"]:
        out(f"日志未增长，树头一致：{describe(new)}")
    else:
        out(f"一致：日志从 {old['tree_size']} 条增长到 {new['tree_size']} 条，一致性证明成立。新树头：{describe(new)}")
    out(f"已用见证方密钥 {state['key_id']} 联署")
    if submit:
        status_code, answer = fetch("POST", f"{api}/witness/cosignatures", {
            "tree_size": new["tree_size"], "root_hash": new["root_hash"], "timestamp": new["timestamp"],
            "public_key": state["public_key"], "signature": signature})
        if status_code not in (200, 201):
            message = answer.get("message") if isinstance(answer, dict) else ""
            raise CannotCheck(f"平台未接受联署（HTTP {status_code}）：{message or answer}")
        out("已向平台提交联署" + ("" if status_code == 201 else "（平台此前已收到）"))
    return 0


def main(argv: list[str] | None = None, fetch: Fetch = http_fetch, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog="zhifa witness", description="防篡改日志的见证方：核对平台签名树头的一致性并联署")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="创建见证目录：自己的 Ed25519 密钥和状态")
    p.add_argument("--dir", required=True, type=Path)
    p.add_argument("--log-key", help="平台签名公钥（十六进制，来自平台或司法行政部门公布的副本）")
    p = sub.add_parser("check", help="获取平台最新树头，核对一致性，联署")
    p.add_argument("--url", required=True, help="平台地址，如 https://zhifa.example.gov.cn")
    p.add_argument("--dir", required=True, type=Path)
    p.add_argument("--submit", action="store_true", help="把联署提交给平台")
    p = sub.add_parser("status", help="查看见证目录")
    p.add_argument("--dir", required=True, type=Path)
    p = sub.add_parser("trust-key", help="信任平台轮换后的新公钥（请先核实）")
    p.add_argument("--dir", required=True, type=Path)
    p.add_argument("key")
    args = parser.parse_args(argv)
    try:
        if args.command == "init":
            return init(args.dir, args.log_key, out)
        if args.command == "status":
            return status(args.dir, out)
        if args.command == "trust-key":
            return trust_key(args.dir, args.key, out)
        return check(args.dir, args.url, args.submit, out, fetch)
    except CannotCheck as e:
        out(f"无法核对：{e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
