from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "zhifa.inspections"
    label = "inspections"
    verbose_name = "双随机、一公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from zhifa.inspections import models
        from zhifa.ledger.log import register_subject

        for model in (models.RosterSnapshot, models.Plan, models.Batch, models.Draw, models.Recusal):
            register_subject(model)
