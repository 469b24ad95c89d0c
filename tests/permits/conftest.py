import datetime as dt

import pytest

from tests import builders, factories
from zhifa.permits import actions

DECIDED = dt.date(2026, 4, 1)  # a Wednesday: 7 working days (清明 4–6 April) end on 13 April


@pytest.fixture(autouse=True)
def _calendar(db):
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield
    periods.clear_cache()


def grant(w, *, holder=None, user=None, entity=None, **data):
    holder = holder or factories.org_party("某某食品有限公司")
    return actions.do_grant_permit(
        {"holder_name": holder["name"], "holder_credit_code": holder["credit_code"], "kind": "食品经营许可证",
         "number": data.pop("number", "JY15205020012345"), "scope": "预包装食品销售",
         "decision_number": "七市监许〔2026〕12号", "decided_on": DECIDED, "valid_from": DECIDED,
         "valid_until": dt.date(2031, 3, 31), **data},
        acting_user=user or w["head"], entity=entity, on=DECIDED)


SANCTION_PENALTY = {"penalty_kinds": ["revoke_licence"]}
SUSPEND_PENALTY = {"penalty_kinds": ["suspend_licence"]}


def case_before_decision(cw, holder, penalty=SANCTION_PENALTY):
    """A general-procedure case against `holder` waiting for the decision: heard and reviewed when the
    penalty carries a hearing (吊销许可证件, 行政处罚法 Art. 63), else after the waived statement."""
    if "revoke_licence" in penalty["penalty_kinds"]:
        return builders.case_at(cw, "reviewed", party=holder, hearing=True, penalty=penalty)
    case = builders.case_at(cw, "notified", party=holder, penalty=penalty)
    return builders.take(cw, case, "record_statement")


def decide(cw, case, **payload):
    return builders.take(cw, case, "decide", opts=builders.Options(hearing=case.state == "reviewed"), **payload)
