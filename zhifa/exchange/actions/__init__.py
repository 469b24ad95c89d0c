"""The exchange's writers. Named rules: exchange.role (who builds batches and imports acceptance
files), exchange.acceptance (an acceptance file that does not match its batch), payment.signature,
payment.notice (a bank notice that cannot be read or matched), and the cases rules
(payment.not_over …) that do_record_payment applies."""
from zhifa.exchange.actions.batches import do_build_batch, do_import_acceptance, queue
from zhifa.exchange.actions.payments import do_payment_notice, issue_slip

__all__ = ["do_build_batch", "do_import_acceptance", "do_payment_notice", "issue_slip", "queue"]
