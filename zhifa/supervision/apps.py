from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "行政执法协调监督"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from zhifa.cases.models import CaseEvent
        from zhifa.supervision.tasks import on_case_event

        # Every committed case transition asks for one (debounced) alerts recompute.
        post_save.connect(on_case_event, sender=CaseEvent, dispatch_uid="supervision.recompute_alerts")
