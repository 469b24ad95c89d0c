"""预警 conditions found in disclosure: complaints and publications past their due dates (registered in zhifa.common.registry.alert_checks; the supervision
app's alert engine opens, keeps and closes the alerts)."""
from __future__ import annotations

from zhifa.common.registry import Finding, alert_checks
from zhifa.disclosure.actions.complaints import overdue
from zhifa.disclosure.choices import WITHDRAWAL_GROUNDS
from zhifa.disclosure.models import Publication
from zhifa.disclosure.timeliness import overdue_withdrawals


@alert_checks.register("complaints", order=90)
def check_complaints(today):
    """投诉举报 not answered by their due date (zhifa.disclosure.actions.complaints)."""
    for c in overdue(today).select_related("entity"):
        yield Finding(f"complaint:{c.pk}", "complaint_overdue", c.entity_id,
                      f"{c.entity.name}：{c.get_kind_display()}{c.tracking_code}（{c.received_on:%Y-%m-%d}收到）"
                      f"已于{c.due_on:%Y-%m-%d}到期，尚未答复（{c.get_state_display()}）")


@alert_checks.register("publications", order=110)
def check_publications(today):
    """公示 (issue 6): a decision still not public after its publication due date (a draft awaiting the
    approver; entries held back by default are not due), and a published entry that had to be taken
    down (changed, revoked, illegal, void) still public after its withdrawal due date."""
    PubState = Publication.State
    late = Publication.objects.filter(state=PubState.DRAFT, due_on__lt=today).select_related("entity")
    for p in late.only("id", "case_id", "entity_id", "entity__name", "decision_number", "decided_on", "due_on"):
        yield Finding(f"publication:{p.pk}", "publication_overdue", p.entity_id,
                      f"{p.entity.name}：{p.decision_number or '执法决定'}（{p.decided_on:%Y-%m-%d}作出）应于"
                      f"{p.due_on:%Y-%m-%d}前公示，尚未公示", case_id=p.case_id)
    for p in overdue_withdrawals(Publication.objects.all(), today).select_related("entity"):
        yield Finding(f"withdrawal:{p.pk}", "withdrawal_overdue", p.entity_id,
                      f"{p.entity.name}：{p.decision_number or '执法决定'}（{WITHDRAWAL_GROUNDS.get(p.withdrawal_ground, '')}）"
                      f"应于{p.withdrawal_due_on:%Y-%m-%d}前撤下公示，仍在公示", case_id=p.case_id)
