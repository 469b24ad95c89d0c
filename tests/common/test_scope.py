import pytest

from zhifa.orgs.models import Certificate, Entity, Officer
from zhifa.powers.models import PowerItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_officer_sees_own_entity_only(world):
    assert names(Officer.objects.restrict(world["officer"])) == {"李明", "王芳"}
    assert names(Entity.objects.restrict(world["officer"])) == {"七星关区市场监督管理局"}


def test_county_supervisor_sees_county_subtree(world):
    assert names(Officer.objects.restrict(world["sup_county"])) == {"李明", "王芳", "赵强"}


def test_city_supervisor_sees_whole_city_not_other_city(world):
    seen = names(Officer.objects.restrict(world["sup_city"]))
    assert {"李明", "王芳", "赵强", "钱红"} <= seen and "孙伟" not in seen


def test_unit_head_changes_only_own_unit(world):
    assert names(Officer.objects.restrict(world["unit_head"], "change")) == {"李明"}
    assert names(Officer.objects.restrict(world["head"], "change")) == {"李明", "王芳"}
    assert not Officer.objects.restrict(world["officer"], "change").exists()
    assert not Officer.objects.restrict(world["sup_city"], "change").exists()


def test_certificates_follow_officer_scope(world):
    nums = Certificate.objects.restrict(world["officer"]).values_list("officer__name", flat=True)
    assert set(nums) == {"李明", "王芳"}


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Officer.objects.restrict(AnonymousUser()).exists()
    assert not PowerItem.objects.restrict(AnonymousUser()).exists()


def test_confirm_scope_is_same_level_region(world):
    from zhifa.common.scope import can_on_entity

    assert can_on_entity(world["sup_county"], "confirm", PowerItem, world["smj"])
    assert not can_on_entity(world["sup_city"], "confirm", PowerItem, world["smj"])
    assert not can_on_entity(world["head"], "confirm", PowerItem, world["smj"])
