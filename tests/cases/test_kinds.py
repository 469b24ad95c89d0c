"""Simple procedure (Art. 51), seizure (行政强制法 Art. 25), inspection."""
import datetime as dt

import pytest

from tests import factories
from tests.cases.helpers import v
from tests.cases.test_rules_people import refused
from zhifa.cases import actions as case_actions
from zhifa.cases.models import Case, Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def spot(cw, party, fine=None, kinds=("fine",), on=dt.date(2026, 3, 2)):
    data = {"entity": cw["smj"], "unit": cw["smj_unit"], "title": "占道经营", "penalty_kinds": list(kinds)}
    if fine is not None:
        data["fine_amount"] = fine
    return case_actions.do_on_the_spot_penalty(data, place="七星关区洪山路", party=party,
                                    officers=[(cw["h1"], "lead"), (cw["h2"], "assist")], acting_user=cw["u1"], on=on)


@pytest.mark.parametrize("party,amount,ok", [
    ("person", "200", True), ("person", "200.01", False),
    ("org", "3000", True), ("org", "3000.01", False),
])
def test_simple_procedure_limits(cw, party, amount, ok):
    p = factories.person_party() if party == "person" else factories.org_party()
    if ok:
        case = spot(cw, p, amount)
        assert case.state == "decided" and case.decision_number == "七市监当罚〔2026〕1号"
    else:
        e = refused("simple.within_limits", spot, cw, p, amount)
        assert "第五十一条" in e.message
        assert not Case.objects.exists()


def test_simple_procedure_warning_only_and_no_other_kinds(cw):
    case = spot(cw, factories.person_party(), kinds=("warning",))
    assert case.fine_amount is None
    refused("simple.within_limits", spot, cw, factories.person_party(), "100", kinds=("fine", "confiscate_property"))


def test_simple_procedure_needs_two_officers_then_filing(cw):
    with pytest.raises(Exception):
        case_actions.do_on_the_spot_penalty({"entity": cw["smj"], "title": "x", "penalty_kinds": ["warning"]}, place="某地",
                                 party=factories.person_party(), officers=[(cw["h1"], "lead")], acting_user=cw["u1"],
                                 on=dt.date(2026, 3, 2))
    case = spot(cw, factories.person_party(), "50")
    case_actions.do_file_simple_record(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 3))
    case.refresh_from_db()
    assert case.state == "recorded" and case.simple.filed_on == dt.date(2026, 3, 3)


def request_seizure(cw, on=dt.date(2026, 3, 2)):
    return case_actions.do_seize({"entity": cw["smj"], "unit": cw["smj_unit"], "title": "扣押涉嫌过期食品"}, measure="seize",
                                 items=[{"name": "过期奶粉", "qty": 20, "unit": "罐"}],
                                 party=factories.org_party(), officers=[(cw["h1"], "lead"), (cw["h2"], "assist")],
                                 acting_user=cw["u1"], on=on)


def seize(cw, on=dt.date(2026, 3, 2), approver=None):
    case = request_seizure(cw, on)
    return case_actions.do_approve_seizure(case, acting_user=approver or cw["head"], expected_version=v(case), on=on)


def test_seizure_is_requested_then_approved_by_the_head_in_their_queue(cw):
    """行政强制法 Art. 18 (一): the officer requests; nothing is seized, numbered or timed until the head approves."""
    case = request_seizure(cw)
    s = case.seizures.get()
    assert case.state == "seizure_requested" and s.approved_by is None and s.requested_by == cw["u1"]
    assert not case.number and not case.deadlines.filter(kind="seizure").exists()
    assert case in case_actions.work_queue(cw["head"])
    refused("case.role", case_actions.do_approve_seizure, case, acting_user=cw["u1"], expected_version=v(case),
            on=dt.date(2026, 3, 2))
    refused("case.role", case_actions.do_approve_seizure, case, acting_user=cw["unit_head"], expected_version=v(case),
            on=dt.date(2026, 3, 2))
    case_actions.do_approve_seizure(case, acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 3, 3))
    s.refresh_from_db()
    assert case.state == "seized" and s.approved_by == cw["head"] and s.decided_on == dt.date(2026, 3, 3)
    assert case.number and case.deadlines.get(kind="seizure").due_on == dt.date(2026, 4, 2)


def test_seizure_approval_by_a_head_of_another_entity_or_a_handler_is_refused(cw, monkeypatch):
    from zhifa.cases.models import Case

    case = request_seizure(cw)
    # A head's login outside the case's entity (scope would hide the case; the rule still stands behind it).
    other = cw["head"]
    monkeypatch.setattr(other, "entity_id", cw["hbj"].pk)
    monkeypatch.setattr("zhifa.cases.actions.engine._check_actor", lambda case, t, user: None)
    refused("seizure.head_approval", case_actions.do_approve_seizure, Case.objects.get(pk=case.pk), acting_user=other,
            expected_version=v(case), on=dt.date(2026, 3, 2))


def test_refused_seizure_request_ends_the_case(cw):
    case = request_seizure(cw)
    refused("case.reason_given", case_actions.do_refuse_seizure, case, reason=" ", acting_user=cw["head"],
            expected_version=v(case), on=dt.date(2026, 3, 2))
    case_actions.do_refuse_seizure(case, reason="证据不足以证明涉案物品存在危害", acting_user=cw["head"],
                                   expected_version=v(case), on=dt.date(2026, 3, 2))
    assert case.state == "not_approved" and not case.deadlines.filter(kind="seizure").exists()


def test_seizure_thirty_days_plus_thirty_once(cw):
    case = seize(cw)  # 2026-03-02 + 30 = 04-01
    assert case.number == "七市监强措〔2026〕1号"
    assert case.deadlines.get(kind="seizure").due_on == dt.date(2026, 4, 1)
    refused("case.role", case_actions.do_extend_seizure, case, reason="情况复杂", acting_user=cw["unit_head"],
            expected_version=v(case), on=dt.date(2026, 3, 30))
    refused("seizure.extend_once", case_actions.do_extend_seizure, case, days=31, reason="情况复杂", acting_user=cw["head"],
            expected_version=v(case), on=dt.date(2026, 3, 30))
    case_actions.do_extend_seizure(case, reason="需检验检测", acting_user=cw["head"], expected_version=v(case),
                        on=dt.date(2026, 3, 30))
    assert case.deadlines.get(kind="seizure").due_on == dt.date(2026, 5, 6)  # 05-01 is 劳动节 → first working day
    refused("seizure.extend_once", case_actions.do_extend_seizure, case, reason="再延", acting_user=cw["head"],
            expected_version=v(case), on=dt.date(2026, 4, 20))
    case_actions.do_release_seizure(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 30))
    assert case.deadlines.get(kind="seizure").state == Deadline.State.MET
    case_actions.do_close(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 4, 30))
    assert case.state == "closed"


def test_seizure_extension_before_expiry(cw):
    case = seize(cw)
    refused("seizure.extend_before_expiry", case_actions.do_extend_seizure, case, reason="情况复杂", acting_user=cw["head"],
            expected_version=v(case), on=dt.date(2026, 4, 2))


def test_seizure_converted_into_penalty_case(cw):
    case = seize(cw)
    case_actions.do_convert_seizure(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 10))
    new = Case.objects.get(source_case=case)
    assert new.kind == "penalty_general" and new.state == "registered" and new.parties.count() == 1
    assert case.events.last().payload["new_case"] == new.pk


def test_inspection_flow_opens_a_penalty_case(cw):
    insp = case_actions.do_plan_inspection({"entity": cw["smj"], "unit": cw["smj_unit"], "title": "食品经营日常检查"},
                                parties=[factories.org_party()], officers=[(cw["h1"], "lead"), (cw["h2"], "assist")],
                                acting_user=cw["unit_head"], on=dt.date(2026, 3, 2))
    assert insp.state == "planned" and insp.number == "七市监检〔2026〕1号"
    case_actions.do_start_inspection(insp, acting_user=cw["u1"], expected_version=v(insp), on=dt.date(2026, 3, 3))
    case_actions.do_record_inspection_result(insp, result="未落实进货查验制度", problems_found=False, acting_user=cw["u1"],
                                  expected_version=v(insp), on=dt.date(2026, 3, 3))
    refused("inspection.problems_found", case_actions.do_open_penalty_case, insp, acting_user=cw["u1"],
            expected_version=v(insp), on=dt.date(2026, 3, 4))
    insp2 = case_actions.do_plan_inspection({"entity": cw["smj"], "title": "复查"}, parties=[factories.org_party()],
                                 officers=[(cw["h1"], "lead"), (cw["h2"], "assist")], acting_user=cw["u1"],
                                 on=dt.date(2026, 3, 4))
    case_actions.do_start_inspection(insp2, acting_user=cw["u1"], expected_version=v(insp2), on=dt.date(2026, 3, 4))
    case_actions.do_record_inspection_result(insp2, result="销售过期食品", problems_found=True, acting_user=cw["u1"],
                                  expected_version=v(insp2), on=dt.date(2026, 3, 4))
    case_actions.do_open_penalty_case(insp2, acting_user=cw["u1"], expected_version=v(insp2), on=dt.date(2026, 3, 5))
    new = Case.objects.get(source_case=insp2)
    assert new.source == "inspection" and new.facts == "销售过期食品" and new.officers.count() == 2
    case_actions.do_close(insp2, acting_user=cw["u1"], expected_version=v(insp2), on=dt.date(2026, 3, 5))
    assert insp2.state == "closed"


def test_every_kind_records_its_power_items(cw):
    """Simple, inspection and coercive cases carry their 权责清单 basis like general ones."""
    data = {"entity": cw["smj"], "unit": cw["smj_unit"], "title": "占道经营", "penalty_kinds": ["warning"]}
    officers = [(cw["h1"], "lead"), (cw["h2"], "assist")]
    spot_case = case_actions.do_on_the_spot_penalty(data, place="洪山路", party=factories.person_party(), officers=officers,
                                         acting_user=cw["u1"], on=dt.date(2026, 3, 2), power_items=[cw["item"]])
    plan = case_actions.do_plan_inspection({"entity": cw["smj"], "unit": cw["smj_unit"], "title": "食品经营检查",
                                 "source": "inspection"}, acting_user=cw["u1"], officers=officers,
                                on=dt.date(2026, 3, 2), power_items=[cw["item"]])
    assert list(spot_case.power_items.all()) == [cw["item"]] == list(plan.power_items.all())
