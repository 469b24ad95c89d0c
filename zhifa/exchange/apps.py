from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "zhifa.exchange"
    label = "exchange"
    verbose_name = "数据交换"
    default_auto_field = "django.db.models.BigAutoField"
