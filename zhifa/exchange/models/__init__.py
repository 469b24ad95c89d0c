from zhifa.exchange.models.batches import Batch, Row
from zhifa.exchange.models.payments import PaymentNotice, PaymentSlip

__all__ = ["Batch", "PaymentNotice", "PaymentSlip", "Row"]
