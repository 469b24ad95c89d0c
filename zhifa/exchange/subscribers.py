"""What the exchange does when a case moves (zhifa/cases/events.py): a decision with a fine or a
confiscation gets its 非税收入缴款书 number. (Exchange batches read the change log; nothing else here.)"""
from __future__ import annotations

from zhifa.cases.events import subscribe


@subscribe(transitions={"decide"})
def issue_payment_slip(event, ctx):
    from zhifa.exchange.actions.payments import issue_slip

    issue_slip(event.case, acting_user=event.actor)
