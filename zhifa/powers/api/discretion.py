"""行政处罚裁量基准 (discretion benchmarks): a versioned list like the other powers lists (same
operations, same draft → pending → published flow), plus POST …/check, which checks a proposed
penalty against the benchmark in force (what case handling uses before a decision).
"""
import datetime as dt
from decimal import Decimal
from typing import Literal, Optional

from ninja import Router, Schema

from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import F, InSchema, responses, visible
from zhifa.orgs.models import Entity
from zhifa.powers import discretion
from zhifa.powers.api.items import VersionedFilter, VersionedOut, VersionOut, versioned_router, visible_versions
from zhifa.powers.models import DiscretionBenchmark

LEVEL_TEXT = "、".join(discretion.LEVELS)
SANCTION_TEXT = "；".join(f"{k} {v}" for k, v in discretion.SANCTIONS.items())
BASIS_TEXT = "；".join(f"{k} {v}" for k, v in discretion.FINE_BASES.items())
LevelName = Literal[discretion.LEVELS]
SanctionCode = Literal[tuple(discretion.SANCTIONS)]
FineBasis = Literal[tuple(discretion.FINE_BASES)]
AMOUNT = {"ge": 0, "max_digits": 14, "decimal_places": 2}


class LevelIn(InSchema):
    level: LevelName = F(..., "档位", LEVEL_TEXT)
    circumstances: str = F(..., "适用情形", min_length=1, max_length=1000)
    sanctions: list[SanctionCode] = F([], "处罚种类", SANCTION_TEXT + "（“不予处罚”档位为空）")
    fine_basis: FineBasis = F(discretion.FIXED, "罚款计算方式", BASIS_TEXT)
    fine_min: Optional[Decimal] = F(None, "罚款下限（元）", "固定金额计罚时填写", **AMOUNT)
    fine_max: Optional[Decimal] = F(None, "罚款上限（元）", "固定金额计罚且含罚款时必填", **AMOUNT)
    multiple_min: Optional[Decimal] = F(None, "倍数下限", "按倍数计罚时填写", **AMOUNT)
    multiple_max: Optional[Decimal] = F(None, "倍数上限", "按倍数计罚且含罚款时必填", **AMOUNT)
    other: str = F("", "其他说明", max_length=1000)


class LevelOut(Schema):
    level: str = F(..., "档位", LEVEL_TEXT)
    circumstances: str = F(..., "适用情形")
    sanctions: list[str] = F(..., "处罚种类", SANCTION_TEXT)
    sanctions_display: list[str] = F(..., "处罚种类名称")
    fine_basis: str = F(..., "罚款计算方式", BASIS_TEXT)
    fine_min: Optional[Decimal] = F(None, "罚款下限（元）")
    fine_max: Optional[Decimal] = F(None, "罚款上限（元）")
    multiple_min: Optional[Decimal] = F(None, "倍数下限")
    multiple_max: Optional[Decimal] = F(None, "倍数上限")
    range_display: str = F(..., "罚款幅度", "如“5000元至10000元”“违法所得1倍至4倍”")
    other: str = F(..., "其他说明")

    @staticmethod
    def resolve_sanctions_display(obj):
        return [discretion.SANCTIONS.get(s, s) for s in obj.get("sanctions", [])]

    @staticmethod
    def resolve_range_display(obj):
        return discretion.range_text(obj)


class DiscretionBenchmarkIn(InSchema):
    """行政处罚裁量基准"""

    entity: int = F(..., "实施主体", "执法主体编号")
    power_item_code: str = F(..., "权责事项编码", "本主体权责清单中行政处罚事项的编码", min_length=1, max_length=40)
    violation: str = F(..., "违法行为", min_length=1, max_length=300)
    basis: str = F(..., "处罚依据", "法律法规名称及条款", min_length=1)
    levels: list[LevelIn] = F(..., "裁量档位", "至少一个档位；各档位罚款幅度从轻低于一般低于从重", min_length=1)
    effective_from: Optional[dt.date] = F(None, "生效日期", "YYYY-MM-DD，不填为今天")


class DiscretionBenchmarkOut(VersionedOut):
    power_item_code: str = F(..., "权责事项编码")
    violation: str = F(..., "违法行为")
    basis: str = F(..., "处罚依据")
    levels: list[LevelOut] = F(..., "裁量档位")


class DiscretionBenchmarkDetailOut(DiscretionBenchmarkOut):
    versions: list[VersionOut] = F(..., "各版本")
    resolve_versions = staticmethod(visible_versions)


class DiscretionBenchmarkFilter(VersionedFilter):
    power_item_code: Optional[str] = F(None, "权责事项编码", "按事项编码精确筛选", max_length=40)
    search_fields = ("power_item_code", "violation", "basis")
    lookups = {**VersionedFilter.lookups, "power_item_code": "power_item_code"}


benchmarks = versioned_router(DiscretionBenchmark, "discretion_benchmarks", "行政处罚裁量基准",
                              DiscretionBenchmarkIn, DiscretionBenchmarkOut, DiscretionBenchmarkDetailOut,
                              DiscretionBenchmarkFilter, {"entity": Entity})


# ---- check a proposed penalty ------------------------------------------------------------------
class DiscretionCheckIn(InSchema):
    entity: int = F(..., "实施主体", "执法主体编号")
    power_item_code: str = F(..., "权责事项编码", min_length=1, max_length=40)
    level: LevelName = F(..., "拟适用档位", LEVEL_TEXT)
    sanctions: list[SanctionCode] = F([], "拟处罚种类", SANCTION_TEXT)
    fine_amount: Optional[Decimal] = F(None, "拟罚款金额（元）", **AMOUNT)
    illegal_gains: Optional[Decimal] = F(None, "违法所得（元）", "按违法所得倍数计罚的档位须提供", **AMOUNT)
    goods_value: Optional[Decimal] = F(None, "货值金额（元）", "按货值金额倍数计罚的档位须提供", **AMOUNT)
    on: Optional[dt.date] = F(None, "适用日期", "按该日生效的裁量基准检查，不填为今天")


class DeviationOut(Schema):
    kind: str = F(..., "偏离类型", "no_benchmark 无裁量基准；level_missing 未设该档位；sanction_not_allowed 处罚种类不符；"
                                  "fine_missing 未处罚款；base_missing 缺计罚基数；fine_below_min 低于下限；fine_above_max 超出上限")
    message: str = F(..., "说明")
    level: Optional[str] = F(None, "档位")
    limit: Optional[Decimal] = F(None, "档位限额（元）")
    value: Optional[Decimal] = F(None, "拟处金额（元）")


class CheckOut(Schema):
    benchmark_id: Optional[int] = F(None, "适用的裁量基准编号")
    benchmark_version: Optional[int] = F(None, "适用的裁量基准版本")
    fits: bool = F(..., "符合裁量基准")
    requires_written_reason: bool = F(..., "须书面说明理由", "拟处罚超出裁量基准，作出决定须书面说明理由并记录在案")
    deviations: list[DeviationOut] = F(..., "偏离情况")


# Its own router, mounted at /v1/discretion-benchmarks/check *before* the list's router (whose
# "/{pk}" pattern would otherwise catch "check").
checker = Router(tags=["行政处罚裁量基准"])


@checker.post("", response=responses(CheckOut), operation_id="discretion_benchmarks_check",
              summary="检查拟处罚是否符合裁量基准")
def check(request, payload: DiscretionCheckIn):
    entity = visible(Entity, request).filter(pk=payload.entity).first()
    if entity is None:
        raise ActionRefused("validation", f"实施主体：编号为 {payload.entity} 的记录不存在或不在您的数据范围内",
                            field="entity")
    devs = discretion.check_penalty(payload.power_item_code, entity, payload.level, payload.sanctions, payload.fine_amount,
                           payload.illegal_gains, payload.on, goods_value=payload.goods_value)
    bm = discretion.benchmark_for(payload.power_item_code, entity, payload.on)  # visible: its entity is
    return {"benchmark_id": bm.pk if bm else None, "benchmark_version": bm.version if bm else None,
            "fits": not devs, "requires_written_reason": discretion.requires_written_reason(devs),
            "deviations": [{"kind": x.kind, "message": x.message, "level": x.level, "limit": x.limit,
                            "value": x.value} for x in devs]}
