"""Versioned lists: 权责清单, 随机抽查事项, 服务指南, 流程图.

Each item is a lineage of versions: draft → pending (submitted) → published (confirmed by the
same-level justice bureau) → superseded. PATCH on a published head starts a new draft version
while the published one stays public. Lists show head versions; ?published=1 the published ones.
"""
import datetime as dt
from decimal import Decimal
from typing import Literal, Optional

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import (
    ENTITY_FIELD,
    Q_FIELD,
    F,
    InSchema,
    ListFilter,
    Pagination,
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
from zhifa.orgs.models import Entity, Unit
from zhifa.powers import actions
from zhifa.powers.models import Flowchart, InspectionItem, PowerItem, ServiceGuide, VersionStatus

STATUS_TEXT = choices_text(VersionStatus)
CATEGORY_TEXT = choices_text(PowerItem.Category)


# ---- shared schemas ---------------------------------------------------------------------------
class VersionOut(Schema):
    id: int = F(..., "编号")
    version: int = F(..., "版本")
    is_head: bool = F(..., "最新版本", "该事项当前可编辑的最新版本")
    status: str = F(..., "状态", STATUS_TEXT)
    status_display: str = F(..., "状态名称")
    effective_from: dt.date = F(..., "生效日期")
    effective_to: Optional[dt.date] = F(None, "失效日期")
    submitted_at: Optional[dt.datetime] = F(None, "提交时间")
    confirmed_at: Optional[dt.datetime] = F(None, "确认时间")
    review_note: str = F(..., "确认/退回意见")

    @staticmethod
    def resolve_status_display(obj):
        return obj.get_status_display()


class VersionedOut(VersionOut):
    lineage: str = F(..., "事项标识", "同一事项各版本共用的标识（UUID）")
    entity_id: int = F(..., "实施主体编号")
    entity_name: str = F(..., "实施主体")

    @staticmethod
    def resolve_lineage(obj):
        return str(obj.lineage)

    @staticmethod
    def resolve_entity_name(obj):
        return obj.entity.name


def visible_versions(obj, context):
    return visible(type(obj), context["request"]).filter(lineage=obj.lineage).order_by("-version")


class PowerNoteIn(InSchema):
    note: str = F("", "确认意见", "可不填", max_length=500)


class RejectIn(InSchema):
    note: str = F(..., "退回理由", "必须说明退回理由", min_length=1, max_length=500)


class VersionedFilter(ListFilter):
    q: Optional[str] = Q_FIELD
    entity: Optional[int] = ENTITY_FIELD
    status: Optional[choices(VersionStatus)] = F(None, "状态", STATUS_TEXT)
    published: Optional[bool] = F(None, "只看已发布", "1 返回当前已发布（生效中）的版本，而非各事项的最新版本")

    lookups = {"entity": "entity_id", "status": "status"}


# ---- 权责清单 -------------------------------------------------------------------------------------
class PowerItemIn(InSchema):
    """权责清单事项"""

    entity: int = F(..., "实施主体", "执法主体编号")
    unit: Optional[int] = F(None, "承办机构", "内设机构编号，须属于实施主体")
    code: str = F(..., "事项编码", min_length=1, max_length=40)
    name: str = F(..., "事项名称", min_length=1, max_length=300)
    category: choices(PowerItem.Category) = F(..., "权力类别", CATEGORY_TEXT)
    law: str = F(..., "依据法律法规", min_length=1, max_length=200)
    article: str = F("", "条款", "如“第四十二条第一款”", max_length=100)
    basis_text: str = F("", "依据条文内容")
    duties: str = F("", "责任事项")
    accountability: str = F("", "追责情形")
    effective_from: Optional[dt.date] = F(None, "生效日期", "YYYY-MM-DD，不填为今天")


class PowerItemOut(VersionedOut):
    unit_id: Optional[int] = F(None, "承办机构编号")
    code: str = F(..., "事项编码")
    name: str = F(..., "事项名称")
    category: str = F(..., "权力类别", CATEGORY_TEXT)
    category_display: str = F(..., "权力类别名称")
    law: str = F(..., "依据法律法规")
    article: str = F(..., "条款")
    basis_text: str = F(..., "依据条文内容")
    duties: str = F(..., "责任事项")
    accountability: str = F(..., "追责情形")

    @staticmethod
    def resolve_category_display(obj):
        return obj.get_category_display()


class PowerItemDetailOut(PowerItemOut):
    versions: list[VersionOut] = F(..., "各版本")
    resolve_versions = staticmethod(visible_versions)


class PowerItemFilter(VersionedFilter):
    category: Optional[choices(PowerItem.Category)] = F(None, "权力类别", CATEGORY_TEXT)
    search_fields = ("code", "name", "law")
    lookups = {**VersionedFilter.lookups, "category": "category"}


# ---- 随机抽查事项 ----------------------------------------------------------------------------------
KIND_TEXT = choices_text(InspectionItem.Kind)


class InspectionItemIn(InSchema):
    """随机抽查事项"""

    entity: int = F(..., "实施主体", "执法主体编号")
    power_item_code: str = F("", "对应权责事项编码", max_length=40)
    code: str = F(..., "抽查事项编码", min_length=1, max_length=40)
    name: str = F(..., "抽查事项名称", min_length=1, max_length=300)
    kind: choices(InspectionItem.Kind) = F(..., "事项类别", KIND_TEXT)
    ratio: Optional[Decimal] = F(None, "抽查比例（%）", "一般检查事项必填，0到100之间",
                                 gt=0, le=100, max_digits=5, decimal_places=2)
    frequency: str = F("", "抽查频次", max_length=50)
    targets: str = F("", "检查对象", max_length=200)
    method: str = F("", "检查方式", max_length=200)
    law: str = F("", "检查依据", max_length=300)
    effective_from: Optional[dt.date] = F(None, "生效日期", "YYYY-MM-DD，不填为今天")


class InspectionItemOut(VersionedOut):
    power_item_code: str = F(..., "对应权责事项编码")
    code: str = F(..., "抽查事项编码")
    name: str = F(..., "抽查事项名称")
    kind: str = F(..., "事项类别", KIND_TEXT)
    kind_display: str = F(..., "事项类别名称")
    ratio: Optional[Decimal] = F(None, "抽查比例（%）")
    frequency: str = F(..., "抽查频次")
    targets: str = F(..., "检查对象")
    method: str = F(..., "检查方式")
    law: str = F(..., "检查依据")

    @staticmethod
    def resolve_kind_display(obj):
        return obj.get_kind_display()


class InspectionItemDetailOut(InspectionItemOut):
    versions: list[VersionOut] = F(..., "各版本")
    resolve_versions = staticmethod(visible_versions)


class InspectionItemFilter(VersionedFilter):
    kind: Optional[choices(InspectionItem.Kind)] = F(None, "事项类别", KIND_TEXT)
    search_fields = ("code", "name")
    lookups = {**VersionedFilter.lookups, "kind": "kind"}


# ---- 服务指南 -------------------------------------------------------------------------------------
class ServiceGuideIn(InSchema):
    """服务指南"""

    entity: int = F(..., "实施主体", "执法主体编号")
    power_item_code: str = F(..., "事项编码", min_length=1, max_length=40)
    title: str = F(..., "事项名称", min_length=1, max_length=300)
    basis: str = F(..., "设定依据", min_length=1)
    accepting_unit: str = F(..., "受理机构", min_length=1, max_length=100)
    approving_unit: str = F(..., "决定机构", min_length=1, max_length=100)
    materials: str = F(..., "申请材料", "每行一项", min_length=1)
    steps: str = F(..., "办理流程", "每行一步", min_length=1)
    time_limit: str = F(..., "办理时限", min_length=1, max_length=100)
    office_hours: str = F(..., "办公时间", min_length=1, max_length=100)
    address: str = F(..., "办理地点", min_length=1, max_length=200)
    phone: str = F(..., "咨询电话", min_length=1, max_length=30)
    fee: str = F("不收费", "收费标准", max_length=200)
    effective_from: Optional[dt.date] = F(None, "生效日期", "YYYY-MM-DD，不填为今天")


class ServiceGuideOut(VersionedOut):
    power_item_code: str = F(..., "事项编码")
    title: str = F(..., "事项名称")
    basis: str = F(..., "设定依据")
    accepting_unit: str = F(..., "受理机构")
    approving_unit: str = F(..., "决定机构")
    materials: str = F(..., "申请材料", "每行一项")
    steps: str = F(..., "办理流程", "每行一步")
    time_limit: str = F(..., "办理时限")
    office_hours: str = F(..., "办公时间")
    address: str = F(..., "办理地点")
    phone: str = F(..., "咨询电话")
    fee: str = F(..., "收费标准")


class ServiceGuideDetailOut(ServiceGuideOut):
    versions: list[VersionOut] = F(..., "各版本")
    resolve_versions = staticmethod(visible_versions)


class ServiceGuideFilter(VersionedFilter):
    search_fields = ("title", "power_item_code")


# ---- 流程图 ---------------------------------------------------------------------------------------
class FlowStep(InSchema):
    key: str = F(..., "步骤编号", min_length=1, max_length=40)
    label: str = F(..., "步骤名称", min_length=1, max_length=100)
    kind: Literal["start", "task", "decision", "end"] = F("task", "步骤类型",
                                                          "start 开始；task 办理；decision 判断；end 结束")
    next: list[str] = F([], "后续步骤", "后续步骤的编号")


class FlowchartIn(InSchema):
    """流程图"""

    entity: int = F(..., "实施主体", "执法主体编号")
    title: str = F(..., "流程名称", min_length=1, max_length=200)
    power_category: choices(PowerItem.Category) = F(..., "适用权力类别", CATEGORY_TEXT)
    steps: list[FlowStep] = F(..., "流程步骤", min_length=1)
    effective_from: Optional[dt.date] = F(None, "生效日期", "YYYY-MM-DD，不填为今天")


class FlowchartOut(VersionedOut):
    title: str = F(..., "流程名称")
    power_category: str = F(..., "适用权力类别", CATEGORY_TEXT)
    steps: list[FlowStep] = F(..., "流程步骤")


class FlowchartDetailOut(FlowchartOut):
    versions: list[VersionOut] = F(..., "各版本")
    resolve_versions = staticmethod(visible_versions)


class FlowchartFilter(VersionedFilter):
    category: Optional[choices(PowerItem.Category)] = F(None, "适用权力类别", CATEGORY_TEXT)
    search_fields = ("title",)
    lookups = {**VersionedFilter.lookups, "category": "power_category"}


# ---- endpoints (one router per list, same operations) --------------------------------------------
def _data(request, payload, model, refs, obj=None):
    data = payload_data(request, payload, model, refs, partial=obj is not None)
    if data.get("effective_from", 0) is None:
        data.pop("effective_from")  # "not given" → the model's default (today)
    unit = data.get("unit")
    if unit is not None:
        entity = data.get("entity") or (obj.entity if obj is not None else None)
        if entity is not None and unit.entity_id != entity.pk:
            raise ActionRefused("validation", "承办机构：承办机构不属于该实施主体", field="unit")
    return data


def versioned_router(model, slug, tag, In, Out, DetailOut, Filter, refs):
    router = Router(tags=[tag])
    Patch = patch_schema(In, f"{In.__name__[:-2]}Patch")
    name = str(model._meta.verbose_name)

    def items(request):
        return visible(model, request).select_related("entity")

    @router.get("", response=responses(list[Out]), operation_id=f"{slug}_list", summary=f"{tag}列表")
    @paginate(Pagination)
    def list_items(request, filters: Query[Filter]):
        qs = items(request)
        qs = qs.published() if filters.published else qs.current()
        return filters.apply(qs)

    @router.get("/{pk}", response=responses(DetailOut), operation_id=f"{slug}_get",
                summary=f"{name}详情（含各版本）")
    def get_item(request, pk: RecordId):
        return get_visible(items(request), request, pk)

    @router.post("", response=responses(DetailOut, 201), operation_id=f"{slug}_create",
                 summary=f"新建{name}（草稿）")
    def create_item(request, payload: In):
        data = _data(request, payload, model, refs)
        obj = actions.do_create_versioned(model, data, acting_user=actor(request))
        return Status(201, get_item(request, obj.pk))

    @router.patch("/{pk}", response=responses(DetailOut), operation_id=f"{slug}_update",
                  summary=f"修改{name}（已发布的版本会生成新的草稿版本）")
    def update_item(request, pk: RecordId, payload: Patch):
        obj = get_visible(model, request, pk)
        require_change(request, obj)
        data = _data(request, payload, model, refs, obj)
        new = actions.do_update_versioned(obj, data, acting_user=actor(request))
        return get_item(request, new.pk)

    @router.delete("/{pk}", response=responses(None, 204), operation_id=f"{slug}_discard",
                   summary="删除草稿（上一版本恢复为最新版本）")
    def discard_item(request, pk: RecordId):
        obj = get_visible(model, request, pk)
        require_change(request, obj)
        actions.do_discard_draft(obj, acting_user=actor(request))
        return Status(204, None)

    @router.post("/{pk}/submit", response=responses(DetailOut), operation_id=f"{slug}_submit",
                 summary="提交同级司法局确认")
    def submit_item(request, pk: RecordId):
        obj = get_visible(model, request, pk)
        require_change(request, obj)
        actions.do_submit_versioned(obj, acting_user=actor(request))
        return get_item(request, pk)

    @router.post("/{pk}/confirm", response=responses(DetailOut), operation_id=f"{slug}_confirm",
                 summary="确认发布（同级司法局执法监督人员）")
    def confirm_item(request, pk: RecordId, payload: Optional[PowerNoteIn] = None):
        obj = get_visible(model, request, pk)
        note = payload.note if payload else ""
        actions.do_confirm_versioned(obj, acting_user=actor(request), note=note)
        return get_item(request, pk)

    @router.post("/{pk}/reject", response=responses(DetailOut), operation_id=f"{slug}_reject",
                 summary="退回（须说明理由）")
    def reject_item(request, pk: RecordId, payload: RejectIn):
        obj = get_visible(model, request, pk)
        actions.do_reject_versioned(obj, acting_user=actor(request), note=payload.note)
        return get_item(request, pk)

    return router


ENTITY_REFS = {"entity": Entity}
power_items = versioned_router(PowerItem, "power_items", "权责清单", PowerItemIn, PowerItemOut,
                               PowerItemDetailOut, PowerItemFilter, {"entity": Entity, "unit": Unit})
inspection_items = versioned_router(InspectionItem, "inspection_items", "随机抽查事项清单", InspectionItemIn,
                                    InspectionItemOut, InspectionItemDetailOut, InspectionItemFilter, ENTITY_REFS)
service_guides = versioned_router(ServiceGuide, "service_guides", "服务指南", ServiceGuideIn, ServiceGuideOut,
                                  ServiceGuideDetailOut, ServiceGuideFilter, ENTITY_REFS)
flowcharts = versioned_router(Flowchart, "flowcharts", "流程图", FlowchartIn, FlowchartOut, FlowchartDetailOut,
                              FlowchartFilter, ENTITY_REFS)
