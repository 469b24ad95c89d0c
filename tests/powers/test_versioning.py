"""Powers lists: draft → pending → published by the same-level justice bureau → superseded."""
import pytest

from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.powers import actions
from zhifa.powers.flow import render_svg
from zhifa.powers.models import Flowchart, InspectionItem, PowerItem, VersionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


def make_item(world, **extra):
    data = {"entity": world["smj"], "unit": world["smj_unit"], "code": "QX-CF-001",
            "name": "对生产经营不符合食品安全标准的食品的处罚", "category": PowerItem.Category.PENALTY,
            "law": "中华人民共和国食品安全法", "article": "第一百二十四条", **extra}
    return actions.do_create_versioned(PowerItem, data, acting_user=world["head"])


def test_full_cycle(world):
    item = make_item(world)
    assert item.status == VersionStatus.DRAFT and not PowerItem.objects.published().exists()
    actions.do_submit_versioned(item, acting_user=world["head"])
    with pytest.raises(ActionRefused) as e:
        actions.do_update_versioned(item, {"name": "改"}, acting_user=world["head"])
    assert e.value.rule == "powers.pending_locked"
    item = actions.do_confirm_versioned(item, acting_user=world["sup_county"], note="同意")
    assert item.status == VersionStatus.PUBLISHED and item.confirmed_by == world["sup_county"]
    assert list(PowerItem.objects.published()) == [item]

    v2 = actions.do_update_versioned(item, {"duties": "立案、调查、告知、决定、送达、执行"}, acting_user=world["head"])
    assert v2.pk != item.pk and v2.version == 2 and v2.status == VersionStatus.DRAFT
    assert list(PowerItem.objects.published()) == [item], "v1 stays public until v2 is confirmed"
    actions.do_submit_versioned(v2, acting_user=world["head"])
    actions.do_confirm_versioned(v2, acting_user=world["sup_county"])
    item.refresh_from_db()
    assert item.status == VersionStatus.SUPERSEDED and item.effective_to == v2.effective_from
    assert list(PowerItem.objects.published()) == [v2]
    actions_logged = set(ChangeLog.objects.filter(object_id__in=[str(item.pk), str(v2.pk)]).values_list("action", flat=True))
    assert {"create", "submit", "confirm", "update"} <= actions_logged


def test_only_same_level_justice_bureau_confirms(world):
    item = make_item(world)
    actions.do_submit_versioned(item, acting_user=world["head"])
    for who in ("sup_city", "head", "admin", "officer"):
        with pytest.raises(ActionRefused) as e:
            actions.do_confirm_versioned(item, acting_user=world[who])
        assert e.value.rule == "powers.same_level_confirmation"
    item.refresh_from_db()
    assert item.status == VersionStatus.PENDING


def test_confirm_only_pending(world):
    item = make_item(world)
    with pytest.raises(ActionRefused) as e:
        actions.do_confirm_versioned(item, acting_user=world["sup_county"])
    assert e.value.rule == "powers.confirm_pending_only"


def test_reject_needs_reason_and_reopens_draft(world):
    item = make_item(world)
    actions.do_submit_versioned(item, acting_user=world["head"])
    with pytest.raises(ActionRefused) as e:
        actions.do_reject_versioned(item, acting_user=world["sup_county"], note=" ")
    assert e.value.rule == "powers.reject_needs_reason"
    actions.do_reject_versioned(item, acting_user=world["sup_county"], note="依据条款有误")
    item.refresh_from_db()
    assert item.status == VersionStatus.REJECTED and item.review_note == "依据条款有误"
    actions.do_update_versioned(item, {"article": "第一百二十二条"}, acting_user=world["head"])
    item.refresh_from_db()
    assert item.article == "第一百二十二条" and item.version == 1


def test_unit_head_edits_only_own_unit_items(world):
    item = make_item(world, unit=world["smj_unit2"])
    with pytest.raises(ActionRefused):
        actions.do_update_versioned(item, {"name": "x"}, acting_user=world["unit_head"])
    mine = make_item(world, code="QX-CF-002")
    actions.do_update_versioned(mine, {"name": "新名称"}, acting_user=world["unit_head"])


def test_discard_draft_restores_previous_head(world):
    item = make_item(world)
    actions.do_submit_versioned(item, acting_user=world["head"])
    actions.do_confirm_versioned(item, acting_user=world["sup_county"])
    v2 = actions.do_update_versioned(item, {"name": "草稿名"}, acting_user=world["head"])
    actions.do_discard_draft(v2, acting_user=world["head"])
    item.refresh_from_db()
    assert item.is_head and not PowerItem.objects.filter(pk=v2.pk).exists()
    with pytest.raises(ActionRefused):
        actions.do_discard_draft(item, acting_user=world["head"])


def test_duplicate_code_refused_with_field(world):
    make_item(world)
    with pytest.raises(ActionRefused) as e:
        make_item(world)
    assert "事项编码" in e.value.message or "已存在" in e.value.message


def test_general_inspection_item_needs_ratio(world):
    base = {"entity": world["smj"], "code": "CC-1", "name": "食品经营者检查", "kind": InspectionItem.Kind.GENERAL}
    with pytest.raises(ActionRefused) as e:
        actions.do_create_versioned(InspectionItem, base, acting_user=world["head"])
    assert e.value.field == "ratio"
    actions.do_create_versioned(InspectionItem, {**base, "ratio": 5}, acting_user=world["head"])
    actions.do_create_versioned(InspectionItem, {**base, "code": "CC-2", "kind": "key"}, acting_user=world["head"])


def test_flowchart_structure_checked_and_rendered(world):
    bad = {"entity": world["smj"], "title": "处罚流程", "power_category": "penalty",
           "steps": [{"key": "a", "label": "立案", "next": ["zz"]}]}
    with pytest.raises(ActionRefused) as e:
        actions.do_create_versioned(Flowchart, bad, acting_user=world["head"])
    assert "不存在" in e.value.message
    steps = [{"key": "a", "label": "立案", "kind": "start", "next": ["b"]},
             {"key": "b", "label": "调查取证", "next": ["c"]},
             {"key": "c", "label": "<决定>", "kind": "end", "next": []}]
    fc = actions.do_create_versioned(Flowchart, {**bad, "steps": steps}, acting_user=world["head"])
    svg = render_svg(fc.steps)
    assert svg.startswith("<svg") and "调查取证" in svg and "&lt;决定&gt;" in svg


def test_unit_must_belong_to_entity(world):
    data = {"entity": world["hbj"], "unit": world["smj_unit"], "code": "HB-1", "name": "x",
            "category": "penalty", "law": "中华人民共和国环境保护法"}
    with pytest.raises(ActionRefused) as e:
        actions.do_create_versioned(PowerItem, data, acting_user=world["admin"])
    assert e.value.field == "unit" and "承办机构" in e.value.message
