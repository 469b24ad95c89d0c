"""THE GATE under random sequences of actions by random users (hypothesis).

A model kept by the test says when the gate should be open: after a 同意 opinion on the packet
just submitted (and nothing changed since), or after a collective discussion that followed the
handler's objection to a 存在问题 opinion. Whatever the sequence and whoever acts, a decision is
only ever issued when the model says open, and no one is both handler and reviewer of the case.
"""
import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.helpers import v
from tests.review.helpers import ALL_OK, FACTS, catalogue, major_case, problems
from zhifa.cases import actions as case_actions
from zhifa.cases.models import LegalReview
from zhifa.cases.rules import handler_ids, user_officer
from zhifa.common.actions import ActionRefused
from zhifa.review import actions as review_actions
from zhifa.review.catalogue import packet_defaults
from zhifa.review.gate import latest_packet

ON = dt.date(2026, 4, 10)
ACTIONS = ["submit", "submit_incomplete", "agree", "agree_stale", "problems", "objection", "discuss_disagreement",
           "discuss_art57", "correct", "reviewer_joins_case", "decide"]
USERS = ["u1", "u3", "rev", "rev2", "head", "unit_head"]
ATTENDEES = [{"name": "局长", "view": "同意"}, {"name": "副局长", "view": "同意"}]


def act(cw, case, action, who, n):
    user = cw[who]
    kw = {"acting_user": user, "expected_version": v(case), "on": ON}
    packet = latest_packet(case)
    if action in ("submit", "submit_incomplete"):
        data = {**packet_defaults(case), "discretion_reasoning": "一般档位"}
        if action == "submit_incomplete":
            data["legal_basis"] = ""
        return review_actions.do_submit_packet(case, reviewer=cw["rev"] if n % 2 else cw["rev2"], packet=data, **kw)
    if action in ("agree", "agree_stale", "problems"):
        version = (packet.version if packet else 1) - (1 if action == "agree_stale" else 0)
        outcome = "problems" if action == "problems" else "agree"
        return review_actions.do_review(case, outcome=outcome, packet_version=version,
                           checklist=ALL_OK if outcome == "agree" else problems(facts="证据不足"),
                           opinion="意见", corrections="补充证据" if outcome == "problems" else "", **kw)
    if action == "objection":
        last = case.reviews.exclude(outcome="").order_by("id").last()
        if last is None:
            raise ActionRefused("test.no_review", "")
        return review_actions.do_record_objection(last, text="有异议", acting_user=user, on=ON)
    if action.startswith("discuss_"):
        return review_actions.do_hold_discussion(case, trigger=action[8:], attendees=ATTENDEES, minutes="记录", conclusion="结论",
                                    **kw)
    if action == "correct":
        return case_actions.do_propose(case, penalty_kinds=["warning", "fine"], fine_amount="5000", facts=FACTS + f"补正{n}。",
                            legal_basis=case.legal_basis, **kw)
    if action == "reviewer_joins_case":
        return case_actions.do_assign_officers(case, [(cw["rev_officer"], "assist")], **kw)
    return case_actions.do_decide(case, **kw)


def check_separation(cw, case):
    for r in LegalReview.objects.filter(case=case):
        assert r.reviewer.role == "legal_reviewer" and user_officer(r.reviewer) is not None
    if case.decided_by_id:
        assert not LegalReview.objects.filter(case=case, reviewer_id=case.decided_by_id).exists()
        dec = user_officer(case.decided_by)
        assert dec is None or dec.pk not in handler_ids(case, ever=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(USERS)), min_size=1, max_size=8))
def test_gate_never_opens_otherwise(cw_with_second_reviewer, steps):
    cw = cw_with_second_reviewer
    if not cw.get("catalogue"):
        cw["catalogue"] = catalogue(cw)
    with transaction.atomic():
        case = major_case(cw, with_catalogue=False)
        open_ = False  # the model
        for n, (action, who) in enumerate(steps):
            before = (v(case), case.state)
            pending_reviewer = case.reviews.filter(outcome="").values_list("reviewer_id", flat=True).last()
            expected_open = open_
            try:
                act(cw, case, action, who, n)
            except ActionRefused:
                case.refresh_from_db()
                assert (case.version, case.state) == before  # refused: nothing changed
                continue
            case.refresh_from_db()
            if action in ("submit", "correct"):
                open_ = False
            elif action == "agree":
                open_ = True
                officer = user_officer(cw[who])
                assert cw[who].pk == pending_reviewer and officer.pk not in handler_ids(case)
            elif action == "problems":
                open_ = False
                assert cw[who].pk == pending_reviewer and user_officer(cw[who]).pk not in handler_ids(case)
            elif action == "discuss_disagreement":
                open_ = True
            elif action == "decide":
                assert expected_open, f"decision issued with the gate closed after {steps[:n + 1]}"
            assert action not in ("submit_incomplete", "agree_stale"), action
            if action == "submit":
                reviewer = case.reviews.filter(outcome="").last().reviewer
                assert user_officer(reviewer).pk not in handler_ids(case, ever=True)
        check_separation(cw, case)
        transaction.set_rollback(True)
