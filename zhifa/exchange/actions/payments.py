"""非税收入: the 缴款书 number of a decision with a fine or confiscation (issued when the case is
decided), and the bank's payment notice (a signed callback) recorded through the case's own
`do_record_payment` — so an overpayment is refused by payment.not_over like any other.

A notice is HMAC-SHA256 over the request body with ZHIFA_PAYMENT_HMAC_KEY (header X-Zhifa-Signature,
hex). A bad signature is refused and nothing is stored (its transaction id cannot be trusted). A
readable notice is kept once per bank transaction id with what happened to it; the same notice again
gets the same answer, and nothing is recorded twice."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.exchange.models import PaymentNotice, PaymentSlip

ITEMS = {"fine": "罚款", "confiscation": "没收违法所得"}


def slip_check_digit(first19: str) -> str:
    """Luhn check digit of the 缴款书号码's first 19 digits."""
    total = 0
    for i, c in enumerate(reversed(first19)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def check_slip_number(value: str) -> str | None:
    if len(value or "") != 20 or not value.isdigit():
        return "非税收入缴款书号码应为20位数字"
    if slip_check_digit(value[:19]) != value[19]:
        return "非税收入缴款书号码校验位错误"
    return None


def issue_slip(case, *, acting_user=None) -> PaymentSlip | None:
    """The 缴款书 of a decided case with money to pay (region 6 + year 4 + sequence 9 + check 1)."""
    if case.no_penalty or not (case.fine_amount or case.confiscation_amount):
        return None
    found = PaymentSlip.objects.filter(case=case).first()
    if found:
        return found
    on = case.decided_on or timezone.localdate()
    prefix = f"{(case.entity.region.code or '000000')[:6]}{on:%Y}"
    last = (PaymentSlip.objects.select_for_update().filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last[10:19]) + 1 if last else 1
    first19 = f"{prefix}{seq:09d}"
    slip = PaymentSlip.objects.create(case=case, number=first19 + slip_check_digit(first19), issued_on=on)
    log_change(slip, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(slip),
               reason=f"开具非税收入缴款书（{case.decision_number or case.number}）")
    return slip


def sign(body: bytes, key: str | None = None) -> str:
    return hmac.new((key or settings.ZHIFA_PAYMENT_HMAC_KEY).encode(), body, hashlib.sha256).hexdigest()


def _handler_user(case):
    lead = (case.officers.filter(active=True).select_related("officer__user").order_by("role", "id")
            .exclude(officer__user__isnull=True).first())
    return lead.officer.user if lead else None


def _parse(body: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(body.decode("utf-8"))
        assert isinstance(doc, dict)
    except (ValueError, UnicodeDecodeError, AssertionError):
        raise ActionRefused("payment.notice", "缴款通知：报文应为JSON对象", "body") from None
    txn = str(doc.get("transaction_id") or "").strip()
    if not txn or len(txn) > 64:
        raise ActionRefused("payment.notice", "缴款通知：缺少银行交易流水号（transaction_id）", "transaction_id")
    try:
        amount = Decimal(str(doc.get("amount")))
        assert amount > 0 and amount.as_tuple().exponent >= -2
    except (InvalidOperation, AssertionError):
        raise ActionRefused("payment.notice", "缴款通知：金额（amount）应为大于0的数字，最多两位小数", "amount") from None
    try:
        paid_on = dt.date.fromisoformat(str(doc.get("paid_on")))
    except ValueError:
        raise ActionRefused("payment.notice", "缴款通知：缴款日期（paid_on）应为YYYY-MM-DD", "paid_on") from None
    item = str(doc.get("item") or "fine")
    if item not in ITEMS:
        raise ActionRefused("payment.notice", "缴款通知：缴款项目（item）应为 fine 或 confiscation", "item")
    return {"transaction_id": txn, "slip_number": str(doc.get("slip_number") or "").strip()[:40], "amount": amount,
            "paid_on": paid_on, "item": item}


def do_payment_notice(body: bytes, signature: str) -> tuple[PaymentNotice, bool]:
    """(the notice, whether it was already known). Refuses a bad signature or an unreadable body."""
    key = settings.ZHIFA_PAYMENT_HMAC_KEY
    if not key or not hmac.compare_digest(sign(body, key), (signature or "").strip().lower()):
        raise ActionRefused("payment.signature", "缴款通知：签名（X-Zhifa-Signature）校验失败，不予受理", "signature")
    f = _parse(body)
    digest = hashlib.sha256(body).hexdigest()
    known = PaymentNotice.objects.filter(transaction_id=f["transaction_id"]).first()
    if known is not None:
        if known.body_sha256 != digest:
            raise ActionRefused("payment.notice", f"缴款通知：交易流水号{f['transaction_id']}已收到过内容不同的通知",
                                "transaction_id")
        return known, True
    from zhifa.cases.actions.general import do_record_payment

    try:
        with transaction.atomic():
            slip = PaymentSlip.objects.select_related("case").filter(number=f["slip_number"]).first()
            notice = PaymentNotice(slip=slip, body_sha256=digest, state=PaymentNotice.State.RECORDED, **f)
            try:
                if slip is None:
                    raise ActionRefused("payment.notice", f"缴款书号码“{f['slip_number']}”不存在", "slip_number")
                user = _handler_user(slip.case)
                if user is None:
                    raise ActionRefused("payment.notice", "案件没有可登记缴款的承办人员账号", "slip_number")
                with transaction.atomic():
                    do_record_payment(slip.case, amount=f["amount"], item=f["item"], acting_user=user,
                                      expected_version=slip.case.version, on=f["paid_on"],
                                      reason=f"银行缴款通知（缴款书{slip.number}，流水号{f['transaction_id']}）")
            except ActionRefused as e:
                notice.state, notice.rule, notice.reason = PaymentNotice.State.REFUSED, e.rule, str(e.message)[:500]
            notice.save()
            log_change(notice, ChangeLog.Action.CREATE, acting_user=None, after=snapshot(notice),
                       reason=f"银行缴款通知{notice.transaction_id}：{notice.get_state_display()}")
    except IntegrityError:  # the same notice arriving twice at once: the first one's answer stands
        return PaymentNotice.objects.get(transaction_id=f["transaction_id"]), True
    return notice, False
