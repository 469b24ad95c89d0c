from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhifa.accounts"
    label = "accounts"
    verbose_name = "账号与认证"

    def ready(self):
        from zhifa.accounts import audit  # noqa: F401 - connects the login audit receivers
