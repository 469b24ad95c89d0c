"""The draw of 双随机、一公开, as a pure function anyone can recompute: no Django, no database.

`zhifa verify-draw KIT` imports this module (with zhifa.ledger.merkle and zhifa.ledger.pure) on a
machine without the application, so nothing here may import django.

Algorithm ``zhifa-draw/1`` (its name is in the commitment; another name is refused):

1. Leaves. Each roster row is one canonical JSON object (``pure.canonical_json``: sorted keys, no
   spaces, UTF-8); objects are sorted by ``key`` (credit code or ID), inspectors by ``officer``
   (officer id). A snapshot's root is the RFC 9162 Merkle tree hash over
   ``SHA-256(0x00 ‖ leaf)`` in that order (``zhifa.ledger.merkle.mth``).
2. Commitment. A canonical JSON object naming the batch, its strata, the roots and counts of both
   snapshots, the exclusions, the algorithm and the identifier of a future public random value
   (a drand quicknet round, or a named lottery draw); it is ledgered before that value exists.
3. Seed = SHA-256(commitment bytes ‖ revealed value bytes): for drand the 32-byte round
   randomness (SHA-256 of the verified BLS signature), for a lottery the UTF-8 of the agreed
   numbers as typed (spaces collapsed).
4. Randomness stream: 64-bit big-endian words from SHA-256(seed ‖ label ‖ counter as 8 bytes),
   four words per block. ``uniform(n)`` rejects words ≥ 2^64 − (2^64 mod n) and returns the word
   mod n: every index has exactly the same probability (no modulo bias).
5. Selection per stratum (risk levels in sorted order): the eligible rows (objects of that level
   not inspected within the window before the draw date, in key order); the count is the batch's
   count, or ceil(ratio × eligible / 100); a partial Fisher–Yates shuffle with ``uniform`` picks
   them (label ``"select:" + level``); the chosen rows are listed in the order drawn.
6. Inspectors per object, in the order drawn (label ``"match"``): draws ``uniform(len(pool))``
   over the inspectors in officer order until ``per_object`` distinct ones are found that are not
   recused for that object (回避: an exclusion pair officer ↔ object key) and whose certificate
   is valid on the draw date. Fewer than ``per_object`` such inspectors: the draw is refused.
7. Result: canonical JSON {"algorithm", "seed", "strata": [{"level", "eligible", "count",
   "objects": [{"key", "inspectors": [officer ids]}]}]}; its SHA-256 is the result hash.
8. 回避 after the draw (``replay_recusals``): an approved recusal n (1, 2, … in the order approved)
   of officer ``o`` for object ``key`` on date ``on`` replaces ``o`` in that object's team by
   ``candidates[uniform(len(candidates))]`` drawn from the stream labelled
   ``"recusal:" + n + ":" + key + ":" + o``, where ``candidates`` are the snapshot's inspectors (in
   officer order) whose certificate is valid on ``on``, not in the team, and not recused for
   ``key`` (at commit or by an earlier recusal). Every replacement is recomputed by verify-draw.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zhifa.ledger import merkle
from zhifa.ledger.pure import canonical_json

ALGORITHM = "zhifa-draw/1"
ALGORITHMS = (ALGORITHM,)
QUICKNET_CHAIN_HASH = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
QUICKNET_GENESIS = 1692803367
QUICKNET_PERIOD = 3
OBJECT_FIELDS = ("key", "name", "kind", "industry", "area", "size", "risk", "abnormal", "last_inspected")
INSPECTOR_FIELDS = ("officer", "name", "certificate", "cert_expires", "fields", "specialty")
TWO64 = 1 << 64


class DrawError(ValueError):
    """A draw that cannot be made (or recomputed): `rule` names the rule, `message` is Chinese."""

    def __init__(self, rule: str, message: str, field: str | None = None) -> None:
        super().__init__(f"[{rule}] {message}")
        self.rule, self.message, self.field = rule, message, field


# ---- snapshots ------------------------------------------------------------------------------------

def leaf(row: dict[str, Any]) -> bytes:
    return canonical_json(row)


def sort_objects(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: r["key"])


def sort_inspectors(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: int(r["officer"]))


def root(rows: Sequence[dict[str, Any]]) -> str:
    """The Merkle root (hex) of rows already in their order."""
    return merkle.mth([merkle.leaf_hash(leaf(r)) for r in rows]).hex()


def round_time(round_no: int) -> int:
    """Unix time at which drand quicknet publishes `round_no` (genesis is round 1)."""
    return QUICKNET_GENESIS + (int(round_no) - 1) * QUICKNET_PERIOD


def round_at(unix_time: float) -> int:
    """The latest quicknet round published at `unix_time`."""
    return max(1, int((unix_time - QUICKNET_GENESIS) // QUICKNET_PERIOD) + 1)


# ---- randomness -----------------------------------------------------------------------------------

def normalise_lottery(value: str) -> str:
    return " ".join((value or "").replace("，", " ").replace(",", " ").split())


def check_signature_hex(signature: str) -> str | None:
    sig = (signature or "").strip().lower()
    if len(sig) != 96 or any(c not in "0123456789abcdef" for c in sig):
        return "drand 签名应为96位十六进制字符（48字节 BLS12-381 G1 点）"
    return None


def verify_quicknet(round_no: int, signature: str) -> bytes:
    """The 32-byte randomness of a verified quicknet round, offline (the `drand-verify` package:
    BLS12-381, signatures on G1, RFC 9380 hash-to-curve, the League of Entropy's public key built
    in). Raises DrawError("draw.beacon_invalid") when the signature does not verify."""
    bad = check_signature_hex(signature)
    if bad:
        raise DrawError("draw.beacon_invalid", bad, "signature")
    try:
        import drand_verify
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise DrawError("draw.beacon_invalid", "缺少 drand-verify 包，无法离线核验 drand 信标") from e
    try:
        randomness = drand_verify.verify_quicknet(int(round_no), signature.strip().lower())
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # the Rust extension raises ValueError, or panics (PanicException)
        raise DrawError("draw.beacon_invalid", f"drand 第{round_no}轮的签名核验未通过", "signature") from e
    value = bytes.fromhex(randomness)
    if value != hashlib.sha256(bytes.fromhex(signature.strip().lower())).digest():
        raise DrawError("draw.beacon_invalid", "drand 随机值与签名不符", "signature")
    return value


def revealed_bytes(source: dict[str, Any], reveal: dict[str, Any]) -> bytes:
    """The revealed value's bytes (checked): drand randomness or the lottery string."""
    kind = source.get("kind")
    if kind == "drand":
        if reveal.get("round") != source.get("round"):
            raise DrawError("draw.beacon_round", f"揭示的轮次{reveal.get('round')}不是承诺的第{source.get('round')}轮",
                            "round")
        return verify_quicknet(int(source["round"]), str(reveal.get("signature", "")))
    if kind == "lottery":
        value = normalise_lottery(str(reveal.get("value", "")))
        if not value:
            raise DrawError("draw.lottery_value", "开奖号码为空", "value")
        return value.encode("utf-8")
    raise DrawError("draw.source", f"未知的随机源：{kind}", "source")


def seed_of(commitment: bytes, revealed: bytes) -> bytes:
    return hashlib.sha256(commitment + revealed).digest()


class Stream:
    """64-bit words from SHA-256(seed ‖ label ‖ counter); `uniform(n)` by rejection sampling."""

    def __init__(self, seed: bytes, label: str) -> None:
        self.prefix = seed + label.encode("utf-8") + b"\x00"
        self.counter = 0
        self.words: list[int] = []

    def word(self) -> int:
        if not self.words:
            block = hashlib.sha256(self.prefix + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
            self.words = [int.from_bytes(block[i:i + 8], "big") for i in (24, 16, 8, 0)]
        return self.words.pop()

    def uniform(self, n: int) -> int:
        if n <= 0:
            raise ValueError("n must be positive")
        limit = TWO64 - TWO64 % n
        while True:
            x = self.word()
            if x < limit:
                return x % n


# ---- selection ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stratum:
    level: str
    ratio: Decimal | None = None
    count: int | None = None

    def size(self, eligible: int) -> int:
        if self.count is not None:
            return min(int(self.count), eligible)
        ratio = Decimal(str(self.ratio or 0))
        return min(eligible, math.ceil(ratio * eligible / 100))


def strata_of(spec: Sequence[dict[str, Any]]) -> list[Stratum]:
    out = []
    for s in spec:
        count = s.get("count")
        ratio = s.get("ratio")
        out.append(Stratum(str(s["level"]), Decimal(str(ratio)) if ratio not in (None, "") else None,
                           int(count) if count not in (None, "") else None))
    return sorted(out, key=lambda s: s.level)


def eligible(objects: Sequence[dict[str, Any]], level: str, *, draw_date: str, window_days: int) -> list[dict[str, Any]]:
    """Objects of the level not inspected within `window_days` before `draw_date` (ISO dates)."""
    import datetime as dt

    cutoff = (dt.date.fromisoformat(draw_date) - dt.timedelta(days=int(window_days))).isoformat()
    return [o for o in objects if o["risk"] == level and not (window_days and o.get("last_inspected")
                                                               and o["last_inspected"] > cutoff)]


def _partial_shuffle(rows: list[Any], k: int, stream: Stream) -> list[Any]:
    rows = list(rows)
    n = len(rows)
    for i in range(k):
        j = i + stream.uniform(n - i)
        rows[i], rows[j] = rows[j], rows[i]
    return rows[:k]


def draw(commitment: dict[str, Any], objects: Sequence[dict[str, Any]], inspectors: Sequence[dict[str, Any]],
         revealed: bytes) -> dict[str, Any]:
    """The result of the committed draw (the function `zhifa verify-draw` recomputes)."""
    if commitment.get("algorithm") not in ALGORITHMS:
        raise DrawError("draw.algorithm", f"不支持的抽取算法版本：{commitment.get('algorithm')}", "algorithm")
    seed = seed_of(canonical_json(commitment), revealed)
    batch = commitment["batch"]
    excl = commitment["exclusions"]
    draw_date = commitment["draw_date"]
    recused: dict[str, set[int]] = {}
    for officer, key in excl.get("recusals", []):
        recused.setdefault(str(key), set()).add(int(officer))
    pool = [i for i in inspectors if i["cert_expires"] >= draw_date]
    per_object = int(batch.get("inspectors_per_object", 2))
    match = Stream(seed, "match")
    strata_out = []
    for stratum in strata_of(batch["strata"]):
        rows = eligible(objects, stratum.level, draw_date=draw_date, window_days=int(excl.get("window_days", 0)))
        k = stratum.size(len(rows))
        chosen = _partial_shuffle(rows, k, Stream(seed, "select:" + stratum.level))
        picked = []
        for obj in chosen:
            picked.append({"key": obj["key"], "inspectors": _match(obj["key"], pool, recused, per_object, match)})
        strata_out.append({"level": stratum.level, "eligible": len(rows), "count": k, "objects": picked})
    return {"algorithm": commitment["algorithm"], "seed": seed.hex(), "strata": strata_out}


def _match(key: str, pool: Sequence[dict[str, Any]], recused: dict[str, set[int]], per_object: int,
           stream: Stream) -> list[int]:
    away = recused.get(key, set())
    allowed = len(pool) - (sum(1 for i in pool if int(i["officer"]) in away) if away else 0)
    if allowed < per_object:
        raise DrawError("draw.inspectors_short",
                        f"检查对象{key}可匹配的持有效执法证、无需回避的检查人员不足{per_object}名", "inspectors")
    chosen: list[int] = []
    n = len(pool)
    while len(chosen) < per_object:
        cand = pool[stream.uniform(n)]
        oid = int(cand["officer"])
        if oid in chosen or oid in away:
            continue
        chosen.append(oid)
    return chosen


def replacement(seed: bytes, *, index: int, key: str, officer: int, team: Sequence[int],
                pool: Sequence[dict[str, Any]], away: set[int], on: str) -> int:
    """The inspector who replaces `officer` (recused for object `key`) in `team` (step 8)."""
    candidates = [int(i["officer"]) for i in pool
                  if i["cert_expires"] >= on and int(i["officer"]) not in team and int(i["officer"]) not in away
                  and int(i["officer"]) != int(officer)]
    if not candidates:
        raise DrawError("recusal.no_replacement",
                        f"检查对象{key}没有可替换的持有效执法证、无需回避的检查人员", "officer")
    stream = Stream(seed, f"recusal:{int(index)}:{key}:{int(officer)}")
    return candidates[stream.uniform(len(candidates))]


def replay_recusals(commitment: dict[str, Any], result: dict[str, Any], inspectors: Sequence[dict[str, Any]],
                    recusals: Sequence[dict[str, Any]]) -> list[int]:
    """The replacements of the approved recusals `[{"index", "key", "officer", "on"}]`, in order
    (step 8); raises DrawError when a recused officer is not in the object's team at that point."""
    seed = bytes.fromhex(result["seed"])
    teams = {key: list(ids) for _, key, ids in selected(result)}
    away: dict[str, set[int]] = {}
    for officer, key in commitment.get("exclusions", {}).get("recusals", []):
        away.setdefault(str(key), set()).add(int(officer))
    out = []
    for n, r in enumerate(recusals, 1):
        key, officer = str(r["key"]), int(r["officer"])
        if int(r.get("index", n)) != n:
            raise DrawError("recusal.order", f"第{n}项回避的序号应为{n}", "index")
        team = teams.get(key)
        if team is None or officer not in team:
            raise DrawError("recusal.not_on_team", f"回避人员（编号{officer}）不是检查对象{key}的检查人员", "officer")
        new = replacement(seed, index=n, key=key, officer=officer, team=team, pool=inspectors,
                          away=away.get(key, set()), on=str(r["on"]))
        away.setdefault(key, set()).add(officer)
        team[team.index(officer)] = new
        out.append(new)
    return out


def result_hash(result: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(result)).hexdigest()


def selected(result: dict[str, Any]) -> Iterator[tuple[str, str, list[int]]]:
    for s in result["strata"]:
        for o in s["objects"]:
            yield s["level"], o["key"], o["inspectors"]
