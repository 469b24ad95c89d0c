from django.apps import AppConfig


class WitnessConfig(AppConfig):
    name = "zhifa.witness"
    label = "witness"
    verbose_name = "见证方"
    default_auto_field = "django.db.models.BigAutoField"
