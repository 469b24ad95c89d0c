"""Short-hands for walking a case through its transitions in tests."""
import datetime as dt

from zhifa.cases import actions as A

D = dt.date


def v(case):
    case.refresh_from_db()
    return case.version


def to_investigating(w, case, filed=D(2026, 3, 3)):
    A.do_file_case(case, acting_user=w["u1"], expected_version=v(case), on=case.registered_on)
    A.do_approve_filing(case, acting_user=w["unit_head"], expected_version=v(case), on=filed)
    A.do_start_investigation(case, acting_user=w["u1"], expected_version=v(case), on=filed)
    return case


def to_proposed(w, case, on=D(2026, 4, 1), **penalty):
    to_investigating(w, case)
    penalty = penalty or {"penalty_kinds": ["warning", "fine"], "fine_amount": "5000"}
    A.do_propose(case, acting_user=w["u1"], expected_version=v(case), on=on, **penalty)
    return case


def to_notified(w, case, on=D(2026, 4, 2), **penalty):
    to_proposed(w, case, **penalty)
    A.do_serve_notice(case, acting_user=w["u1"], expected_version=v(case), on=on)
    return case


def decide(w, case, on, **kw):
    return A.do_decide(case, acting_user=w["head"], expected_version=v(case), on=on, **kw)
