from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "zhifa.dispatch"
    label = "dispatch"
    verbose_name = "执法指挥"
    default_auto_field = "django.db.models.BigAutoField"

    # Its periodic work (overdue tasks escalated to the next head): periodic.py.
