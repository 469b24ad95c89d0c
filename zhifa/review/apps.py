from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    label = "review"
    verbose_name = "重大执法决定法制审核"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the review.* / discussion.* rules of this app into the case rules (machine.py lists
        # where they guard); what it does on transitions is in subscribers.py.
        from zhifa.ledger.log import register_subject
        from zhifa.review import rules  # noqa: F401
        from zhifa.review.models import Opinion

        register_subject(Opinion)
        from zhifa.cases.forms import DECISION_PREFILLS
        from zhifa.review.catalogue import decision_prefill

        if decision_prefill not in DECISION_PREFILLS:
            DECISION_PREFILLS.append(decision_prefill)
