"""Every staff page renders for every role, and scope holds on the web layer."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


LISTS = ["entities-list", "units-list", "officers-list", "certificates-list", "trainings-list",
         "advisers-list", "power-items-list", "inspection-items-list", "service-guides-list", "flowcharts-list"]
ROLES = ["officer", "unit_head", "head", "reviewer", "sup_county", "sup_city", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_home_and_lists_render(client, world, role):
    client.force_login(world[role])
    assert client.get(reverse("home")).status_code == 200
    for name in LISTS:
        r = client.get(reverse(name))
        assert r.status_code == 200, name


def test_list_htmx_partial(client, world):
    client.force_login(world["head"])
    r = client.get(reverse("officers-list"), {"q": "李"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "李明" in body and "王芳" not in body and "<html" not in body


def test_detail_out_of_scope_is_404(client, world):
    client.force_login(world["officer"])
    assert client.get(reverse("officers-detail", args=[world["o1"].pk])).status_code == 200
    assert client.get(reverse("officers-detail", args=[world["o_zy"].pk])).status_code == 404
    assert client.get(reverse("officers-edit", args=[world["o_zy"].pk])).status_code == 404


def test_officer_role_cannot_edit(client, world):
    client.force_login(world["officer"])
    assert client.get(reverse("officers-edit", args=[world["o1"].pk])).status_code == 403
    assert client.get(reverse("officers-create")).status_code == 403


def test_edit_through_action_writes_changelog(client, world):
    client.force_login(world["head"])
    o = world["o1"]
    url = reverse("officers-edit", args=[o.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(title="副大队长", entity=o.entity_id, unit=o.unit_id)
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    r = client.post(url, data)
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    detail = client.get(reverse("officers-detail", args=[o.pk])).content.decode()
    assert "副大队长" in detail and "变更记录" in detail and "修改" in detail


def test_bad_id_number_is_chinese_field_error(client, world):
    client.force_login(world["head"])
    r = client.post(reverse("officers-create"), {"entity": world["smj"].pk, "name": "周杰",
                                                  "id_number": "520502198501010012", "status": "active"})
    assert r.status_code == 200
    assert "身份证号：身份证号校验位错误" in r.content.decode()


def test_unit_head_cannot_move_officer_to_other_unit(client, world):
    from zhifa.common.actions import ActionRefused
    from zhifa.orgs.actions import do_update_officer

    with pytest.raises(ActionRefused) as e:
        do_update_officer(world["o1"], {"unit": world["smj_unit2"]}, acting_user=world["unit_head"])
    assert e.value.rule == "scope"
    world["o1"].refresh_from_db()
    assert world["o1"].unit == world["smj_unit"]


def test_change_log_shows_labels_not_codes(client, world):
    from zhifa.orgs.actions import do_update_officer

    do_update_officer(world["o1"], {"status": "suspended", "unit": world["smj_unit2"], "is_legal_reviewer": False,
                                    "gender": "F"}, acting_user=world["head"])
    client.force_login(world["head"])
    body = client.get(reverse("officers-detail", args=[world["o1"].pk])).content.decode()
    assert "暂停执法" in body and "法规科" in body and "<b>性别</b>：<del>男</del> → <ins>女</ins>" in body


def test_change_log_page_handles_many_to_many_and_lists(client, world):
    """A row whose snapshot holds id lists (M2M) and JSON lists renders, with names."""
    from zhifa.common.actions import log_change
    from zhifa.powers.actions import do_create_versioned
    from zhifa.powers.models import Flowchart

    fc = do_create_versioned(Flowchart, {"entity": world["smj"], "title": "流程", "power_category": "penalty",
                                         "steps": [{"key": "a", "label": "立案"}]}, acting_user=world["head"])
    log_change(world["admin"], "update", acting_user=world["admin"], before={"groups": []}, after={"groups": [1, 2]})
    log_change(fc, "update", acting_user=world["head"], before={"steps": []}, after={"steps": ["x", "y"]})
    client.force_login(world["admin"])
    from django.contrib.contenttypes.models import ContentType

    for obj in (world["admin"], fc):
        ct = ContentType.objects.get_for_model(type(obj)).pk
        assert client.get(reverse("changelog", args=[ct, obj.pk])).status_code == 200
