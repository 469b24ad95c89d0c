"""What the exchange app tells the case's documents (common.registry.document_facts): the 非税收入缴款书
number, printed in the 行政处罚决定书's 履行方式和期限."""
from __future__ import annotations

from zhifa.common.registry import document_facts


@document_facts.register("exchange")
def payment_slip(case, *, on=None) -> dict:
    from zhifa.exchange.models import PaymentSlip

    number = PaymentSlip.objects.filter(case=case).values_list("number", flat=True).first()
    return {"payment_slip": number} if number else {}
