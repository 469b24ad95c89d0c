from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the platform (issue 15): logging with request ids, metrics, the worker's heartbeat,
    readiness checks, backup and restore. The top floor: it may read every app; no app imports it."""

    name = "zhifa.ops"
    label = "ops"
    verbose_name = "运行维护"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhifa.ops import heartbeat, metrics

        metrics.install()
        heartbeat.start_if_worker()
