"""行政执法协调监督权责清单: the bureaus' supervision powers per level, versioned and confirmed like the
enforcement lists, published on the portal by level (with each bureau's supervision staff)."""
import datetime as dt

import pytest
import time_machine

from zhifa.common.actions import ActionRefused
from zhifa.powers import actions as power_actions
from zhifa.powers.models import PowerItem, VersionStatus
from zhifa.supervision.actions import powerlist

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(shared_world):
    return shared_world


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def publish(w, bureau, sup):
    items = powerlist.do_draft_supervision_powers(bureau, acting_user=w["admin"])
    for item in items:
        power_actions.do_confirm_versioned(power_actions.do_submit_versioned(item, acting_user=w["admin"]),
                                           acting_user=sup, note="同意")
    return items


def test_standard_items_by_level_drafted_once(w):
    county = powerlist.do_draft_supervision_powers(w["sfj_county"], acting_user=w["admin"])
    city = powerlist.do_draft_supervision_powers(w["sfj_city"], acting_user=w["admin"])
    assert len(county) == len(powerlist.COMMON) and len(city) == len(powerlist.COMMON) + len(powerlist.ABOVE_COUNTY)
    assert {i.status for i in county} == {VersionStatus.DRAFT} and {i.category for i in city} == {"supervision"}
    assert county[0].code == "JD-XJ-01" and city[0].code == "JD-SS-01"
    assert powerlist.do_draft_supervision_powers(w["sfj_county"], acting_user=w["admin"]) == []


def test_only_a_justice_bureau_holds_supervision_powers(w):
    with pytest.raises(ActionRefused) as e:
        powerlist.do_draft_supervision_powers(w["smj"], acting_user=w["admin"])
    assert e.value.rule == "supervision.powers_bureau"
    with pytest.raises(ActionRefused) as e:
        power_actions.do_create_versioned(PowerItem, {"entity": w["smj"], "code": "JD-1", "name": "监督", "category":
                                                      "supervision", "law": "某条例"}, acting_user=w["admin"])
    assert e.value.field == "category" and "司法行政机关" in e.value.message


def test_published_on_the_portal_by_level(w, client):
    publish(w, w["sfj_county"], w["sup_county"])
    publish(w, w["sfj_city"], w["sup_city"])
    powerlist.do_draft_supervision_powers(w["sfj_county"], acting_user=w["admin"])  # nothing new
    draft = power_actions.do_create_versioned(PowerItem, {
        "entity": w["sfj_county"], "code": "JD-XJ-99", "name": "未确认的监督事项", "category": "supervision",
        "law": "某条例"}, acting_user=w["admin"])
    levels = powerlist.published_by_level()
    assert [lv["label"] for lv in levels] == ["市级", "县级"]
    page = client.get("/gs/jiandu-qingdan/").content.decode()
    assert "重大行政处罚决定备案审查" in page and "行政执法监督决定" in page and draft.name not in page
    assert page.index("毕节市司法局") < page.index("七星关区司法局") and "执法监督人员 1 名" in page


def test_staff_page(w, client):
    client.force_login(w["sup_county"])
    assert client.get("/supervision/powers/").status_code == 200
    client.force_login(w["head"])  # an enforcement agency's head: not a bureau
    assert client.get("/supervision/powers/").status_code == 403
