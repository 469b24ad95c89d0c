"""Issue 24 item 8: certificates suspended, restored and withdrawn with reasons (by the justice bureau's
supervisors), and training tiers (岗前 / 岗中 / 离岗) with their requirements."""
import datetime as dt
from decimal import Decimal

import pytest

from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.ledger.models import LedgerEntry
from zhifa.orgs import actions as org_actions
from zhifa.orgs.models import Certificate, CertificateStatusChange, Training, TrainingRequirement

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    return shared_world


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, e.value
    return e.value


def test_suspend_restore_withdraw_with_reasons(world):
    cert = world["o1"].certificates.get()
    sup = world["sup_county"]
    refused("certificate.manager", org_actions.do_suspend_certificate, cert, acting_user=world["head"], reason="x")
    refused("certificate.reason", org_actions.do_suspend_certificate, cert, acting_user=sup, reason=" ")
    refused("certificate.until", org_actions.do_suspend_certificate, cert, acting_user=sup, reason="调查",
            on=dt.date(2026, 5, 1), until=dt.date(2026, 4, 1))
    refused("certificate.restore_state", org_actions.do_restore_certificate, cert, acting_user=sup, reason="恢复")
    cert = org_actions.do_suspend_certificate(cert, acting_user=sup, reason="涉嫌违法执法，停职调查", on=dt.date(2026, 5, 1),
                                              until=dt.date(2026, 8, 1), basis="《贵州省行政执法证件管理办法》")
    assert cert.status == Certificate.Status.SUSPENDED and cert.suspended_until == dt.date(2026, 8, 1)
    assert not cert.is_valid_on(dt.date(2026, 6, 1)) and cert.get_status_display() == "暂扣"
    assert world["o1"].barred_by(on=dt.date(2026, 6, 1), field="市场监管") == cert
    refused("certificate.suspend_state", org_actions.do_suspend_certificate, cert, acting_user=sup, reason="再次")
    cert = org_actions.do_restore_certificate(cert, acting_user=world["sup_city"], reason="调查结束，未发现违法",
                                              on=dt.date(2026, 6, 1))
    assert cert.status == Certificate.Status.VALID and world["o1"].barred_by(on=dt.date(2026, 6, 2)) is None
    cert = org_actions.do_withdraw_certificate(cert, acting_user=sup, reason="调离执法岗位", on=dt.date(2026, 7, 1))
    refused("orgs.certificate_revoked_final", org_actions.do_restore_certificate, cert, acting_user=sup, reason="恢复")
    refused("orgs.certificate_revoked_final", org_actions.do_withdraw_certificate, cert, acting_user=sup, reason="再")
    history = list(CertificateStatusChange.objects.filter(certificate=cert).order_by("on").values_list("action", "reason"))
    assert history == [("suspend", "涉嫌违法执法，停职调查"), ("restore", "调查结束，未发现违法"), ("withdraw", "调离执法岗位")]
    assert ChangeLog.objects.filter(object_id=str(cert.pk), reason="调离执法岗位").exists()
    assert set(LedgerEntry.objects.filter(event_type__startswith="orgs.certificate_").values_list("event_type", flat=True)) \
        == {"orgs.certificate_suspend", "orgs.certificate_restore", "orgs.certificate_withdraw"}
    # out of the supervisor's region: 遵义 is not 七星关区's
    refused("certificate.manager", org_actions.do_suspend_certificate, world["o_zy"].certificates.get(), acting_user=sup,
            reason="x")


def test_training_tiers_and_requirements(world):
    o, admin = world["o1"], world["admin"]
    status = {t["tier"]: t for t in o.training_status(2026)}
    assert status["pre_job"]["min_hours"] == 60 and status["pre_job"]["exam_required"] and not status["pre_job"]["met"]
    assert not status["leaving"]["applies"] and status["leaving"]["met"]
    refused("training.tier", org_actions.do_record_training,
            {"officer": o, "tier": "x", "year": 2026, "course": "法律基础", "hours": Decimal(10)}, acting_user=admin)
    org_actions.do_record_training({"officer": o, "tier": Training.Tier.PRE_JOB, "year": 2025, "course": "行政执法基础",
                                    "hours": Decimal(64), "exam_passed": False}, acting_user=admin)
    assert not {t["tier"]: t for t in o.training_status(2026)}["pre_job"]["met"]  # hours, but no exam passed
    org_actions.do_record_training({"officer": o, "tier": Training.Tier.PRE_JOB, "year": 2025, "course": "执法资格考试",
                                    "hours": Decimal(2), "exam_passed": True}, acting_user=admin)
    org_actions.do_record_training({"officer": o, "tier": Training.Tier.IN_SERVICE, "year": 2026, "course": "新修订行政处罚法",
                                    "hours": Decimal(40)}, acting_user=admin)
    status = {t["tier"]: t for t in o.training_status(2026)}
    assert status["pre_job"]["met"] and status["in_service"]["met"]
    assert not {t["tier"]: t for t in o.training_status(2027)}["in_service"]["met"]  # 岗中 counts per year
    # 离岗: applies once the officer is back on duty after leaving the post
    org_actions.do_update_officer(o, {"returned_on": dt.date(2026, 9, 1)}, acting_user=admin)
    assert not {t["tier"]: t for t in o.training_status(2026)}["leaving"]["met"]
    # requirements are data: an administrator sets them
    refused("training.requirement", org_actions.do_set_training_requirement, "in_service", acting_user=admin,
            min_hours=0, exam_required=False)
    org_actions.do_set_training_requirement("in_service", acting_user=admin, min_hours=48, exam_required=True)
    assert TrainingRequirement.objects.get(tier="in_service").min_hours == 48
    assert not {t["tier"]: t for t in o.training_status(2026)}["in_service"]["met"]


def test_certificate_status_page(world, client):
    cert = world["o1"].certificates.get()
    client.force_login(world["head"])  # the agency head reads the history, cannot suspend
    page = client.get(f"/orgs/certificates/{cert.pk}/status/").content.decode()
    assert "状态变更记录" in page and "cert-status-form" not in page
    client.force_login(world["sup_county"])
    r = client.post(f"/orgs/certificates/{cert.pk}/status/", {"action": "suspend", "reason": ""})
    assert "请填写理由" in r.content.decode()
    client.post(f"/orgs/certificates/{cert.pk}/status/", {"action": "suspend", "reason": "年审不合格", "until": "2030-01-01"})
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.SUSPENDED and cert.status_reason == "年审不合格"
    page = client.get(f"/orgs/officers/{world['o1'].pk}/").content.decode()
    assert "年审不合格" in page and "岗前培训" in page
    client.force_login(world["sup_city"].__class__.objects.get(username="supcity"))
    assert client.get(f"/orgs/certificates/{world['o_zy'].certificates.get().pk}/status/").status_code == 404
