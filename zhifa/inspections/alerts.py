"""预警 conditions of 双随机、一公开 (zhifa.common.registry.alert_checks; supervision reads them
without importing this app): a batch whose inspection period ended without a finished draw, a
task whose result was not entered by its due date, and a result not published on the portal
within its period (PUBLISH_WITHIN_WORKING_DAYS working days after the check)."""
from __future__ import annotations

import datetime as dt

from zhifa.common.registry import Finding, alert_checks
from zhifa.inspections.models import Batch, Draw, Plan, Task


def overdue_tasks(today: dt.date):
    """Tasks without a result after their due date (结果未按时录入)."""
    return (Task.objects.filter(result="", due_on__lt=today)
            .select_related("draw__batch").order_by("due_on", "id"))


def unpublished_results(today: dt.date):
    """Results recorded but not on the portal by their publication due date (结果逾期未公示)."""
    return (Task.objects.exclude(result="").filter(published_on__isnull=True, publish_due_on__lt=today)
            .order_by("publish_due_on", "id"))


def undrawn_batches(today: dt.date):
    """Batches of acknowledged plans whose inspection period ended without a finished draw (抽取未实施)."""
    return (Batch.objects.filter(plan__state=Plan.State.ACKNOWLEDGED, ends_on__lt=today)
            .exclude(draws__state=Draw.State.DRAWN).select_related("plan").distinct())


@alert_checks.register("inspections", order=140)
def inspection_lapses(today: dt.date):
    for b in undrawn_batches(today):
        yield Finding(f"sjs_undrawn:{b.pk}", "deadline_lapsed", b.entity_id,
                      f"双随机抽查：{b.plan.title}·{b.name}的检查期间已于{b.ends_on:%Y-%m-%d}结束，尚未完成抽取")
    for t in overdue_tasks(today):
        yield Finding(f"sjs_task:{t.pk}", "deadline_lapsed", t.entity_id,
                      f"双随机抽查：{t.object_name}的检查任务应于{t.due_on:%Y-%m-%d}前完成，尚未录入检查结果",
                      case_id=t.case_id)
    for t in unpublished_results(today):
        yield Finding(f"sjs_publish:{t.pk}", "publication_overdue", t.entity_id,
                      f"双随机抽查：{t.object_name}的检查结果应于{t.publish_due_on:%Y-%m-%d}前公示，尚未公示",
                      case_id=t.case_id)
