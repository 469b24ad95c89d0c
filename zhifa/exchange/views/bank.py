"""The bank's payment-notice callback (非税收入 缴款通知): POST JSON, signed with HMAC-SHA256 in the
header X-Zhifa-Signature. No session, no CSRF token: the signature is the authentication."""
from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused
from zhifa.exchange.actions.payments import do_payment_notice

MAX_BODY = 64 * 1024


@csrf_exempt
@require_POST
def payment_notice(request):
    body = request.body[:MAX_BODY + 1]
    if len(body) > MAX_BODY:
        return JsonResponse({"ok": False, "rule": "payment.notice", "message": "缴款通知：报文过大"}, status=413)
    try:
        notice, repeated = do_payment_notice(body, request.headers.get("X-Zhifa-Signature", ""))
    except ActionRefused as e:
        status = 403 if e.rule == "payment.signature" else 422
        return JsonResponse({"ok": False, "rule": e.rule, "field": e.field, "message": e.message}, status=status)
    recorded = notice.state == notice.State.RECORDED
    return JsonResponse({"ok": recorded, "transaction_id": notice.transaction_id, "state": notice.state,
                         "repeated": repeated, "rule": notice.rule, "message": notice.reason or "已登记缴款"},
                        status=200 if recorded else 409)
