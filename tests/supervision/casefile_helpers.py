"""Closed case files for the 案卷评查 and 评议考核 tests, made through the case actions."""
import datetime as dt

import pytest

from tests import factories
from tests.builders import ARCHIVE_EXTRA
from tests.cases.helpers import v
from zhifa.cases import actions as case_actions
from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.documents.archive import generate_missing


def closed_inspection(entity, lead, assist, on=dt.date(2026, 3, 2), archive=False, unit=None):
    """An inspection of `entity` by two certified officers (lead acts), closed the next day."""
    insp = case_actions.do_plan_inspection({"entity": entity, "unit": unit, "title": "日常监督检查"},
                                parties=[factories.org_party()], officers=[(lead, "lead"), (assist, "assist")],
                                acting_user=lead.user, on=on)
    case_actions.do_start_inspection(insp, acting_user=lead.user, expected_version=v(insp), on=on)
    case_actions.do_record_inspection_result(insp, result="未发现问题", problems_found=False, acting_user=lead.user,
                                  expected_version=v(insp), on=on)
    case_actions.do_close(insp, acting_user=lead.user, expected_version=v(insp), on=on + dt.timedelta(days=1))
    if archive:
        generate_missing(insp, acting_user=lead.user, extra=ARCHIVE_EXTRA)
        case_actions.do_archive(insp, acting_user=lead.user, expected_version=v(insp), on=on + dt.timedelta(days=2))
    insp.refresh_from_db()
    return insp


def officers_of(entity, prefix):
    lead = factories.certified_officer(entity, None, f"{prefix}甲", login_role=Role.OFFICER)
    assist = factories.certified_officer(entity, None, f"{prefix}乙")
    return lead, assist


def file_world(cw, smj=6, hbj=3, df=2):
    """Closed inspections: `smj` of 七星关区市场监督管理局, `hbj` of 七星关区生态环境局 (same county),
    `df` of 大方县市场监督管理局 (another county)."""
    out = {"smj": [closed_inspection(cw["smj"], cw["h1"], cw["h2"], on=dt.date(2026, 3, 2) + dt.timedelta(days=i),
                                     archive=i % 2 == 0, unit=cw["smj_unit"]) for i in range(smj)]}
    lead, assist = officers_of(cw["hbj"], "环")
    out["hbj"] = [closed_inspection(cw["hbj"], lead, assist, on=dt.date(2026, 3, 9) + dt.timedelta(days=i)) for i in range(hbj)]
    lead, assist = officers_of(cw["df"], "大")
    out["df"] = [closed_inspection(cw["df"], lead, assist, on=dt.date(2026, 3, 9) + dt.timedelta(days=i)) for i in range(df)]
    return out


def refused(rule, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, (e.value.rule, e.value.message)
    return e.value


def new_round(user, **kw):
    from zhifa.supervision.actions.casefile import do_create_round

    data = {"name": "2026年度行政执法案卷评查", "year": 2026, "kinds": ["inspection"],
            "closed_from": dt.date(2026, 1, 1), "closed_to": dt.date(2026, 12, 31), **kw}
    return do_create_round(acting_user=user, **data)
