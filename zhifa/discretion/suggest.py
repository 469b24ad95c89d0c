"""From the circumstances (情节) ticked on a case to a suggested level, band and amount, with the
reasons (which factor moved what), against the discretion benchmark in force (zhifa.powers).

    s = suggest(benchmark, factors, base=None)   # factors: dicts of available_factors()
    s["level"], s["lo"], s["hi"], s["amount"], s["reasons"]

The rule, in the order the 行政处罚法 gives it:
1. a 不予处罚 factor (Art. 33) with no aggravating one → the benchmark's 不予处罚 level;
2. else a 减轻 factor (Art. 32) → the 减轻 level, or below the lowest fined level's minimum when the
   benchmark has none;
3. else the balance of 从轻 and 从重 factors → 从轻 / 一般 / 从重 (they offset one for one);
4. inside the level's fine band the amount starts at the middle and each further factor in the
   level's direction moves it a fifth of the band toward that end (each opposite factor back);
   rounded to whole hundreds of yuan (tens when the band is narrower than 1 000 yuan).
A level the benchmark lacks falls back to the nearest one toward 一般.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from zhifa.discretion.choices import NATIONAL_FACTORS, Effect
from zhifa.powers import discretion as bench

STEP = Decimal("0.2")


def national_factors() -> list[dict]:
    return [{"code": code, "label": label, "effect": str(effect), "law": law, "article": article, "basis": basis,
             "source": "national"}
            for code, (label, effect, law, article, basis) in NATIONAL_FACTORS.items()]


def available_factors(entity_id, item_codes) -> list[dict]:
    """The national factors, then the entity's own for the case's items (or all its items)."""
    from zhifa.discretion.models import Factor

    out = national_factors()
    seen = {f["code"] for f in out}
    rows = Factor.objects.filter(entity_id=entity_id, active=True, power_item_code__in=["", *item_codes])
    for f in rows.order_by("power_item_code", "code"):
        if f.code in seen:
            continue
        seen.add(f.code)
        out.append({"code": f.code, "label": f.label, "effect": f.effect, "law": f.law, "article": f.article,
                    "basis": f.basis, "source": f.power_item_code or "entity"})
    return out


def cite(f: dict) -> str:
    if f.get("law") and f.get("article"):
        return f"《{f['law']}》{f['article']}"
    return "裁量基准"


def _levels(benchmark) -> dict[str, dict]:
    return {lv["level"]: lv for lv in benchmark.levels}


def _fallback(level: str, have: dict) -> str | None:
    if level in have:
        return level
    order = bench.LEVELS
    i, g = order.index(level), order.index(bench.GENERAL)
    step = 1 if i < g else -1
    while i != g:
        i += step
        if order[i] in have:
            return order[i]
    return bench.GENERAL if bench.GENERAL in have else (next(iter(have)) if have else None)


def band(lv: dict, base: Decimal | None) -> tuple[Decimal | None, Decimal | None, str]:
    """(lo, hi, how) of a level's fine in yuan; None when it is not fined or its base is unknown."""
    if "fine" not in lv.get("sanctions", []):
        return None, None, "不予罚款" if lv["level"] == bench.NO_PENALTY else "不含罚款"
    basis = lv.get("fine_basis") or bench.FIXED
    if basis == bench.FIXED:
        return Decimal(lv.get("fine_min") or 0), Decimal(lv["fine_max"]), bench.range_text(lv)
    if base is None:
        return None, None, f"{bench.range_text(lv)}（须填写{bench.BASE_NAMES[basis]}）"
    lo = (base * Decimal(lv.get("multiple_min") or 0)).quantize(bench.CENT)
    hi = (base * Decimal(lv["multiple_max"])).quantize(bench.CENT)
    return lo, hi, f"{bench.range_text(lv)}，即{bench.yuan(lo)}至{bench.yuan(hi)}"


def _round(amount: Decimal, width: Decimal) -> Decimal:
    unit = Decimal(100) if width >= 1000 else Decimal(10) if width >= 100 else Decimal(1)
    return (amount / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def suggest(benchmark, factors: list[dict], base=None) -> dict:
    """The suggestion for `factors` (dicts with code/label/effect/law/article) under `benchmark`."""
    base = bench.to_decimal(base) if base not in (None, "") else None
    have = _levels(benchmark)
    by = {e: [f for f in factors if f["effect"] == e] for e in Effect.values}
    reasons = [f"情节“{f['label']}”（{cite(f)}）：{Effect(f['effect']).label}" for f in factors]
    heavier, lighter = len(by[Effect.HEAVIER]), len(by[Effect.LIGHTER])
    if by[Effect.NO_PENALTY] and not heavier:
        wanted = bench.NO_PENALTY
        why = "具有不予行政处罚情节且无从重情节"
    elif by[Effect.MITIGATE] or (by[Effect.NO_PENALTY] and heavier):
        wanted = bench.MITIGATED
        why = "具有减轻处罚情节" if by[Effect.MITIGATE] else "不予处罚情节与从重情节并存，按减轻处罚考虑"
    elif heavier > lighter:
        wanted, why = bench.HEAVIER, (f"从重情节{heavier}项多于从轻情节{lighter}项" if lighter else "具有从重情节")
    elif lighter > heavier:
        wanted, why = bench.LIGHTER, (f"从轻情节{lighter}项多于从重情节{heavier}项" if heavier else "具有从轻情节")
    else:
        wanted = bench.GENERAL
        why = "从轻与从重情节相互抵消" if heavier else "不具有从轻、减轻或者从重情节"
    level = _fallback(wanted, have)
    out = {"benchmark_id": benchmark.pk, "benchmark_version": benchmark.version, "wanted": wanted, "level": level,
           "factors": [f["code"] for f in factors], "lo": None, "hi": None, "amount": None, "sanctions": [],
           "base": bench.fmt(base) if base is not None else None}
    if level is None:
        out["reasons"] = reasons + ["裁量基准未设定档位，无法给出建议"]
        return out
    lv = have[level]
    if level != wanted:
        reasons.append(f"{why}，应适用“{wanted}”；裁量基准（第{benchmark.version}版）未设定该档位，按“{level}”档位")
    else:
        reasons.append(f"{why}，适用“{level}”档位（裁量基准第{benchmark.version}版）")
    lo, hi, how = band(lv, base)
    out["sanctions"] = list(lv.get("sanctions", []))
    if wanted == bench.MITIGATED and level != wanted and lo is not None:
        # No 减轻 level: below the lowest fined level's minimum (Art. 32 减轻 = below the statutory floor).
        hi, lo, how = lo, Decimal(0), f"低于“{level}”档位下限{bench.yuan(lo)}"
        reasons[-1] = f"{why}，裁量基准（第{benchmark.version}版）未设定“减轻”档位，在“{level}”档位下限以下确定"
    reasons.append(f"“{level}”档位处罚：{bench.sanction_labels(lv.get('sanctions', []))}；{how}")
    if lo is None or hi is None:
        out["reasons"] = reasons
        return out
    pos = Decimal("0.5")
    if level in (bench.LIGHTER, bench.MITIGATED):
        pos -= STEP * max(lighter + len(by[Effect.MITIGATE]) - 1, 0)
        pos += STEP * heavier
    elif level == bench.HEAVIER:
        pos += STEP * max(heavier - 1, 0)
        pos -= STEP * lighter
    pos = min(max(pos, Decimal(0)), Decimal(1))
    amount = _round(lo + (hi - lo) * pos, hi - lo)
    amount = min(max(amount, lo), hi)
    if pos != Decimal("0.5"):
        reasons.append(f"同向情节叠加/反向情节抵减，建议金额位于档位幅度的{int(pos * 100)}%处")
    reasons.append(f"建议罚款{bench.yuan(amount)}（幅度{bench.yuan(lo)}至{bench.yuan(hi)}）")
    out.update(lo=bench.fmt(lo), hi=bench.fmt(hi), amount=bench.fmt(amount), reasons=reasons)
    return out


def distance(s: dict, fine) -> Decimal:
    """How far a fine lies outside the suggested band, as a fraction of the nearer limit (0 inside).
    A fine where the suggestion is 不予处罚 (or no fine) counts as 1 (100 %)."""
    fine = Decimal(fine or 0)
    if not s or s.get("level") is None:
        return Decimal(0)
    if s.get("hi") is None:
        if s.get("level") == bench.NO_PENALTY and fine > 0:
            return Decimal(1)
        return Decimal(0)
    lo, hi = Decimal(s["lo"]), Decimal(s["hi"])
    if fine > hi:
        return (fine - hi) / hi if hi > 0 else Decimal(1)
    if fine < lo:
        return (lo - fine) / lo
    return Decimal(0)


def explanation(s: dict, factors: list[dict], note: str = "") -> list[str]:
    """The 裁量说明 paragraphs printed into the 事先告知书 / 决定书."""
    if not s or s.get("level") is None:
        return []
    named = "、".join(f"{f['label']}（{cite(f)}）" for f in factors) if factors else "无法定从轻、减轻或者从重情节"
    paras = [f"裁量说明：经审查，当事人具有以下情节：{named}。"]
    version = f"（裁量基准第{s.get('benchmark_version')}版）"
    tail = [r.replace(version, "") for r in s.get("reasons", []) if not r.startswith("情节“")]
    paras.append("依据本机关行政处罚裁量基准（第{}版），{}".format(s.get("benchmark_version"), "；".join(tail)) + "。")
    if note:
        paras.append(f"其他情况说明：{note}")
    return paras
