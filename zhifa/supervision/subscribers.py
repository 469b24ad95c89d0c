"""What supervision does when a case moves (zhifa/cases/events.py): every committed transition asks
for one (debounced) recompute of the alerts and figures; a major penalty decision opens its filing
with the supervising justice bureau (重大行政处罚备案审查)."""
from __future__ import annotations

from zhifa.cases.events import subscribe
from zhifa.supervision.tasks import on_case_event


@subscribe()
def recompute_alerts(event, ctx):
    on_case_event()


@subscribe(transitions={"decide"}, kinds={"penalty_general"})
def file_major_decision(event, ctx):
    """重大行政处罚备案审查: a decision the catalogue marks major awaits its filing with the bureau."""
    from zhifa.supervision.actions.filing import open_filing

    open_filing(event.case, acting_user=event.actor, on=event.on)
