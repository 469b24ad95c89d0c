from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "zhifa.common"
    label = "common"
    verbose_name = "公共"

    def ready(self):
        from zhifa.common import retention

        retention.connect()  # audit rows younger than ZHIFA_AUDIT_RETENTION_DAYS cannot be deleted
