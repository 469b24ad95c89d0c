"""`zhifa verify-draw KIT`: recompute a 双随机 draw from its verification kit, offline.

No Django, no database (dispatched by zhifa/cli.py before setup, like `verify-archive`). The kit
(JSON, downloadable from the portal or written by `zhifa inspections kit --latest FILE`) holds the
commitment, its ledger entry, both roster snapshots, the revealed random value with its proof and
the published result. Checks, in order (each printed in Chinese):

1. the algorithm version is one this verifier knows;
2. each snapshot's rows, in their order, give the Merkle root and count in the commitment;
3. the commitment's SHA-256 is the one in the ledger entry of type inspections.draw.commit, and
   that entry was written before the random value existed (the drand round's publication time,
   or the lottery's draw date);
4. the random value verifies (drand quicknet: BLS signature of the committed round, offline);
5. the draw recomputed from commitment, snapshots and value equals the published result byte
   for byte (canonical JSON), and its SHA-256 is the published one;
6. each approved 回避 (kit "recusals", in order) re-draws the replacement the kit names.

Exit code 0 when everything holds, 1 on any difference, 2 when the file cannot be read.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from typing import Any

from zhifa.inspections import algorithm as alg
from zhifa.ledger.pure import canonical_json

KIT_FORMAT = "zhifa-draw-kit/1"
COMMIT_EVENT = "inspections.draw.commit"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check(kit: dict[str, Any]) -> list[tuple[bool, str]]:
    out: list[tuple[bool, str]] = []
    try:
        commitment = kit["commitment"]
        objects, inspectors = kit["objects"], kit["inspectors"]
        reveal, published = kit["reveal"], kit["result"]
        source = commitment["source"]
        entry = json.loads(kit["ledger_entry"])
    except (KeyError, TypeError, ValueError) as e:
        return [(False, f"核验包格式不正确：缺少或无法解析 {e}")]
    out.append((kit.get("format") == KIT_FORMAT, f"核验包格式为 {KIT_FORMAT}"))
    algorithm = commitment.get("algorithm")
    out.append((algorithm in alg.ALGORITHMS, f"抽取算法版本 {algorithm} 为本工具支持的版本"))
    for name, rows, sort in (("objects", objects, alg.sort_objects), ("inspectors", inspectors, alg.sort_inspectors)):
        label = "检查对象名录库" if name == "objects" else "执法检查人员名录库"
        want = commitment.get(name) or {}
        try:
            ordered = sort(rows) == rows
            got = alg.root(rows)
        except (KeyError, TypeError, ValueError):
            ordered, got = False, ""
        out.append((ordered and got == want.get("root") and len(rows) == want.get("count"),
                    f"{label}快照（{len(rows)}条）的默克尔根与承诺一致"))
    digest = _sha(canonical_json(commitment))
    data = entry.get("data") or {}
    out.append((entry.get("type") == COMMIT_EVENT and data.get("commitment_sha256") == digest
                and kit.get("commitment_sha256") == digest, "承诺的SHA-256与执法日志中的承诺条目一致"))
    out.append(_before(entry, source))
    try:
        revealed = alg.revealed_bytes(source, reveal)
        out.append((True, _source_text(source) + "：随机值核验通过"))
    except alg.DrawError as e:
        out.append((False, f"{_source_text(source)}：{e.message}"))
        return out
    try:
        result = alg.draw(commitment, objects, inspectors, revealed)
    except (alg.DrawError, KeyError, TypeError, ValueError) as e:
        out.append((False, f"无法重算抽取结果：{getattr(e, 'message', e)}"))
        return out
    same = canonical_json(result) == canonical_json(published)
    out.append((same, "重算的抽取结果与公布的结果逐字节一致" if same else "重算的抽取结果与公布的结果不一致"
                + _first_difference(result, published)))
    out.append((kit.get("result_sha256") == alg.result_hash(result), "公布结果的SHA-256一致"))
    recusals = kit.get("recusals") or []
    if recusals:
        try:
            again = alg.replay_recusals(commitment, result, inspectors, recusals)
            same = again == [int(r.get("replacement") or 0) for r in recusals]
            text = (f"{len(recusals)}项回避的重新抽取结果可重算且一致" if same
                    else f"回避的重新抽取结果不一致（重算为{again}）")
        except (alg.DrawError, KeyError, TypeError, ValueError) as e:
            same, text = False, f"无法重算回避的重新抽取：{getattr(e, 'message', e)}"
        out.append((same, text))
    return out


def _source_text(source: dict[str, Any]) -> str:
    if source.get("kind") == "drand":
        return f"drand quicknet 第{source.get('round')}轮"
    return f"{source.get('name', '彩票')}第{source.get('issue', '')}期开奖号码"


def _before(entry: dict[str, Any], source: dict[str, Any]) -> tuple[bool, str]:
    try:
        when = dt.datetime.strptime(entry["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    except (KeyError, TypeError, ValueError):
        return False, "承诺条目的时间无法解析"
    if source.get("kind") == "drand":
        published = dt.datetime.fromtimestamp(alg.round_time(int(source["round"])), dt.UTC)
        return when < published, f"承诺（{when:%Y-%m-%d %H:%M:%S} UTC）早于随机值产生（{published:%Y-%m-%d %H:%M:%S} UTC）"
    try:
        draw_on = dt.date.fromisoformat(source["draw_on"])
    except (KeyError, TypeError, ValueError):
        return False, "开奖日期无法解析"
    local = (when + dt.timedelta(hours=8)).date()
    return local < draw_on, f"承诺（{local}）早于开奖日期（{draw_on}）"


def _first_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    if a.get("seed") != b.get("seed"):
        return "（种子不同）"
    for sa, sb in zip(a.get("strata", []), b.get("strata", []) if isinstance(b.get("strata"), list) else []):
        if sa != sb:
            return f"（风险等级{sa.get('level')}层不同）"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhifa verify-draw", description="离线重算并核验双随机抽取结果")
    parser.add_argument("kit", help="核验包（JSON）文件")
    args = parser.parse_args(argv)
    try:
        with open(args.kit, encoding="utf-8") as f:
            kit = json.load(f)
    except (OSError, ValueError) as e:
        print(f"无法读取核验包 {args.kit}：{e}", file=sys.stderr)
        return 2
    if not isinstance(kit, dict):
        print("核验包格式不正确：应为 JSON 对象", file=sys.stderr)
        return 2
    results = check(kit)
    for ok, text in results:
        print(("✓ " if ok else "✗ ") + text)
    good = all(ok for ok, _ in results)
    print("核验通过：抽取结果可由承诺和公开随机值逐字节重算" if good else "核验未通过")
    return 0 if good else 1
