from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "zhifa.disclosure"
    label = "disclosure"
    verbose_name = "公示平台"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from zhifa.cases.models import CaseEvent
        from zhifa.disclosure.pipeline import on_case_event

        # Issuing a decision (the "decide" transition writes a CaseEvent in its transaction)
        # queues the publication in the same transaction.
        post_save.connect(on_case_event, sender=CaseEvent, dispatch_uid="disclosure.queue_publication")
