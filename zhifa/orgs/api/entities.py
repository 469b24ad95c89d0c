"""Regions, enforcement entities, internal units and legal advisers."""
import datetime as dt
from decimal import Decimal
from typing import Optional

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zhifa.common.api.base import (
    ENTITY_FIELD,
    Q_FIELD,
    CreditCode,
    F,
    InSchema,
    ListFilter,
    Pagination,
    Phone,
    RecordId,
    actor,
    choices,
    choices_text,
    get_visible,
    patch_schema,
    payload_data,
    require_change,
    responses,
    visible,
)
from zhifa.orgs import actions
from zhifa.orgs.models import Entity, LegalAdviser, Region, Unit

# ---- regions --------------------------------------------------------------------------------
regions = Router(tags=["行政区划"])


class RegionOut(Schema):
    id: int = F(..., "编号")
    code: str = F(..., "行政区划代码")
    name: str = F(..., "名称")
    level: int = F(..., "层级", "1 省；2 市；3 县；4 乡镇")
    level_display: str = F(..., "层级名称")
    parent_id: Optional[int] = F(None, "上级区划编号")

    @staticmethod
    def resolve_level_display(obj):
        return obj.get_level_display()


class RegionDetailOut(RegionOut):
    full_name: str = F(..., "全称", "含上级区划的完整名称")


class RegionFilter(ListFilter):
    q: Optional[str] = Q_FIELD
    level: Optional[int] = F(None, "层级", "1 省；2 市；3 县；4 乡镇", ge=1, le=4)
    parent: Optional[int] = F(None, "上级区划", "按上级区划编号筛选")

    search_fields = ("name", "code")
    lookups = {"level": "level", "parent": "parent_id"}


@regions.get("", response=responses(list[RegionOut]), operation_id="regions_list", summary="行政区划列表")
@paginate(Pagination)
def list_regions(request, filters: Query[RegionFilter]):
    return filters.apply(visible(Region, request))


@regions.get("/{region_id}", response=responses(RegionDetailOut), operation_id="regions_get",
             summary="行政区划详情")
def get_region(request, region_id: RecordId):
    return get_visible(Region, request, region_id)


# ---- units (declared before entities: entity detail embeds them) -----------------------------
units = Router(tags=["内设机构"])


class UnitOut(Schema):
    id: int = F(..., "编号")
    entity_id: int = F(..., "执法主体编号")
    entity_name: str = F(..., "执法主体")
    name: str = F(..., "机构名称")
    is_legal_unit: bool = F(..., "法制审核机构")
    phone: str = F(..., "联系电话")

    @staticmethod
    def resolve_entity_name(obj):
        return obj.entity.name


class UnitUpdate(InSchema):
    """内设机构"""

    name: str = F(..., "机构名称", min_length=1, max_length=100)
    is_legal_unit: bool = F(False, "法制审核机构")
    phone: Phone = F("", "联系电话", max_length=30)


class UnitIn(UnitUpdate):
    entity: int = F(..., "执法主体", "执法主体编号")


UnitPatch = patch_schema(UnitUpdate, "UnitPatch")


class UnitFilter(ListFilter):
    q: Optional[str] = Q_FIELD
    entity: Optional[int] = ENTITY_FIELD
    legal: Optional[bool] = F(None, "法制审核机构", "1 只看法制审核机构")

    search_fields = ("name",)
    lookups = {"entity": "entity_id", "legal": "is_legal_unit"}


@units.get("", response=responses(list[UnitOut]), operation_id="units_list", summary="内设机构列表")
@paginate(Pagination)
def list_units(request, filters: Query[UnitFilter]):
    return filters.apply(visible(Unit, request).select_related("entity"))


@units.get("/{unit_id}", response=responses(UnitOut), operation_id="units_get", summary="内设机构详情")
def get_unit(request, unit_id: RecordId):
    return get_visible(Unit, request, unit_id)


@units.post("", response=responses(UnitOut, 201), operation_id="units_create", summary="新建内设机构")
def create_unit(request, payload: UnitIn):
    data = payload_data(request, payload, Unit, {"entity": Entity})
    return Status(201, actions.do_create_unit(data, acting_user=actor(request)))


@units.patch("/{unit_id}", response=responses(UnitOut), operation_id="units_update", summary="修改内设机构")
def update_unit(request, unit_id: RecordId, payload: UnitPatch):
    unit = get_visible(Unit, request, unit_id)
    require_change(request, unit)
    data = payload_data(request, payload, Unit, {}, partial=True)
    return actions.do_update_unit(unit, data, acting_user=actor(request))


# ---- legal advisers ---------------------------------------------------------------------------
advisers = Router(tags=["法律顾问/公职律师"])


class AdviserOut(Schema):
    id: int = F(..., "编号")
    entity_id: int = F(..., "执法主体编号")
    kind: str = F(..., "类别", choices_text(LegalAdviser.Kind))
    kind_display: str = F(..., "类别名称")
    name: str = F(..., "姓名")
    licence_no: str = F(..., "执业证号")
    firm: str = F(..., "执业机构")
    phone: str = F(..., "联系电话")
    engaged_from: Optional[dt.date] = F(None, "聘任起始")
    engaged_to: Optional[dt.date] = F(None, "聘任截止")

    @staticmethod
    def resolve_kind_display(obj):
        return obj.get_kind_display()


class AdviserUpdate(InSchema):
    """法律顾问/公职律师"""

    kind: choices(LegalAdviser.Kind) = F(..., "类别", choices_text(LegalAdviser.Kind))
    name: str = F(..., "姓名", min_length=1, max_length=50)
    licence_no: str = F(..., "执业证号", min_length=1, max_length=40)
    firm: str = F("", "执业机构", max_length=100)
    phone: Phone = F("", "联系电话", max_length=30)
    engaged_from: Optional[dt.date] = F(None, "聘任起始", "YYYY-MM-DD")
    engaged_to: Optional[dt.date] = F(None, "聘任截止", "YYYY-MM-DD")


class AdviserIn(AdviserUpdate):
    entity: int = F(..., "执法主体", "执法主体编号")


AdviserPatch = patch_schema(AdviserUpdate, "AdviserPatch")


class AdviserFilter(ListFilter):
    q: Optional[str] = Q_FIELD
    entity: Optional[int] = ENTITY_FIELD
    kind: Optional[choices(LegalAdviser.Kind)] = F(None, "类别", choices_text(LegalAdviser.Kind))

    search_fields = ("name", "firm")
    lookups = {"entity": "entity_id", "kind": "kind"}


@advisers.get("", response=responses(list[AdviserOut]), operation_id="advisers_list",
              summary="法律顾问/公职律师列表")
@paginate(Pagination)
def list_advisers(request, filters: Query[AdviserFilter]):
    return filters.apply(visible(LegalAdviser, request))


@advisers.get("/{adviser_id}", response=responses(AdviserOut), operation_id="advisers_get",
              summary="法律顾问/公职律师详情")
def get_adviser(request, adviser_id: RecordId):
    return get_visible(LegalAdviser, request, adviser_id)


@advisers.post("", response=responses(AdviserOut, 201), operation_id="advisers_create",
               summary="新增法律顾问/公职律师")
def create_adviser(request, payload: AdviserIn):
    data = payload_data(request, payload, LegalAdviser, {"entity": Entity})
    return Status(201, actions.do_create_adviser(data, acting_user=actor(request)))


@advisers.patch("/{adviser_id}", response=responses(AdviserOut), operation_id="advisers_update",
                summary="修改法律顾问/公职律师")
def update_adviser(request, adviser_id: RecordId, payload: AdviserPatch):
    adviser = get_visible(LegalAdviser, request, adviser_id)
    require_change(request, adviser)
    data = payload_data(request, payload, LegalAdviser, {}, partial=True)
    return actions.do_update_adviser(adviser, data, acting_user=actor(request))


# ---- entities -----------------------------------------------------------------------------------
entities = Router(tags=["执法主体"])
KIND_TEXT = choices_text(Entity.Kind)
MONEY = {"max_digits": 12, "decimal_places": 2, "ge": 0}


class EntityOut(Schema):
    id: int = F(..., "编号")
    name: str = F(..., "主体全称")
    short_code: str = F(..., "机关代字")
    kind: str = F(..., "主体类别", KIND_TEXT)
    kind_display: str = F(..., "主体类别名称")
    entrusted_by_id: Optional[int] = F(None, "委托机关编号")
    credit_code: str = F(..., "统一社会信用代码")
    region_id: int = F(..., "所在区划编号")
    region_name: str = F(..., "所在区划")
    is_justice_bureau: bool = F(..., "司法行政机关（执法监督机构）")
    fields: str = F(..., "执法领域")
    legal_basis: str = F(..., "设立及执法依据")
    address: str = F(..., "办公地址")
    phone: str = F(..., "联系电话")
    supervision_channel: str = F(..., "监督渠道")
    remedy_channel: str = F(..., "救济渠道")
    hearing_threshold_citizen: Optional[Decimal] = F(None, "较大数额罚款（公民，元）")
    hearing_threshold_org: Optional[Decimal] = F(None, "较大数额罚款（法人或其他组织，元）")
    is_active: bool = F(..., "有效")

    @staticmethod
    def resolve_kind_display(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name


class EntityDetailOut(EntityOut):
    units: list[UnitOut] = F(..., "内设机构")
    advisers: list[AdviserOut] = F(..., "法律顾问/公职律师")

    @staticmethod
    def resolve_units(obj, context):
        return visible(Unit, context["request"]).filter(entity=obj).select_related("entity")

    @staticmethod
    def resolve_advisers(obj, context):
        return visible(LegalAdviser, context["request"]).filter(entity=obj)


class EntityIn(InSchema):
    """执法主体"""

    name: str = F(..., "主体全称", min_length=1, max_length=120)
    short_code: str = F(..., "机关代字", "用于文书编号，如“黔毕市监”", min_length=1, max_length=20)
    kind: choices(Entity.Kind) = F(Entity.Kind.STATUTORY.value, "主体类别", KIND_TEXT)
    entrusted_by: Optional[int] = F(None, "委托机关", "受委托组织填写委托机关的主体编号")
    credit_code: CreditCode = F(..., "统一社会信用代码", "18位，含校验位")
    region: int = F(..., "所在区划", "行政区划编号")
    is_justice_bureau: bool = F(False, "司法行政机关（执法监督机构）")
    fields: str = F("", "执法领域", "多个领域以顿号分隔，如“市场监管、食品安全”", max_length=300)
    legal_basis: str = F("", "设立及执法依据")
    address: str = F("", "办公地址", max_length=200)
    phone: Phone = F("", "联系电话", max_length=30)
    supervision_channel: str = F("", "监督渠道", max_length=300)
    remedy_channel: str = F("", "救济渠道", max_length=300)
    hearing_threshold_citizen: Optional[Decimal] = F(None, "较大数额罚款（公民，元）", **MONEY)
    hearing_threshold_org: Optional[Decimal] = F(None, "较大数额罚款（法人或其他组织，元）", **MONEY)
    is_active: bool = F(True, "有效")


EntityPatch = patch_schema(EntityIn, "EntityPatch")
ENTITY_REFS = {"region": Region, "entrusted_by": Entity}


class EntityFilter(ListFilter):
    q: Optional[str] = Q_FIELD
    kind: Optional[choices(Entity.Kind)] = F(None, "主体类别", KIND_TEXT)
    region: Optional[int] = F(None, "区划", "按所在区划编号筛选")
    justice: Optional[bool] = F(None, "司法行政机关", "1 只看司法行政机关")
    active: Optional[bool] = F(None, "有效", "1 只看有效主体")

    search_fields = ("name", "short_code", "credit_code", "fields")
    lookups = {"kind": "kind", "region": "region_id", "justice": "is_justice_bureau", "active": "is_active"}


@entities.get("", response=responses(list[EntityOut]), operation_id="entities_list", summary="执法主体列表")
@paginate(Pagination)
def list_entities(request, filters: Query[EntityFilter]):
    return filters.apply(visible(Entity, request).select_related("region"))


@entities.get("/{entity_id}", response=responses(EntityDetailOut), operation_id="entities_get",
              summary="执法主体详情（含内设机构、法律顾问）")
def get_entity(request, entity_id: RecordId):
    return get_visible(visible(Entity, request).select_related("region"), request, entity_id)


@entities.post("", response=responses(EntityDetailOut, 201), operation_id="entities_create",
               summary="新建执法主体（系统管理员）")
def create_entity(request, payload: EntityIn):
    data = payload_data(request, payload, Entity, ENTITY_REFS)
    return Status(201, actions.do_create_entity(data, acting_user=actor(request)))


@entities.patch("/{entity_id}", response=responses(EntityDetailOut), operation_id="entities_update",
                summary="修改执法主体")
def update_entity(request, entity_id: RecordId, payload: EntityPatch):
    entity = get_visible(Entity, request, entity_id)
    require_change(request, entity)
    data = payload_data(request, payload, Entity, ENTITY_REFS, partial=True)
    actions.do_update_entity(entity, data, acting_user=actor(request))
    return get_entity(request, entity_id)
