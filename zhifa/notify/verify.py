"""Checks of `zhifa verify` for the notify app: a document served electronically is still the one
sent (its PDF's SHA-256 unchanged), and no outbox message hangs in 发送中 (a worker died mid-send:
it is never resent automatically, a person decides)."""
import datetime as dt

from django.utils import timezone

from zhifa.ledger import drift
from zhifa.ledger.verify import Discrepancy, check

drift.exempt("notify.service", "state", "transition_note",
             why="发送失败、逾期未到达由后台任务标记，并写入站内提醒；到达另行留痕")


@check
def eservice_documents():
    from zhifa.notify.models import Service

    for s in Service.objects.select_related("document").iterator(chunk_size=2000):
        if s.document.pdf_sha256 != s.pdf_sha256:
            yield Discrepancy("notify.eservice_document", f"notify_service pk={s.pk}",
                              f"电子送达的文书PDF摘要 {s.pdf_sha256[:12]}… 与文书现有PDF {s.document.pdf_sha256[:12]}… 不符")


@check
def outbox_stuck():
    from zhifa.notify.models import Message

    old = timezone.now() - dt.timedelta(hours=1)
    for m in Message.objects.filter(state=Message.State.SENDING, created_at__lt=old):
        yield Discrepancy("notify.message_stuck", f"notify_message pk={m.pk}",
                          "消息停留在“发送中”（发送进程中断），未自动重发，请人工核实是否已送达", failure=False)
