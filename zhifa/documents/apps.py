from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zhifa.documents"
    label = "documents"
    verbose_name = "执法文书"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers archive.documents_complete into the case rules (machine.py names it on 归档).
        from zhifa.documents import rules  # noqa: F401
