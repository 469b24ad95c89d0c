"""Officers (Art. 42), recusal (Art. 43), roles, scope, stale versions, invalid transitions."""
import datetime as dt

import pytest

from tests import factories
from tests.builders import case_at
from tests.cases.helpers import v
from zhifa.cases import actions as case_actions
from zhifa.cases.models import Case, CaseEvent, CaseOfficer
from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.orgs import actions as org_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, e.value
    return e.value


def test_two_certified_officers_needed_to_file(cw):
    case = factories.case(cw, officers=[(cw["h1"], "lead")])
    e = refused("officers.two_certified", case_actions.do_file_case, case, acting_user=cw["u1"], expected_version=1,
                on=dt.date(2026, 3, 2))
    assert "不得少于两人" in e.message
    case_actions.do_assign_officers(case, [(cw["h2"], "assist")], acting_user=cw["unit_head"], expected_version=1,
                         on=dt.date(2026, 3, 2))
    case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 2))


def test_certificate_must_be_valid_on_the_day_and_for_the_field(cw):
    cert = cw["h2"].certificates.get()
    org_actions.do_update_certificate(cert, {"expires_on": dt.date(2026, 3, 1)}, acting_user=cw["admin"])
    case = factories.case(cw)
    e = refused("officers.two_certified", case_actions.do_file_case, case, acting_user=cw["u1"], expected_version=1,
                on=dt.date(2026, 3, 2))
    assert "陈二" in e.message
    other_field = factories.certified_officer(cw["smj"], cw["smj_unit"], "周四", fields="生态环境")
    case_actions.do_assign_officers(case, [(other_field, "assist")], acting_user=cw["unit_head"], expected_version=1,
                         on=dt.date(2026, 3, 2))
    refused("officers.two_certified", case_actions.do_file_case, case, acting_user=cw["u1"], expected_version=2,
            on=dt.date(2026, 3, 2))


def test_officer_of_another_entity_cannot_be_assigned(cw):
    refused("officers.same_entity", factories.case, cw, officers=[(cw["h1"], "lead"), (cw["o_hbj"], "assist")])
    assert not Case.objects.exists()


def test_recused_officer_cannot_act_or_return_and_no_longer_counts(cw):
    case = case_at(cw, "investigating")
    case_actions.do_record_recusal(case, cw["h1"], decision="approved", reason="与当事人系近亲属", applied_by_party=True,
                        acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 3, 5))
    assert not CaseOfficer.objects.get(case=case, officer=cw["h1"]).active
    refused("recusal.actor_not_recused", case_actions.do_propose, case, penalty_kinds=["warning"], acting_user=cw["u1"],
            expected_version=v(case), on=dt.date(2026, 3, 6))
    refused("recusal.not_reassigned", case_actions.do_assign_officers, case, [(cw["h1"], "assist")],
            acting_user=cw["unit_head"], expected_version=v(case), on=dt.date(2026, 3, 6))
    refused("officers.two_certified", case_actions.do_propose, case, penalty_kinds=["warning"], acting_user=cw["u2"],
            expected_version=v(case), on=dt.date(2026, 3, 6))
    case_actions.do_assign_officers(case, [(cw["h3"], "lead")], acting_user=cw["unit_head"], expected_version=v(case),
                         on=dt.date(2026, 3, 6))
    case_actions.do_propose(case, penalty_kinds=["warning"], acting_user=cw["u2"], expected_version=v(case), on=dt.date(2026, 3, 6))


def test_recusal_decided_by_agency_head_only(cw):
    case = factories.case(cw)
    refused("case.role", case_actions.do_record_recusal, case, cw["h1"], decision="approved", reason="利害关系",
            acting_user=cw["unit_head"], expected_version=1, on=dt.date(2026, 3, 2))
    refused("recusal.officer_in_case", case_actions.do_record_recusal, case, cw["h3"], decision="approved", reason="x",
            acting_user=cw["head"], expected_version=1, on=dt.date(2026, 3, 2))


def test_officer_must_be_a_handler_of_the_case(cw):
    case = factories.case(cw)
    refused("case.actor_is_handler", case_actions.do_file_case, case, acting_user=cw["u3"], expected_version=1,
            on=dt.date(2026, 3, 2))


def test_role_and_scope(cw):
    case = factories.case(cw)
    refused("case.role", case_actions.do_approve_filing, case, acting_user=cw["u1"], expected_version=1)
    outsider = factories.user("unit_head", cw["hbj"])
    case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=1, on=dt.date(2026, 3, 2))
    refused("scope", case_actions.do_approve_filing, case, acting_user=outsider, expected_version=2, on=dt.date(2026, 3, 3))
    refused("case.role", case_actions.do_approve_filing, case, acting_user=cw["admin"], expected_version=2, on=dt.date(2026, 3, 3))


def test_stale_version_refused_and_nothing_saved(cw):
    case = factories.case(cw)
    case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=1, on=dt.date(2026, 3, 2))
    refused("case.stale", case_actions.do_not_file, case, reason="不属于本机关管辖", acting_user=cw["unit_head"],
            expected_version=1, on=dt.date(2026, 3, 3))
    case.refresh_from_db()
    assert case.state == "filing_pending" and case.version == 2 and case.events.count() == 2


def test_invalid_transition_names_the_state(cw):
    case = factories.case(cw)
    e = refused("case.invalid_transition", case_actions.do_decide, case, acting_user=cw["head"], expected_version=1)
    assert "案源登记" in e.message
    refused("case.invalid_transition", case_actions.apply_transition, case, "no_such_step", acting_user=cw["head"],
            expected_version=1)


def test_refusal_leaves_no_partial_state(cw):
    case = case_at(cw, "investigating")
    before = (case.version, CaseEvent.objects.count(), ChangeLog.objects.count())
    refused("penalty.amounts_valid", case_actions.do_propose, case, penalty_kinds=["fine"], fine_amount="-5",
            acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 10))
    refused("penalty.amounts_valid", case_actions.do_propose, case, penalty_kinds=["fine"], fine_amount="10.001",
            acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 10))
    refused("penalty.amounts_valid", case_actions.do_propose, case, penalty_kinds=["warning"], fine_amount="100",
            acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 10))
    case.refresh_from_db()
    assert (case.version, CaseEvent.objects.count(), ChangeLog.objects.count()) == before
    assert case.state == "investigating" and case.fine_amount is None and case.proposed_on is None
    # A party with a bad ID number: no case, no party, no officer rows.
    n = Case.objects.count()
    refused("validation", factories.case, cw, party={"kind": "person", "name": "某", "id_number": "520502198001010000"})
    assert Case.objects.count() == n


def test_date_cannot_go_backwards_or_into_the_future(cw):
    case = factories.case(cw)
    refused("case.date_valid", case_actions.do_file_case, case, acting_user=cw["u1"], expected_version=1, on=dt.date(2026, 3, 1))
    refused("case.date_valid", case_actions.do_file_case, case, acting_user=cw["u1"], expected_version=1, on=dt.date(2099, 1, 1))


def test_allowed_transitions_offers_only_what_passes(cw):
    case = factories.case(cw, officers=[(cw["h1"], "lead")])
    offers = {o.name: o for o in case_actions.allowed_transitions(case, cw["u1"], on=dt.date(2026, 3, 2))}
    assert set(offers) == {"file_case"} and offers["file_case"].rule == "officers.two_certified"
    heads = {o.name: o for o in case_actions.allowed_transitions(case, cw["unit_head"], on=dt.date(2026, 3, 2))}
    assert heads["not_file"].allowed and heads["assign_officers"].allowed and "approve_filing" not in heads
    assert case_actions.allowed_transitions(case, factories.user("officer", cw["zy"])) == []


def test_filing_needs_a_party_and_a_published_power_item(cw):
    case = case_actions.do_register_case({"entity": cw["smj"], "unit": cw["smj_unit"], "title": "无当事人案源",
                               "violation_on": dt.date(2026, 2, 1)}, acting_user=cw["u1"],
                              officers=[(cw["h1"], "lead"), (cw["h2"], "assist")], on=dt.date(2026, 3, 2))
    refused("case.has_party", case_actions.do_file_case, case, acting_user=cw["u1"], expected_version=1, on=dt.date(2026, 3, 2))
    draft = factories.published_power_item(cw["smj"])
    from zhifa.powers import actions as power_actions

    newer = power_actions.do_update_versioned(draft, {"name": "改版草稿"}, acting_user=cw["admin"])
    case2 = factories.case(cw)
    case2.power_items.set([newer])
    e = refused("case.power_item_published", case_actions.do_file_case, case2, acting_user=cw["u1"], expected_version=1,
                on=dt.date(2026, 3, 2))
    assert "改版草稿" in e.message
    case2.power_items.set([])
    refused("case.power_item_published", case_actions.do_file_case, case2, acting_user=cw["u1"], expected_version=1,
            on=dt.date(2026, 3, 2))
