"""电子送达 and a case's notifications over REST (`/api/v1/notify`): what the case's 电子送达 page shows and
does, so a client can follow a service from sending to arrival.

    GET  /case/{case_id}/services          the case's electronic services with their state (送达日期 on arrival)
    GET  /case/{case_id}/messages          the case's outbox messages with their state and tries (paginated)
    GET  /case/{case_id}/consents          the consents (电子送达地址确认书) of the case's parties
    POST /case/{case_id}/send              send a document to a consenting party (do_send_document)
    GET  /parties/{party_id}/consent       one party's live consent (null if none) and its history
    POST /parties/{party_id}/consent       record the party's signed 确认书 (do_record_consent)
    POST /consents/{consent_id}/withdraw   the party withdraws its consent (do_withdraw_consent)
    POST /services/{service_id}/resend     send a service's document again (do_resend_service)

Everything is read through the case's scope (`Case.objects.restrict(user, "view")`): a case, party,
consent or service outside it is 404; a visible case whose documents the user may not issue (not a
handler, head or administrator: `documents.actions.may_generate`) is 403 on write; writes go through
the actions and their rules (409, 422 for bad input, each naming its field).
The party's access token is never returned: it reaches the party only in the message.
"""

import datetime as dt
from typing import Literal, Optional

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zhifa.cases.models import Case, Party
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.api.base import (
    F,
    InSchema,
    Pagination,
    RefOut,
    actor,
    choices,
    choices_text,
    get_visible,
    responses,
    visible,
)
from zhifa.notify.actions import eservice as es
from zhifa.notify.choices import CONSENT_VERSION, Channel, MessageState, ServiceState
from zhifa.notify.models import Consent, Message, Service

router = Router(tags=["电子送达与通知"])

SendChannel = Literal["email", "sms"]  # the channels of 电子送达 (站内提醒 reaches staff only)


class EServiceDocumentOut(Schema):
    id: int = F(..., "文书编号")
    doc_type: str = F(..., "文书类型")
    label: str = F(..., "文书名称")
    number: str = F(..., "文号")
    version: int = F(..., "版本")

    @staticmethod
    def resolve_label(obj):
        return obj.get_doc_type_display()


class EServiceOut(Schema):
    id: int = F(..., "送达记录编号")
    case_id: int = F(..., "案件编号")
    party: RefOut = F(..., "当事人")
    document: EServiceDocumentOut = F(..., "送达的文书")
    channel: str = F(..., "送达方式", choices_text(Channel))
    address: str = F(..., "送达地址")
    state: str = F(..., "状态", choices_text(ServiceState))
    state_label: str = F(..., "状态说明")
    sent_at: dt.datetime = F(..., "发出时间")
    arrived_at: Optional[dt.datetime] = F(None, "到达时间")
    arrival_source: str = F(..., "到达依据")
    served_on: Optional[dt.date] = F(None, "送达日期", "到达之日；未到达时为空")
    fallback_due_on: dt.date = F(..., "未到达改用其他方式的日期")
    transition_note: str = F(..., "案件送达环节")
    pdf_sha256: str = F(..., "送达文书SHA-256")
    message_id: Optional[int] = F(None, "通知消息编号")
    message_state: str = F("", "通知消息状态", choices_text(MessageState))

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_message_state(obj):
        return obj.message.state if obj.message_id and obj.message else ""


class NotifyMessageOut(Schema):
    id: int = F(..., "消息编号")
    event: str = F(..., "事件")
    channel: str = F(..., "渠道", choices_text(Channel))
    recipient_name: str = F(..., "接收人")
    subject: str = F(..., "标题")
    body: str = F(..., "内容")
    state: str = F(..., "状态", choices_text(MessageState))
    state_label: str = F(..., "状态说明")
    attempts: int = F(..., "已尝试次数")
    next_attempt_at: Optional[dt.datetime] = F(None, "下次尝试时间")
    last_error: str = F(..., "最近错误")
    created_at: dt.datetime = F(..., "创建时间")
    sent_at: Optional[dt.datetime] = F(None, "发送时间")

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()


class NotifyMessageFilter(InSchema):
    channel: Optional[choices(Channel)] = F(None, "渠道", choices_text(Channel))
    state: Optional[choices(MessageState)] = F(None, "状态", choices_text(MessageState))


class EServiceConsentOut(Schema):
    id: int = F(..., "确认书登记编号")
    case_id: int = F(..., "案件编号")
    party: RefOut = F(..., "当事人")
    channels: list[str] = F(..., "同意的送达方式")
    email: str = F(..., "电子邮箱")
    mobile: str = F(..., "手机号码")
    confirmation_version: str = F(..., "送达地址确认书版本")
    signed_on: dt.date = F(..., "确认书签署日期")
    recorded_at: dt.datetime = F(..., "登记时间")
    live: bool = F(..., "有效", "未撤回")
    withdrawn_on: Optional[dt.date] = F(None, "撤回日期")
    withdrawal_reason: str = F(..., "撤回说明")


class PartyConsentOut(Schema):
    party: RefOut = F(..., "当事人")
    case_id: int = F(..., "案件编号")
    consent: Optional[EServiceConsentOut] = F(None, "有效的电子送达确认", "无则为空：不能电子送达（《行政处罚法》第六十一条）")
    history: list[EServiceConsentOut] = F(..., "全部登记（含已撤回）")


class EServiceConsentIn(InSchema):
    channels: list[SendChannel] = F(..., "同意的送达方式", "email 电子邮件；sms 短信", min_length=1, max_length=2)
    email: str = F("", "电子邮箱", max_length=254)
    mobile: str = F("", "手机号码", max_length=20)
    signed_on: dt.date = F(..., "确认书签署日期")
    confirmation_version: str = F(CONSENT_VERSION, "送达地址确认书版本", max_length=20)


class EServiceWithdrawIn(InSchema):
    reason: str = F("", "撤回说明", max_length=300)


class EServiceSendIn(InSchema):
    document: int = F(..., "文书编号", ge=1, le=2**63 - 1)
    party: int = F(..., "当事人编号", ge=1, le=2**63 - 1)
    channel: SendChannel = F(..., "送达方式", "email 电子邮件；sms 短信")


class EServiceResendIn(InSchema):
    channel: Optional[SendChannel] = F(None, "送达方式", "不填则与原送达相同")


# ---- look-ups through the case's scope ---------------------------------------------------------------
def _case(request, case_id) -> Case:
    return get_visible(Case, request, case_id)


def _party(request, party_id) -> Party:
    return get_visible(Party.objects.filter(case__in=visible(Case, request)).select_related("case"), request,
                       party_id)


def _services(request):
    return visible(Service, request).select_related("party", "document", "message")


def _require_handler(request, case) -> None:
    from zhifa.documents.actions import may_generate

    if not may_generate(actor(request), case):
        raise OutOfScope("您不是本案的承办人员，不能办理本案的电子送达")


# ---- reads -------------------------------------------------------------------------------------------
@router.get("/case/{case_id}/services", response=responses(list[EServiceOut]),
            operation_id="zhifa_apiv1_notify_case_services", summary="案件的电子送达记录及状态")
def case_services(request, case_id: int):
    case = _case(request, case_id)
    return list(_services(request).filter(case=case).order_by("-id"))


@router.get("/case/{case_id}/messages", response=responses(list[NotifyMessageOut]),
            operation_id="zhifa_apiv1_notify_case_messages", summary="案件的通知消息及发送状态")
@paginate(Pagination)
def case_messages(request, case_id: int, filters: Query[NotifyMessageFilter]):
    case = _case(request, case_id)
    qs = Message.objects.filter(case=case).order_by("-id")
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs


@router.get("/case/{case_id}/consents", response=responses(list[EServiceConsentOut]),
            operation_id="zhifa_apiv1_notify_case_consents", summary="案件当事人的电子送达地址确认书")
def case_consents(request, case_id: int):
    case = _case(request, case_id)
    return list(visible(Consent, request).filter(case=case).select_related("party").order_by("party_id", "-id"))


@router.get("/parties/{party_id}/consent", response=responses(PartyConsentOut),
            operation_id="zhifa_apiv1_notify_party_consent", summary="当事人的电子送达确认（是否同意电子送达）")
def party_consent(request, party_id: int):
    party = _party(request, party_id)
    history = list(visible(Consent, request).filter(party=party).select_related("party").order_by("-id"))
    return {"party": party, "case_id": party.case_id, "history": history,
            "consent": next((c for c in history if c.withdrawn_on is None), None)}


# ---- writes, through the actions ---------------------------------------------------------------------
@router.post("/parties/{party_id}/consent", response=responses(EServiceConsentOut, 201),
             operation_id="zhifa_apiv1_notify_record_consent", summary="登记电子送达地址确认书")
def record_consent(request, party_id: int, body: EServiceConsentIn):
    party = _party(request, party_id)
    _require_handler(request, party.case)
    consent = es.do_record_consent(party, acting_user=actor(request), channels=body.channels,
                                   email=body.email, mobile=body.mobile, signed_on=body.signed_on,
                                   confirmation_version=body.confirmation_version)
    return Status(201, consent)


@router.post("/consents/{consent_id}/withdraw", response=responses(EServiceConsentOut),
             operation_id="zhifa_apiv1_notify_withdraw_consent", summary="登记当事人撤回电子送达同意")
def withdraw_consent(request, consent_id: int, body: EServiceWithdrawIn):
    consent = get_visible(visible(Consent, request).select_related("party", "case"), request, consent_id)
    _require_handler(request, consent.case)
    return es.do_withdraw_consent(consent, acting_user=actor(request), reason=body.reason)


@router.post("/case/{case_id}/send", response=responses(EServiceOut, 201),
             operation_id="zhifa_apiv1_notify_send", summary="电子送达文书（当事人打开链接确认收到之日为送达日期）")
def send(request, case_id: int, body: EServiceSendIn):
    from zhifa.documents.models import GeneratedDocument

    case = _case(request, case_id)
    _require_handler(request, case)
    party = Party.objects.filter(case=case, pk=body.party).first()
    if party is None:
        raise ActionRefused("validation", f"当事人：编号为 {body.party} 的当事人不是本案当事人", "party")
    document = GeneratedDocument.objects.filter(case=case, pk=body.document).first()
    if document is None:
        raise ActionRefused("validation", f"文书编号：编号为 {body.document} 的文书不属于本案", "document")
    service, _token = es.do_send_document(document, party, acting_user=actor(request), channel=body.channel)
    return Status(201, _services(request).get(pk=service.pk))


@router.post("/services/{service_id}/resend", response=responses(EServiceOut, 201),
             operation_id="zhifa_apiv1_notify_resend", summary="重新电子送达（原送达链接作废）")
def resend(request, service_id: int, body: EServiceResendIn):
    service = get_visible(_services(request), request, service_id)
    _require_handler(request, service.case)
    new, _token = es.do_resend_service(service, acting_user=actor(request), channel=body.channel)
    return Status(201, _services(request).get(pk=new.pk))
