import pytest
from django.urls import reverse

from zhifa.common.models import ChangeLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


def test_admin_edit_writes_change_log(client, world):
    client.force_login(world["admin"])
    unit = world["smj_unit"]
    r = client.post(reverse("admin:orgs_unit_change", args=[unit.pk]),
                    {"entity": unit.entity_id, "name": "综合执法大队", "phone": ""})
    assert r.status_code == 302
    log = ChangeLog.objects.filter(object_id=str(unit.pk), reason="系统管理后台").get()
    assert log.before["name"] == "执法稽查大队" and log.after["name"] == "综合执法大队"


def test_non_admin_has_no_admin_site(client, world):
    client.force_login(world["head"])
    assert client.get(reverse("admin:index")).status_code == 302


def test_reviewer_ratio_alert(client, world):
    client.force_login(world["head"])
    body = client.get(reverse("home")).content.decode()
    assert "法制审核人员0名" in body  # smj has 2 active officers, no reviewer
    from zhifa.orgs.actions import do_update_officer

    do_update_officer(world["o2"], {"is_legal_reviewer": True, "legal_qualification": True,
                                    "legal_qualification_no": "A1"}, acting_user=world["head"])
    assert "法制审核人员0名" not in client.get(reverse("home")).content.decode()
