"""What the portal does when a case moves (zhifa/cases/events.py): issuing a decision queues its
publication, with the due date on the legal calendar, in the decision's transaction; so do an
inspection's result when it ends and a 查封/扣押 decision when the head approves it."""
from __future__ import annotations

from zhifa.cases.events import subscribe
from zhifa.disclosure import pipeline


@subscribe(transitions=pipeline.DECISION_TRANSITIONS)
def queue_publication(event, ctx):
    pipeline.on_decision(event.case, event.actor)


@subscribe(transitions=pipeline.RESULT_TRANSITIONS["inspection"], kinds={"inspection"})
def queue_inspection_result(event, ctx):
    pipeline.queue_result(event.case, event.actor, "inspection")


@subscribe(transitions=pipeline.RESULT_TRANSITIONS["coercive"], kinds={"coercive"})
def queue_coercive_decision(event, ctx):
    pipeline.queue_result(event.case, event.actor, "coercive")
