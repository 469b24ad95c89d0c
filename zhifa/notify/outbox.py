"""One outbox for every notification. Posting writes rows (in the caller's transaction); the worker
sends them (tasks.send_message_task, enqueued after commit):

    post(users, event, text, case=…)         staff: 站内提醒 at once, e-mail/SMS by their preferences
    post_to(channel, address, event, …)      someone without an account (a party, a complainant)
    deliver(message_id)                      one try: claim → provider → Attempt row → sent / retry / failed

A message is claimed (发送中) in its own transaction before the provider is called, so it is sent at
most once; a temporary failure is retried after BACKOFF_BASE_SECONDS·4ⁿ up to MAX_ATTEMPTS tries; a
permanent failure or a bounce is recorded and never retried. A dedupe key makes a repeated post
(the same deadline warned again, a retried request) return the message already there.
"""
from __future__ import annotations

import datetime as dt
import logging
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.notify.choices import BACKOFF_BASE_SECONDS, EVENTS, MAX_ATTEMPTS, Channel, MessageState
from zhifa.notify.models import Attempt, Message, Preference
from zhifa.notify.providers import PermanentFailure, TemporaryFailure, send

log = logging.getLogger(__name__)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def default_channels(event: str) -> list[str]:
    return list(EVENTS.get(event, EVENTS["notice"])[1])


def channels_for(user, event: str, pref: Preference | None = None) -> list[str]:
    """The user's channels for `event`: their preference, else the event's default. 站内提醒 always."""
    if pref is None:
        pref = Preference.objects.filter(user=user).first()
    chosen = (pref.channels.get(event) if pref else None) or default_channels(event)
    return [Channel.INAPP] + [c for c in chosen if c in (Channel.EMAIL, Channel.SMS)]


def address_of(user, channel: str, pref: Preference | None) -> str:
    if channel == Channel.EMAIL:
        return (pref.email if pref and pref.email else "") or (user.email or "")
    if channel == Channel.SMS:
        return pref.mobile if pref else ""
    return ""


def contact_channel(contact: str) -> tuple[str, str] | None:
    """('email', addr) or ('sms', mobile) for a free-text contact (a complaint's 联系方式), else None."""
    c = (contact or "").strip().replace(" ", "").replace("-", "")
    if EMAIL_RE.match(c):
        return Channel.EMAIL, c
    if MOBILE_RE.match(c.removeprefix("+86")):
        return Channel.SMS, c.removeprefix("+86")
    return None


def post(users, event: str, text: str, *, case=None, subject: str = "", dedupe: str | None = None
         ) -> list[Message]:
    """Tell staff users about `event`: the 站内提醒 now (the header's badge counts it), e-mail and SMS
    through the worker, by each user's preferences. With `dedupe`, a user is told once per key."""
    from zhifa.review.models import Notice

    users = list({u.pk: u for u in users if u is not None}.values())
    if not users:
        return []
    prefs = {p.user_id: p for p in Preference.objects.filter(user__in=users)}
    text = text[:500]
    subject = subject or EVENTS.get(event, EVENTS["notice"])[0]
    if dedupe:
        seen = set(Message.objects.filter(dedupe_key__in=[f"{dedupe}:{u.pk}:inapp" for u in users])
                   .values_list("dedupe_key", flat=True))
        users = [u for u in users if f"{dedupe}:{u.pk}:inapp" not in seen]
    now = timezone.now()
    rows, notices = [], []
    for u in users:
        pref = prefs.get(u.pk)
        for ch in channels_for(u, event, pref):
            key = f"{dedupe}:{u.pk}:{ch}" if dedupe else None
            if ch == Channel.INAPP:
                notices.append(Notice(user=u, case=case, text=text))
                rows.append(Message(event=event, channel=ch, user=u, recipient_name=str(u), subject=subject,
                                    body=text, case=case, dedupe_key=key, state=MessageState.SENT, sent_at=now))
                continue
            addr = address_of(u, ch, pref)
            if not addr:
                continue  # no address for this channel: the 站内提醒 still reached them
            rows.append(Message(event=event, channel=ch, user=u, recipient_name=str(u), address=addr,
                                subject=subject, body=text, case=case, dedupe_key=key))
    Notice.objects.bulk_create(notices)
    made = Message.objects.bulk_create(rows)
    _enqueue_after_commit([m for m in made if m.state == MessageState.QUEUED])
    return made


def post_to(channel: str, address: str, event: str, text: str, *, name: str = "", subject: str = "",
            case=None, dedupe: str | None = None) -> Message:
    """A message to someone without an account (a party, a complainant)."""
    if dedupe:
        old = Message.objects.filter(dedupe_key=dedupe).first()
        if old is not None:
            return old
    subject = subject or EVENTS.get(event, EVENTS["notice"])[0]
    try:
        with transaction.atomic():
            m = Message.objects.create(event=event, channel=channel, address=address, recipient_name=name,
                                       subject=subject[:200], body=text, case=case, dedupe_key=dedupe)
    except IntegrityError:
        return Message.objects.get(dedupe_key=dedupe)
    _enqueue_after_commit([m])
    return m


def _enqueue_after_commit(messages: list[Message]) -> None:
    ids = [m.pk for m in messages]
    if ids:
        transaction.on_commit(lambda: [_enqueue(i) for i in ids])


def _enqueue(message_id: int, at: dt.datetime | None = None) -> None:
    from zhifa.notify.tasks import send_message_task

    t = send_message_task
    try:
        if at is not None and t.get_backend().supports_defer:
            t = t.using(run_after=at)
        t.enqueue(message_id)
    except Exception:  # the sweep (deliver_due) sends it later; a request must not fail for the queue
        log.exception("通知消息 %s 未能排队", message_id)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=BACKOFF_BASE_SECONDS * 4 ** max(attempts - 1, 0))


def deliver(message_id: int, *, now: dt.datetime | None = None) -> str:
    """One try of one message; returns its state afterwards. Safe to call twice: only a 待发送/待重试
    message whose time has come is claimed."""
    now = now or timezone.now()
    with transaction.atomic():
        m = Message.objects.select_for_update().filter(pk=message_id).first()
        if m is None:
            return "missing"
        if m.state not in (MessageState.QUEUED, MessageState.RETRY):
            return m.state
        if m.next_attempt_at and m.next_attempt_at > now:
            return m.state
        m.state, m.attempts = MessageState.SENDING, m.attempts + 1
        m.save(update_fields=["state", "attempts"])
    outcome, detail, provider_id = Attempt.Outcome.SENT, "", ""
    try:
        provider_id = send(m.channel, m.address, m.subject, m.body)
    except PermanentFailure as e:
        outcome, detail = (Attempt.Outcome.BOUNCED if e.bounce else Attempt.Outcome.PERMANENT), str(e)
    except TemporaryFailure as e:
        outcome, detail = Attempt.Outcome.TEMPORARY, str(e)
    except Exception as e:  # a provider's own bug: retried, and the traceback logged
        log.exception("通知渠道 %s 出错", m.channel)
        outcome, detail = Attempt.Outcome.TEMPORARY, f"{type(e).__name__}: {e}"
    retry_at = None
    with transaction.atomic():
        Attempt.objects.create(message=m, number=m.attempts, outcome=outcome, detail=detail[:500])
        m.last_error = detail[:500]
        if outcome == Attempt.Outcome.SENT:
            m.state, m.sent_at, m.provider_id, m.next_attempt_at = MessageState.SENT, timezone.now(), provider_id, None
        elif outcome == Attempt.Outcome.BOUNCED:
            m.state = MessageState.BOUNCED
        elif outcome == Attempt.Outcome.PERMANENT or m.attempts >= MAX_ATTEMPTS:
            m.state = MessageState.FAILED
        else:
            m.state, m.next_attempt_at = MessageState.RETRY, now + backoff(m.attempts)
            retry_at = m.next_attempt_at
        m.save(update_fields=["state", "sent_at", "provider_id", "next_attempt_at", "last_error"])
        if m.state in (MessageState.BOUNCED, MessageState.FAILED):
            from zhifa.notify.actions.eservice import message_failed

            message_failed(m)
        if retry_at is not None:
            transaction.on_commit(lambda: _enqueue(m.pk, retry_at))
    return m.state


def deliver_due(now: dt.datetime | None = None, limit: int = 500) -> dict:
    """The sweep: every queued or retry message whose time has come (a lost enqueue, a restart)."""
    now = now or timezone.now()
    from django.db.models import Q

    ids = list(Message.objects.filter(state__in=(MessageState.QUEUED, MessageState.RETRY))
               .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
               .order_by("id").values_list("pk", flat=True)[:limit])
    out: dict[str, int] = {}
    for pk in ids:
        state = deliver(pk, now=now)
        out[state] = out.get(state, 0) + 1
    return out
