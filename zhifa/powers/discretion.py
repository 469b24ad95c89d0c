"""行政处罚裁量基准 (行政处罚法 Arts. 32–34): the level vocabulary, validation of a benchmark's
levels, the checker case handling calls, and demo benchmarks.

    deviations = check_penalty(item_or_code, entity, "一般", ["fine"], Decimal("20000"))
    if requires_written_reason(deviations) and not reason:
        refuse …   # the proposal is outside the benchmark: a written reason must go on the record

`check_penalty` returns [] when the proposal fits the chosen level of the benchmark that was
published (confirmed by the justice bureau) and in force on the given date; otherwise one
`Deviation` per problem, each with a Chinese message. With no benchmark it returns a single
`Deviation(kind="no_benchmark")`, which does not by itself require a written reason: the caller
decides. Malformed input (unknown level or sanction, negative amount) raises ActionRefused
("validation"), like every action.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone

from zhifa.common.actions import ActionRefused, validate
from zhifa.powers.models import DiscretionBenchmark, PowerItem, VersionStatus

# ---- vocabulary ---------------------------------------------------------------------------------
NO_PENALTY, MITIGATED, LIGHTER, GENERAL, HEAVIER = "不予处罚", "减轻", "从轻", "一般", "从重"
LEVELS = (NO_PENALTY, MITIGATED, LIGHTER, GENERAL, HEAVIER)   # lightest first
LEVEL_ORDER = {name: i for i, name in enumerate(LEVELS)}

# 行政处罚法 Art. 9 (kinds of penalty). Codes are what the API and the checker take; the
# Chinese labels are accepted too.
SANCTIONS = {
    "warning": "警告",
    "criticism": "通报批评",
    "fine": "罚款",
    "confiscate_gains": "没收违法所得",
    "confiscate_property": "没收非法财物",
    "suspend_licence": "暂扣许可证件",
    "lower_qualification": "降低资质等级",
    "revoke_licence": "吊销许可证件",
    "restrict_business": "限制开展生产经营活动",
    "suspend_business": "责令停产停业",
    "close": "责令关闭",
    "restrict_practice": "限制从业",
    "detention": "行政拘留",
    "other": "其他行政处罚",
}
SANCTION_CODES = {label: code for code, label in SANCTIONS.items()}
SANCTION_ORDER = {code: i for i, code in enumerate(SANCTIONS)}

FIXED, GAINS, GOODS = "fixed", "multiple_of_illegal_gains", "multiple_of_goods_value"
FINE_BASES = {FIXED: "固定金额", GAINS: "违法所得的倍数", GOODS: "货值金额的倍数"}
BASE_NAMES = {GAINS: "违法所得", GOODS: "货值金额"}

LEVEL_KEYS = ("level", "circumstances", "sanctions", "fine_basis", "fine_min", "fine_max",
              "multiple_min", "multiple_max", "other")
CENT = Decimal("0.01")


# ---- numbers ------------------------------------------------------------------------------------
def to_decimal(value) -> Decimal | None:
    """int / str / Decimal / float → Decimal (None and "" → None); ValueError if not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        d = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as e:
        raise ValueError(value) from e
    if not d.is_finite():
        raise ValueError(value)
    return d


def fmt(d: Decimal | None) -> str:
    """50000 → "50000", 1.50 → "1.5" (no exponent, no trailing zeros)."""
    if d is None:
        return ""
    s = f"{d.quantize(CENT):f}" if d == d.quantize(CENT) else f"{d:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def yuan(d: Decimal) -> str:
    return f"{fmt(d)}元"


def sanction_code(value: str) -> str | None:
    value = (value or "").strip()
    if value in SANCTIONS:
        return value
    return SANCTION_CODES.get(value)


def sanction_labels(codes) -> str:
    return "、".join(SANCTIONS.get(c, c) for c in codes) or "无"


# ---- validation ---------------------------------------------------------------------------------
def clean_levels(levels) -> tuple[list[dict], list[str]]:
    """Validate and normalise a benchmark's levels → (canonical levels lightest first, problems).

    Problems are Chinese and name the level; the model prefixes them with the field label."""
    if not isinstance(levels, list):
        return [], ["格式无效，应为档位列表"]
    if not levels:
        return [], ["至少设定一个档位"]
    out, problems, seen = [], [], set()
    for i, raw in enumerate(levels, 1):
        lv, errs = _clean_level(i, raw)
        problems += errs
        if lv is None:
            continue
        if lv["level"] in seen:
            problems.append(f"“{lv['level']}”档位重复")
            continue
        seen.add(lv["level"])
        out.append(lv)
    if problems:
        return [], problems
    out.sort(key=lambda lv: LEVEL_ORDER[lv["level"]])
    problems += _check_order(out)
    return (out, []) if not problems else ([], problems)


def _clean_level(i: int, raw) -> tuple[dict | None, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"第{i}档格式无效"]
    name = str(raw.get("level") or "").strip()
    if name not in LEVEL_ORDER:
        shown = f"“{name}”" if name else "（空）"
        return None, [f"第{i}档的档位名称{shown}无效，应为{'、'.join(LEVELS)}之一"]
    where = f"“{name}”档位"
    errs = [f"{where}含有未知项“{k}”" for k in raw if k not in LEVEL_KEYS]
    circumstances = str(raw.get("circumstances") or "").strip()
    if not circumstances:
        errs.append(f"{where}须填写适用情形")
    sanctions = raw.get("sanctions") or []
    if isinstance(sanctions, str):
        sanctions = split_sanctions(sanctions)
    codes = []
    for s in sanctions:
        code = sanction_code(str(s))
        if code is None:
            errs.append(f"{where}的处罚种类“{s}”无效")
        elif code not in codes:
            codes.append(code)
    codes.sort(key=SANCTION_ORDER.get)
    basis = str(raw.get("fine_basis") or FIXED).strip()
    if basis not in FINE_BASES:
        errs.append(f"{where}的罚款计算方式“{basis}”无效，应为{'、'.join(FINE_BASES)}之一")
        basis = FIXED
    nums = {}
    labels = {"fine_min": "罚款下限", "fine_max": "罚款上限", "multiple_min": "倍数下限", "multiple_max": "倍数上限"}
    for key, label in labels.items():
        try:
            d = to_decimal(raw.get(key))
        except ValueError:
            errs.append(f"{where}的{label}“{raw.get(key)}”不是有效的数字")
            d = None
        if d is not None:
            if d < 0:
                errs.append(f"{where}的{label}不能为负数")
            elif d != d.quantize(CENT):
                errs.append(f"{where}的{label}最多保留两位小数")
            elif d >= Decimal("1e12"):
                errs.append(f"{where}的{label}过大")
        nums[key] = d
    lo_key, hi_key = ("fine_min", "fine_max") if basis == FIXED else ("multiple_min", "multiple_max")
    other_keys = [k for k in labels if k not in (lo_key, hi_key)]
    if name == NO_PENALTY and codes:
        errs.append(f"{where}不能设定处罚种类")
    elif name != NO_PENALTY and not codes:
        errs.append(f"{where}须至少设定一种处罚种类")
    if "fine" in codes:
        if any(nums[k] is not None for k in other_keys):
            errs.append(f"{where}按{FINE_BASES[basis]}计算罚款，不能填写"
                        f"{'、'.join(labels[k] for k in other_keys if nums[k] is not None)}")
        lo, hi = nums[lo_key], nums[hi_key]
        if hi is None:
            errs.append(f"{where}须填写{labels[hi_key]}")
        elif hi == 0:
            errs.append(f"{where}的{labels[hi_key]}须大于0")
        elif lo is not None and lo > hi:
            unit = yuan if basis == FIXED else (lambda d: f"{fmt(d)}倍")
            errs.append(f"{where}的{labels[lo_key]}{unit(lo)}高于{labels[hi_key]}{unit(hi)}")
    elif any(v is not None for v in nums.values()):
        errs.append(f"{where}未包含罚款，不能填写罚款幅度")
    level = {
        "level": name, "circumstances": circumstances, "sanctions": codes, "fine_basis": basis,
        **{k: (fmt(v) if v is not None and "fine" in codes else None) for k, v in nums.items()},
        "other": str(raw.get("other") or "").strip(),
    }
    return level, errs


def _check_order(levels: list[dict]) -> list[str]:
    """Fine ranges of the same basis may touch but not cross: 减轻 < 从轻 < 一般 < 从重."""
    problems = []
    for basis in FINE_BASES:
        lo_key, hi_key = ("fine_min", "fine_max") if basis == FIXED else ("multiple_min", "multiple_max")
        unit = yuan if basis == FIXED else (lambda d: f"{fmt(d)}倍")
        what = "罚款" if basis == FIXED else "倍数"
        fined = [lv for lv in levels if "fine" in lv["sanctions"] and lv["fine_basis"] == basis]
        for prev, nxt in zip(fined, fined[1:]):
            hi = Decimal(prev[hi_key])
            lo = Decimal(nxt[lo_key]) if nxt[lo_key] is not None else Decimal(0)
            if hi > lo:
                problems.append(f"“{prev['level']}”档位{what}上限{unit(hi)}高于“{nxt['level']}”档位"
                                f"{what}下限{unit(lo)}，各档位幅度不能交叉（应{prev['level']}低于{nxt['level']}）")
    return problems


# ---- the one-line-per-level text form ----------------------------------------------------------
LINE_HELP = ("每行一个档位：档位|适用情形|处罚种类（逗号分隔）|罚款下限|罚款上限|其他（可省略）。"
             "档位为不予处罚、减轻、从轻、一般、从重；金额单位为元，可写“5万”；按违法所得倍数计罚写“1倍”，"
             "按货值金额倍数计罚写“货值1倍”；不罚款的档位下限、上限留空。")
_MULT = re.compile(r"^(货值金额|货值|违法所得)?\s*([0-9.,]+)\s*倍$")


def split_sanctions(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[,，、;；/\s]+", text or "") if s.strip()]


def _parse_amount(text: str, n: int, label: str):
    """→ (basis or None, Decimal or None)."""
    text = (text or "").strip().replace("，", ",")
    if not text:
        return None, None
    m = _MULT.match(text)
    try:
        if m:
            return (GOODS if m.group(1) and m.group(1).startswith("货值") else GAINS), to_decimal(m.group(2))
        if text.endswith(("万元", "万")):
            return FIXED, to_decimal(text.removesuffix("元").removesuffix("万")) * 10000
        return FIXED, to_decimal(text.removesuffix("元"))
    except (ValueError, TypeError):
        raise ValueError(f"第{n}行的{label}“{text}”不是有效的金额或倍数") from None


def parse_lines(text: str) -> list[dict]:
    """Parse the textarea form into level dicts (validated afterwards by clean_levels)."""
    levels = []
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[|｜]", line)]
        if len(parts) < 3:
            raise ValueError(f"第{n}行格式应为：档位|适用情形|处罚种类|罚款下限|罚款上限|其他")
        parts += [""] * (6 - len(parts))
        if len(parts) > 6:
            parts = parts[:5] + ["|".join(parts[5:])]
        name, circumstances, sanctions, lo_text, hi_text, other = parts
        b1, lo = _parse_amount(lo_text, n, "罚款下限")
        b2, hi = _parse_amount(hi_text, n, "罚款上限")
        if b1 and b2 and b1 != b2:
            raise ValueError(f"第{n}行的下限与上限计算方式不一致")
        basis = b1 or b2 or FIXED
        amounts = ({"fine_min": lo, "fine_max": hi} if basis == FIXED else {"multiple_min": lo, "multiple_max": hi})
        levels.append({"level": name, "circumstances": circumstances, "sanctions": split_sanctions(sanctions),
                       "fine_basis": basis, **amounts, "other": other})
    return levels


def to_lines(levels) -> str:
    rows = []
    for lv in levels or []:
        basis = lv.get("fine_basis") or FIXED
        if basis == FIXED:
            lo, hi = lv.get("fine_min") or "", lv.get("fine_max") or ""
        else:
            prefix = "货值" if basis == GOODS else ""
            lo, hi = (f"{prefix}{lv[k]}倍" if lv.get(k) else "" for k in ("multiple_min", "multiple_max"))
        row = [lv.get("level", ""), lv.get("circumstances", ""),
               "、".join(SANCTIONS.get(s, s) for s in lv.get("sanctions", [])), lo, hi, lv.get("other", "")]
        rows.append("|".join(row).rstrip("|"))
    return "\n".join(rows)


def range_text(lv: dict) -> str:
    """Human-readable fine range of a level: "5000元至10000元", "违法所得1倍至3倍", "10000元以下"."""
    if "fine" not in lv.get("sanctions", []):
        return ""
    basis = lv.get("fine_basis") or FIXED
    if basis == FIXED:
        lo, hi = lv.get("fine_min"), lv.get("fine_max")
        return f"{lo}元至{hi}元" if lo and Decimal(lo) > 0 else f"{hi}元以下"
    lo, hi = lv.get("multiple_min"), lv.get("multiple_max")
    base = BASE_NAMES[basis]
    return f"{base}{lo}倍至{hi}倍" if lo and Decimal(lo) > 0 else f"{base}{hi}倍以下"


# ---- the checker --------------------------------------------------------------------------------
NO_BENCHMARK = "no_benchmark"


@dataclass(frozen=True)
class Deviation:
    """One way a proposed penalty departs from the benchmark.

    kind: no_benchmark | level_missing | sanction_not_allowed | fine_missing | base_missing |
          fine_below_min | fine_above_max
    """

    kind: str
    message: str
    level: str | None = None
    limit: Decimal | None = None
    value: Decimal | None = None
    benchmark_id: int | None = None
    benchmark_version: int | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "level": self.level,
                "limit": fmt(self.limit) if self.limit is not None else None,
                "value": fmt(self.value) if self.value is not None else None,
                "benchmark_id": self.benchmark_id, "benchmark_version": self.benchmark_version}


def requires_written_reason(deviations) -> bool:
    """True when the proposal is outside a published benchmark (anything but "no benchmark")."""
    return any(d.kind != NO_BENCHMARK for d in deviations)


def describe(deviations) -> str:
    return "；".join(d.message for d in deviations)


def benchmark_for(power_item, entity=None, on: dt.date | None = None) -> DiscretionBenchmark | None:
    """The benchmark version confirmed by the justice bureau and in force on `on` (default today):
    published, or since superseded by a later version whose effective date is after `on`."""
    code, entity_id = _item_and_entity(power_item, entity)
    on = on or timezone.localdate()
    return (DiscretionBenchmark.objects
            .filter(entity_id=entity_id, power_item_code=code, confirmed_at__isnull=False,
                    status__in=(VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED), effective_from__lte=on)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
            .order_by("-effective_from", "-version").first())


def _item_and_entity(power_item, entity):
    if isinstance(power_item, PowerItem):
        code, entity = power_item.code, entity if entity is not None else power_item.entity_id
    else:
        code = str(power_item or "").strip()
    entity_id = getattr(entity, "pk", entity)
    if not code or entity_id is None:
        raise ActionRefused("validation", "须指明权责事项编码和实施主体", field="power_item_code")
    return code, entity_id


def _amount(value, label, field):
    try:
        d = to_decimal(value)
    except ValueError:
        raise ActionRefused("validation", f"{label}“{value}”不是有效的金额", field=field) from None
    if d is not None and d < 0:
        raise ActionRefused("validation", f"{label}不能为负数", field=field)
    return d


def check_penalty(power_item, entity, level: str, sanctions, fine_amount=None, illegal_gains=None,
                  on: dt.date | None = None, *, goods_value=None) -> list[Deviation]:
    """Check a proposed penalty against the benchmark in force on `on` for entity + item.

    power_item: a PowerItem or its code; entity: Entity or id (defaults to the item's entity);
    level: one of LEVELS; sanctions: codes of SANCTIONS or their Chinese labels; fine_amount in
    元 (a positive amount implies "fine"); illegal_gains / goods_value: the base of a level fined
    in multiples. Returns [] when the proposal fits the level."""
    code, entity_id = _item_and_entity(power_item, entity)
    level = (level or "").strip()
    if level not in LEVEL_ORDER:
        raise ActionRefused("validation", f"裁量档位“{level}”无效，应为{'、'.join(LEVELS)}之一", field="level")
    proposed = []
    for s in sanctions or []:
        c = sanction_code(str(s))
        if c is None:
            raise ActionRefused("validation", f"处罚种类“{s}”无效", field="sanctions")
        if c not in proposed:
            proposed.append(c)
    fine = _amount(fine_amount, "罚款金额", "fine_amount")
    gains = _amount(illegal_gains, "违法所得", "illegal_gains")
    goods = _amount(goods_value, "货值金额", "goods_value")
    if fine and "fine" not in proposed:
        proposed.append("fine")
    if "fine" in proposed and fine is None:
        raise ActionRefused("validation", "拟处罚包含罚款，须填写罚款金额", field="fine_amount")
    proposed.sort(key=SANCTION_ORDER.get)

    bm = benchmark_for(code, entity_id, on)
    if bm is None:
        when = (on or timezone.localdate()).isoformat()
        return [Deviation(NO_BENCHMARK, f"事项“{code}”在{when}没有已发布生效的裁量基准", level=level)]
    ref = {"level": level, "benchmark_id": bm.pk, "benchmark_version": bm.version}
    lv = bm.level(level)
    if lv is None:
        have = "、".join(x["level"] for x in bm.levels)
        return [Deviation("level_missing", f"裁量基准（第{bm.version}版）未设定“{level}”档位（已设定：{have}）", **ref)]

    out = []
    allowed = lv.get("sanctions", [])
    for s in proposed:
        if s not in allowed:
            if level == NO_PENALTY:
                msg = f"“不予处罚”档位不给予行政处罚，拟处“{SANCTIONS[s]}”超出裁量基准"
            else:
                msg = f"处罚种类“{SANCTIONS[s]}”不在“{level}”档位规定的处罚种类（{sanction_labels(allowed)}）之内"
            out.append(Deviation("sanction_not_allowed", msg, **ref))
    if "fine" not in allowed:
        return out

    basis = lv.get("fine_basis") or FIXED
    if basis == FIXED:
        lo, hi, how = to_decimal(lv.get("fine_min")) or Decimal(0), to_decimal(lv["fine_max"]), ""
    else:
        base = gains if basis == GAINS else goods
        mlo, mhi = to_decimal(lv.get("multiple_min")) or Decimal(0), to_decimal(lv["multiple_max"])
        if base is None:
            out.append(Deviation("base_missing", f"“{level}”档位按{BASE_NAMES[basis]}的倍数计算罚款"
                                                 f"（{range_text(lv)}），须提供{BASE_NAMES[basis]}金额", **ref))
            return out
        lo, hi = (base * mlo).quantize(CENT), (base * mhi).quantize(CENT)
        how = f"（{BASE_NAMES[basis]}{yuan(base)}的{{}}倍）"
    if "fine" not in proposed:
        if lo > 0:
            out.append(Deviation("fine_missing", f"“{level}”档位应处罚款（{range_text(lv)}），拟处罚未包含罚款",
                                 limit=lo, **ref))
        return out
    if fine < lo:
        note = how.format(fmt(mlo)) if how else ""
        out.append(Deviation("fine_below_min", f"罚款{yuan(fine)}低于“{level}”档位下限{yuan(lo)}{note}",
                             limit=lo, value=fine, **ref))
    elif fine > hi:
        note = how.format(fmt(mhi)) if how else ""
        out.append(Deviation("fine_above_max", f"罚款{yuan(fine)}超出“{level}”档位上限{yuan(hi)}{note}",
                             limit=hi, value=fine, **ref))
    return out


# ---- demo benchmarks ----------------------------------------------------------------------------
def _lv(level, circumstances, sanctions, lo=None, hi=None, basis=FIXED, other=""):
    amounts = {"fine_min": lo, "fine_max": hi} if basis == FIXED else {"multiple_min": lo, "multiple_max": hi}
    return {"level": level, "circumstances": circumstances, "sanctions": sanctions, "fine_basis": basis,
            **{k: (str(v) if v is not None else None) for k, v in amounts.items()}, "other": other}


_FIRST = "初次违法且危害后果轻微并及时改正的（行政处罚法第三十三条第一款）"
_LIGHT = "主动消除或者减轻违法行为危害后果，或者配合查处有立功表现等（行政处罚法第三十二条）"
_HEAVY = "造成严重后果、社会影响恶劣、拒不改正或者一年内再次实施同一违法行为的"
_GENERAL = "不具有从轻、减轻或者从重情节的"
W, F_, CG, CP = "warning", "fine", "confiscate_gains", "confiscate_property"
RV, SB, CL = "revoke_licence", "suspend_business", "close"


def _three(lo, mid1, mid2, hi, base=(CG, CP, F_), heavy_extra=(), basis=FIXED, first_warning=False):
    """从轻 lo–mid1, 一般 mid1–mid2, 从重 mid2–hi (an even three-way split of the statutory range)."""
    levels = []
    if first_warning:
        levels.append(_lv(NO_PENALTY, _FIRST, [], other="责令改正，对当事人进行教育"))
    levels += [_lv(LIGHTER, _LIGHT, list(base), lo, mid1, basis),
               _lv(GENERAL, _GENERAL, list(base), mid1, mid2, basis),
               _lv(HEAVIER, _HEAVY, list(base) + list(heavy_extra), mid2, hi, basis)]
    return levels


# (law as in the 权责清单, article) → (违法行为, levels). Ranges follow the statutory range of the
# article (fixed amounts for the 货值金额不足一万元 branch where the law has two branches).
TEMPLATES: dict[tuple[str, str], tuple[str, list[dict]]] = {
    ("中华人民共和国食品安全法", "第一百二十二条"): (
        "未取得食品生产经营许可从事食品生产经营活动（货值金额不足一万元）",
        _three(50000, 65000, 85000, 100000, heavy_extra=(SB,))),
    ("中华人民共和国食品安全法", "第一百二十三条"): (
        "用非食品原料生产食品（货值金额不足一万元）",
        _three(100000, 115000, 135000, 150000, heavy_extra=(RV,))),
    ("中华人民共和国食品安全法", "第一百二十四条"): (
        "生产经营不符合食品安全标准的食品（货值金额不足一万元）",
        _three(50000, 65000, 85000, 100000, heavy_extra=(RV,))),
    ("中华人民共和国食品安全法", "第一百二十六条"): (
        "食品生产经营者未按规定建立并遵守进货查验记录制度",
        [_lv(NO_PENALTY, _FIRST, [], other="责令改正，对当事人进行教育"),
         _lv(LIGHTER, "责令改正后及时改正的", [W]),
         _lv(GENERAL, "拒不改正的", [F_], 5000, 20000),
         _lv(HEAVIER, "拒不改正且情节严重的", [F_, SB], 20000, 50000, other="情节特别严重的，依法吊销许可证")]),
    ("中华人民共和国产品质量法", "第四十九条"): (
        "生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品",
        _three(1, "1.5", "2.5", 3, base=(CG, CP, F_), heavy_extra=(RV,), basis=GOODS)),
    ("中华人民共和国产品质量法", "第五十条"): (
        "在产品中掺杂、掺假，以假充真，以次充好",
        _three("0.5", 1, 2, 3, base=(CG, CP, F_), heavy_extra=(RV,), basis=GOODS)),
    ("中华人民共和国产品质量法", "第五十二条"): (
        "销售失效、变质的产品",
        [_lv(LIGHTER, _LIGHT, [CG, CP, F_], None, "0.5", GOODS),
         _lv(GENERAL, _GENERAL, [CG, CP, F_], "0.5", "1.5", GOODS),
         _lv(HEAVIER, _HEAVY, [CG, CP, F_, RV], "1.5", 2, GOODS)]),
    ("中华人民共和国特种设备安全法", "第八十三条"): (
        "特种设备使用单位未按规定办理使用登记，逾期未改正",
        [_lv(NO_PENALTY, "责令限期改正后在期限内改正的", [], other="责令限期改正"),
         *_three(10000, 30000, 70000, 100000, base=(F_,))]),
    ("中华人民共和国特种设备安全法", "第八十四条"): (
        "使用未取得许可生产、未经检验或者检验不合格的特种设备",
        _three(30000, 100000, 200000, 300000, base=(F_,))),
    ("中华人民共和国药品管理法", "第一百一十五条"): (
        "未取得药品经营许可证经营药品（货值金额不足十万元的按十万元计算）",
        _three(15, 20, 25, 30, base=(CG, CP, F_, CL), basis=GOODS)),
    ("中华人民共和国药品管理法", "第一百一十六条"): (
        "生产、销售假药（货值金额不足十万元的按十万元计算）",
        _three(15, 20, 25, 30, base=(CG, CP, F_, SB), heavy_extra=(RV,), basis=GOODS)),
    ("中华人民共和国广告法", "第五十五条"): (
        "发布虚假广告（广告费用无法计算或者明显偏低）",
        [_lv(LIGHTER, _LIGHT, [F_], 200000, 400000),
         _lv(GENERAL, _GENERAL, [F_], 400000, 1000000),
         _lv(HEAVIER, "两年内有三次以上违法行为或者有其他严重情节的", [F_, RV], 1000000, 2000000)]),
    ("中华人民共和国反不正当竞争法", "第十八条"): (
        "经营者实施混淆行为（没有违法经营额或者违法经营额不足五万元）",
        _three(0, 50000, 150000, 250000, base=(CP, F_), heavy_extra=(RV,))),
    ("中华人民共和国价格法", "第四十二条"): (
        "经营者不按规定明码标价",
        [_lv(NO_PENALTY, _FIRST, [], other="责令改正，对当事人进行教育"),
         _lv(LIGHTER, "及时改正，未造成消费者损失的", [CG]),
         _lv(GENERAL, _GENERAL, [CG, F_], 500, 3000),
         _lv(HEAVIER, _HEAVY, [CG, F_], 3000, 5000)]),
    ("中华人民共和国消费者权益保护法", "第五十六条"): (
        "经营者提供的商品或者服务不符合保障人身、财产安全要求",
        [_lv(LIGHTER, _LIGHT, [W, CG]),
         _lv(GENERAL, _GENERAL, [W, CG, F_], 1, 4, GAINS),
         _lv(HEAVIER, _HEAVY, [CG, F_, SB], 4, 10, GAINS, other="情节严重的，吊销营业执照")]),
    ("中华人民共和国计量法", "第二十七条"): (
        "使用以欺骗消费者为目的的计量器具",
        _three(0, 500, 1500, 2000, base=(CG, CP, F_))),
    ("中华人民共和国商标法", "第六十条"): (
        "侵犯注册商标专用权（没有违法经营额或者违法经营额不足五万元）",
        _three(0, 50000, 150000, 250000, base=(CP, F_))),
    ("市场主体登记管理条例", "第四十三条"): (
        "未经设立登记从事一般经营活动",
        [_lv(LIGHTER, "责令改正后及时改正的", [CG]),
         _lv(GENERAL, "拒不改正的", [CG, F_], 10000, 100000),
         _lv(HEAVIER, "情节严重的", [CG, F_, CL], 100000, 500000)]),
    ("中华人民共和国大气污染防治法", "第九十九条"): (
        "超过大气污染物排放标准排放大气污染物",
        _three(100000, 300000, 700000, 1000000, base=(F_,))),
    ("中华人民共和国大气污染防治法", "第一百一十七条"): (
        "未密闭煤炭、煤矸石等易产生扬尘的物料",
        _three(10000, 30000, 70000, 100000, base=(F_,), first_warning=True)),
    ("中华人民共和国大气污染防治法", "第一百一十八条"): (
        "排放油烟的餐饮服务业经营者未安装油烟净化设施",
        _three(5000, 15000, 35000, 50000, base=(F_,), first_warning=True)),
    ("中华人民共和国大气污染防治法", "第一百一十九条"): (
        "在人口集中地区露天焚烧垃圾（单位）",
        _three(10000, 30000, 70000, 100000, base=(F_,))),
    ("中华人民共和国水污染防治法", "第八十三条"): (
        "超过水污染物排放标准排放水污染物",
        _three(100000, 300000, 700000, 1000000, base=(F_,))),
    ("中华人民共和国水污染防治法", "第八十四条"): (
        "违反规定设置排污口",
        _three(20000, 40000, 70000, 100000, base=(F_,))),
    ("中华人民共和国噪声污染防治法", "第七十五条"): (
        "超过噪声排放标准排放工业噪声",
        _three(20000, 60000, 140000, 200000, base=(F_,))),
    ("城市道路管理条例", "第四十二条"): (
        "擅自占用或者挖掘城市道路",
        _three(0, 5000, 15000, 20000, base=(F_,), first_warning=True)),
    ("中华人民共和国安全生产法", "第九十七条"): (
        "生产经营单位未按规定对从业人员进行安全生产教育和培训",
        _three(0, 30000, 70000, 100000, base=(F_,))),
}


def template_for(item: PowerItem) -> tuple[str, list[dict]] | None:
    return TEMPLATES.get((item.law, item.article))


def seed_benchmarks(entity, items, *, acting_user, publish_by=None, effective_from=None):
    """Demo benchmarks for the penalty items of `entity` among `items` whose article has a
    template (others are left without one). Validated like any benchmark, then bulk-created and,
    with `publish_by` (the same-level justice bureau's supervisor), published at once."""
    from zhifa.powers.actions import do_bulk_create_versioned

    objs, seen = [], set()
    for it in items:
        if it.entity_id != entity.pk or it.category != PowerItem.Category.PENALTY or it.code in seen:
            continue
        tpl = template_for(it)
        if tpl is None:
            continue
        violation, levels = tpl
        seen.add(it.code)
        variant = it.name[it.name.rfind("（"):] if it.name.endswith("）") and "（" in it.name else ""
        obj = DiscretionBenchmark(
            entity=entity, power_item_code=it.code, violation=(violation + variant)[:300],
            basis=f"《{it.law}》{it.article}；《中华人民共和国行政处罚法》第三十二条、第三十三条",
            levels=[dict(lv) for lv in levels],
            effective_from=effective_from or it.effective_from or timezone.localdate())
        validate(obj)
        objs.append(obj)
    if objs:
        do_bulk_create_versioned(DiscretionBenchmark, objs, acting_user=acting_user,
                                 reason="演示数据初始化：行政处罚裁量基准", publish_by=publish_by)
    return objs
