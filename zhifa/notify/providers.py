"""Channel providers: how a message leaves the platform.

    e-mail  Django's mail backend (settings.EMAIL_BACKEND: SMTP in production; the file backend under
            the data dir in demo mode). A recipient the server refuses (5xx) is a bounce: recorded,
            never retried.
    SMS     an `SmsProvider` named by settings.ZHIFA_SMS_PROVIDER (dotted path). Built in: the file
            provider (one JSON line per message under $ZHIFA_DATA_DIR/sms/, the demo's) and the console
            provider (the log). A production gateway (运营商/云短信) is one class with `send()`.
    in-app  the 站内提醒 row, written when the message is posted (no provider).

A provider raises TemporaryFailure (retried with backoff) or PermanentFailure (given up, bounce=True
for an address that does not exist); anything else it raises counts as temporary.
"""
from __future__ import annotations

import json
import logging
import smtplib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    def __init__(self, message: str, *, bounce: bool = False) -> None:
        super().__init__(message)
        self.bounce = bounce


class SmsProvider:
    """Send `text` to `mobile`; return the provider's message id."""

    def send(self, mobile: str, text: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class FileSmsProvider(SmsProvider):
    """Demo and tests: one JSON line per message in $ZHIFA_DATA_DIR/sms/outbox.jsonl."""

    def path(self) -> Path:
        p = Path(settings.DATA_DIR) / "sms"
        p.mkdir(parents=True, exist_ok=True)
        return p / "outbox.jsonl"

    def send(self, mobile: str, text: str) -> str:
        mid = uuid.uuid4().hex
        with self.path().open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"id": mid, "to": mobile, "text": text, "at": timezone.now().isoformat()},
                                ensure_ascii=False) + "\n")
        return mid


class ConsoleSmsProvider(SmsProvider):
    def send(self, mobile: str, text: str) -> str:
        mid = uuid.uuid4().hex
        log.info("短信 %s → %s：%s", mid, mobile, text)
        return mid


class NoSmsProvider(SmsProvider):
    """Production default until a gateway is configured: every SMS fails permanently, with the reason."""

    def send(self, mobile: str, text: str) -> str:
        raise PermanentFailure("未配置短信通道（ZHIFA_SMS_PROVIDER）")


def sms_provider() -> SmsProvider:
    return import_string(settings.ZHIFA_SMS_PROVIDER)()


def send_email(to: str, subject: str, body: str) -> str:
    mid = f"<{uuid.uuid4().hex}@zhifa>"
    msg = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
                       headers={"Message-ID": mid})
    try:
        get_connection(fail_silently=False).send_messages([msg])
    except smtplib.SMTPRecipientsRefused as e:
        code, text = next(iter(e.recipients.values()))
        if 400 <= code < 500:
            raise TemporaryFailure(f"邮件服务器暂时拒收：{code} {_text(text)}") from e
        raise PermanentFailure(f"邮箱地址被拒收（退信）：{code} {_text(text)}", bounce=True) from e
    except smtplib.SMTPResponseException as e:
        if 500 <= e.smtp_code < 600:
            raise PermanentFailure(f"邮件服务器拒绝：{e.smtp_code} {_text(e.smtp_error)}") from e
        raise TemporaryFailure(f"邮件服务器暂时不可用：{e.smtp_code} {_text(e.smtp_error)}") from e
    except (TimeoutError, smtplib.SMTPException, OSError) as e:
        raise TemporaryFailure(f"无法连接邮件服务器：{e}") from e
    return mid


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def send(channel: str, address: str, subject: str, body: str) -> str:
    if channel == "email":
        return send_email(address, subject, body)
    if channel == "sms":
        return sms_provider().send(address, f"【{settings.ZHIFA_SMS_SIGNATURE}】{subject}：{body}"
                                   if subject else body)
    raise PermanentFailure(f"未知的通知渠道：{channel}")
