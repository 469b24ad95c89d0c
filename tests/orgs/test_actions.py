"""Rules in the orgs actions: each test fails when its rule is removed."""
import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.orgs import actions
from zhifa.orgs.models import Certificate, Entity, Officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


def test_reviewer_needs_legal_qualification(world):
    with pytest.raises(ActionRefused) as e:
        actions.do_update_officer(world["o2"], {"is_legal_reviewer": True}, acting_user=world["head"])
    assert e.value.rule == "review.reviewer_qualified" and "法律职业资格" in e.value.message
    world["o2"].refresh_from_db()
    assert not world["o2"].is_legal_reviewer
    actions.do_update_officer(world["o2"], {"is_legal_reviewer": True, "legal_qualification": True,
                                            "legal_qualification_no": "A20185201234"}, acting_user=world["head"])
    world["o2"].refresh_from_db()
    assert world["o2"].is_legal_reviewer


def test_entrusted_entity_needs_statutory_entrusting_agency(world):
    r = world["regions"]["county"]
    with pytest.raises(ActionRefused) as e:
        factories.entity(r, "某执法中队", kind=Entity.Kind.ENTRUSTED)
    assert e.value.field == "entrusted_by"
    auth = factories.entity(r, "某授权组织", kind=Entity.Kind.AUTHORISED)
    with pytest.raises(ActionRefused) as e:
        factories.entity(r, "某受托中心", kind=Entity.Kind.ENTRUSTED, entrusted_by=auth)
    assert e.value.rule == "orgs.entrusted_by_statutory"
    ok = factories.entity(r, "某受托站", kind=Entity.Kind.ENTRUSTED, entrusted_by=world["smj"])
    assert ok.entrusted_by == world["smj"]


def test_only_admin_creates_entities(world):
    with pytest.raises(ActionRefused):
        actions.do_create_entity({"name": "x", "short_code": "x", "region": world["regions"]["county"],
                                  "credit_code": "91350100M000100Y43"}, acting_user=world["head"])
    assert not Entity.objects.filter(name="x").exists()


def test_head_cannot_change_entity_identity(world):
    with pytest.raises(ActionRefused) as e:
        actions.do_update_entity(world["smj"], {"name": "改名"}, acting_user=world["head"])
    assert e.value.rule == "orgs.entity_identity_admin_only"
    actions.do_update_entity(world["smj"], {"phone": "0857-8220000"}, acting_user=world["head"])
    world["smj"].refresh_from_db()
    assert world["smj"].name == "七星关区市场监督管理局" and world["smj"].phone == "0857-8220000"


def test_supervisor_must_belong_to_justice_bureau(world):
    with pytest.raises(ActionRefused) as e:
        factories.user(Role.SUPERVISOR, world["smj"])
    assert e.value.rule == "orgs.supervisor_in_justice_bureau"
    with pytest.raises(ActionRefused) as e:
        factories.user(Role.OFFICER, None)
    assert e.value.rule == "orgs.user_acts_for_entity"


def test_revoked_certificate_cannot_be_restored(world):
    cert = world["o1"].certificates.get()
    actions.do_update_certificate(cert, {"status": Certificate.Status.REVOKED}, acting_user=world["head"])
    with pytest.raises(ActionRefused) as e:
        actions.do_update_certificate(cert, {"status": Certificate.Status.VALID}, acting_user=world["head"])
    assert e.value.rule == "orgs.certificate_revoked_final"


def test_certificate_validity_and_expiry_order(world):
    cert = world["o1"].certificates.get()
    assert cert.is_valid_on()
    assert not cert.is_valid_on(cert.expires_on + dt.timedelta(days=1))
    with pytest.raises(ActionRefused) as e:
        actions.do_update_certificate(cert, {"expires_on": cert.issued_on}, acting_user=world["head"])
    assert e.value.field == "expires_on" and "有效期至" in e.value.message


def test_officer_with_certificate_cannot_be_deleted(world):
    with pytest.raises(ActionRefused) as e:
        actions.do_delete_officer(world["o1"], acting_user=world["head"])
    assert e.value.rule == "orgs.officer_has_certificates"
    plain = factories.officer(world["smj"], world["smj_unit"], "无证人员", cert=False)
    actions.do_delete_officer(plain, acting_user=world["head"])
    assert not Officer.objects.filter(pk=plain.pk).exists()
    assert ChangeLog.objects.filter(object_id=str(plain.pk), action="delete").exists()


def test_training_hours_against_configurable_minimum(world, settings):
    year = timezone.localdate().year
    actions.do_record_training({"officer": world["o1"], "year": year, "course": "行政处罚法", "hours": 24},
                               acting_user=world["head"])
    actions.do_record_training({"officer": world["o1"], "year": year, "course": "证据规则", "hours": 16},
                               acting_user=world["head"])
    assert world["o1"].training_hours(year) == 40 and world["o1"].training_ok(year)
    settings.ZHIFA_TRAINING_MIN_HOURS = 60
    assert not world["o1"].training_ok(year)
    with pytest.raises(ActionRefused) as e:
        actions.do_record_training({"officer": world["o1"], "year": year, "course": "x", "hours": 0},
                                   acting_user=world["head"])
    assert e.value.field == "hours"


def test_change_log_keeps_before_and_after(world):
    actions.do_update_officer(world["o1"], {"title": "队长"}, acting_user=world["head"])
    log = ChangeLog.objects.filter(object_id=str(world["o1"].pk), action="update").first()
    assert log.user == world["head"] and log.before["title"] == "" and log.after["title"] == "队长"
    assert ("职务", "", "队长") in log.diff()


def test_failed_action_leaves_nothing(world):
    """Nothing half-saved: a refusal after the write rolls the whole action back."""
    before = ChangeLog.objects.count()
    with pytest.raises(ActionRefused):
        actions.do_update_officer(world["o2"], {"title": "新职务", "is_legal_reviewer": True}, acting_user=world["head"])
    world["o2"].refresh_from_db()
    assert world["o2"].title == "" and ChangeLog.objects.count() == before


def test_bulk_create_officers_is_all_or_nothing(world):
    from zhifa.common.identifiers import make_id_number

    good = Officer(entity=world["smj"], name="甲", id_number=make_id_number("520502", dt.date(1990, 1, 1), 7))
    dup = Officer(entity=world["smj"], name="乙", id_number=world["o1"].id_number)
    with pytest.raises(ActionRefused):
        actions.do_bulk_create_officers([good, dup], acting_user=world["head"])
    assert not Officer.objects.filter(name="甲").exists()
    other = Officer(entity=world["zy"], name="丙", id_number=make_id_number("520300", dt.date(1990, 1, 1), 9))
    with pytest.raises(ActionRefused) as e:
        actions.do_bulk_create_officers([other], acting_user=world["head"])
    assert e.value.rule == "scope"
