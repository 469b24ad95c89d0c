"""What the review app does when a case moves (zhifa/cases/events.py), in the transition's transaction:
the packet version and the reviewer's due date on submission, the checklist opinion and the
法制审核意见书 on the reviewer's decision, the attendees' views of a collective discussion, and the
catalogue evaluated when a case reaches 拟处理意见 / 已事先告知 / 听证 (a newly major case is flagged)."""
from __future__ import annotations

from zhifa.cases.events import subscribe
from zhifa.review import hooks

EVALUATE_AT = ("proposed", "notified", "hearing")


@subscribe(transitions={"submit_legal_review"})
def submitted(event, ctx):
    hooks.submitted(ctx, ctx.case.reviews.filter(outcome="").order_by("id").last())


@subscribe(transitions={"review_pass", "review_fail"})
def reviewed(event, ctx):
    hooks.reviewed(ctx, ctx.case.reviews.exclude(outcome="").order_by("id").last())


@subscribe(transitions={"hold_collective_discussion"})
def discussed(event, ctx):
    hooks.discussed(ctx, ctx.case.discussions.order_by("id").last())


@subscribe(to_states=EVALUATE_AT, kinds={"penalty_general"})
def evaluate_major(event, ctx):
    from zhifa.review.actions import evaluate_major

    evaluate_major(event.case)
