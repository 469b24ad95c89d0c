"""Short-hands for walking a case through its transitions in tests: the main line of tests/builders.py
(case_at, advance) under the names the older tests use."""
import datetime as dt

from tests import builders
from zhifa.cases import actions as case_actions

PENALTY_KEYS = ("penalty_kinds", "fine_amount", "confiscation_amount", "no_penalty")


def v(case):
    case.refresh_from_db()
    return case.version


def _proposal(proposal):
    """Split to_proposed's keywords into the penalty and the other details of do_propose."""
    penalty = {k: val for k, val in proposal.items() if k in PENALTY_KEYS} or None
    return {"penalty": penalty, "details": {k: val for k, val in proposal.items() if k not in PENALTY_KEYS}}


def to_investigating(w, case, filed=dt.date(2026, 3, 3)):
    """registered → filing_pending (the day it was registered) → filed and investigating on `filed`."""
    dates = {"file_case": case.registered_on, "approve_filing": filed, "start_investigation": filed}
    return builders.advance(w, case, "investigating", dates=dates)


def to_proposed(w, case, on=dt.date(2026, 4, 1), **proposal):
    """… → 拟处理意见 on `on`: a warning and 5 000 yuan unless `proposal` names the penalty."""
    return builders.advance(w, case, "proposed", dates={"propose": on}, **_proposal(proposal))


def to_notified(w, case, on=dt.date(2026, 4, 2), **proposal):
    """… → 事先告知书 served on `on`."""
    return builders.advance(w, case, "notified", dates={"serve_notice": on}, **_proposal(proposal))


def decide(w, case, on, **kw):
    return case_actions.do_decide(case, acting_user=w["head"], expected_version=v(case), on=on, **kw)
