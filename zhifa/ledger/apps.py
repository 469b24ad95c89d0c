from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "zhifa.ledger"
    label = "ledger"
    verbose_name = "防篡改日志"
    default_auto_field = "django.db.models.BigAutoField"
