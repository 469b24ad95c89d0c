"""电子送达 (行政处罚法 Art. 61): the writers. The party's consent is a signed 送达地址确认书 recorded by
an officer (channels, addresses, the version of the text signed); a document is sent with a link
holding a per-party token; the party opening it (or the channel's delivery report) is the arrival,
and the 送达日期 is the day of arrival, not of sending. The arrival then takes the case's own service
transition (送达事先告知书 / 送达决定书) in the sender's name, through the case engine.

Named rules (ActionRefused):
  eservice.consent_required   no live consent of this party: refused, Art. 61 requires it
  eservice.channel_consented  the channel is not one the party agreed to, or its address is missing
  eservice.party_of_case      the party is not a party of the document's case
  eservice.document_ready     the document's PDF is not ready
  eservice.document_stale     a newer version of the document exists
  eservice.consent_valid      consent form: channels, addresses, version, signing date
  eservice.consent_exists     a live consent already on file (withdraw it first)
  eservice.unknown_token      a receipt for a token that matches no service
  eservice.cancelled          a receipt for a service that was withdrawn
  eservice.resend_state       a service that arrived or was withdrawn is not sent again
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.cases import deadlines
from zhifa.cases.models import Deadline, Party
from zhifa.common.actions import ActionRefused, check_scope, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.ledger import log as ledger
from zhifa.notify.choices import CONSENT_VERSION, Channel, MessageState
from zhifa.notify.models import Consent, Message, Service
from zhifa.notify.outbox import EMAIL_RE, MOBILE_RE, post, post_to

log = logging.getLogger(__name__)
DEADLINE_KIND = "eservice_arrival"
CHANNELS = (Channel.EMAIL, Channel.SMS)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_handler(user, case):
    from zhifa.documents.actions import check_may_generate

    check_may_generate(user, case)


# ---- consent ---------------------------------------------------------------------------------------
@transaction.atomic
def do_record_consent(party: Party, *, acting_user, channels, email: str = "", mobile: str = "",
                      signed_on: dt.date, confirmation_version: str = CONSENT_VERSION) -> Consent:
    """The party's signed 电子送达地址确认书: which channels, which addresses, the text version signed."""
    case = party.case
    check_scope(acting_user, case, "view")
    _check_handler(acting_user, case)
    channels = [c for c in CHANNELS if c in set(channels or ())]
    bad = set(channels or ()) - set(CHANNELS)
    if not channels or bad:
        raise ActionRefused("eservice.consent_valid", "请选择同意的电子送达方式（电子邮件或短信）", "channels")
    email, mobile = (email or "").strip(), (mobile or "").strip()
    if Channel.EMAIL in channels and not EMAIL_RE.match(email):
        raise ActionRefused("eservice.consent_valid", "请填写有效的电子邮箱", "email")
    if Channel.SMS in channels and not MOBILE_RE.match(mobile):
        raise ActionRefused("eservice.consent_valid", "请填写11位手机号码", "mobile")
    if not confirmation_version or len(confirmation_version) > 20:
        raise ActionRefused("eservice.consent_valid", "请填写所签署送达地址确认书的版本", "confirmation_version")
    if signed_on is None or signed_on > timezone.localdate():
        raise ActionRefused("eservice.consent_valid", "确认书签署日期不能晚于今天", "signed_on")
    if Consent.objects.filter(party=party, withdrawn_on__isnull=True).exists():
        raise ActionRefused("eservice.consent_exists", "该当事人已有有效的电子送达确认，须先撤回再重新登记", "party")
    consent = Consent.objects.create(case=case, party=party, channels=channels,
                                     email=email if Channel.EMAIL in channels else "",
                                     mobile=mobile if Channel.SMS in channels else "",
                                     confirmation_version=confirmation_version, signed_on=signed_on,
                                     recorded_by=acting_user)
    log_change(consent, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(consent),
               reason=f"登记电子送达地址确认书（第{confirmation_version}版）")
    return consent


@transaction.atomic
def do_withdraw_consent(consent: Consent, *, acting_user, on: dt.date | None = None, reason: str = "") -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    check_scope(acting_user, consent.case, "view")
    _check_handler(acting_user, consent.case)
    if consent.withdrawn_on:
        return consent
    before = snapshot(consent)
    consent.withdrawn_on, consent.withdrawal_reason = on or timezone.localdate(), (reason or "").strip()[:300]
    consent.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    log_change(consent, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(consent),
               reason="当事人撤回电子送达同意")
    return consent


def live_consent(party) -> Consent | None:
    return Consent.objects.filter(party=party, withdrawn_on__isnull=True).first()


# ---- sending -----------------------------------------------------------------------------------------
def link_for(token: str) -> str:
    return f"{settings.ZHIFA_PUBLIC_BASE_URL}/gs/sd/{token}/"


@transaction.atomic
def do_send_document(document, party, *, acting_user, channel: str, at: dt.datetime | None = None
                     ) -> tuple[Service, str]:
    """Send `document` to `party` by `channel` with a link holding a fresh token; returns the service
    and the token (shown once, never stored: the row keeps its SHA-256). `at` is the time of sending
    (default now; the demo's cases are walked on earlier days) and may not lie in the future."""
    from zhifa.documents.models import GeneratedDocument

    case = document.case
    check_scope(acting_user, case, "view")
    _check_handler(acting_user, case)
    if party.case_id != case.pk:
        raise ActionRefused("eservice.party_of_case", "该当事人不是本案当事人", "party")
    consent = live_consent(party)
    if consent is None:
        raise ActionRefused("eservice.consent_required",
                            "当事人未签署电子送达地址确认书（或已撤回），不能电子送达（《行政处罚法》第六十一条）", "party")
    if channel not in consent.channels:
        raise ActionRefused("eservice.channel_consented",
                            f"当事人未同意以{Channel(channel).label if channel in Channel.values else channel}方式送达",
                            "channel")
    address = consent.email if channel == Channel.EMAIL else consent.mobile
    if not address:
        raise ActionRefused("eservice.channel_consented", "确认书中没有该送达方式的地址", "channel")
    if document.pdf_status != GeneratedDocument.PdfStatus.READY:
        raise ActionRefused("eservice.document_ready", "文书PDF尚未生成，不能送达", "document")
    if not document.is_latest():
        raise ActionRefused("eservice.document_stale", "该文书已有更新版本，请送达最新版本", "document")
    now = timezone.now()
    if at is not None and at > now:
        raise ActionRefused("validation", "发送时间不能晚于当前时间", "at")
    at = at or now
    token = secrets.token_urlsafe(24)
    today = timezone.localdate(at)
    dl = Deadline(case=case, kind=DEADLINE_KIND, label="电子送达到达期限", basis="《行政处罚法》第六十一条",
                  started_on=today, base_days=settings.ZHIFA_ESERVICE_FALLBACK_DAYS, working_days=False)
    deadlines.compute_due(dl)
    dl.save()
    deadlines.sync_next_due([case.pk])
    service = Service.objects.create(
        case=case, party=party, consent=consent, document=document, channel=channel, address=address,
        token_sha256=token_digest(token), pdf_sha256=document.pdf_sha256, sent_by=acting_user,
        sent_at=at, fallback_due_on=dl.due_on or today + dt.timedelta(days=dl.base_days))
    label = document.get_doc_type_display()
    text = (f"{party.name}：{case.entity.name}向您电子送达《{label}》{document.number or ''}。"
            f"请打开链接查看并确认收到：{link_for(token)}")
    message = post_to(channel, address, "eservice.document", text, name=party.name, case=case,
                      subject=f"电子送达：{label}", dedupe=f"eservice:{service.pk}")
    service.message = message
    service.save(update_fields=["message"])
    log_change(service, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(service),
               reason=f"电子送达《{label}》（{Channel(channel).label}）")
    ledger.append("eservice.sent", subject=service, actor=acting_user, case=case,
                  data={"document": document.pk, "pdf_sha256": document.pdf_sha256, "party": party.pk,
                        "channel": channel, "consent": consent.pk})
    return service, token


@transaction.atomic
def do_resend_service(service: Service, *, acting_user, channel: str | None = None) -> tuple[Service, str]:
    """Send a service's document to its party again (a bounce, no arrival by the fallback date, the
    party asks for it), through `do_send_document` with a fresh token, by `channel` (default the same
    one). A service still awaiting its arrival is withdrawn first, so only the new link counts."""
    old = Service.objects.select_for_update().select_related("case", "document", "party").get(pk=service.pk)
    check_scope(acting_user, old.case, "view")
    _check_handler(acting_user, old.case)
    if old.state in (Service.State.ARRIVED, Service.State.CANCELLED):
        raise ActionRefused("eservice.resend_state",
                            f"该电子送达{old.get_state_display()}，不能重新发送", "service")
    if old.state in (Service.State.SENT, Service.State.FALLBACK):
        before = snapshot(old)
        old.state = Service.State.CANCELLED
        old.transition_note = "已重新发送，本次送达链接作废"
        old.save(update_fields=["state", "transition_note"])
        log_change(old, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(old),
                   reason="重新电子送达，原送达撤回")
        if old.message_id:  # its message not yet out: never sent with the withdrawn link
            Message.objects.filter(pk=old.message_id, state__in=(MessageState.QUEUED, MessageState.RETRY)).update(
                state=MessageState.CANCELLED, last_error="已重新发送，本条取消", next_attempt_at=None)
        if not Service.objects.filter(case=old.case, state=Service.State.SENT).exists():
            deadlines.close_deadline(old.case, DEADLINE_KIND, timezone.localdate(), cancel=True)
    return do_send_document(old.document, old.party, acting_user=acting_user, channel=channel or old.channel)


# ---- arrival -----------------------------------------------------------------------------------------
def service_for_token(token: str) -> Service | None:
    if not token or len(token) > 100:
        return None
    return Service.objects.select_related("case", "document", "party", "case__entity").filter(
        token_sha256=token_digest(token)).first()


@transaction.atomic
def do_record_arrival(token: str, *, acting_user=None, source: str = Service.Source.LINK,
                      at: dt.datetime | None = None) -> Service:
    """The document reached the party: 送达日期 = the day of arrival. Once only (a second opening changes
    nothing). Then the case's service transition, in the sender's name; if the case cannot take it
    (already served another way, another state) the reason is kept on the service for the officer."""
    found = service_for_token(token)
    if found is None:
        raise ActionRefused("eservice.unknown_token", "送达链接无效或已失效", "token")
    service = Service.objects.select_for_update().get(pk=found.pk)
    if service.state == Service.State.CANCELLED:
        raise ActionRefused("eservice.cancelled", "该电子送达已撤回", "token")
    if service.arrived_at:
        return service
    before = snapshot(service)
    at = at or timezone.now()
    service.arrived_at, service.arrival_source = at, source
    service.served_on = timezone.localdate(at)
    service.state = Service.State.ARRIVED
    service.transition_note = _serve_case(service)
    service.save()
    deadlines.close_deadline(service.case, DEADLINE_KIND, service.served_on)
    deadlines.sync_next_due([service.case_id])
    log_change(service, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(service),
               reason=f"电子送达到达（{service.get_arrival_source_display()}），送达日期{service.served_on:%Y-%m-%d}")
    ledger.append("eservice.arrived", subject=service, actor=acting_user, case=service.case,
                  data={"served_on": service.served_on.isoformat(), "source": source,
                        "pdf_sha256": service.pdf_sha256})
    return service


SERVE = {  # document type → (case state it serves in, transition)
    "penalty_notice": ("proposed", "serve_notice"),
    "penalty_decision": ("decided", "serve_decision"),
}


def _serve_case(service: Service) -> str:
    from zhifa.cases import actions as CA
    from zhifa.cases.models import Case

    step = SERVE.get(service.document.doc_type)
    if step is None:
        return ""
    case = Case.objects.get(pk=service.case_id)
    state, transition = step
    if case.state != state:
        return f"案件当前状态为“{case.state_label}”，未自动登记送达环节"
    reason = f"电子送达：当事人{service.party.name}于{service.served_on:%Y-%m-%d}收悉（送达记录{service.pk}）"
    try:
        with transaction.atomic():
            if transition == "serve_notice":
                CA.do_serve_notice(case, acting_user=service.sent_by, expected_version=case.version,
                                   on=service.served_on, reason=reason)
            else:
                CA.do_serve_decision(case, method="电子送达", acting_user=service.sent_by,
                                     expected_version=case.version, on=service.served_on, reason=reason)
    except ActionRefused as e:
        log.info("电子送达 %s 未能登记案件送达：%s", service.pk, e)
        return f"未能自动登记送达环节：{e.message}"[:300]
    return f"已登记案件送达环节（送达日期{service.served_on:%Y-%m-%d}）"


# ---- failures and fallback ------------------------------------------------------------------------------
def message_failed(message) -> None:
    """The outbox gave a service's message up (bounce, permanent failure): the officer must serve another way."""
    for service in Service.objects.select_for_update().filter(message=message, state=Service.State.SENT):
        service.state = Service.State.FAILED
        service.transition_note = f"发送失败：{message.last_error}；请改用邮寄送达或公告送达"[:300]
        service.save(update_fields=["state", "transition_note"])
        post([service.sent_by], "eservice.fallback",
             f"案件“{service.case.title}”的电子送达未能发出（{message.last_error[:100]}），请改用其他方式送达",
             case=service.case, dedupe=f"eservice.failed:{service.pk}")


def mark_fallbacks(today: dt.date) -> dict:
    """Services not arrived by their fallback date: 邮寄送达 or 公告送达 is due; the sender is told once."""
    n = 0
    for service in Service.objects.select_related("case").filter(state=Service.State.SENT, fallback_due_on__lt=today):
        with transaction.atomic():
            Service.objects.filter(pk=service.pk, state=Service.State.SENT).update(
                state=Service.State.FALLBACK,
                transition_note=f"截至{service.fallback_due_on:%Y-%m-%d}未到达，须改用邮寄送达或公告送达")
            post([service.sent_by], "eservice.fallback",
                 f"案件“{service.case.title}”的电子送达截至{service.fallback_due_on:%Y-%m-%d}未到达，请改用邮寄送达或公告送达",
                 case=service.case, dedupe=f"eservice.fallback:{service.pk}")
        n += 1
    return {"fallback": n}
