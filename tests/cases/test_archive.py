"""Issue 18: 归档 checks the file is complete (archive.complete names the missing documents) and
records the 卷内目录, the 备考表 and the 保管期限 (per case kind, settings.ZHIFA_ARCHIVE_RETENTION)."""
import pytest
from django.urls import reverse

from tests.builders import DAYS, case_at, file_documents
from tests.cases.helpers import v
from tests.cases.test_rules_people import refused
from zhifa.cases import actions as case_actions
from zhifa.cases.rules_procedure import required_documents
from zhifa.documents.actions import do_generate_document


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def archive(cw, case, **kw):
    return case_actions.do_archive(case, acting_user=cw["u1"], expected_version=v(case), on=DAYS["archive"], **kw)


def test_archive_refused_naming_the_missing_documents(cw):
    case = case_at(cw, "closed")
    assert required_documents(case) == ["filing_approval", "penalty_notice", "penalty_decision", "service_receipt",
                                        "closing_report"]
    e = refused("archive.complete", archive, cw, case)
    assert "《立案审批表》" in e.message and "《行政处罚决定书》" in e.message and "《结案报告》" in e.message
    assert case.state == "closed"


def test_archive_records_contents_note_and_retention(cw, settings, client):
    case = case_at(cw, "closed")
    file_documents(case, cw["u1"])
    do_generate_document(case, "inquiry_record", acting_user=cw["u1"], extra={"place": "本局询问室"}, pdf=False)
    settings.ZHIFA_ARCHIVE_RETENTION = {"penalty_general": "永久"}
    archive(cw, case, archive_note="案卷共5份文书，材料齐全")
    assert case.state == "archived" and case.retention_period == "永久" and case.archive_note == "案卷共5份文书，材料齐全"
    titles = [i["title"] for i in case.archive_contents]
    assert titles == ["立案审批表", "询问笔录", "行政处罚事先告知书", "行政处罚决定书", "送达回证", "结案报告"]
    assert case.archive_contents[3]["number"] == case.decision_number
    client.force_login(cw["u1"])
    html = client.get(reverse("cases-detail", args=[case.pk])).content.decode()
    assert "保管期限" in html and "永久" in html and "卷内目录" in html and "4. 行政处罚决定书" in html and "备考表" in html


def test_retention_default_per_kind_and_only_known_periods(cw):
    case = case_at(cw, "closed")
    file_documents(case, cw["u1"])
    refused("archive.complete", archive, cw, case, retention_period="5年")
    archive(cw, case)
    assert case.retention_period == "30年"


def test_archive_form_lists_what_the_file_needs(cw, client):
    case = case_at(cw, "closed")
    client.force_login(cw["u1"])
    html = client.get(reverse("cases-action", args=[case.pk, "archive"])).content.decode()
    assert "保管期限" in html and "备考表" in html and "尚缺：立案审批表" in html
