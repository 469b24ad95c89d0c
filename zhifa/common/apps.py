from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "zhifa.common"
    label = "common"
    verbose_name = "公共"
