from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "zhifa.permits"
    label = "permits"
    verbose_name = "行政许可"
    default_auto_field = "django.db.models.BigAutoField"

    # What this app does on case transitions (a decided 暂扣/吊销许可证件 suspends or revokes the
    # permit the decision names): subscribers.py.
