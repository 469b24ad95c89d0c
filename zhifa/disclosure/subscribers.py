"""What the portal does when a case moves (zhifa/cases/events.py): issuing a decision queues its
publication, with the due date on the legal calendar, in the decision's transaction."""
from __future__ import annotations

from zhifa.cases.events import subscribe
from zhifa.disclosure import pipeline


@subscribe(transitions=pipeline.DECISION_TRANSITIONS)
def queue_publication(event, ctx):
    pipeline.on_decision(event.case, event.actor)
