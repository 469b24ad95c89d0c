"""审批–监管–处罚衔接: a decision with 吊销/暂扣许可证件 revokes or suspends the permit it names, through
the permits app's subscriber to the case engine (the engine does not import permits)."""
import pytest

from tests import factories
from tests.permits.conftest import SUSPEND_PENALTY, case_before_decision, decide, grant
from zhifa.cases import events
from zhifa.common.actions import ActionRefused
from zhifa.ledger.models import LedgerEntry
from zhifa.permits import actions
from zhifa.permits.models import Permit, PermitSanction

SUBSCRIBER = "zhifa.permits.subscribers.apply_permit_sanction"


def test_the_subscriber_is_registered_with_the_case_engine():
    assert SUBSCRIBER in {s.name for s in events.registered()}


def test_a_revocation_decision_revokes_the_permit_it_names(cw):
    holder = factories.org_party("恒丰食品有限公司")
    permit = grant(cw, holder=holder)
    case = case_before_decision(cw, holder)
    decide(cw, case, permit=permit.pk)
    permit.refresh_from_db()
    assert permit.state == Permit.State.REVOKED
    assert permit.state_case_id == case.pk
    assert case.decision_number in permit.state_reason
    assert PermitSanction.objects.get(case=case, permit=permit).applied_on == case.decided_on
    kinds = list(LedgerEntry.objects.filter(case_id=case.pk).order_by("seq").values_list("event_type", flat=True))
    # cause before effect: the decision's transition entry, then the permit's
    assert kinds.index("permit.revoked") > max(i for i, k in enumerate(kinds) if k == "case.transition")


def test_without_the_subscriber_the_permit_stays_valid(cw, monkeypatch):
    """The rule lives in the subscriber: removed, the same decision leaves the permit valid."""
    monkeypatch.setattr(events, "SUBSCRIBERS", [s for s in events.SUBSCRIBERS if s.name != SUBSCRIBER])
    holder = factories.org_party("恒丰食品有限公司")
    permit = grant(cw, holder=holder)
    decide(cw, case_before_decision(cw, holder), permit=permit.pk)
    permit.refresh_from_db()
    assert permit.state == Permit.State.VALID


def test_a_permit_named_on_the_case_before_the_decision_is_suspended(cw):
    holder = factories.org_party("恒丰食品有限公司")
    permit = grant(cw, holder=holder)
    case = case_before_decision(cw, holder, SUSPEND_PENALTY)
    actions.do_name_permit(case, permit, acting_user=cw["u1"])
    decide(cw, case)
    permit.refresh_from_db()
    assert permit.state == Permit.State.SUSPENDED


def test_a_decision_without_a_licence_penalty_leaves_permits_alone(cw):
    holder = factories.org_party("恒丰食品有限公司")
    permit = grant(cw, holder=holder)
    case = case_before_decision(cw, holder, {"penalty_kinds": ["fine"], "fine_amount": "5000"})
    decide(cw, case, permit=permit.pk)
    permit.refresh_from_db()
    assert permit.state == Permit.State.VALID


def test_sanction_penalty_kind(cw):
    holder = factories.org_party("恒丰食品有限公司")
    permit = grant(cw, holder=holder)
    case = case_before_decision(cw, holder, {"penalty_kinds": ["fine"], "fine_amount": "5000"})
    with pytest.raises(ActionRefused) as e:
        actions.do_name_permit(case, permit, acting_user=cw["u1"])
    assert e.value.rule == "sanction.penalty_kind"


def test_sanction_holder_party(cw):
    permit = grant(cw, holder=factories.org_party("别家食品有限公司"))
    case = case_before_decision(cw, factories.org_party("恒丰食品有限公司"))
    with pytest.raises(ActionRefused) as e:
        decide(cw, case, permit=permit.pk)
    assert e.value.rule == "sanction.holder_party"
    case.refresh_from_db()
    assert case.state == "reviewed"  # the refusal undid the decision
    permit.refresh_from_db()
    assert permit.state == Permit.State.VALID


def test_sanction_issuing_organ(cw):
    holder = factories.org_party("恒丰食品有限公司")
    other_head = factories.user("agency_head", cw["hbj"], None, "hbjhead")
    permit = grant(cw, holder=holder, user=other_head, kind="排污许可证")
    case = case_before_decision(cw, holder)
    with pytest.raises(ActionRefused) as e:
        actions.do_name_permit(case, permit, acting_user=cw["u1"])
    assert e.value.rule == "sanction.issuing_organ"


def test_every_permit_row_matches_its_latest_change_log_row(cw):
    """zhifa verify's row drift: grants, the naming and the applied sanction are all change-logged."""
    from zhifa.ledger.drift import check_row_drift

    holder = factories.org_party("恒丰食品有限公司")
    permit = grant(cw, holder=holder)
    case = case_before_decision(cw, holder)
    actions.do_name_permit(case, permit, acting_user=cw["u1"])
    decide(cw, case)
    assert [d for d in check_row_drift() if d.where.split()[0].startswith(("permits_", "disclosure_publication"))] == []
