from typing import Any

from django.apps import AppConfig
from django.db.models import Model
from django.db.models.signals import post_delete, post_migrate, post_save


def _seed_after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Load the chinesecalendar years after every migrate / flush (idempotent, cheap)."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar
    from zhifa.legalcal.models import CalendarDay, CalendarYear

    if using != DEFAULT_DB_ALIAS:
        return
    tables = connections[using].introspection.table_names()
    if CalendarYear._meta.db_table not in tables or CalendarDay._meta.db_table not in tables:
        return  # migrated backwards to before 0001
    seed_from_chinesecalendar()
    periods.clear_cache()


def _invalidate(sender: type[Model], **kwargs: Any) -> None:
    from zhifa.legalcal import periods

    periods.invalidate()


class LegalCalConfig(AppConfig):
    name = "zhifa.legalcal"
    label = "legalcal"
    verbose_name = "法定工作日历"

    def ready(self) -> None:
        from zhifa.legalcal.models import CalendarDay, CalendarYear

        post_migrate.connect(_seed_after_migrate, sender=self, dispatch_uid="legalcal-seed")
        for model in (CalendarYear, CalendarDay):
            post_save.connect(_invalidate, sender=model, dispatch_uid=f"legalcal-save-{model.__name__}")
            post_delete.connect(_invalidate, sender=model, dispatch_uid=f"legalcal-delete-{model.__name__}")
