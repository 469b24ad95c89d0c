"""超时上报: an open task past its limit rises to the next head (the assignee's unit head, then the
entity's head); if still open when the same limit has run again from the escalation, to the one after.
Run by the periodic sweep (periodic.py → tasks.escalate_overdue_task)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import snapshot
from zhifa.dispatch.actions.common import due_after, escalation_chain, now_or, step, tell
from zhifa.dispatch.choices import OPEN_STATES, ReportKind
from zhifa.dispatch.models import DispatchTask, TaskReport


@transaction.atomic
def do_escalate_overdue(*, acting_user=None, now=None) -> list[DispatchTask]:
    """Every open task whose next escalation time has come goes to its next head; the system acts
    (acting_user None) unless someone runs the sweep by hand."""
    at = now_or(now)
    done = []
    due = (DispatchTask.objects.select_for_update(skip_locked=True)
           .filter(state__in=OPEN_STATES, next_escalation_at__isnull=False, next_escalation_at__lte=at)
           .order_by("next_escalation_at", "id"))
    for task in due:
        task = DispatchTask.objects.select_related("assignee", "entity").get(pk=task.pk)
        chain = escalation_chain(task)
        before = snapshot(task)
        if task.escalation_level >= len(chain):
            task.next_escalation_at = None  # nobody above: stays flagged overdue on the desk
            task.save(update_fields=["next_escalation_at"])
            continue
        head = chain[task.escalation_level]
        task.escalation_level += 1
        task.escalated_to, task.escalated_at = head, at
        more = task.escalation_level < len(chain)
        task.next_escalation_at = due_after(at, task.limit_unit, task.limit_amount)[0] if more else None
        task.save()
        late = timezone.localtime(task.due_at) if task.due_at else None
        text = (f"任务{task.number}“{task.title}”已超过处置期限"
                f"{f'（{late:%Y-%m-%d %H:%M}）' if late else ''}仍未处置完毕，承办人员{task.assignee}，"
                f"当前状态{task.get_state_display()}，已上报{head}")
        TaskReport.objects.create(task=task, entity_id=task.entity_id, kind=ReportKind.ESCALATED,
                                  by=acting_user if acting_user and acting_user.pk else None, at=at, to_user=head,
                                  note=text[:500])
        step(task, "dispatch.escalated", acting_user=acting_user, before=before, reason="超时上报",
             level=task.escalation_level, to=head.pk)
        tell([head], text, dedupe=f"dispatch.escalated:{task.pk}:{task.escalation_level}:{at:%Y%m%d%H%M}")
        done.append(task)
    return done
