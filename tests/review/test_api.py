"""/api/v1/review: a major case cannot reach 决定 through the API without a 同意 review."""
import json

import pytest
from django.test import Client

from tests.cases.helpers import v
from tests.review.helpers import ALL_OK, major_case, problems
from zhifa.review.catalogue import packet_defaults


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def api(user):
    c = Client()
    c.force_login(user)

    def call(method, path, data=None):
        r = getattr(c, method)("/api/v1" + path, json.dumps(data) if data is not None else None,
                               content_type="application/json")
        return r.status_code, r.json()
    return call


def test_api_review_flow_and_gate(cw):
    case = major_case(cw)
    officer, rev, head = api(cw["u1"]), api(cw["rev"]), api(cw["head"])
    code, body = officer("get", f"/review/cases/{case.pk}")
    assert code == 200 and body["major"] and not body["gate_open"]
    packet = {**packet_defaults(case), "discretion_reasoning": "一般档位"}
    code, body = officer("post", f"/review/cases/{case.pk}/submit",
                         {"expected_version": v(case), "reviewer": cw["rev"].pk,
                          "packet": {**packet, "facts": ""}, "on": "2026-04-03"})
    assert code == 409 and body["rule"] == "review.packet_complete" and body["field"] == "facts"
    code, body = officer("post", f"/review/cases/{case.pk}/submit",
                         {"expected_version": v(case), "reviewer": cw["rev"].pk, "packet": packet, "on": "2026-04-03"})
    assert code == 200 and body["packets"][0]["version"] == 1
    code, body = rev("get", "/review/queue")
    assert code == 200 and body[0]["case_id"] == case.pk and body[0]["due_on"]
    code, body = rev("post", f"/review/cases/{case.pk}/opinion",
                     {"expected_version": v(case), "packet_version": 1, "outcome": "problems",
                      "checklist": problems(law="偏重"), "opinion": "存在问题", "corrections": "调整", "on": "2026-04-07"})
    assert code == 200 and body["opinions"][0]["outcome"] == "problems"
    code, body = head("post", f"/cases/{case.pk}/transitions/decide", {"expected_version": v(case), "on": "2026-04-10",
                                                                       "payload": {}})
    assert code == 409 and body["rule"] == "review.passed_if_required"
    code, body = officer("post", f"/review/cases/{case.pk}/submit",
                         {"expected_version": v(case), "reviewer": cw["rev"].pk, "on": "2026-04-08",
                          "packet": {**packet, "discretion_reasoning": "从轻"}, "correction_note": "已调整"})
    assert code == 200
    code, body = officer("get", f"/review/cases/{case.pk}/diff/2")
    assert code == 200 and any(d["field"] == "discretion_reasoning" and d["changed"] for d in body)
    code, body = rev("post", f"/review/cases/{case.pk}/opinion",
                     {"expected_version": v(case), "packet_version": 1, "outcome": "agree", "checklist": ALL_OK,
                      "opinion": "同意", "on": "2026-04-09"})
    assert code == 409 and body["rule"] == "review.packet_current"
    code, body = rev("post", f"/review/cases/{case.pk}/opinion",
                     {"expected_version": v(case), "packet_version": 2, "outcome": "agree", "checklist": ALL_OK,
                      "opinion": "同意", "on": "2026-04-09"})
    assert code == 200 and body["gate_open"]
    code, body = head("post", f"/cases/{case.pk}/transitions/decide", {"expected_version": v(case), "on": "2026-04-10",
                                                                       "payload": {}})
    assert code == 200, body


def test_api_catalogue_and_staffing(cw):
    admin = api(cw["admin"])
    code, body = admin("post", f"/review/catalogue/{cw['smj'].pk}", {"fine_threshold_citizen": "2000", "review_days": 7})
    assert code == 201 and body["version"] == 1 and body["review_days"] == 7
    code, body = api(cw["u1"])("post", f"/review/catalogue/{cw['smj'].pk}", {})
    assert code == 403
    code, body = api(cw["sup_county"])("get", "/review/staffing")
    assert code == 200 and {r["entity"] for r in body} >= {"七星关区市场监督管理局"}
