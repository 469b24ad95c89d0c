"""The reviewer's queue (待审核) and what the review panel of a case shows."""
from __future__ import annotations

from zhifa.cases.models import Deadline, LegalReview
from zhifa.review.models import Packet


def reviewer_queue(user) -> list[dict]:
    """Pending reviews assigned to `user`, nearest due date first."""
    rows = []
    reviews = (LegalReview.objects.filter(reviewer=user, outcome="", case__in=_visible_cases(user))
               .select_related("case"))
    for r in reviews:
        dl = (Deadline.objects.filter(case=r.case, kind="legal_review", started_on=r.submitted_on)
              .order_by("-id").first())
        rows.append({"review": r, "case": r.case, "packet": Packet.objects.filter(review=r).first(),
                     "due_on": dl.due_on if dl else None, "deadline": dl})
    rows.sort(key=lambda x: (x["due_on"] is None, x["due_on"] or x["review"].submitted_on, x["review"].pk))
    return rows


def _visible_cases(user):
    from zhifa.cases.models import Case

    return Case.objects.restrict(user, "view")
