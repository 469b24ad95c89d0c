"""`zhifa scheduler [--worker] [--once] [--interval 5]`: the clock of the background tasks.

Enqueues the periodic jobs of zhifa.supervision.tasks (daily at ZHIFA_DAILY_AT: publication expiry and
alerts, in January last year's annual reports; alerts every ZHIFA_ALERTS_EVERY_MINUTES minutes) and those the
apps register in zhifa.common.registry.periodic_tasks (notify: the outbox sweep every few minutes, the
法定期限 notices and the 电子送达 fallback daily). With
--worker it also runs every ready task in this process after each tick (one process for a small
installation or the demo); otherwise run `zhifa db_worker` beside it.
"""
import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from zhifa.supervision import tasks


class Command(BaseCommand):
    help = "后台任务调度：按时排队每日任务和预警重算（--worker 同时在本进程执行任务）"

    def add_arguments(self, parser):
        parser.add_argument("--worker", action="store_true", help="同时在本进程执行已排队的任务")
        parser.add_argument("--once", action="store_true", help="只检查一次（cron 用）")
        parser.add_argument("--interval", type=float, default=5.0, help="检查间隔（秒）")

    def handle(self, *args, worker=False, once=False, interval=5.0, **options):
        last = tasks.remembered(timezone.localtime())
        self.stdout.write(f"调度已启动（每日任务 {tasks.daily_at():%H:%M}；"
                          f"{'本进程执行任务' if worker else '任务由 zhifa db_worker 执行'}）")
        while True:
            for name in tasks.tick(timezone.localtime(), last):
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 已排队：{name}")
            if worker:
                run_ready_tasks()
            if once:
                return
            time.sleep(interval)


def run_ready_tasks(backend_name: str = "default") -> int:
    """Run every ready task of the database backend in this process (django_tasks_db's worker in batch
    mode); returns how many ran. Other backends run tasks at enqueue: nothing to do."""
    if not isinstance(task_backends[backend_name], DatabaseBackend):
        return 0
    w = Worker(queue_names=["*"], interval=0, batch=True, backend_name=backend_name, startup_delay=False,
               max_tasks=None, worker_id=f"scheduler-{id(object())}"[:64], excluded_queue_names=[])
    w.run()
    return w._run_tasks
