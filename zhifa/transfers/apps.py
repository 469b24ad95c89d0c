from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "zhifa.transfers"
    label = "transfers"
    verbose_name = "案件移送与两法衔接"
    default_auto_field = "django.db.models.BigAutoField"

    # What this app does on case transitions (the transfer record of 移送): subscribers.py.
