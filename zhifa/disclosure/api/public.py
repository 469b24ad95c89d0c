"""Public read-only API of the disclosure portal (公示平台): no account, only the published set.

    GET /public/decisions?q=&entity=&region=&category=&from=&to=&min_amount=&max_amount=&page=
    GET /public/decisions/{id}          one published decision (redacted)
    GET /public/decisions/{id}/proof    inclusion proof (entry, audit path, signed tree head)
    GET /public/certificates/{number}   亮证: public fields and validity today
    GET /public/progress                cases in progress: number, entity, stage only
    GET /public/progress/mine?number=&code=   the party's own case with its access code
    POST /public/complaints              咨询投诉: submit, get a tracking code
    GET /public/complaints/{code}       what the tracking code shows (as the portal's tracking page)
"""
from typing import Any, Optional

from django.core.paginator import Paginator
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field as _PField
from pydantic import create_model

from zhifa.common.api.base import MAX_ID, F, InSchema, responses
from zhifa.disclosure import opendata, public
from zhifa.disclosure.actions import complaints
from zhifa.orgs.models import Entity

router = Router(tags=["公示平台（公开）"], auth=None)


class DecisionOut(Schema):
    id: int = F(..., "编号")
    title: str = F(..., "标题")
    entity: str = F(..., "执法主体")
    entity_id: int = F(..., "执法主体编号")
    region: str = F(..., "区划")
    kind: str = F(..., "决定类别")
    category: str = F(..., "执法领域")
    decision_number: str = F(..., "决定书文号")
    target: str = F(..., "行政相对人（已脱敏）")
    decided_on: str = F(..., "决定日期")
    published_on: str = F(..., "公示日期")
    fine_amount: Optional[str] = F(None, "罚款金额（元）")
    confiscation: Optional[str] = F(None, "没收种类（没收违法所得、没收非法财物）")
    confiscation_amount: Optional[str] = F(None, "没收金额（元）")
    body: str = F(..., "公示正文（已脱敏）")
    ledger_seq: Optional[int] = F(None, "日志序号")


class DecisionPage(Schema):
    count: int = F(..., "总数")
    page: int = F(..., "页码")
    pages: int = F(..., "总页数")
    results: list[DecisionOut]


class SearchQuery(InSchema):
    q: Optional[str] = F(None, "关键词", max_length=50)
    entity: Optional[int] = F(None, "执法主体编号", ge=1, le=MAX_ID)
    region: Optional[str] = F(None, "区划代码前缀", max_length=9)
    category: Optional[str] = F(None, "执法领域", max_length=50)
    date_from: Optional[str] = F(None, "决定日期起（YYYY-MM-DD）", alias="from")
    date_to: Optional[str] = F(None, "决定日期止（YYYY-MM-DD）", alias="to")
    min_amount: Optional[str] = F(None, "罚款下限")
    max_amount: Optional[str] = F(None, "罚款上限")
    page: int = F(1, "页码", ge=1, le=100000)


@router.get("/decisions", operation_id="zhifa_apiv1_public_decisions", response=responses(DecisionPage), auth=None, summary="检索已公示的执法结果")
def decisions(request, q: Query[SearchQuery]):
    params = {"q": q.q, "entity": q.entity, "region": q.region, "category": q.category, "from": q.date_from,
              "to": q.date_to, "min_amount": q.min_amount, "max_amount": q.max_amount}
    qs, _ = public.search({k: v for k, v in params.items() if v is not None})
    page = Paginator(qs, public.PAGE_SIZE).get_page(q.page)
    return {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
            "results": [public.decision_dict(p) for p in page]}


def _published(pk):
    pub = public.published().filter(pk=pk).first() if 0 < pk < 2**63 else None
    if pub is None:
        raise Http404("该公示信息不存在或已撤下")
    return pub


@router.get("/decisions/{pk}", operation_id="zhifa_apiv1_public_decision", response=responses(DecisionOut), auth=None, summary="执法结果详情")
def decision(request, pk: int):
    return public.decision_dict(_published(pk))


@router.get("/decisions/{pk}/proof", operation_id="zhifa_apiv1_public_decision_proof", response=responses(dict[str, Any]), auth=None, summary="包含证明")
def decision_proof(request, pk: int):
    return public.proof(_published(pk))


class CertOut(Schema):
    number: str
    name: str
    entity: str
    fields: str
    issuing_authority: str
    issued_on: str
    expires_on: str
    status: str
    valid_today: bool = F(..., "今日是否有效")
    today: str


@router.get("/certificates/{number}", operation_id="zhifa_apiv1_public_certificate", response=responses(CertOut), auth=None, summary="执法证件查询（亮证）")
def certificate(request, number: str):
    result = public.certificate_check(number)
    if result is None:
        raise Http404("未查到该执法证号")
    return result


class StageOut(Schema):
    number: str
    entity: str
    stage: str


@router.get("/progress", operation_id="zhifa_apiv1_public_progress", response=responses(list[StageOut]), auth=None, summary="在办案件办理环节")
def progress(request, page: int = 1):
    rows = Paginator(public.in_progress(), 50).get_page(page)
    return [{"number": c.number, "entity": c.entity.name, "stage": public.stage_of(c)} for c in rows]


class MineOut(Schema):
    number: str
    title: str
    entity: str
    stage: str
    decision_number: str
    events: list[dict[str, str]]


@router.get("/progress/mine", operation_id="zhifa_apiv1_public_mine", response=responses(MineOut), auth=None, summary="当事人查询本人案件")
def mine(request, number: str, code: str):
    result = public.party_view(number, code)
    if result is None:
        raise Http404("案件编号或查询码不正确")
    return result


class ComplaintIn(Schema):
    entity: int = F(..., "执法主体编号")
    kind: str = F(..., "类别", "consult（咨询）| complaint（投诉举报）")
    content: str = F(..., "内容", "10至2000字", max_length=2000)
    contact: str = F("", "联系方式（不公开）", max_length=100)


class PublicComplaintStepOut(Schema):
    kind: str = F(..., "环节")
    on: str = F(..., "日期")
    entity: str = F("", "办理主体")


class ComplaintOut(Schema):
    """What the tracking code shows, the same as the portal's tracking page (complaints.public_dict):
    never the contact, the internal notes of the handling record nor who handled it."""
    tracking_code: str = F(..., "查询码")
    entity: str = F(..., "执法主体")
    kind: str = F(..., "类别")
    state: str = F(..., "状态")
    received_on: str = F(..., "收到日期")
    due_on: Optional[str] = F(None, "办理期限")
    due_display: str = F("", "办理期限（显示）：日期，或期限待定时“待定：需录入YYYY年节假日安排”")
    answer: str = F("", "答复")
    answered_on: Optional[str] = F(None, "答复日期")
    satisfaction: str = F("", "满意度评价", "满意 | 基本满意 | 不满意；未评价为空")
    feedback_comment: str = F("", "评价意见")
    steps: list[PublicComplaintStepOut] = F([], "办理记录（环节、日期、办理主体；不含办理说明和经办人）")


def _complaint_dict(c):
    return complaints.public_dict(c)


@router.post("/complaints", operation_id="zhifa_apiv1_public_submit_complaint", response=responses(ComplaintOut, 201), auth=None, summary="提交咨询投诉")
def submit_complaint(request, data: ComplaintIn):
    entity = Entity.objects.filter(pk=data.entity, is_active=True).first() if 0 < data.entity < 2**63 else None
    c = complaints.do_submit_complaint(entity=entity, kind=data.kind, content=data.content, contact=data.contact,
                                       client=complaints.client_of(request))
    return Status(201, _complaint_dict(c))


@router.get("/complaints/{code}", operation_id="zhifa_apiv1_public_complaint_status", response=responses(ComplaintOut), auth=None, summary="查询咨询投诉办理情况")
def complaint_status(request, code: str):
    c = complaints.lookup(code[:16])
    if c is None:
        raise Http404("查询码不正确")
    return _complaint_dict(c)


# ---- 开放数据: one paginated list per dataset of zhifa.disclosure.opendata, typed from its dictionary
_PY = {"integer": Optional[int], "string": Optional[str], "text": Optional[str], "date": Optional[str],
       "decimal": Optional[str], "uuid": Optional[str], "url": Optional[str], "json": list[str]}
DATA_PAGE_MAX = 500


class DataField(Schema):
    name: str = F(..., "字段名")
    description: str = F(..., "说明")
    type: str = F(..., "类型")


class DatasetOut(Schema):
    name: str = F(..., "数据集")
    title: str = F(..., "名称")
    description: str = F(..., "说明")
    download_csv: str = F(..., "CSV 下载地址")
    download_json: str = F(..., "JSON 下载地址")
    api: str = F(..., "接口地址")
    updated: Optional[str] = F(None, "最近更新")
    update_frequency: str = F(..., "更新频率")
    fields: list[DataField]


class DictionaryOut(Schema):
    publisher: str
    licence: str = F(..., "许可协议")
    encoding: str
    generated_at: str
    datasets: list[DatasetOut]


@router.get("/data", operation_id="zhifa_apiv1_public_data_dictionary", response=responses(DictionaryOut), auth=None, summary="开放数据：数据字典")
def data_dictionary(request):
    return opendata.dictionary(request.build_absolute_uri("/").rstrip("/"))


class DataQuery(Schema):
    page: int = F(1, "页码", ge=1, le=1_000_000)
    page_size: int = F(100, "每页条数（最多500）", ge=1, le=DATA_PAGE_MAX)


def _data_endpoint(ds):
    row = create_model(
        "Data_" + ds.slug.replace("-", "_"), __base__=Schema,
        **{f.key: (_PY[f.type], _PField(None, title=f.label, description=f.label)) for f in ds.fields})
    page_model = create_model("DataPage_" + ds.slug.replace("-", "_"), __base__=Schema,
                              count=(int, _PField(..., title="总数")), page=(int, _PField(..., title="页码")),
                              pages=(int, _PField(..., title="总页数")), results=(list[row], ...))

    def endpoint(request, q: Query[DataQuery]):
        page = Paginator(ds.queryset(), q.page_size).get_page(q.page)
        base = request.build_absolute_uri("/").rstrip("/")
        return {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
                "results": [ds.row(o, base) for o in page]}

    endpoint.__name__ = "data_" + ds.slug.replace("-", "_")
    router.get(f"/data/{ds.slug}", operation_id=f"zhifa_apiv1_public_{endpoint.__name__}", response=responses(page_model), auth=None, summary=f"开放数据：{ds.title}",
               description=ds.description)(endpoint)


for _ds in opendata.DATASETS.values():
    _data_endpoint(_ds)
