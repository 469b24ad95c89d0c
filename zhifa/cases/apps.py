from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "执法办案"

    def ready(self):
        # Every app's subscribers.py: what reacts to case transitions, declared in one place per app.
        from zhifa.cases import events

        events.discover()

        from django.db.models.signals import post_save

        from zhifa.orgs.models import Entity

        post_save.connect(_entity_saved, sender=Entity, dispatch_uid="cases.entity_region_path")


def _entity_saved(sender, instance, created, raw=False, **kwargs):
    """An entity moved to another region: its cases' region_path (the supervisors' scope) follows."""
    if created or raw:
        return
    from zhifa.cases.models import Case, region_path_of

    path = region_path_of(instance)
    Case.objects.filter(entity=instance).exclude(region_path=path).update(region_path=path)
