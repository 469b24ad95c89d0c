"""Every transition of every case kind (zhifa/cases/machine.py), through the generic bases of
tests/bases/transitions.py: a success writes the event, the change log and the ledger entry; a
refusal names its rule and writes nothing; a supervisor is refused by role. A new transition fails
test_every_transition_is_declared until it has a line here."""
import datetime as dt

import pytest
import time_machine

from tests.bases.transitions import Refusal, Spec, Start, TransitionTests, expire_certificate
from zhifa.cases.models import Kind

pytestmark = pytest.mark.django_db

GENERAL, SIMPLE, INSPECTION, COERCIVE = Kind.PENALTY_GENERAL, Kind.PENALTY_SIMPLE, Kind.INSPECTION, Kind.COERCIVE
TODAY = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)  # after every day the builders use
H2_EXPIRED = expire_certificate("h2", dt.date(2026, 3, 1))  # only h1 certified from 2 March on
OUTSIDER = Refusal("case.actor_is_handler", lambda w: {"acting_user": w["u3"]})  # an officer not on the case
at = Start.at

SPECS = [
    # ---- general procedure -------------------------------------------------------------------
    Spec(GENERAL, "register", Start(),
         Refusal("officers.same_entity", lambda w: {"officers": [(w["h1"], "lead"), (w["o_hbj"], "assist")]})),
    Spec(GENERAL, "assign_officers", at("registered"),
         Refusal("officers.same_entity", lambda w: {"officers": [(w["o_zy"], "assist")]})),
    Spec(GENERAL, "record_recusal", at("registered"),
         Refusal("recusal.officer_in_case", lambda w: {"officer": w["o2"]})),
    Spec(GENERAL, "file_case", at("registered"),
         Refusal("penalty.limitation", start=at("registered", violation_on=dt.date(2023, 1, 5)))),
    Spec(GENERAL, "approve_filing", at("filing_pending"), Refusal("officers.two_certified", prepare=H2_EXPIRED)),
    Spec(GENERAL, "not_file", at("registered"), Refusal("case.reason_given", {"reason": " "})),
    Spec(GENERAL, "extend_filing", at("registered"), Refusal("filing.extend_once_before_due", {"on": dt.date(2026, 6, 30)})),
    Spec(GENERAL, "start_investigation", at("filed"), Refusal("officers.two_certified", prepare=H2_EXPIRED)),
    Spec(GENERAL, "propose", at("investigating"), Refusal("penalty.amounts_valid", {"fine_amount": "-1"})),
    Spec(GENERAL, "serve_notice", at("proposed", hearing=True),
         Refusal("notice.hearing_rights_included", {"includes_hearing_rights": False})),
    Spec(GENERAL, "record_statement", at("notified"), OUTSIDER),
    Spec(GENERAL, "request_hearing", at("notified", hearing=True),
         Refusal("hearing.request_window", {"on": dt.date(2026, 4, 13)})),  # the 5 working days ended 10 April
    Spec(GENERAL, "waive_hearing", at("notified", hearing=True),
         Refusal("hearing.applicable", start=at("notified"))),  # 5 000 yuan: no right to a hearing
    Spec(GENERAL, "schedule_hearing", at("hearing"),
         Refusal("hearing.chair_not_investigator", lambda w: {"chair": w["h1"]})),
    Spec(GENERAL, "hold_hearing", at("hearing", "schedule_hearing"),
         Refusal("hearing.notice_7wd", {"on": dt.date(2026, 4, 17)})),  # noticed 9 April: not before the 20th
    Spec(GENERAL, "submit_legal_review", at("proposed"),
         Refusal("review.reviewer_qualified", lambda w: {"reviewer": w["head"]})),
    Spec(GENERAL, "review_pass", at("legal_review"),
         Refusal("review.assigned_reviewer", lambda w: {"acting_user": w["reviewer"]})),
    Spec(GENERAL, "review_fail", at("legal_review"),
         Refusal("review.assigned_reviewer", lambda w: {"acting_user": w["reviewer"]})),
    Spec(GENERAL, "hold_collective_discussion", at("proposed"),
         Refusal("discussion.record_complete", {"attendees": [{"name": "张局长", "view": "同意"}]})),
    Spec(GENERAL, "extend_decision_period", at("investigating"), Refusal("extension.head_once_30", {"days": 31})),
    Spec(GENERAL, "suspend", at("investigating"), Refusal("case.reason_given", {"reason": ""})),
    Spec(GENERAL, "resume", at("investigating", "suspend"), Refusal("case.is_suspended", start=at("investigating"))),
    Spec(GENERAL, "decide", at("notified", "record_statement"),
         Refusal("statement.window_closed", {"on": dt.date(2026, 4, 9)}, start=at("notified"))),
    Spec(GENERAL, "serve_decision", at("decided"), OUTSIDER),
    Spec(GENERAL, "record_payment", at("served"), Refusal("payment.amount_valid", {"amount": "0"})),
    Spec(GENERAL, "close", at("executing"),
         Refusal("close.execution_done", start=at("served"))),  # 5 000 yuan unpaid, no note
    Spec(GENERAL, "revoke", at("filed"), Refusal("case.reason_given", {"reason": ""})),
    Spec(GENERAL, "transfer", at("registered"), Refusal("transfer.receiver_given", {"transfer_to": ""})),
    Spec(GENERAL, "archive", at("closed"), OUTSIDER),
    # ---- simple procedure ----------------------------------------------------------------------
    Spec(SIMPLE, "on_the_spot_penalty", Start(),
         Refusal("simple.within_limits", {"fine_amount": "200.01"})),  # a citizen: at most 200 yuan
    Spec(SIMPLE, "file_simple_record", at("decided"), OUTSIDER),
    Spec(SIMPLE, "archive", at("recorded"), OUTSIDER),
    # ---- inspection ----------------------------------------------------------------------------
    Spec(INSPECTION, "plan_inspection", Start(),
         Refusal("officers.same_entity", lambda w: {"officers": [(w["h1"], "lead"), (w["o_df"], "assist")]})),
    Spec(INSPECTION, "assign_officers", at("planned"),
         Refusal("officers.same_entity", lambda w: {"officers": [(w["o_df"], "lead")]})),
    Spec(INSPECTION, "start_inspection", at("planned"), Refusal("officers.two_certified", prepare=H2_EXPIRED)),
    Spec(INSPECTION, "record_inspection_result", at("inspecting"),
         Refusal("officers.two_certified", prepare=H2_EXPIRED)),
    Spec(INSPECTION, "open_penalty_case", at("result_recorded", problems_found=True),
         Refusal("inspection.problems_found", start=at("result_recorded"))),
    Spec(INSPECTION, "close", at("result_recorded"), OUTSIDER),
    Spec(INSPECTION, "archive", at("closed"), OUTSIDER),
    # ---- seizure -------------------------------------------------------------------------------
    Spec(COERCIVE, "seize", Start(),
         Refusal("officers.same_entity", lambda w: {"officers": [(w["h1"], "lead"), (w["o_hbj"], "assist")]})),
    Spec(COERCIVE, "approve_seizure", at("seizure_requested"), Refusal("officers.two_certified", prepare=H2_EXPIRED)),
    Spec(COERCIVE, "refuse_seizure", at("seizure_requested"), Refusal("case.reason_given", {"reason": " "})),
    Spec(COERCIVE, "extend_seizure", at("seized"),
         Refusal("seizure.extend_before_expiry", {"on": dt.date(2026, 4, 2)})),  # 30 days ended 1 April
    Spec(COERCIVE, "release_seizure", at("seized"), OUTSIDER),
    Spec(COERCIVE, "convert_seizure", at("seized"), OUTSIDER),
    Spec(COERCIVE, "close", at("released"), OUTSIDER),
    Spec(COERCIVE, "archive", at("closed"), OUTSIDER),
]


@pytest.fixture(scope="module", autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def cw(shared_cw):
    return shared_cw


class TestTransitions(TransitionTests):
    specs = SPECS
