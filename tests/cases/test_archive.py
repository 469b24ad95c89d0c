"""Issue 18 (part): 归档 records the 备考表 and the 保管期限 (per case kind, settings.ZHIFA_ARCHIVE_RETENTION).
The completeness check (archive.complete, 卷内目录) is not built yet: see the branch report."""
import pytest
from django.urls import reverse

from tests.builders import DAYS, case_at
from tests.cases.helpers import v
from tests.cases.test_rules_people import refused
from zhifa.cases import actions as case_actions


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def archive(cw, case, **kw):
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
