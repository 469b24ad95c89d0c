"""What transfers does when a case moves (zhifa/cases/events.py): the case's 移送 transition records its
transfer (to another agency, or a suspected crime to public security) in the transition's transaction."""
from __future__ import annotations

from zhifa.cases.events import subscribe


@subscribe(transitions={"transfer"})
def record_transfer(event, ctx):
    from zhifa.transfers import actions, crime

    case, user = event.case, event.actor
    if case.transfer_kind == "crime":
        crime.on_case_transfer(case, user, case.transfer_to, event.reason, event.on)
    else:
        actions.record_sent(case, kind_label=case.get_transfer_kind_display(), to_name=case.transfer_to,
                            reason=event.reason, on=event.on, acting_user=user)
