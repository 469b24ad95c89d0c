"""The permit register: grant, suspend, revoke, each with its named rules, change log and ledger
entry; the grant's publication due 7 working days after the decision on the legal calendar."""
import datetime as dt

import pytest

from tests import factories
from tests.permits.conftest import DECIDED, grant
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.models import ChangeLog
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.models import Publication
from zhifa.ledger.models import LedgerEntry
from zhifa.permits import actions
from zhifa.permits.models import Permit


def _refused(rule, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, e.value
    return e.value


def test_grant_registers_the_permit_with_its_change_log_and_ledger_entry(world):
    permit = grant(world)
    assert permit.state == Permit.State.VALID and permit.entity == world["smj"]
    assert ChangeLog.objects.filter(object_id=str(permit.pk), action=ChangeLog.Action.CREATE).exists()
    assert LedgerEntry.objects.filter(event_type="permit.granted", subject_id=str(permit.pk)).exists()


def test_the_grant_queues_its_publication_due_in_7_working_days(world):
    permit = grant(world)
    pub = Publication.objects.get(pk=permit.publication_id)
    assert pub.case is None and pub.kind == Publication.Kind.PERMIT and pub.state == Publication.State.DRAFT
    # decided Wed 1 April 2026: 2, 3, (清明 4–6), 7, 8, 9, 10, 13 April
    assert pub.due_on == dt.date(2026, 4, 13)
    assert "行政许可决定" in pub.public_title and permit.number in pub.public_body


def test_a_permit_publication_is_approved_and_goes_public(world):
    permit = grant(world)
    pub = publication_actions.do_approve(permit.publication, acting_user=world["head"], on=dt.date(2026, 4, 3))
    assert pub.state == Publication.State.PUBLISHED
    assert pub.public_until is not None


def test_permit_holder_code(world):
    _refused("permit.holder_code", grant, world, holder={"name": "某公司", "credit_code": "91520502000000001X"})


def test_permit_required(world):
    e = _refused("permit.required", grant, world, number=" ")
    assert e.field == "number"


def test_permit_validity(world):
    _refused("permit.validity", grant, world, valid_until=DECIDED - dt.timedelta(days=1))
    _refused("permit.validity", grant, world, valid_from=DECIDED - dt.timedelta(days=1))


def test_a_second_permit_with_the_same_number_is_refused(world):
    grant(world)
    e = _refused("validation", grant, world)
    assert "许可证编号" in e.message


def test_suspend_then_revoke(world):
    permit = grant(world)
    actions.do_suspend_permit(permit, acting_user=world["head"], reason="整改期间暂扣", until="2026-06-30",
                              on=dt.date(2026, 5, 1))
    permit.refresh_from_db()
    assert permit.state == Permit.State.SUSPENDED and permit.suspended_until == dt.date(2026, 6, 30)
    actions.do_revoke_permit(permit, acting_user=world["head"], reason="以欺骗手段取得许可", on=dt.date(2026, 5, 2))
    permit.refresh_from_db()
    assert permit.state == Permit.State.REVOKED
    assert list(LedgerEntry.objects.filter(subject_id=str(permit.pk), event_type__startswith="permit.")
                .order_by("seq").values_list("event_type", flat=True)) == [
        "permit.granted", "permit.suspended", "permit.revoked"]


def test_permit_state(world):
    permit = grant(world)
    actions.do_revoke_permit(permit, acting_user=world["head"], reason="以欺骗手段取得许可")
    _refused("permit.state", actions.do_suspend_permit, permit, acting_user=world["head"], reason="暂扣")
    _refused("permit.state", actions.do_revoke_permit, permit, acting_user=world["head"], reason="吊销")


def test_permit_reason(world):
    permit = grant(world)
    e = _refused("permit.reason", actions.do_revoke_permit, permit, acting_user=world["head"], reason="  ")
    assert e.field == "reason"


def test_permit_suspend_until(world):
    permit = grant(world)
    _refused("permit.suspend_until", actions.do_suspend_permit, permit, acting_user=world["head"], reason="暂扣",
             until="2026-05-01", on=dt.date(2026, 5, 1))


def test_a_bad_date_names_the_field(world):
    permit = grant(world)
    e = _refused("validation", actions.do_suspend_permit, permit, acting_user=world["head"], reason="暂扣",
                 until="明天")
    assert e.field == "suspended_until" and "暂扣至" in e.message


def test_officers_and_other_entities_may_not_grant_or_revoke(world):
    with pytest.raises(OutOfScope):
        grant(world, user=world["officer"])
    permit = grant(world)
    other = factories.user("agency_head", world["hbj"], None, "hbjhead")
    with pytest.raises(OutOfScope):
        actions.do_revoke_permit(permit, acting_user=other, reason="吊销")


def test_expired_reads_from_the_validity(world):
    permit = grant(world)
    assert permit.state_on(dt.date(2031, 3, 31)) == "valid"
    assert permit.state_on(dt.date(2031, 4, 1)) == "expired"


def test_the_published_permit_decision_is_on_the_portal_without_credit_repair(world):
    from django.test import Client
    from django.urls import reverse

    from zhifa.disclosure.actions import credit_repair

    permit = grant(world)
    pub = publication_actions.do_approve(permit.publication, acting_user=world["head"], on=dt.date(2026, 4, 3))
    r = Client().get(reverse("gs-decision", args=[pub.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and permit.number in body and "repair-link" not in body
    _refused("repair.penalty_only", credit_repair.do_request_repair, pub, acting_user=world["head"],
             reason="已完成整改，申请提前停止公示", applicant="某某食品有限公司", on=dt.date(2027, 4, 3))
