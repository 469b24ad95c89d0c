from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "zhifa.transfers"
    label = "transfers"
    verbose_name = "案件移送与两法衔接"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from zhifa.cases.models import CaseEvent
        from zhifa.transfers.hooks import on_case_event

        # The case's 移送 transition writes a CaseEvent in its transaction; the transfer record
        # (and its ledger entry) is written in the same transaction.
        post_save.connect(on_case_event, sender=CaseEvent, dispatch_uid="transfers.record_transfer")
