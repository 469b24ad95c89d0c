from zhifa.exchange.models.batches import Batch, ListImport, Row
from zhifa.exchange.models.payments import PaymentNotice, PaymentSlip

__all__ = ["Batch", "ListImport", "PaymentNotice", "PaymentSlip", "Row"]
