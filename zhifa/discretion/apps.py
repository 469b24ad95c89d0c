from django.apps import AppConfig


class DiscretionConfig(AppConfig):
    name = "zhifa.discretion"
    label = "discretion"
    verbose_name = "裁量辅助、类案推送与法规库"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers discretion.* rules into the case rules (machine.py names them on `decide`).
        from zhifa.discretion import rules  # noqa: F401
        from zhifa.discretion.models import CaseCircumstances, Factor, LawText, Norm
        from zhifa.ledger.log import register_subject

        # LawArticle rows are covered by their law's ledgered digest (verify.py re-hashes them).
        for model in (CaseCircumstances, Factor, LawText, Norm):
            register_subject(model)
