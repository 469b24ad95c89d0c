import datetime as dt

import pytest

from tests import factories
from tests.builders import case_at
from tests.cases.helpers import decide, to_notified, v  # noqa: F401


@pytest.fixture(autouse=True)
def _calendar(db):
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield
    periods.clear_cache()


@pytest.fixture
def cw(world):
    return factories.case_world(world)


PERSON_ID = None


def decided_case(cw, *, party=None, on=dt.date(2026, 4, 20), penalty=None, facts=None):
    """A general-procedure case decided on `on` (its publication is queued by the decision)."""
    party = party or factories.person_party("张建国", phone="13985712345", address="七星关区洪山路18号3单元401室")
    return case_at(cw, "decided", party=party, facts=facts or "当事人张建国在其经营的门店销售超过保质期的食品。",
                   legal_basis="《中华人民共和国食品安全法》第一百二十四条", dates={"decide": on},
                   penalty=penalty or {"penalty_kinds": ["fine"], "fine_amount": "5000"})
