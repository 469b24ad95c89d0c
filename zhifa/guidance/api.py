"""案例指导 over REST (zhifa.guidance).

Staff (/guidance):
    GET  /guidance?state=                 drafts in scope (supervisors) and published ones
    POST /guidance                        {case}   select a closed case (proposed redaction applied)
    GET  /guidance/{id}
    POST /guidance/{id}                   {title, body, key_points, significance}   edit a draft
    POST /guidance/{id}/publish
    POST /guidance/{id}/withdraw          {reason}
    GET  /guidance/similar/{case_id}      published guiding cases of the same field or power item
Public (/public/guidance, no account): published guiding cases only, without the source text.

Operation ids keep the names they were published under when this router lived in zhifa/apiv1/
(zhifa_apiv1_guidance_…): clients generated from the OpenAPI schema depend on them.
"""
import datetime as dt
from typing import Optional

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from zhifa.cases.models import Case
from zhifa.common.api.base import F, InSchema, actor, get_visible, responses
from zhifa.guidance import actions as guidance_actions
from zhifa.guidance.models import GuidingCase, published

router = Router(tags=["案例指导"])
public = Router(tags=["公示平台（公开）"])


class PublicGuidingOut(Schema):
    id: int
    number: Optional[int]
    title: str
    entity: str
    field: str
    body: str
    key_points: str
    significance: str
    published_on: Optional[dt.date]

    @staticmethod
    def resolve_entity(obj):
        return obj.entity.name


class GuidingOut(PublicGuidingOut):
    case_id: int
    entity_id: int
    state: str
    spans: list
    power_items: list[int]
    withdrawal_reason: str

    @staticmethod
    def resolve_power_items(obj):
        return sorted(obj.power_items.values_list("pk", flat=True))


class SelectIn(InSchema):
    case: int = F(..., "来源案件（已结案）")


class EditIn(InSchema):
    title: str = F(..., "标题")
    body: str = F(..., "公开文本（已隐去个人信息）")
    key_points: str = F("", "裁判要点")
    significance: str = F("", "指导意义")


class GuidanceWithdrawIn(InSchema):
    reason: str = F(..., "撤回理由")


def _mine(request, pk):
    """Drafts through the scope layer; published ones are public anyway."""
    g = GuidingCase.objects.restrict(actor(request)).filter(pk=pk).first() or published().filter(pk=pk).first()
    if g is None:
        raise Http404("记录不存在或不在您的数据范围内")
    return g


@router.get("", response=responses(list[GuidingOut]), operation_id="zhifa_apiv1_guidance_guidance_list", summary="指导案例")
def guidance_list(request, state: str = ""):
    qs = GuidingCase.objects.restrict(actor(request)) | published()
    if state:
        qs = qs.filter(state=state)
    return list(qs.select_related("entity").distinct()[:1000])


@router.post("", response=responses(GuidingOut, 201), operation_id="zhifa_apiv1_guidance_select", summary="选编指导案例")
def select(request, body: SelectIn):
    case = get_visible(Case, request, body.case)
    return Status(201, guidance_actions.do_select_guidance(case, acting_user=actor(request)))


@router.get("/similar/{case_id}", response=responses(list[PublicGuidingOut]),
            operation_id="zhifa_apiv1_guidance_similar", summary="类似案件的指导案例")
def similar(request, case_id: int):
    return guidance_actions.similar_to(get_visible(Case, request, case_id))


@router.get("/{guidance_id}", response=responses(GuidingOut),
            operation_id="zhifa_apiv1_guidance_detail", summary="指导案例详情")
def detail(request, guidance_id: int):
    return _mine(request, guidance_id)


@router.post("/{guidance_id}", response=responses(GuidingOut),
             operation_id="zhifa_apiv1_guidance_edit", summary="编辑指导案例")
def edit(request, guidance_id: int, body: EditIn):
    return guidance_actions.do_edit_guidance(_mine(request, guidance_id), acting_user=actor(request), **body.model_dump())


@router.post("/{guidance_id}/publish", response=responses(GuidingOut),
             operation_id="zhifa_apiv1_guidance_publish", summary="发布指导案例")
def publish(request, guidance_id: int):
    return guidance_actions.do_publish_guidance(_mine(request, guidance_id), acting_user=actor(request))


@router.post("/{guidance_id}/withdraw", response=responses(GuidingOut),
             operation_id="zhifa_apiv1_guidance_withdraw", summary="撤回指导案例")
def withdraw(request, guidance_id: int, body: GuidanceWithdrawIn):
    return guidance_actions.do_withdraw_guidance(_mine(request, guidance_id), acting_user=actor(request), reason=body.reason)


@public.get("", response=responses(list[PublicGuidingOut]), auth=None,
            operation_id="zhifa_apiv1_guidance_public_list", summary="指导案例（公开）")
def public_list(request):
    return list(published().select_related("entity").order_by("-number")[:500])


@public.get("/{guidance_id}", response=responses(PublicGuidingOut), auth=None,
            operation_id="zhifa_apiv1_guidance_public_detail", summary="指导案例详情（公开）")
def public_detail(request, guidance_id: int):
    g = published().select_related("entity").filter(pk=guidance_id).first()
    if g is None:
        raise Http404("指导案例不存在")
    return g
