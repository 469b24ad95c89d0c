from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per background process (`zhifa db_worker`, `zhifa scheduler [--worker]`), refreshed every
    ZHIFA_HEARTBEAT_SECONDS by a thread of that process (zhifa.ops.heartbeat); /readyz and the
    metrics read the newest beat of a process that runs tasks."""

    process = models.CharField(_("进程"), max_length=128, unique=True)  # host:pid
    role = models.CharField(_("角色"), max_length=32)  # worker | scheduler | scheduler+worker
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("后台进程心跳")

    def __str__(self) -> str:
        return f"{self.role} {self.process}"
