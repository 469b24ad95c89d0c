"""`zhifa seed --scale county`: one seeding per module (about 2 s), checked from many angles."""
import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from zhifa.common.identifiers import check_credit_code, check_id_number, check_phone
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.orgs.models import Certificate, Entity, LegalAdviser, Officer, Region, Training, Unit, User
from zhifa.powers.models import Flowchart, InspectionItem, PowerItem, ServiceGuide, VersionStatus
from zhifa.site.demo import DEMO_PASSWORD, seed
from zhifa.site.demo.builder import distribute
from zhifa.site.demo.catalog import BUREAUS, cn_number, items_for

pytestmark = pytest.mark.django_db
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST):
        with transaction.atomic():
            builder = seed("county")
            yield builder
            transaction.set_rollback(True)


@pytest.mark.slow
def test_counts(seeded):
    assert Entity.objects.count() == 15  # 12 county bodies, 2 town governments, 毕节市司法局
    assert Entity.objects.filter(region__code="520502").count() == 12
    assert Entity.objects.filter(region__level=Region.Level.TOWN).count() == 2
    assert Officer.objects.count() == 140
    assert 8 <= Officer.objects.filter(entity__name="七星关区生态环境局").count() <= 12
    assert PowerItem.objects.filter(status=VersionStatus.PUBLISHED).count() == 398  # 380 + 18 supervision powers
    assert 25 <= PowerItem.objects.filter(entity__name="七星关区生态环境局").count() <= 40
    assert InspectionItem.objects.exists() and ServiceGuide.objects.exists() and Flowchart.objects.exists()
    assert Unit.objects.filter(is_legal_unit=True).count() == Entity.objects.count()
    assert LegalAdviser.objects.count() >= 12 and Training.objects.count() > 100
    assert Region.objects.filter(code__regex=r"^520502\d{3}$", level=Region.Level.TOWN).count() == 5


@pytest.mark.slow
def test_identifiers_are_valid_and_unique(seeded):
    for e in Entity.objects.all():
        assert check_credit_code(e.credit_code) is None, e.credit_code
        assert e.credit_code[:2] == "11" and e.credit_code[2:8] == e.region.code[:6]
        assert check_phone(e.phone) is None
    counties = set(Region.objects.filter(parent__code="520500").values_list("code", flat=True))
    for o in Officer.objects.select_related("entity__region"):
        assert check_id_number(o.id_number) is None, o.id_number
        assert o.id_number[:6] in counties
        assert 1965 <= int(o.id_number[6:10]) <= 2000
        assert (int(o.id_number[16]) % 2 == 1) == (o.gender == "M")
        assert check_phone(o.phone) is None
        assert 2 <= len(o.name) <= 3
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))


@pytest.mark.slow
def test_realistic_mix(seeded):
    today = timezone.localdate()
    certs = Certificate.objects.all()
    soon = (today, today + dt.timedelta(days=60))
    assert certs.filter(status=Certificate.Status.VALID, expires_on__range=soon).exists()
    assert certs.filter(status=Certificate.Status.SUSPENDED).exists()
    assert certs.filter(status=Certificate.Status.REVOKED).exists() or certs.filter(expires_on__lt=today).exists()
    hours = {}
    for t in Training.objects.all():
        hours[t.officer_id] = hours.get(t.officer_id, 0) + t.hours
    assert any(h < 40 for h in hours.values()) and any(h >= 40 for h in hours.values())
    trusted = Entity.objects.get(kind=Entity.Kind.ENTRUSTED)
    assert trusted.entrusted_by.kind == Entity.Kind.STATUTORY and trusted.entrusted_by.region == trusted.region
    assert not Entity.objects.filter(hearing_threshold_citizen__isnull=True).exists()
    justice = Entity.objects.filter(is_justice_bureau=True)
    assert set(justice.values_list("name", flat=True)) == {"七星关区司法局", "毕节市司法局"}
    smj = Entity.objects.get(name="七星关区市场监督管理局")
    assert smj.officers.filter(is_legal_reviewer=True, legal_qualification=True).exists()
    item = PowerItem.objects.get(entity=smj, name="对生产经营不符合食品安全标准的食品的行政处罚")
    assert item.basis == "《中华人民共和国食品安全法》第一百二十四条"


@pytest.mark.slow
def test_demo_logins(seeded):
    expected = {
        "officer": (Role.OFFICER, "七星关区市场监督管理局"),
        "unithead": (Role.UNIT_HEAD, "七星关区市场监督管理局"),
        "reviewer": (Role.LEGAL_REVIEWER, "七星关区市场监督管理局"),
        "head": (Role.AGENCY_HEAD, "七星关区市场监督管理局"),
        "supervisor": (Role.SUPERVISOR, "七星关区司法局"),
        "citysupervisor": (Role.SUPERVISOR, "毕节市司法局"),
    }
    for username, (role, entity) in expected.items():
        u = User.objects.get(username=username)
        assert (u.role, u.entity.name) == (role, entity), username
        assert u.check_password(DEMO_PASSWORD)
    # 三员分立: three administrators, none a superuser, the demo included
    for username, role in (("admin", Role.ADMIN), ("secadmin", Role.SECURITY_ADMIN), ("auditor", Role.AUDIT_ADMIN)):
        u = User.objects.get(username=username)
        assert not u.is_superuser and u.is_staff and u.role == role and u.check_password(DEMO_PASSWORD), username
    assert not User.objects.filter(is_superuser=True).exists()
    officer = User.objects.get(username="officer").officer
    assert officer.status == Officer.Status.ACTIVE and officer.valid_certificates().exists()
    assert officer.unit == User.objects.get(username="officer").unit
    reviewer = User.objects.get(username="reviewer").officer
    assert reviewer.legal_qualification and reviewer.is_legal_reviewer and reviewer.legal_qualification_no
    assert reviewer.unit.is_legal_unit


@pytest.mark.slow
def test_published_items_confirmed_by_same_region_supervisor(seeded):
    for model in (PowerItem, InspectionItem, ServiceGuide, Flowchart):
        published = model.objects.filter(status=VersionStatus.PUBLISHED).select_related(
            "entity", "confirmed_by__entity")
        assert published.exists()
        for obj in published:
            sup = obj.confirmed_by
            assert sup is not None and obj.confirmed_at is not None
            assert sup.role == Role.SUPERVISOR and sup.entity.is_justice_bureau
            assert sup.entity.region_id == obj.entity.region_id
    city_items = PowerItem.objects.filter(entity__name="毕节市司法局")
    assert {i.confirmed_by.username for i in city_items} == {"citysupervisor"}


@pytest.mark.slow
def test_drafts_and_pending_for_the_confirm_workflow(seeded):
    smj = Entity.objects.get(name="七星关区市场监督管理局")
    items = PowerItem.objects.filter(entity=smj)
    assert items.filter(status=VersionStatus.DRAFT, version=1).count() == 2
    pending = items.get(status=VersionStatus.PENDING)
    assert pending.submitted_at and pending.confirmed_by is None
    revision = items.get(status=VersionStatus.DRAFT, version=2)
    assert items.get(lineage=revision.lineage, version=1).status == VersionStatus.PUBLISHED
    # the county supervisor can confirm the pending one, the city supervisor cannot
    assert PowerItem.objects.restrict(User.objects.get(username="supervisor"), "confirm").filter(pk=pending.pk).exists()
    assert not PowerItem.objects.restrict(User.objects.get(username="citysupervisor"), "confirm").filter(
        pk=pending.pk).exists()


@pytest.mark.slow
def test_every_row_has_a_change_log_entry(seeded):
    for model in (Entity, Unit, Officer, Certificate, Training, LegalAdviser, PowerItem, InspectionItem,
                  ServiceGuide, Flowchart, User):
        ct = ContentType.objects.get_for_model(model)
        logged = set(ChangeLog.objects.filter(content_type=ct).values_list("object_id", flat=True))
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        assert ids and ids <= logged, model.__name__
    log = ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(Officer)).first()
    assert log.user.username == "admin" and log.after["id_number"]


@pytest.mark.slow
def test_rerun_does_not_duplicate(seeded):
    before = (Entity.objects.count(), Officer.objects.count(), PowerItem.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command("seed", scale="county", stdout=out)
    assert "未重复生成" in out.getvalue() and "citysupervisor" in out.getvalue()
    after = (Entity.objects.count(), Officer.objects.count(), PowerItem.objects.count(), User.objects.count())
    assert after == before


# ---- pure helpers (no database) -----------------------------------------------------------

@pytest.mark.parametrize("n,text", [(1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (42, "四十二"),
                                    (100, "一百"), (105, "一百零五"), (110, "一百一十"), (124, "一百二十四")])
def test_cn_number(n, text):
    assert cn_number(n) == text


def test_distribute_is_exact():
    assert sum(distribute(11963, [3, 1.5, 0.4] * 200, minimum=3)) == 11963
    assert distribute(10, [1, 1], minimum=1) == [5, 5]


def test_items_for_gives_exactly_n_distinct_names():
    for b in BUREAUS:
        items = items_for(b, 90)
        assert len(items) == 90 and len({name for _, name, _, _ in items}) == 90, b.key
