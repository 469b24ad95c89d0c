"""Circumstances on a case (do_set_circumstances), the stored suggestion, the 裁量说明 in the 事先告知书,
the rule discretion.discussion_if_far and every named rule of the circumstances action."""
import datetime as dt

import pytest

from tests import builders
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.models import ChangeLog
from zhifa.discretion.actions import do_set_circumstances
from zhifa.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 20)


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, e.value
    return e.value


def test_tick_stores_suggestion_with_benchmark_version_logged_and_ledgered(cw, bench):
    case = builders.case_at(cw, "investigating")
    row = do_set_circumstances(case, acting_user=cw["u1"], factors=["eliminated_harm"], note="已全部召回", on=ON)
    s = row.suggestion
    assert (s["level"], s["lo"], s["hi"], s["amount"]) == ("从轻", "1000", "3000", "2000")
    assert row.benchmark_id == bench.pk and row.benchmark_version == bench.version == s["benchmark_version"]
    assert any("第三十二条" in p for p in s["explanation"]) and "已全部召回" in s["explanation"][-1]
    assert ChangeLog.objects.filter(object_id=str(row.pk), action=ChangeLog.Action.CREATE).exists()
    assert LedgerEntry.objects.filter(event_type="discretion.circumstances", case_id=case.pk).exists()
    row = do_set_circumstances(case, acting_user=cw["u1"], factors=["repeat_offence"], on=ON)
    assert row.version == 2 and row.suggestion["level"] == "从重"


def test_rules_of_the_action(cw, bench):
    case = builders.case_at(cw, "investigating")
    refused("discretion.factor_known", do_set_circumstances, case, acting_user=cw["u1"], factors=["nope"], on=ON)
    refused("discretion.handler_only", do_set_circumstances, case, acting_user=cw["rev"], factors=[], on=ON)
    with pytest.raises(OutOfScope):
        do_set_circumstances(case, acting_user=_other_entity_user(cw), factors=[], on=ON)
    refused("validation", do_set_circumstances, case, acting_user=cw["u1"], factors=[], base="abc", on=ON)
    registered = builders.case_at(cw, "registered")
    refused("discretion.before_decision", do_set_circumstances, registered, acting_user=cw["u1"], factors=[], on=ON)


def _other_entity_user(cw):
    from tests import factories
    from zhifa.common.roles import Role

    return factories.user(Role.OFFICER, cw["zy"], None, "zy_officer_x")


def test_no_benchmark_no_suggestion(cw):
    case = builders.case_at(cw, "investigating")
    refused("discretion.benchmark", do_set_circumstances, case, acting_user=cw["u1"], factors=[], on=ON)


def test_far_from_suggestion_needs_collective_discussion(cw, bench):
    case = builders.case_at(cw, "investigating")
    do_set_circumstances(case, acting_user=cw["u1"], factors=["eliminated_harm"], on=ON)   # 1000–3000
    opts = dict(penalty={"penalty_kinds": ["fine"], "fine_amount": "8000", "discretion_level": "一般"})
    builders.advance(cw, case, "notified", **opts)
    with pytest.raises(ActionRefused) as e:
        builders.advance(cw, case, "decided", **opts)
    assert e.value.rule == "discretion.discussion_if_far" and "集体讨论" in e.value.message
    builders.take(cw, case, "hold_collective_discussion")
    builders.take(cw, case, "decide")
    assert case.state == "decided"


def test_within_distance_decides_without_discussion(cw, bench):
    case = builders.case_at(cw, "investigating")
    do_set_circumstances(case, acting_user=cw["u1"], factors=[], on=ON)   # 一般 3000–8000
    builders.advance(cw, case, "decided", penalty={"penalty_kinds": ["fine"], "fine_amount": "5000",
                                                   "discretion_level": "一般"})
    assert case.state == "decided"


def test_explanation_printed_in_the_notice(cw, bench):
    from tests import factories
    from zhifa.documents.actions import do_generate_document

    case = builders.case_at(cw, "investigating", party=factories.person_party(address="七星关区洪山路1号"),
                            facts="当事人销售超过保质期的食品。")
    do_set_circumstances(case, acting_user=cw["u1"], factors=["eliminated_harm"], on=ON)
    builders.advance(cw, case, "proposed", penalty={"penalty_kinds": ["fine"], "fine_amount": "2000",
                                                    "discretion_level": "从轻"})
    doc = do_generate_document(case, "penalty_notice", acting_user=cw["u1"], pdf=False,
                               extra={"evidence": "现场检查笔录"})
    paras = doc.context["discretion_paras"]
    assert paras and paras[0].startswith("裁量说明") and "主动消除或者减轻违法行为危害后果" in paras[0]
    from tests.documents.helpers import read_docx

    assert "裁量说明：经审查，当事人具有以下情节" in read_docx(doc)
