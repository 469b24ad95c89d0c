"""A general-procedure case from 案源登记 to 归档, with its timeline, numbers and deadlines."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from tests.builders import ARCHIVE_EXTRA, CASE_DEFAULTS, PARTY_ADDRESS, case_at
from tests.cases.helpers import v
from zhifa.cases import actions as case_actions
from zhifa.cases.models import CaseEvent, Deadline
from zhifa.common.models import ChangeLog
from zhifa.documents.archive import generate_missing

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def test_full_path_with_hearing(cw):
    w = cw
    case = factories.case(w, party=factories.person_party(address=PARTY_ADDRESS), **CASE_DEFAULTS)
    assert case.state == "registered" and case.version == 1 and case.number == ""
    case_actions.do_file_case(case, acting_user=w["u1"], expected_version=1, on=dt.date(2026, 3, 2))
    case_actions.do_approve_filing(case, acting_user=w["unit_head"], expected_version=v(case), on=dt.date(2026, 3, 3))
    case.refresh_from_db()
    assert case.state == "filed" and case.number == "七市监立〔2026〕1号" and case.filed_on == dt.date(2026, 3, 3)
    assert case.deadlines.get(kind="decision").due_on == dt.date(2026, 6, 1)
    case_actions.do_start_investigation(case, acting_user=w["u2"], expected_version=v(case), on=dt.date(2026, 3, 4))
    case_actions.do_propose(case, penalty_kinds=["fine"], fine_amount="20000", acting_user=w["u1"], expected_version=v(case),
                 on=dt.date(2026, 4, 1), facts="销售超过保质期的食品")
    # 2026-04-02 (Thu) + 5 working days, skipping 清明 4/4–4/6 → 4/10.
    case_actions.do_serve_notice(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 4, 2))
    case.refresh_from_db()
    assert case.notice_includes_hearing
    assert case.deadlines.get(kind="hearing_request").due_on == dt.date(2026, 4, 10)
    case_actions.do_request_hearing(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 4, 8))
    case_actions.do_schedule_hearing(case, hearing_on=dt.date(2026, 4, 20), chair=w["h3"], acting_user=w["u1"],
                          expected_version=v(case), on=dt.date(2026, 4, 9))
    case_actions.do_hold_hearing(case, record="当事人到场申辩", acting_user=w["u3"], expected_version=v(case), on=dt.date(2026, 4, 20))
    case_actions.do_submit_legal_review(case, reviewer=w["rev"], acting_user=w["u1"], expected_version=v(case),
                             on=dt.date(2026, 4, 21))
    case_actions.do_record_legal_review(case, outcome="agree", opinion="事实清楚，证据充分，程序合法", acting_user=w["rev"],
                             expected_version=v(case), on=dt.date(2026, 4, 22))
    case_actions.do_decide(case, acting_user=w["head"], expected_version=v(case), on=dt.date(2026, 4, 23))
    case.refresh_from_db()
    assert case.state == "decided" and case.decision_number == "七市监罚决〔2026〕1号"
    # Service: 7 working days from 4/23, skipping 劳动节 5/1–5/5 → 5/7.
    assert case.deadlines.get(kind="service").due_on == dt.date(2026, 5, 7)
    assert case.deadlines.get(kind="decision").state == Deadline.State.MET
    case_actions.do_serve_decision(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 4, 24))
    # Payment: 15 days from 4/24 = 5/9, a make-up working Saturday, so no roll-forward.
    assert case.deadlines.get(kind="payment").due_on == dt.date(2026, 5, 9)
    case_actions.do_record_payment(case, amount="20000", acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 5, 8))
    case_actions.do_close(case, acting_user=w["unit_head"], expected_version=v(case), on=dt.date(2026, 5, 11))
    generate_missing(case, acting_user=w["u1"], extra=ARCHIVE_EXTRA)  # the case file is complete before 归档
    case_actions.do_archive(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 5, 12))
    case.refresh_from_db()
    assert case.state == "archived" and case.paid_amount == Decimal("20000")
    events = list(CaseEvent.objects.filter(case=case).values_list("transition", flat=True))
    assert events == ["register", "file_case", "approve_filing", "start_investigation", "propose", "serve_notice",
                      "request_hearing", "schedule_hearing", "hold_hearing", "submit_legal_review", "review_pass",
                      "decide", "serve_decision", "record_payment", "close", "archive"]
    assert case.version == len(events)
    assert ChangeLog.objects.filter(object_id=str(case.pk), content_type__model="case").count() == len(events)
    assert set(case.deadlines.values_list("state", flat=True)) == {"met"}
    ev = CaseEvent.objects.get(case=case, transition="approve_filing")
    assert ev.actor == w["unit_head"] and ev.from_state == "filing_pending" and ev.to_state == "filed"


def test_short_path_without_hearing_and_waived_statement(cw):
    # notice served 4/2, statement waived 4/3, decided and served the same day, paid and closed 4/10
    case = case_at(cw, "closed", dates={"decide": dt.date(2026, 4, 3), "serve_decision": dt.date(2026, 4, 3),
                                        "record_payment": dt.date(2026, 4, 10), "close": dt.date(2026, 4, 10)})
    assert case.state == "closed" and not case.notice_includes_hearing


def test_case_event_is_append_only(cw):
    case = factories.case(cw)
    ev = case.events.get()
    with pytest.raises(RuntimeError):
        ev.save()
    with pytest.raises(RuntimeError):
        ev.delete()
    assert timezone.localdate() >= ev.on
