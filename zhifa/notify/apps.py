from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "zhifa.notify"
    label = "notify"
    verbose_name = "通知与电子送达"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What this app does on case transitions: subscribers.py; on other apps' rows (督办 issued,
        # complaint answered): signals.py, connected here so that those apps never import this one.
        from zhifa.notify import signals

        signals.connect()
