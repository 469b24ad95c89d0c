from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "执法办案"

    def ready(self):
        # Every app's subscribers.py: what reacts to case transitions, declared in one place per app.
        from zhifa.cases import events

        events.discover()
