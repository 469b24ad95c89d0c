from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "行政执法协调监督"
    default_auto_field = "django.db.models.BigAutoField"

    # Every committed case transition asks for one (debounced) alerts recompute: subscribers.py.
