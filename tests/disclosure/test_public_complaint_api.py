"""GET /api/v1/public/complaints/{code} shows what the portal's tracking page shows — state, reply
and its date, due date, satisfaction and comment, the handling record's steps (kind, date, agency) —
and never the contact, the notes of the handling record or who handled it."""
import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format

from tests.calendar_ahead import ensure_calendar_ahead
from zhifa.disclosure.actions import complaints
from zhifa.disclosure.models import Complaint, ComplaintStep

PHONE = "13985712345"
TEXT = "洪山路一家超市长期销售过期面包，请依法查处。"
NOTE = "执法人员王某某现场核查，约谈店主李某"
ANSWER = "经核查属实，已依法立案查处。"


@pytest.fixture(autouse=True)
def _calendar(legal_calendar, world):
    ensure_calendar_ahead(world["admin"])  # the due date counts working days from today
    cache.clear()
    yield
    cache.clear()


def api(client, code):
    return client.get(f"/api/v1/public/complaints/{code}")


def test_public_api_returns_the_tracking_page_fields(cw, client):
    today = timezone.localdate()
    r = client.post("/api/v1/public/complaints", {"entity": cw["sfj_county"].pk, "kind": "complaint",
                                                  "content": TEXT, "contact": PHONE}, content_type="application/json")
    assert r.status_code == 201, r.content
    code = r.json()["tracking_code"]
    assert [(s["on"], s["entity"]) for s in r.json()["steps"]] == [(today.isoformat(), cw["sfj_county"].name)]
    c = Complaint.objects.get(tracking_code=code)
    complaints.do_assign_complaint(c, acting_user=cw["sup_county"], entity=cw["smj"], reason="属市场监管职责")
    complaints.do_add_step(c, acting_user=cw["unit_head"], note=NOTE)
    complaints.do_answer_complaint(c, acting_user=cw["head"], answer=ANSWER)

    before = api(client, code).json()
    assert before["state"] == "已答复" and before["answer"] == ANSWER and before["answered_on"] == today.isoformat()
    assert before["satisfaction"] == "" and before["feedback_comment"] == ""
    complaints.do_give_feedback(complaints.lookup(code), satisfaction="basic", comment="处理较及时")

    r = api(client, code.lower())  # codes are not case-sensitive, as on the page
    assert r.status_code == 200
    data = r.json()
    c.refresh_from_db()
    assert data == complaints.public_dict(c)  # one definition for the page and both APIs
    assert data["entity"] == cw["smj"].name and data["kind"] == "投诉举报"
    assert data["received_on"] == c.received_on.isoformat() and data["due_on"] == c.due_on.isoformat()
    assert data["satisfaction"] == "基本满意" and data["feedback_comment"] == "处理较及时"
    assert [s["kind"] for s in data["steps"]] == [ComplaintStep.Kind(k).label for k in (
        "register", "reassign", "handle", "answer", "feedback")]
    assert {s["entity"] for s in data["steps"]} == {cw["sfj_county"].name, cw["smj"].name}
    assert all(set(s) == {"kind", "on", "entity"} for s in data["steps"])
    # the same values as the tracking page
    page = client.get("/gs/contact/", {"code": code}).content.decode()
    for value in (data["state"], data["answer"], date_format(c.due_on), date_format(c.answered_on),
                  data["satisfaction"], data["feedback_comment"], data["entity"]):
        assert value in page, value
    # nothing internal
    raw = r.content.decode()
    for secret in (PHONE, "王某某", "李某", "属市场监管职责", "张局长", cw["head"].username, cw["unit_head"].username,
                   cw["sup_county"].username, "contact", "note", "by_name", "answered_by", "content"):
        assert secret not in raw, secret
    assert api(client, "NOPE000000").status_code == 404
