from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "zhifa.ledger"
    label = "ledger"
    verbose_name = "防篡改日志"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from zhifa.common.models import ChangeLog
        from zhifa.ledger.appendonly import register_sqlite_function
        from zhifa.ledger.log import register_subject
        from zhifa.ledger.privileges import after_migrate

        # Before any connection is opened: the append-only triggers call this function on SQLite.
        connection_created.connect(register_sqlite_function, dispatch_uid="zhifa_ledger_unlocked")
        # Every change-log row gets a "change" entry (common.actions.log_change / bulk_log_created).
        register_subject(ChangeLog)
        # The owner's `zhifa migrate` leaves the application role read-and-append on the log tables.
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="zhifa_ledger_privileges")
