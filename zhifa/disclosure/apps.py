from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save

from zhifa.disclosure.search import ensure_sqlite_index


class DisclosureConfig(AppConfig):
    name = "zhifa.disclosure"
    label = "disclosure"
    verbose_name = "公示平台"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What the portal does on case transitions: subscribers.py.
        # Imported here: the app registry loads this module before any model exists.
        from zhifa.disclosure.models import Publication
        from zhifa.disclosure.public import clear_filter_options

        post_migrate.connect(ensure_sqlite_index, sender=self, dispatch_uid="disclosure.search_index")
        post_save.connect(clear_filter_options, sender=Publication, dispatch_uid="disclosure.search_options")
