from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhifa.accounts"
    label = "accounts"
    verbose_name = "账号与认证"

    def ready(self):
        from zhifa.accounts import audit, checks  # noqa: F401 - login audit receivers, system checks
