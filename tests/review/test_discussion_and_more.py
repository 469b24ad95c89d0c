"""Disagreement → collective discussion; catalogue versions; queue; adviser; notices; staffing."""
import datetime as dt
from decimal import Decimal

import pytest

from tests.cases.helpers import v
from tests.review.helpers import (
    DECIDE_ON,
    REVIEW_ON,
    catalogue,
    decide,
    footprint,
    major_case,
    refused,
    review,
    submit,
)
from zhifa.cases.models import LegalReview
from zhifa.legalcal.periods import add_working_days
from zhifa.orgs.models import Officer
from zhifa.review import actions as review_actions
from zhifa.review.catalogue import is_major, major_reasons, review_heading, staffing
from zhifa.review.gate import gate_refusal
from zhifa.review.models import DiscussionRecord, MajorFlag, Notice
from zhifa.review.queue import reviewer_queue


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


ATTENDEES = [{"name": "张局长", "title": "局长", "view": "同意承办人意见"},
             {"name": "李副局长", "title": "副局长", "view": "同意"},
             {"name": "王科长", "title": "法规科科长", "view": "保留审核意见"}]


def discuss(cw, case, trigger="disagreement", attendees=ATTENDEES, minutes="讨论了抽样检验报告的必要性", on=DECIDE_ON):
    return review_actions.do_hold_discussion(case, trigger=trigger, attendees=attendees, minutes=minutes, conclusion="维持原拟处理意见",
                                acting_user=cw["head"], expected_version=v(case), on=on)


def _failed(cw):
    case = major_case(cw)
    submit(cw, case)
    review(cw, case, "problems")
    return case, LegalReview.objects.filter(case=case).last()


def test_disagreement_then_collective_discussion_opens_the_gate(cw):
    case, rv = _failed(cw)
    before = footprint(case)
    refused("discussion.objection_recorded", discuss, cw, case)
    assert footprint(case) == before
    refused("review.objection_by_handler", review_actions.do_record_objection, rv, text="证据已充分", acting_user=cw["u3"])
    review_actions.do_record_objection(rv, text="现有证据已足以认定", acting_user=cw["u1"], on=REVIEW_ON)
    assert Notice.objects.filter(user=cw["head"], text__contains="异议").exists()
    refused("discussion.record_complete", discuss, cw, case, attendees=ATTENDEES[:1])
    refused("discussion.record_complete", discuss, cw, case, attendees=[{**a, "view": ""} for a in ATTENDEES])
    refused("discussion.record_complete", discuss, cw, case, minutes=" ")
    discuss(cw, case)
    rec = DiscussionRecord.objects.get(discussion__case=case)
    assert rec.review == rv and rec.attendees[0]["view"] == "同意承办人意见"
    decide(cw, case)
    assert case.state == "decided"


def test_art57_discussion_alone_does_not_replace_review(cw):
    case, rv = _failed(cw)
    discuss(cw, case, trigger="art57")
    refused("review.passed_if_required", decide, cw, case)


def test_objection_only_against_latest_problem_opinion(cw):
    case = major_case(cw)
    submit(cw, case)
    review(cw, case, "agree")
    rv = LegalReview.objects.get(case=case)
    refused("review.objection_latest", review_actions.do_record_objection, rv, text="x", acting_user=cw["u1"])


def test_catalogue_versions_and_reasons(cw):
    c1 = catalogue(cw)
    c2 = catalogue(cw, fine_threshold_citizen=Decimal("10000"), all_general=True, note="提高数额")
    assert (c1.version, c2.version) == (1, 2)
    refused("scope", review_actions.do_save_catalogue, cw["smj"], {}, acting_user=cw["u1"])
    refused("review.catalogue_valid", review_actions.do_save_catalogue, cw["smj"], {"review_days": 0}, acting_user=cw["admin"])
    case = major_case(cw, with_catalogue=False, penalty_kinds=["warning", "fine"], fine_amount="5000")
    major, reasons, version = is_major(case)
    assert major and version == 2 and reasons == ["目录清单：一般程序处罚案件一律法制审核"]
    # Reviewed by the entity's own 一律审核 rule: required, but not called 重大执法决定 (issue 18).
    assert major_reasons(reasons) == [] and "重大" not in review_heading(reasons)
    assert "重大执法决定" not in gate_refusal(case)
    review_actions.do_set_flags(case, suspected_crime=True, social_risk=False, acting_user=cw["u1"])
    assert "涉嫌犯罪" in is_major(case)[1]
    flag = MajorFlag.objects.filter(case=case).last()
    assert flag.catalogue_version == 2 and "涉嫌犯罪" in flag.reasons


def test_catalogue_revocation_and_closure(cw):
    catalogue(cw)
    case = major_case(cw, with_catalogue=False, penalty_kinds=["revoke_licence"])
    assert "吊销许可证件或降低资质等级" in is_major(case)[1]


def test_flagged_case_notifies_reviewers_and_heads(cw):
    case = major_case(cw)
    assert MajorFlag.objects.filter(case=case).exists()
    for who in ("rev", "head", "u1"):
        assert Notice.objects.filter(user=cw[who], case=case, text__contains="重大执法决定").exists(), who


def test_queue_due_date_configurable(cw):
    case = major_case(cw)
    review_actions.do_save_catalogue(cw["smj"], {"fine_threshold_citizen": Decimal("3000"), "review_days": 5},
                        acting_user=cw["admin"])
    submit(cw, case)
    rows = reviewer_queue(cw["rev"])
    assert [r["case"].pk for r in rows] == [case.pk]
    assert rows[0]["due_on"] == add_working_days(dt.date(2026, 4, 3), 5).date and rows[0]["packet"].version == 1
    assert reviewer_queue(cw["head"]) == []


def test_adviser_opinion(cw):
    from zhifa.orgs.models import LegalAdviser

    case = major_case(cw)
    ours = LegalAdviser.objects.create(entity=cw["smj"], kind="adviser", name="周律师", licence_no="15201201910000001")
    theirs = LegalAdviser.objects.create(entity=cw["hbj"], kind="adviser", name="吴律师", licence_no="15201201910000002")
    refused("review.adviser_of_entity", review_actions.do_record_adviser_opinion, case, adviser=theirs, question="q", opinion="o",
            given_on=REVIEW_ON, acting_user=cw["u1"])
    refused("review.adviser_by_case_staff", review_actions.do_record_adviser_opinion, case, adviser=ours, question="q",
            opinion="o", given_on=REVIEW_ON, acting_user=cw["u3"])
    op = review_actions.do_record_adviser_opinion(case, adviser=ours, question="是否涉嫌犯罪", opinion="尚不构成犯罪",
                                     given_on=REVIEW_ON, acting_user=cw["u1"])
    assert op.case == case


def test_staffing_ratio_and_unqualified_reviewer(cw):
    s = staffing(cw["smj"])
    assert s["reviewers"] == 1 and s["officers"] >= 6 and not s["below_floor"]
    Officer.objects.filter(pk=cw["rev_officer"].pk).update(legal_qualification=False)  # e.g. imported data
    assert staffing(cw["smj"])["unqualified"] == [cw["rev_officer"]]
    s = staffing(cw["hbj"])
    assert s["reviewers"] == 0 and s["below_floor"]
