from django.apps import AppConfig


class BlobsConfig(AppConfig):
    name = "zhifa.blobs"
    label = "blobs"
    verbose_name = "文件存储"
    default_auto_field = "django.db.models.BigAutoField"
