import pytest
import time_machine

from tests.inspections import helpers as H
from tests.worlds import built_once, fresh
from zhifa.inspections import actions as A
from zhifa.inspections.models import Draw


@pytest.fixture(autouse=True)
def _calendar(legal_calendar):
    yield


@pytest.fixture(scope="module")
def drawn(cw_once, django_db_blocker):
    """The case world with a 40-object roster, an acknowledged plan and a finished drand draw."""
    cw = cw_once
    with built_once(django_db_blocker):
        from zhifa.legalcal.actions import seed_from_chinesecalendar

        seed_from_chinesecalendar()
        with time_machine.travel(H.BEFORE, tick=False):
            report = A.do_import_roster(H.roster_file(H.roster_rows()), entity=cw["smj"], acting_user=cw["unit_head"])
            assert report.ok, report.errors
            item = H.inspection_item(cw)
            plan, batch = H.acknowledged_plan(cw, item)
            draw = A.do_commit_draw(batch, acting_user=cw["unit_head"], source=Draw.Source.DRAND, beacon_round=H.ROUND,
                                    recusals=[(cw["h1"].pk, H.roster_rows()[0][0])])
        with time_machine.travel(H.AFTER, tick=False):
            draw = A.do_reveal_beacon(draw, signature=H.SIGNATURE, acting_user=cw["unit_head"])
        yield {"cw": cw, "item": item, "plan": plan, "batch": batch, "draw": draw}


@pytest.fixture
def d(drawn, db):
    return fresh(drawn)
