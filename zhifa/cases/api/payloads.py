"""Request bodies of the cases API: one payload schema per case kind (creation) and per transition,
the envelopes around them, and the resolution of record ids into objects inside the caller's scope.

    POST /cases                              {kind, on, reason, payload}
    POST /cases/{id}/transitions/{name}      {expected_version, on, reason, payload}

`payload` is validated against CREATE_PAYLOADS[kind] / TRANSITION_PAYLOADS[name]; the keyword
names are those of the core's do_* actions (zhifa.cases.actions), which the routes call.
"""
import datetime as dt
from decimal import Decimal
from typing import ClassVar, Literal, Optional

from django.contrib.auth import get_user_model
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field as PydanticField
from pydantic import ValidationError as PydanticValidationError
from pydantic import create_model, model_validator
from pydantic_core import PydanticCustomError

from zhifa.cases.models import Kind, PenaltyKind, Source
from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import CreditCode, F, IdNumber, InSchema, Phone, choices, choices_text, valid_id, visible
from zhifa.common.api.errors import field_label, translate
from zhifa.orgs.models import Entity, Officer, Unit
from zhifa.powers.discretion import LEVELS
from zhifa.powers.models import PowerItem

User = get_user_model()
PENALTY_TEXT = choices_text(PenaltyKind)
AMOUNT = dict(ge=0, max_digits=14, decimal_places=2)


class Strict(InSchema):
    """Unknown keys are refused, naming the key (a typo must not be silently dropped)."""

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data):
        raw = getattr(data, "_obj", data)  # ninja hands validators a DjangoGetter around the input
        if not isinstance(raw, (dict, InSchema)):
            raise PydanticCustomError("dict_type", "应为对象")
        if isinstance(raw, dict):
            unknown = [k for k in raw if k not in cls.model_fields]
            if unknown:
                raise PydanticCustomError("unknown_field", "不允许的字段“{key}”", {"key": str(unknown[0])[:50]})
        return data


class Payload(Strict):
    """Base of the payloads. refs: field → model of a record id; list_refs: field → model of a list
    of ids; extra: fields that are keyword arguments of the action rather than case data (creation)."""

    refs: ClassVar[dict] = {}
    list_refs: ClassVar[dict] = {}
    extra: ClassVar[tuple] = ()


# ---- parts ----------------------------------------------------------------------------------
class PartyIn(Strict):
    kind: Literal["person", "org"] = F(..., "当事人类别", "person 自然人；org 法人或其他组织")
    name: str = F(..., "姓名/名称", min_length=1, max_length=200)
    id_number: Optional[IdNumber] = F(None, "身份证号", "自然人必填（GB 11643，18位）")
    credit_code: Optional[CreditCode] = F(None, "统一社会信用代码", "法人或其他组织必填（GB 32100，18位）")
    legal_representative: str = F("", "法定代表人/负责人", "法人或其他组织必填", max_length=50)
    address: str = F("", "住所/地址", max_length=200)
    phone: Phone = F("", "联系电话", max_length=30)
    is_minor: bool = F(False, "未成年人")


class CaseAssignIn(Strict):
    officer: int = F(..., "执法人员", "执法人员编号")
    role: Literal["lead", "assist"] = F("assist", "承办角色", "lead 主办；assist 协办")


class SeizedItemIn(Strict):
    name: str = F(..., "物品名称", min_length=1, max_length=200)
    qty: Optional[Decimal] = F(None, "数量", ge=0, max_digits=14, decimal_places=3)
    unit: str = F("", "计量单位", max_length=20)
    note: str = F("", "备注", max_length=500)


class PenaltyFields(Payload):
    penalty_kinds: list[choices(PenaltyKind)] = F([], "处罚种类", PENALTY_TEXT, max_length=12)
    fine_amount: Optional[Decimal] = F(None, "罚款金额（元）", "最多两位小数", **AMOUNT)
    confiscation_amount: Optional[Decimal] = F(None, "没收金额（元）", "最多两位小数", **AMOUNT)


# ---- creation (one per kind) ------------------------------------------------------------------
class CaseData(Payload):
    entity: Optional[int] = F(None, "执法主体", "执法主体编号；不填为本人所属主体")
    unit: Optional[int] = F(None, "承办机构", "内设机构编号")
    title: str = F(..., "案由", min_length=1, max_length=300)
    field: Optional[str] = F(None, "执法领域", "不填为执法主体的第一个执法领域", max_length=50)
    source: choices(Source) = F(Source.INSPECTION.value, "案件来源", choices_text(Source))
    source_detail: str = F("", "来源说明", max_length=500)
    facts: str = F("", "违法事实/检查事项", max_length=20000)
    legal_basis: str = F("", "法律依据", max_length=5000)
    officers: list[CaseAssignIn] = F([], "承办人员", "至少两名持有效执法证的执法人员", max_length=20)

    refs = {"entity": Entity, "unit": Unit}
    extra = ("officers",)


class RegisterPayload(CaseData):
    """案源登记（行政处罚一般程序）"""

    violation_on: Optional[dt.date] = F(None, "违法行为发生（终了）日", "用于核对追责时效（《行政处罚法》第三十六条）")
    violation_continuing: bool = F(False, "违法行为有连续或继续状态")
    harms_life_health_finance: bool = F(False, "涉及生命健康安全、金融安全且有危害后果", "追责时效为五年")
    discovered_on: Optional[dt.date] = F(None, "发现日期")
    major_public_interest: bool = F(False, "涉及重大公共利益")
    complex: bool = F(False, "情节复杂/疑难复杂")
    major_violation: bool = F(False, "重大违法行为")
    law_requires_review: bool = F(False, "法律法规规定应当法制审核")
    parties: list[PartyIn] = F([], "当事人", max_length=50)
    power_items: list[int] = F([], "权责清单事项", "本机关已公布的权责清单事项编号", max_length=20)

    list_refs = {"power_items": PowerItem}
    extra = ("officers", "parties", "power_items")


class SpotPayload(CaseData, PenaltyFields):
    """当场处罚（行政处罚简易程序，《行政处罚法》第五十一条、第五十二条）"""

    place: str = F(..., "处罚地点", min_length=1, max_length=200)
    party: PartyIn = F(..., "当事人")
    collected_on_spot: bool = F(False, "当场收缴罚款")
    party_refused_to_sign: bool = F(False, "当事人拒绝签收")

    extra = ("officers", "place", "party", "collected_on_spot", "party_refused_to_sign")


class InspectionPayload(CaseData):
    """制定检查计划（行政检查）"""

    parties: list[PartyIn] = F([], "检查对象", max_length=50)
    extra = ("officers", "parties")


class SeizePayload(CaseData):
    """提请查封、扣押（《行政强制法》第十八条、第二十四条、第二十五条）；由本机关负责人批准（approve_seizure）后实施"""

    measure: Literal["seal", "seize"] = F(..., "措施", "seal 查封；seize 扣押")
    items: list[SeizedItemIn] = F(..., "查封扣押清单", min_length=1, max_length=500)
    party: PartyIn = F(..., "当事人")

    extra = ("officers", "measure", "items", "party")


CREATE_PAYLOADS = {Kind.PENALTY_GENERAL: RegisterPayload, Kind.PENALTY_SIMPLE: SpotPayload,
                   Kind.INSPECTION: InspectionPayload, Kind.COERCIVE: SeizePayload}


# ---- transitions (one per transition name) -------------------------------------------------------
class Empty(Payload):
    """本环节无需填写内容（理由填在 reason 中）"""


class AssignPayload(Payload):
    officers: list[CaseAssignIn] = F([], "指派人员", "新增或调整角色的人员", max_length=20)
    remove: list[int] = F([], "退出人员", "退出本案的执法人员编号", max_length=20)
    list_refs = {"remove": Officer}


class RecusalPayload(Payload):
    officer: int = F(..., "回避人员", "执法人员编号（本案执法人员或听证主持人）；回避理由填在 reason 中")
    decision: Literal["approved", "refused"] = F(..., "决定", "approved 准予回避；refused 不予回避")
    applied_by_party: bool = F(False, "当事人申请")
    refs = {"officer": Officer}


class FilePayload(Payload):
    limitation_reason: str = F("", "超过时效仍予立案的理由", "超过追责时效时必填", max_length=5000)


class ProposePayload(PenaltyFields):
    """拟处理意见；事项已有裁量基准的须选择裁量档位，超出基准须书面说明理由（《行政处罚法》第三十四条）"""

    no_penalty: bool = F(False, "不予行政处罚")
    discretion_level: Optional[Literal[LEVELS]] = F(None, "裁量档位", "、".join(LEVELS))
    discretion_reason: Optional[str] = F(None, "偏离裁量基准的理由", "超出裁量基准时必填", max_length=5000)
    illegal_gains: Optional[Decimal] = F(None, "违法所得（元）", "裁量基准按违法所得计算罚款时填写", **AMOUNT)
    facts: Optional[str] = F(None, "违法事实", max_length=20000)
    legal_basis: Optional[str] = F(None, "法律依据", max_length=5000)
    major_public_interest: Optional[bool] = F(None, "涉及重大公共利益")
    complex: Optional[bool] = F(None, "情节复杂/疑难复杂")
    major_violation: Optional[bool] = F(None, "重大违法行为")
    law_requires_review: Optional[bool] = F(None, "法律法规规定应当法制审核")


class DecidePayload(PenaltyFields):
    """不填处罚内容则按拟处理意见作出决定；可以减轻，不得重于事先告知的内容"""

    penalty_kinds: Optional[list[choices(PenaltyKind)]] = F(None, "处罚种类", PENALTY_TEXT, max_length=12)
    no_penalty: Optional[bool] = F(None, "不予行政处罚")


class NoticePayload(Payload):
    includes_hearing_rights: Optional[bool] = F(None, "告知听证权利", "不填时按《行政处罚法》第六十三条自动判断")


class StatementPayload(Payload):
    text: str = F("", "陈述申辩意见", "未放弃时必填", max_length=20000)
    waived: bool = F(False, "明确放弃陈述申辩")


class SchedulePayload(Payload):
    hearing_on: dt.date = F(..., "听证举行日期", "须在通知之日起七个工作日后")
    chair: int = F(..., "听证主持人", "执法人员编号（非本案调查人员）")
    refs = {"chair": Officer}


class HearingPayload(Payload):
    record: str = F("", "听证笔录摘要", max_length=20000)


class SubmitReviewPayload(Payload):
    reviewer: int = F(..., "法制审核人员", "本机关法制审核人员的用户编号（不得是本案承办人员）")
    refs = {"reviewer": User}


class ReviewPayload(Payload):
    opinion: str = F(..., "审核意见书", min_length=1, max_length=20000)


class DiscussionPayload(Payload):
    participants: str = F(..., "参加人员", min_length=1, max_length=2000)
    conclusion: str = F(..., "讨论结论", min_length=1, max_length=20000)


class ExtendPayload(Payload):
    days: int = F(..., "延长天数", ge=1, le=3650)
    kind: Literal["head", "collective"] = F(..., "批准方式", "head 行政机关负责人批准（一次，不超过30日）；"
                                                     "collective 集体讨论决定")


class ServePayload(Payload):
    method: str = F("直接送达", "送达方式", max_length=50)


class PaymentPayload(Payload):
    amount: Decimal = F(..., "缴款金额（元）", gt=0, max_digits=14, decimal_places=2)
    item: str = F("fine", "缴纳项目", "fine（罚款）或 confiscation（没收违法所得）")


class ArchivePayload(Payload):
    retention_period: str = F("", "保管期限", "永久、30年或10年；不填按案件类别的默认期限", max_length=10)
    archive_note: str = F("", "备考表", "案卷情况说明", max_length=2000)


class ClosePayload(Payload):
    execution_note: str = F("", "执行情况", "罚款未缴清时须说明（如已申请人民法院强制执行）", max_length=5000)


class TransferPayload(Payload):
    transfer_kind: Literal["agency", "crime"] = F(..., "移送类别", "agency 移送有管辖权的行政机关；"
                                                                 "crime 涉嫌犯罪移送公安/司法机关")
    transfer_to: str = F(..., "接收机关", min_length=1, max_length=120)


class ResultPayload(Payload):
    result: str = F(..., "检查结果", min_length=1, max_length=20000)
    problems_found: bool = F(..., "发现问题")


class DerivePayload(Payload):
    title: str = F("", "新案件案由", "不填沿用本案案由", max_length=300)


class ExtendSeizurePayload(Payload):
    days: int = F(30, "延长天数", "不超过30日", ge=1, le=365)


TRANSITION_PAYLOADS = {
    "assign_officers": AssignPayload, "record_recusal": RecusalPayload, "file_case": FilePayload,
    "approve_filing": Empty, "not_file": Empty, "extend_filing": Empty, "start_investigation": Empty, "propose": ProposePayload,
    "serve_notice": NoticePayload, "record_statement": StatementPayload, "request_hearing": Empty,
    "waive_hearing": Empty, "schedule_hearing": SchedulePayload, "hold_hearing": HearingPayload,
    "submit_legal_review": SubmitReviewPayload, "review_pass": ReviewPayload, "review_fail": ReviewPayload,
    "hold_collective_discussion": DiscussionPayload, "extend_decision_period": ExtendPayload,
    "suspend": Empty, "resume": Empty, "decide": DecidePayload, "serve_decision": ServePayload,
    "record_payment": PaymentPayload, "close": ClosePayload, "revoke": Empty, "transfer": TransferPayload,
    "archive": ArchivePayload, "file_simple_record": Empty, "start_inspection": Empty,
    "record_inspection_result": ResultPayload, "open_penalty_case": DerivePayload,
    "extend_seizure": ExtendSeizurePayload, "approve_seizure": Empty, "refuse_seizure": Empty, "release_seizure": Empty, "convert_seizure": DerivePayload,
}


# ---- envelopes ---------------------------------------------------------------------------------
ON = F(None, "办理日期", "YYYY-MM-DD，不填为今天；不得晚于今天，不得早于上一环节")
REASON = F("", "理由/意见", "记入办案记录；不予立案、撤销、移送、中止、回避、延期等环节必填", max_length=5000)


class CreateIn(InSchema):
    """新建案件"""

    on: Optional[dt.date] = ON
    reason: str = REASON


class CaseCreateIn(CreateIn):
    """新建案件：kind 决定 payload 的内容（见 RegisterPayload、SpotPayload、InspectionPayload、SeizePayload）"""

    kind: choices(Kind) = F(..., "案件类别", choices_text(Kind))
    payload: dict = F(..., "内容", "按案件类别：penalty_general → RegisterPayload；penalty_simple → SpotPayload；"
                                  "inspection → InspectionPayload；coercive → SeizePayload")


class TransitionIn(InSchema):
    """办理一个环节：payload 的内容按环节而定（见各环节的专用接口）"""

    expected_version: int = F(..., "版本", "读取案件时的 version；案件已被他人修改时返回 409 case.stale",
                              ge=0, le=2**31)
    on: Optional[dt.date] = ON
    reason: str = REASON
    payload: dict = F({}, "内容", "按环节而定，见 /cases/{id}/transitions/<环节> 各专用接口的 payload")


def _envelope(base, name: str, payload_schema):
    field = PydanticField(default_factory=dict, title="内容", description=payload_schema.__doc__ or "内容")
    if any(f.is_required() for f in payload_schema.model_fields.values()):
        field = PydanticField(..., title="内容", description=payload_schema.__doc__ or "内容")
    return create_model(name, __base__=base, __doc__=base.__doc__, payload=(payload_schema, field))


def typed_create_in(kind):
    schema = CREATE_PAYLOADS[kind]
    return _envelope(CreateIn, f"{schema.__name__[:-7]}CaseIn", schema)


def typed_transition_in(name):
    schema = TRANSITION_PAYLOADS[name]
    camel = "".join(p.title() for p in name.split("_"))
    return _envelope(TransitionIn, f"{camel}TransitionIn", schema)


# ---- validation and id resolution ---------------------------------------------------------------
def validate_payload(schema, data):
    """The payload dict as `schema`, or a 422 whose message names the field's Chinese title."""
    if isinstance(data, schema):
        return data
    try:
        return schema.model_validate(data)
    except PydanticValidationError as e:
        errors = []
        for err in e.errors(include_url=False):
            loc = tuple(err["loc"])
            field = next((p for p in reversed(loc) if isinstance(p, str)), "payload")
            errors.append({"loc": ["body", "body", "payload", *loc], "field": field,
                           "label": field_label(schema, loc) or ("内容" if field == "payload" else field),
                           "type": err["type"], "message": translate(err)})
        raise NinjaValidationError(errors) from None


def _not_visible(label, value, field):
    return ActionRefused("validation", f"{label}：编号为 {value} 的记录不存在或不在您的数据范围内", field=field)


def _lookup(request, model, ids, label, field) -> dict:
    ids = list(ids)
    bad = next((i for i in ids if not valid_id(i)), None)
    if bad is not None:
        raise _not_visible(label, bad, field)
    found = {o.pk: o for o in visible(model, request).filter(pk__in=set(ids))}
    missing = next((i for i in ids if i not in found), None)
    if missing is not None:
        raise _not_visible(label, missing, field)
    return found


def resolve(request, payload) -> dict:
    """Plain keyword arguments for the action: ids → objects visible to the caller (else 422)."""
    schema = type(payload)
    data = payload.model_dump(exclude_unset=True)
    titles = {k: (v.title or k) for k, v in schema.model_fields.items()}
    for name, model in schema.refs.items():
        if data.get(name) is not None:
            data[name] = _lookup(request, model, [data[name]], titles[name], name)[data[name]]
    for name, model in schema.list_refs.items():
        if data.get(name):
            found = _lookup(request, model, data[name], titles[name], name)
            data[name] = [found[i] for i in data[name]]
    if data.get("officers"):
        ids = [a["officer"] for a in data["officers"]]
        found = _lookup(request, Officer, ids, titles["officers"], "officers")
        data["officers"] = [(found[a["officer"]], a.get("role", "assist")) for a in data["officers"]]
    for name in ("parties", "party"):
        if name in data:
            rows = data[name] if name == "parties" else [data[name]]
            rows = [{k: ("" if v is None else v) for k, v in p.items()} for p in rows]
            data[name] = rows if name == "parties" else rows[0]
    return data


def create_arguments(request, payload) -> tuple[dict, dict]:
    """(case data, other keyword arguments) of a creation payload; None means "not given"."""
    data = resolve(request, payload)
    kwargs = {k: data.pop(k) for k in list(data) if k in type(payload).extra}
    data = {k: v for k, v in data.items() if v is not None}
    if "unit" in data:
        entity_id = data["entity"].pk if "entity" in data else request.auth.entity_id
        if data["unit"].entity_id != entity_id:
            raise ActionRefused("validation", "承办机构：承办机构不属于该执法主体", field="unit")
    if "items" in kwargs:
        kwargs["items"] = [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in item.items() if v not in (None, "")}
                           for item in kwargs["items"]]
    return data, kwargs
