"""The review pages: queue, form (checklist), panel, diff, catalogue, staffing."""
import datetime as dt

import pytest
from django.test import Client

from tests.cases.helpers import v
from tests.review.helpers import major_case, review, submit
from zhifa.cases.models import LegalReview
from zhifa.review.models import CHECKLIST, Opinion


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_queue_form_and_panel(cw):
    case = major_case(cw)
    submit(cw, case)
    rv = LegalReview.objects.get(case=case)
    c = client(cw["rev"])
    page = c.get("/review/").content.decode()
    assert f"/review/{rv.pk}/" in page and case.title in page
    page = c.get(f"/review/{rv.pk}/").content.decode()
    assert "送审材料第1版" in page and "执法主体是否合法" in page
    data = {f"item_{k}": "ok" for k, _l in CHECKLIST}
    data.update(item_law="problem", note_law="", opinion="存在问题", corrections="调整裁量", outcome="problems",
                packet_version=1, expected_version=v(case))
    r = c.post(f"/review/{rv.pk}/", data)
    assert r.status_code == 409 and 'data-rule="review.checklist_complete"' in r.content.decode()
    data["note_law"] = "裁量偏重"
    r = c.post(f"/review/{rv.pk}/", data)
    assert r.status_code == 302 and Opinion.objects.get(review=rv).items["law"]["status"] == "problem"
    panel = client(cw["u1"]).get(f"/review/case/{case.pk}/").content.decode()
    assert "法制审核意见书" in panel and "提交送审" in panel and 'data-testid="gate"' in panel


def test_submit_incomplete_packet_through_panel(cw):
    case = major_case(cw)
    c = client(cw["u1"])
    r = c.post(f"/review/case/{case.pk}/submit/", {"reviewer": cw["rev"].pk, "expected_version": v(case),
                                                   "draft_decision": "拟罚款", "facts": "x", "evidence_list": "y",
                                                   "legal_basis": "", "discretion_reasoning": "z",
                                                   "procedure_record": "p"})
    assert r.status_code == 409 and 'data-field="legal_basis"' in r.content.decode()


def test_diff_catalogue_staffing_pages(cw):
    case = major_case(cw)
    submit(cw, case)
    review(cw, case, "problems")
    submit(cw, case, on=dt.date(2026, 4, 8), discretion_reasoning="改为从轻档位")
    page = client(cw["u1"]).get(f"/review/case/{case.pk}/diff/2/").content.decode()
    assert "改为从轻档位" in page
    admin = client(cw["admin"])
    r = admin.post(f"/review/catalogue/?entity={cw['smj'].pk}", {"entity": cw["smj"].pk, "fine_threshold_citizen": "2000",
                                                                 "review_days": "7", "hearing_held": "on"})
    assert r.status_code == 302
    assert "第2版" in admin.get(f"/review/catalogue/?entity={cw['smj'].pk}").content.decode()
    page = client(cw["sup_county"]).get("/review/staffing/").content.decode()
    assert "七星关区市场监督管理局" in page and "七星关区生态环境局" in page
