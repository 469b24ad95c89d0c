import datetime as dt
import zoneinfo

import pytest

from zhifa.dispatch import actions

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
# Wednesday 1 April 2026, 09:00 local: three working days (清明 4–6 April) end on Tuesday 7 April.
T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _calendar(db):
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield
    periods.clear_cache()


def dispatch(w, *, user=None, now=T0, **data):
    fields = {"title": "核查投诉：餐馆后厨卫生", "assignee": w["officer"], "limit_unit": "hours", "limit_amount": 2,
              "place": "洪山路12号", **data}
    return actions.do_dispatch(fields, acting_user=user or w["head"], now=now)
