"""Pending due dates of the portal's pipeline: publication (7 / 20 working days), withdrawal
(3 working days) and complaint replies (working days by kind)."""
from __future__ import annotations

from django.db.models import Count

from zhifa.common.actions import log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.disclosure import pipeline
from zhifa.disclosure.actions.complaints import period_days
from zhifa.disclosure.models import Complaint, Publication
from zhifa.legalcal import pending


def _counts(qs, field: str) -> dict[int, int]:
    return dict(qs.filter(**{f"{field}__isnull": False}).order_by().values_list(field).annotate(n=Count("id")))


def _resolve(qs, year, *, acting_user, reason, compute, date_field, year_field, note_field=None) -> int:
    n = 0
    for obj in qs.select_for_update().filter(**{year_field: year}):
        before = snapshot(obj)
        due_on, later = compute(obj)
        setattr(obj, date_field, due_on)
        setattr(obj, year_field, later)
        fields = [date_field, year_field]
        if note_field:
            setattr(obj, note_field, pending.label(later) if later else "")
            fields.append(note_field)
        obj.save(update_fields=fields)
        log_change(obj, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(obj),
                   reason=f"录入{year}年节假日安排后计算{reason}")
        n += later is None
    return n


def resolve_publication(year, *, acting_user, on) -> int:
    return _resolve(Publication.objects, year, acting_user=acting_user, reason="公示期限",
                    compute=lambda p: pipeline.due_after(p.decided_on, pipeline.publicity_days(p.kind)),
                    date_field="due_on", year_field="due_pending_year", note_field="due_note")


def resolve_withdrawal(year, *, acting_user, on) -> int:
    return _resolve(Publication.objects, year, acting_user=acting_user, reason="撤下期限",
                    compute=lambda p: pipeline.due_after(p.withdrawal_due_from, pipeline.withdrawal_days()),
                    date_field="withdrawal_due_on", year_field="withdrawal_due_pending_year")


def resolve_complaint(year, *, acting_user, on) -> int:
    return _resolve(Complaint.objects, year, acting_user=acting_user, reason="答复期限",
                    compute=lambda c: pipeline.due_after(c.received_on, period_days(c.kind)),
                    date_field="due_on", year_field="due_pending_year", note_field="due_note")


pending.register("disclosure.publication", "行政执法决定公示期限",
                 count=lambda: _counts(Publication.objects, "due_pending_year"), resolve=resolve_publication)
pending.register("disclosure.withdrawal", "撤下公示期限",
                 count=lambda: _counts(Publication.objects, "withdrawal_due_pending_year"), resolve=resolve_withdrawal)
pending.register("disclosure.complaint", "咨询投诉答复期限",
                 count=lambda: _counts(Complaint.objects, "due_pending_year"), resolve=resolve_complaint)
