from django.apps import AppConfig


class LegalCalConfig(AppConfig):
    name = "zhifa.legalcal"
    label = "legalcal"
    verbose_name = "法定工作日历"
