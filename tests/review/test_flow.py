"""Submission packet, checklist opinion, return → correct → resubmit, the gate (Art. 58)."""
import datetime as dt

import pytest

from tests.cases.helpers import v
from tests.review.helpers import (
    ALL_OK,
    DECIDE_ON,
    FACTS,
    REVIEW_ON,
    SUBMIT_ON,
    correct,
    decide,
    evidence,
    footprint,
    major_case,
    problems,
    refused,
    review,
    submit,
)
from zhifa.cases import actions as case_actions
from zhifa.cases.models import Deadline
from zhifa.documents.models import GeneratedDocument
from zhifa.ledger.models import LedgerEntry
from zhifa.legalcal.periods import add_working_days
from zhifa.review.catalogue import packet_diff
from zhifa.review.models import Opinion, Packet


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def test_major_case_cannot_be_decided_without_review(cw):
    case = major_case(cw)
    before = footprint(case)
    e = refused("review.passed_if_required", decide, cw, case)
    assert "罚没款合计5000" in e.message and footprint(case) == before


def test_minor_case_needs_no_review(cw):
    case = major_case(cw, penalty_kinds=["warning", "fine"], fine_amount="1000")
    decide(cw, case)
    assert v(case) and case.state == "decided"


def test_incomplete_packet_refused_and_nothing_changes(cw):
    case = major_case(cw)
    before = footprint(case)
    e = refused("review.packet_complete", submit, cw, case, legal_basis="  ")
    assert e.field == "legal_basis" and "法律依据" in e.message
    e = refused("review.packet_complete", submit, cw, case, discretion_reasoning="")
    assert e.field == "discretion_reasoning"
    assert footprint(case) == before


def test_packet_needs_evidence_records_on_the_case(cw):
    case = major_case(cw, with_evidence=False)
    e = refused("review.packet_complete", submit, cw, case)
    assert e.field == "evidence_list" and "证据" in e.message


def test_catalogue_entity_must_submit_a_packet(cw):
    case = major_case(cw)
    refused("review.packet_complete", case_actions.do_submit_legal_review, case, reviewer=cw["rev"], acting_user=cw["u1"],
            expected_version=v(case), on=REVIEW_ON)


def test_agree_on_current_packet_opens_the_gate(cw):
    case = major_case(cw)
    submit(cw, case)
    packet = Packet.objects.get(case=case)
    assert packet.version == 1 and packet.catalogue_version == 1 and packet.evidence_ids
    assert packet.major_reasons and "5000" in packet.major_reasons[0]
    dl = Deadline.objects.get(case=case, kind="legal_review")
    assert dl.due_on == add_working_days(packet.submitted_on, 10).date and dl.working_days
    review(cw, case, "agree")
    dl.refresh_from_db()
    assert dl.state == "met"
    op = Opinion.objects.get(review__case=case)
    assert op.outcome == "agree" and op.items == ALL_OK and op.document.doc_type == "legal_review_opinion"
    doc = GeneratedDocument.objects.get(case=case, doc_type="legal_review_opinion")
    assert doc.context["review"]["outcome"] == "同意" and len(doc.context["review"]["checks"]) == 7
    entry = LedgerEntry.objects.filter(event_type="review.opinion").get()
    assert entry.case_id == case.pk
    decide(cw, case)
    assert case.state == "decided"


def test_return_correct_resubmit_with_diff_and_stale_version_refused(cw):
    case = major_case(cw)
    submit(cw, case)
    review(cw, case, "problems")
    assert case.state == "proposed"
    assert Opinion.objects.get(review__case=case).corrections == "补充抽样检验报告"
    refused("review.passed_if_required", decide, cw, case)
    evidence(cw, case, "抽样检验报告")
    correct(cw, case, FACTS + "经抽样检验，菌落总数超标。", on=dt.date(2026, 4, 8))
    submit(cw, case, note="已补充抽样检验报告", on=dt.date(2026, 4, 8))
    v1, v2 = Packet.objects.filter(case=case).order_by("version")
    assert (v1.version, v2.version) == (1, 2) and v1.facts == FACTS  # every version kept as it was
    diff = {d["field"]: d for d in packet_diff(v1, v2)}
    assert diff["facts"]["changed"] and not diff["legal_basis"]["changed"] and diff["evidence_list"]["changed"]
    assert any(ln["op"] == "+" and "菌落总数" in ln["text"] for ln in diff["facts"]["lines"])
    before = footprint(case)
    e = refused("review.packet_current", review, cw, case, "agree", version=1, on=dt.date(2026, 4, 9))
    assert e.field == "packet_version" and footprint(case) == before
    review(cw, case, "agree", version=2, on=dt.date(2026, 4, 9))
    assert GeneratedDocument.objects.filter(case=case, doc_type="legal_review_opinion").count() == 2
    decide(cw, case)
    assert case.state == "decided"


@pytest.mark.parametrize("checklist,outcome,corrections,field", [
    ({k: x for k, x in ALL_OK.items() if k != "crime"}, "agree", "", "checklist.crime"),
    (problems(law="x") | {"law": {"status": "problem", "note": " "}}, "problems", "改正", "checklist.law"),
    (problems(law="裁量偏重"), "agree", "", "outcome"),
    (ALL_OK, "problems", "改正", "checklist"),
    (problems(law="裁量偏重"), "problems", "", "corrections"),
])
def test_checklist_must_be_complete_and_consistent(cw, checklist, outcome, corrections, field):
    case = major_case(cw)
    submit(cw, case)
    before = footprint(case)
    e = refused("review.checklist_complete", review, cw, case, outcome, checklist=checklist, corrections=corrections)
    assert e.field == field and footprint(case) == before


def test_reviewing_own_case_refused(cw):
    case = major_case(cw)
    case_actions.do_assign_officers(case, [(cw["rev_officer"], "assist")], acting_user=cw["unit_head"],
                         expected_version=v(case), on=SUBMIT_ON)
    refused("review.reviewer_not_handler", submit, cw, case)  # never assigned to one of its own officers
    case = major_case(cw)
    submit(cw, case)
    case_actions.do_assign_officers(case, [(cw["rev_officer"], "assist")], acting_user=cw["unit_head"],
                         expected_version=v(case), on=SUBMIT_ON)
    before = footprint(case)
    refused("review.reviewer_not_handler", review, cw, case, "agree")
    assert footprint(case) == before


def test_head_is_never_the_reviewer(cw):
    case = major_case(cw)
    refused("review.reviewer_qualified", submit, cw, case, reviewer=cw["head"])


def test_decider_must_not_be_a_handler(cw):
    from zhifa.orgs import actions as org_actions

    case = major_case(cw)
    submit(cw, case)
    review(cw, case, "agree")
    org_actions.do_update_officer(cw["h3"], {"user": cw["head"]}, acting_user=cw["admin"])
    case_actions.do_assign_officers(case, [(cw["h3"], "assist")], acting_user=cw["unit_head"], expected_version=v(case),
                         on=DECIDE_ON)
    refused("decision.not_handler_or_reviewer", decide, cw, case)


def test_stale_content_closes_the_gate(cw):
    """An opinion on packet v1 no longer counts when the case content differs from v1."""
    from zhifa.cases.models import Case
    from zhifa.review.gate import gate_refusal

    case = major_case(cw)
    submit(cw, case)
    review(cw, case, "agree")
    assert gate_refusal(case) is None
    Case.objects.filter(pk=case.pk).update(facts="另一事实")
    case.refresh_from_db()
    assert "须重新送审" in gate_refusal(case)
    refused("review.passed_if_required", decide, cw, case)
