"""The permit pages: register, new, detail (暂扣/吊销), the case page's panel and the 一户式 panel; and
the API. Each page carries the CSP headers (tests/accounts/test_headers.py)."""
import datetime as dt

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.accounts.test_headers import check_headers
from tests.permits.conftest import case_before_decision, decide, grant
from zhifa.permits.models import Permit, PermitSanction


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_register_and_the_detail_page(world):
    permit = grant(world)
    c = _client(world["officer"])
    r = c.get(reverse("permits-index"))
    assert r.status_code == 200 and permit.number in r.content.decode()
    check_headers(r)
    r = c.get(reverse("permits-detail", args=[permit.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and "吊销许可证件" not in body  # an officer may not revoke
    check_headers(r)
    assert _client(factories.user("officer", world["hbj"], None, "hbjofficer")).get(
        reverse("permits-detail", args=[permit.pk])).status_code in (403, 404)


def test_a_head_grants_on_the_page_and_a_bad_field_is_named(world):
    c = _client(world["head"])
    holder = factories.org_party("安顺食品有限公司")
    data = {"holder_name": holder["name"], "holder_credit_code": holder["credit_code"], "kind": "食品经营许可证",
            "number": "JY1520502009", "decided_on": "2026-04-01", "valid_from": "2026-04-01",
            "valid_until": "2031-03-31"}
    r = c.post(reverse("permits-new"), {**data, "holder_credit_code": "123"})
    assert r.status_code == 422 and "统一社会信用代码" in r.content.decode()
    r = c.post(reverse("permits-new"), data)
    permit = Permit.objects.get(number="JY1520502009")
    assert r.status_code == 302 and permit.publication.due_on == dt.date(2026, 4, 13)
    r = c.post(reverse("permits-detail", args=[permit.pk]), {"op": "revoke", "reason": ""})
    assert r.status_code == 422 and "理由" in r.content.decode()
    r = c.post(reverse("permits-detail", args=[permit.pk]), {"op": "revoke", "reason": "以欺骗手段取得许可"})
    permit.refresh_from_db()
    assert r.status_code == 302 and permit.state == Permit.State.REVOKED


def test_the_case_panel_names_the_permit(cw):
    holder = factories.org_party("恒丰食品有限公司")
    permit = grant(cw, holder=holder)
    case = case_before_decision(cw, holder)
    c = _client(cw["u1"])
    r = c.get(reverse("permits-case-panel", args=[case.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and 'id="case-permits"' in body and "name-permit-form" in body
    r = c.post(reverse("permits-name", args=[case.pk]), {"permit": permit.pk})
    assert r.status_code == 302
    assert PermitSanction.objects.filter(case=case, permit=permit).exists()
    decide(cw, case)
    permit.refresh_from_db()
    assert permit.state == Permit.State.REVOKED
    assert "已吊销许可证件" in c.get(reverse("permits-case-panel", args=[case.pk])).content.decode()
    case_page = c.get(reverse("cases-detail", args=[case.pk])).content.decode()
    assert reverse("permits-case-panel", args=[case.pk]) in case_page


def test_the_one_household_page_shows_the_holders_permits(world):
    holder = factories.org_party("恒丰食品有限公司")
    permit = grant(world, holder=holder)
    c = _client(world["officer"])
    r = c.get(reverse("records-target") + f"?key={holder['credit_code']}")
    assert r.status_code == 200
    check_headers(r)
    panel_url = reverse("permits-target-panel") + f"?key={holder['credit_code']}"
    assert panel_url in r.content.decode()
    body = c.get(panel_url).content.decode()
    assert 'id="target-permits"' in body and permit.number in body


def test_the_api(world):
    holder = factories.org_party("恒丰食品有限公司")
    c = _client(world["head"])
    token = c.get("/api/v1/auth/me")  # the session's CSRF cookie
    assert token.status_code == 200
    r = c.post("/api/v1/permits", {"holder_name": holder["name"], "holder_credit_code": holder["credit_code"],
                                   "kind": "食品经营许可证", "number": "JY1", "decided_on": "2026-04-01",
                                   "valid_until": "2031-03-31"}, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["publication_id"]
    r = c.post(f"/api/v1/permits/{pk}/suspend", {"reason": ""}, content_type="application/json")
    assert r.status_code == 409 and r.json()["rule"] == "permit.reason"
    r = c.get(f"/api/v1/permits?holder={holder['credit_code']}")
    assert [p["id"] for p in r.json()] == [pk]


def test_the_permit_publication_on_the_staff_review_pages(world):
    permit = grant(world)
    c = _client(world["head"])
    r = c.get(reverse("disclosure-detail", args=[permit.publication_id]))
    assert r.status_code == 200 and "行政许可" in r.content.decode() and "当事人查询码" not in r.content.decode()
    r = c.get(reverse("disclosure-queue"))
    assert r.status_code == 200


def test_the_register_filters_expired_permits_by_their_validity(world):
    import time_machine

    old = grant(world, number="JY-OLD", valid_until=dt.date(2026, 6, 30))
    new = grant(world, number="JY-NEW")
    c = _client(world["officer"])
    with time_machine.travel(dt.datetime(2026, 9, 1, 12), tick=False):
        expired = c.get(reverse("permits-index") + "?state=expired").content.decode()
        valid = c.get(reverse("permits-index") + "?state=valid").content.decode()
    assert old.number in expired and new.number not in expired
    assert new.number in valid and old.number not in valid
