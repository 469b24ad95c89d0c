from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "zhifa.guidance"
    label = "guidance"
    verbose_name = "案例指导"
    default_auto_field = "django.db.models.BigAutoField"
