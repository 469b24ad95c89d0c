"""案例指导: selection of a closed case, the proposed redaction, editing, publication, the portal
list and the case page's "similar guiding cases"; every named rule of zhifa.guidance."""
import pytest

from tests import factories
from tests.supervision.transfer_helpers import closed_case, events
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.guidance import actions as guidance_actions
from zhifa.guidance.models import GuidingCase


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


PARTY = dict(name="张建国", phone="13985712345", address="七星关区洪山路18号3单元401室")


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, e.value
    return e.value


@pytest.fixture
def closed(cw):
    party = factories.person_party(PARTY["name"], phone=PARTY["phone"], address=PARTY["address"])
    return closed_case(cw, party=party, facts=f"当事人{PARTY['name']}在{PARTY['address']}销售过期食品。")


def published(cw, case):
    g = guidance_actions.do_select_guidance(case, acting_user=cw["sup_county"])
    g = guidance_actions.do_edit_guidance(g, acting_user=cw["sup_county"], title="销售过期食品的认定", body=g.body,
                           key_points="超过保质期的食品一律不得销售", significance="统一过期食品案件的裁量尺度")
    return guidance_actions.do_publish_guidance(g, acting_user=cw["sup_county"])


def test_select_proposes_redaction(cw, closed):
    g = guidance_actions.do_select_guidance(closed, acting_user=cw["sup_county"])
    assert g.state == GuidingCase.State.DRAFT and PARTY["name"] in g.source_text
    for secret in PARTY.values():
        assert secret not in g.body
    assert closed.parties.get().id_number not in g.body
    assert {s["kind"] for s in g.spans} >= {"name", "phone"}
    assert guidance_actions.private_leaks(closed, g.body) == []


def test_selection_rules_and_scope(cw, closed):
    open_case = factories.case(cw)
    refused("guidance.case_closed", guidance_actions.do_select_guidance, open_case, acting_user=cw["sup_county"])
    with pytest.raises(OutOfScope):
        guidance_actions.do_select_guidance(closed, acting_user=cw["head"])
    guidance_actions.do_select_guidance(closed, acting_user=cw["sup_city"])
    refused("guidance.not_duplicate", guidance_actions.do_select_guidance, closed, acting_user=cw["sup_county"])
    assert not GuidingCase.objects.restrict(cw["head"]).exists()  # drafts are the supervisors'


def test_edit_and_publish_rules(cw, closed):
    g = guidance_actions.do_select_guidance(closed, acting_user=cw["sup_county"])
    sup = cw["sup_county"]
    refused("guidance.title", guidance_actions.do_edit_guidance, g, acting_user=sup, title=" ", body=g.body)
    e = refused("guidance.no_private_data", guidance_actions.do_edit_guidance, g, acting_user=sup, title="t",
                body=g.body + f"\n联系电话{PARTY['phone']}")
    assert e.field == "body"
    refused("guidance.no_private_data", guidance_actions.do_edit_guidance, g, acting_user=sup, title="t",
            body=g.body + "\n另查明证人手机13700001111")
    refused("guidance.no_private_data", guidance_actions.do_edit_guidance, g, acting_user=sup, title="t",
            body=g.body + f"\n{PARTY['name']}")
    refused("guidance.key_points", guidance_actions.do_publish_guidance, g, acting_user=sup)
    g = guidance_actions.do_edit_guidance(g, acting_user=sup, title="销售过期食品案", body=g.body, key_points="要点")
    refused("guidance.significance", guidance_actions.do_publish_guidance, g, acting_user=sup)
    g = guidance_actions.do_edit_guidance(g, acting_user=sup, title="销售过期食品案", body=g.body, key_points="要点", significance="意义")
    g = guidance_actions.do_publish_guidance(g, acting_user=sup)
    assert g.number == 1 and g.published_on
    refused("guidance.draft_only", guidance_actions.do_edit_guidance, g, acting_user=sup, title="t", body=g.body)
    refused("guidance.draft_only", guidance_actions.do_publish_guidance, g, acting_user=sup)
    refused("guidance.withdraw_reason", guidance_actions.do_withdraw_guidance, g, acting_user=sup, reason="")
    g = guidance_actions.do_withdraw_guidance(g, acting_user=sup, reason="所依据的规定已修改")
    refused("guidance.published_only", guidance_actions.do_withdraw_guidance, g, acting_user=sup, reason="再次")
    assert events(closed, "guidance.") == ["guidance.selected", "guidance.edited", "guidance.edited",
                                           "guidance.published", "guidance.withdrawn"]


def test_similar_cases_on_case_page_and_portal(cw, closed, client):
    g = published(cw, closed)
    same_field = factories.case(cw)  # same entity field and power item
    assert guidance_actions.similar_to(same_field) == [g]
    assert guidance_actions.similar_to(closed) == []  # not itself
    client.force_login(cw["u1"])
    panel = client.get(f"/transfers/case/{same_field.pk}/panel/").content.decode()
    assert "销售过期食品的认定" in panel and "超过保质期的食品一律不得销售" in panel
    page = client.get("/gs/guidance/").content.decode()
    assert "销售过期食品的认定" in page
    detail = client.get(f"/gs/guidance/{g.pk}/").content.decode()
    for secret in PARTY.values():
        assert secret not in detail and secret not in page
    # A draft is not public.
    other = closed_case(cw)
    draft = guidance_actions.do_select_guidance(other, acting_user=cw["sup_county"])
    assert client.get(f"/gs/guidance/{draft.pk}/").status_code == 404
    api = client.get("/api/v1/public/guidance").json()
    assert [x["id"] for x in api] == [g.pk]


def test_supervisor_pages_and_api(cw, closed, client):
    client.force_login(cw["sup_county"])
    r = client.post(f"/guidance/select/{closed.pk}/")
    g = GuidingCase.objects.get(case=closed)
    assert r.status_code == 302
    r = client.post(f"/guidance/{g.pk}/", {"op": "save", "title": "标题", "body": g.body + PARTY["phone"],
                                          "key_points": "", "significance": ""})
    assert r.status_code == 200 and "个人信息" in r.content.decode()
    r = client.post(f"/api/v1/guidance/{g.pk}", {"title": "标题", "body": g.body, "key_points": "要点",
                                                 "significance": "意义"}, content_type="application/json")
    assert r.status_code == 200, r.content
    r = client.post(f"/api/v1/guidance/{g.pk}/publish", content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "published"
    client.force_login(cw["head"])
    assert client.post(f"/api/v1/guidance/{g.pk}/withdraw", {"reason": "x"},
                       content_type="application/json").status_code == 403
