"""`zhifa verify` catches edits of the *current* rows made behind the application (issue 17 item 1):
on the seeded demo, each edit a database administrator could make is named by table, key and field."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from tests.supervision.test_yearly import seeded  # noqa: F401  (module-scoped seeded county demo)
from zhifa.cases.models import Case
from zhifa.disclosure.models import Publication
from zhifa.ledger import drift
from zhifa.orgs.models import Certificate, Entity, Officer, Training
from zhifa.powers.models import PowerItem, VersionStatus
from zhifa.supervision.models import Alert

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def findings() -> list[str]:
    out = io.StringIO()
    try:
        call_command("verify", "--check", "row_drift", stdout=out)
    except CommandError as e:
        assert e.returncode == 1
    return [line for line in out.getvalue().splitlines() if line.startswith("[")]


@pytest.fixture
def tamper(seeded):  # noqa: F811
    """Each test edits inside a savepoint that is rolled back, so the demo stays clean for the next."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_the_seeded_demo_has_no_drift(tamper):
    assert findings() == []


def decided_case():
    return Case.objects.filter(fine_amount__isnull=False).order_by("pk").first()


def test_a_decided_fine_lowered_to_a_tenth(tamper):
    case = decided_case()
    Case.objects.filter(pk=case.pk).update(fine_amount=case.fine_amount / 10)
    [line] = findings()
    assert line.startswith(f"[ledger.row_drift] cases_case pk={case.pk}") and "fine_amount" in line
    assert str(case.fine_amount / 10) in line or f"{case.fine_amount / 10:.2f}" in line


@pytest.mark.parametrize("field, value", [("facts", "无违法事实"), ("legal_basis", "无"), ("state", "closed")])
def test_facts_legal_basis_or_state_rewritten(tamper, field, value):
    case = decided_case()
    Case.objects.filter(pk=case.pk).update(**{field: value})
    [line] = findings()
    assert f"cases_case pk={case.pk}" in line and f"字段 {field}" in line


def test_a_published_fine_changed(tamper):
    pub = Publication.objects.exclude(fine_amount=None).order_by("pk").first()
    Publication.objects.filter(pk=pub.pk).update(fine_amount=Decimal("1.00"))
    assert any(f"disclosure_publication pk={pub.pk}" in line and "fine_amount" in line for line in findings())


def test_an_expired_certificate_made_valid_until_2099(tamper):
    cert = Certificate.objects.order_by("pk").first()
    Certificate.objects.filter(pk=cert.pk).update(expires_on=dt.date(2099, 12, 31), status=Certificate.Status.VALID)
    lines = [line for line in findings() if f"orgs_certificate pk={cert.pk}" in line]
    assert any("expires_on" in line for line in lines)


def test_a_published_power_items_legal_basis_edited(tamper):
    item = PowerItem.objects.filter(status=VersionStatus.PUBLISHED).order_by("pk").first()
    PowerItem.objects.filter(pk=item.pk).update(law="《无此法》")
    [line] = findings()
    assert f"powers_poweritem pk={item.pk}" in line and "字段 law" in line


def test_an_officer_moved_to_another_entity(tamper):
    officer = Officer.objects.order_by("pk").first()
    other = Entity.objects.exclude(pk=officer.entity_id).order_by("pk").first()
    Officer.objects.filter(pk=officer.pk).update(entity=other)
    [line] = findings()
    assert f"orgs_officer pk={officer.pk}" in line and "字段 entity" in line


def test_a_row_deleted_behind_the_application(tamper):
    training = Training.objects.order_by("pk").first()
    Training.objects.filter(pk=training.pk).delete()
    [line] = findings()
    assert line.startswith(f"[ledger.row_missing] orgs_training pk={training.pk}")


def test_a_row_inserted_behind_the_application(tamper):
    training = Training.objects.order_by("pk").first()
    training.pk = None
    training.title = "未经操作写入"
    training.save()
    [line] = findings()
    assert line.startswith(f"[ledger.row_unlogged] orgs_training pk={training.pk}")


def test_housekeeping_fields_declared_by_their_app_are_not_drift(tamper):
    from zhifa.ledger.verify import discover

    discover()  # the apps' verify modules declare their exemptions (zhifa verify does this first)
    assert "last_seen" in drift.exempt_fields("supervision.alert")
    alert = Alert.objects.order_by("pk").first()
    Alert.objects.filter(pk=alert.pk).update(last_seen=alert.last_seen + dt.timedelta(days=3))
    assert findings() == []
    Alert.objects.filter(pk=alert.pk).update(text="篡改后的预警内容")
    [line] = findings()
    assert f"supervision_alert pk={alert.pk}" in line and "字段 text" in line


def test_the_demo_carries_documents_and_an_edited_file_is_caught(tamper):
    from zhifa.documents.models import GeneratedDocument, storage

    docs = GeneratedDocument.objects.order_by("pk")
    assert docs.count() >= 20  # the demo cases' documents, generated through the action
    assert len({doc.case_id for doc in docs}) >= 5
    doc = docs.first()
    path = storage().path(doc.docx_path)
    with open(path, "rb") as fh:
        original = fh.read()
    try:
        with open(path, "wb") as fh:
            fh.write(original[:-1] + bytes([original[-1] ^ 1]))
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("verify", "--check", "documents", stdout=out)
        assert f"documents.generateddocument:{doc.pk}" in out.getvalue()
    finally:
        with open(path, "wb") as fh:
            fh.write(original)
