"""Short-hands for walking a case through its transitions in tests."""
import datetime as dt

from zhifa.cases import actions as case_actions


def v(case):
    case.refresh_from_db()
    return case.version


def to_investigating(w, case, filed=dt.date(2026, 3, 3)):
    case_actions.do_file_case(case, acting_user=w["u1"], expected_version=v(case), on=case.registered_on)
    case_actions.do_approve_filing(case, acting_user=w["unit_head"], expected_version=v(case), on=filed)
    case_actions.do_start_investigation(case, acting_user=w["u1"], expected_version=v(case), on=filed)
    return case


def to_proposed(w, case, on=dt.date(2026, 4, 1), **penalty):
    to_investigating(w, case)
    penalty = penalty or {"penalty_kinds": ["warning", "fine"], "fine_amount": "5000"}
    case_actions.do_propose(case, acting_user=w["u1"], expected_version=v(case), on=on, **penalty)
    return case


def to_notified(w, case, on=dt.date(2026, 4, 2), **penalty):
    to_proposed(w, case, **penalty)
    case_actions.do_serve_notice(case, acting_user=w["u1"], expected_version=v(case), on=on)
    return case


def decide(w, case, on, **kw):
    return case_actions.do_decide(case, acting_user=w["head"], expected_version=v(case), on=on, **kw)
