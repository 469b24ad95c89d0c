from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "zhifa.records"
    label = "records"
    verbose_name = "全过程记录"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers records.av_required into the case rules (machine.COMMON lists it).
        from zhifa.cases.models import CaseEvent
        from zhifa.documents.models import GeneratedDocument
        from zhifa.ledger.log import register_subject
        from zhifa.records import rules  # noqa: F401
        from zhifa.records.models import RecordItem, RecordVersion

        # Every row of these must have its ledger entry (`zhifa verify` checks both ways).
        for model in (CaseEvent, GeneratedDocument, RecordItem, RecordVersion):
            register_subject(model)
