"""Issue 18: 归档 records the 备考表 and the 保管期限 (per case kind, settings.ZHIFA_ARCHIVE_RETENTION), only
with the case file complete (archive.documents_complete), and the case shows its 卷内目录."""
import pytest
from django.urls import reverse

from tests.builders import ARCHIVE_EXTRA, DAYS, case_at
from tests.cases.helpers import v
from tests.cases.test_rules_people import refused
from zhifa.cases import actions as case_actions
from zhifa.documents.archive import catalogue, generate_missing, missing_types, required_types
from zhifa.documents.models import GeneratedDocument


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def archive(cw, case, complete=True, **kw):
    if complete:
        generate_missing(case, acting_user=cw["u1"], extra=ARCHIVE_EXTRA)
    return case_actions.do_archive(case, acting_user=cw["u1"], expected_version=v(case), on=DAYS["archive"], **kw)


def test_archive_records_note_and_retention(cw, settings, client):
    case = case_at(cw, "closed")
    settings.ZHIFA_ARCHIVE_RETENTION = {"penalty_general": "永久"}
    archive(cw, case, archive_note="案卷材料齐全")
    assert case.state == "archived" and case.retention_period == "永久" and case.archive_note == "案卷材料齐全"
    client.force_login(cw["u1"])
    html = client.get(reverse("cases-detail", args=[case.pk])).content.decode()
    assert "保管期限" in html and "永久" in html and "备考表" in html


def test_retention_default_per_kind_and_only_known_periods(cw):
    case = case_at(cw, "closed")
    refused("validation", archive, cw, case, retention_period="5年")
    archive(cw, case)
    assert case.retention_period == "30年"


def test_archive_refused_while_documents_are_missing(cw):
    """Rule archive.documents_complete: every document the case's path requires is on file."""
    case = case_at(cw, "closed")
    assert required_types(case) == ["penalty_decision", "service_receipt", "filing_approval", "penalty_notice",
                                    "closing_report"]
    GeneratedDocument.objects.filter(case=case, doc_type__in=["penalty_decision", "closing_report"]).delete()
    e = refused("archive.documents_complete", archive, cw, case, complete=False)
    assert e.field == "documents" and "《行政处罚决定书》" in e.message and "archive." not in e.message
    case.refresh_from_db()
    assert case.state == "closed"
    generate_missing(case, acting_user=cw["u1"], extra=ARCHIVE_EXTRA)
    assert missing_types(case) == []
    archive(cw, case, complete=False, archive_note="卷内文书齐全")
    rows = catalogue(case)
    titles = [r["title"] for r in rows]
    assert titles[:2] == ["行政处罚决定书", "送达回证"] and titles[-1] == "备考表"
    assert [r["no"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["number"] == case.decision_number


def test_an_exit_needs_only_the_documents_of_the_steps_taken(cw):
    case = case_at(cw, "revoked")
    assert required_types(case) == ["filing_approval"]
    case = case_at(cw, "closed", kind="inspection")
    assert required_types(case) == ["inspection_record", "closing_report"]
