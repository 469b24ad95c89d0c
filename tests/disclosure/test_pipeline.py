
import datetime as dt

import pytest

from tests import factories
from tests.builders import case_at
from tests.disclosure.conftest import decided_case
from zhifa.common.actions import ActionRefused
from zhifa.disclosure import timeliness
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.models import Publication
from zhifa.ledger.models import LedgerEntry


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


PubState = Publication.State


def refused(rule, fn, *a, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*a, **kw)
    assert e.value.rule == rule, e.value.message
    return e.value


def test_decision_queues_a_redacted_draft_due_in_7_working_days(cw):
    case = decided_case(cw)
    pub = case.publication
    assert pub.state == PubState.DRAFT and pub.kind == "penalty"
    assert pub.due_on == dt.date(2026, 4, 29)  # 7 working days after Monday 20 April 2026
    assert "张建国" in pub.source_text and "张建国" not in pub.public_body and "张某" in pub.public_body
    party = case.parties.get()
    assert party.id_number not in pub.public_body and "13985712345" not in pub.public_body
    assert pub.public_target == "张某"


def test_no_penalty_decision_is_due_in_20_working_days(cw):
    case = decided_case(cw, penalty={"penalty_kinds": [], "fine_amount": None, "no_penalty": True})
    assert case.publication.kind == "other"
    assert case.publication.due_on == dt.date(2026, 5, 20)  # 劳动节 1–5 May 2026 not counted, Sat 9 May worked


def test_warning_only_and_minors_are_held(cw):
    warn = decided_case(cw, penalty={"penalty_kinds": ["warning"], "fine_amount": None})
    assert warn.publication.state == PubState.HELD and warn.publication.hold_reason == "仅给予警告"
    minor = decided_case(cw, party=factories.person_party("李小明", is_minor=True))
    assert minor.publication.state == PubState.HELD and "未成年人" in minor.publication.hold_reason


def test_approve_publishes_with_a_ledger_entry(cw):
    pub = decided_case(cw).publication
    pub = publication_actions.do_approve(pub, acting_user=cw["head"], on=dt.date(2026, 4, 24))
    assert pub.state == PubState.PUBLISHED and pub.approved_by == cw["head"]
    entry = LedgerEntry.objects.get(seq=pub.ledger_seq)
    assert entry.event_type == "publication"
    assert "张建国" not in entry.body
    refused("publication.state", publication_actions.do_approve, pub, acting_user=cw["head"])


def test_approve_refused_while_an_id_number_is_visible(cw):
    pub = decided_case(cw).publication
    without_id = [s for s in pub.spans if s["kind"] != "id_number"]
    pub = publication_actions.do_set_spans(pub, without_id, acting_user=cw["head"])
    assert cw["h1"].id_number not in pub.public_body
    assert pub.case.parties.get().id_number in pub.public_body
    refused("publication.no_identifiers", publication_actions.do_approve, pub, acting_user=cw["head"])
    assert Publication.objects.get(pk=pub.pk).state == PubState.DRAFT


def test_approver_can_add_a_span(cw):
    pub = decided_case(cw).publication
    i = pub.source_text.index("门店")
    pub = publication_actions.do_set_spans(pub, [*pub.spans, {"start": i, "end": i + 2, "kind": "address"}],
                                           acting_user=cw["head"])
    assert "门店" not in pub.public_body and "[住址已隐去]" in pub.public_body


def test_span_range_rule(cw):
    pub = decided_case(cw).publication
    refused("publication.span_range", publication_actions.do_set_spans, pub, [{"start": 5, "end": 10 ** 6, "kind": "name"}],
            acting_user=cw["head"])
    refused("publication.span_range", publication_actions.do_set_spans, pub,
            [{"start": 1, "end": 5, "kind": "name"}, {"start": 3, "end": 8, "kind": "name"}], acting_user=cw["head"])


def test_officer_cannot_approve(cw):
    pub = decided_case(cw).publication
    with pytest.raises(ActionRefused):
        publication_actions.do_approve(pub, acting_user=cw["u1"])


def test_withdrawal_needs_ground_and_public_reason_and_is_a_ledger_event(cw):
    pub = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"])
    refused("withdrawal.ground", publication_actions.do_flag_withdrawal, pub, acting_user=cw["head"], ground="x",
            occurred_on=dt.date(2026, 5, 6))
    pub = publication_actions.do_flag_withdrawal(pub, acting_user=cw["head"], ground="revoked", occurred_on=dt.date(2026, 5, 6))
    assert pub.withdrawal_due_on == dt.date(2026, 5, 9)  # 3 working days: Thu 7, Fri 8, Sat 9 (调休上班日)
    qs = Publication.objects.all()
    assert list(timeliness.overdue_withdrawals(qs, dt.date(2026, 5, 12))) == [pub]
    assert not timeliness.overdue_withdrawals(qs, pub.withdrawal_due_on).exists()
    refused("withdrawal.reason", publication_actions.do_withdraw, pub, acting_user=cw["head"], public_reason=" ")
    pub = publication_actions.do_withdraw(pub, acting_user=cw["head"], ground="revoked", public_reason="原处罚决定已被撤销")
    assert pub.state == PubState.WITHDRAWN
    assert LedgerEntry.objects.get(seq=pub.withdrawal_seq).event_type == "withdrawal"
    assert not timeliness.overdue_withdrawals(qs, dt.date(2026, 5, 12)).exists()


def test_withdrawal_period_is_configurable(cw, settings):
    settings.ZHIFA_WITHDRAWAL_DAYS = 1
    pub = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"])
    pub = publication_actions.do_flag_withdrawal(pub, acting_user=cw["head"], ground="changed", occurred_on=dt.date(2026, 6, 1))
    assert pub.withdrawal_due_on == dt.date(2026, 6, 2)


def test_timeliness_per_entity(cw):
    on_time = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 29))
    late = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 30))
    decided_case(cw)  # never published
    rows = timeliness.per_entity(Publication.objects.all(), today=dt.date(2026, 5, 6))
    assert len(rows) == 1 and rows[0]["entity"] == cw["smj"].name
    assert (rows[0]["on_time"], rows[0]["late"], rows[0]["missing"]) == (1, 1, 1)
    assert timeliness.status(on_time, dt.date(2026, 5, 6)) == "on_time" and timeliness.status(late, dt.date(2026, 5, 6)) == "late"


def test_staff_pages(cw, client):
    pub = decided_case(cw).publication
    client.force_login(cw["head"])
    page = client.get("/disclosure/").content.decode()
    assert pub.decision_number in page and "2026年4月29日" in page and "逾期未公示" in page
    detail = client.get(f"/disclosure/{pub.pk}/").content.decode()
    assert 'data-kind="id_number"' in detail and 'data-kind="phone"' in detail
    # Untick every span except the name ones, then approve: refused (the ID number would show).
    keep = [str(i) for i, s in enumerate(sorted(pub.spans, key=lambda s: s["start"])) if s["kind"] == "name"]
    client.post(f"/disclosure/{pub.pk}/", {"op": "spans", "keep": keep, "add_text": "门店", "add_kind": "address"})
    pub.refresh_from_db()
    assert {s["kind"] for s in pub.spans} == {"name", "address"}
    resp = client.post(f"/disclosure/{pub.pk}/", {"op": "approve"}, follow=True)
    assert "请先隐去" in resp.content.decode()
    pub.refresh_from_db()
    assert pub.state == PubState.DRAFT
    client.post(f"/disclosure/{pub.pk}/", {"op": "spans", "keep": [], "add_text": pub.case.parties.get().id_number,
                                           "add_kind": "id_number"})
    client.post(f"/disclosure/{pub.pk}/", {"op": "spans", "keep": ["0", "1"], "add_text": "13985712345",
                                           "add_kind": "phone"})
    client.post(f"/disclosure/{pub.pk}/", {"op": "approve"})
    pub.refresh_from_db()
    assert pub.state == PubState.PUBLISHED


def test_staff_pages_are_scoped(cw, client):
    pub = decided_case(cw).publication
    other = factories.user("agency_head", cw["df"], None, "dfhead")
    client.force_login(other)
    assert client.get(f"/disclosure/{pub.pk}/").status_code == 404
    assert pub.decision_number not in client.get("/disclosure/").content.decode()


def test_zhifa_verify_covers_publications(cw):
    from tests.ledger.test_verify import run_verify
    from zhifa.ledger.appendonly import ledger_unlocked

    pub = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"])
    publication_actions.do_withdraw(publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"]),
                                    acting_user=cw["head"], ground="void", public_reason="原处罚决定已被撤销")
    code, out = run_verify()
    assert code == 0, out
    with ledger_unlocked():
        Publication.objects.filter(pk=pub.pk).update(public_body=pub.public_body + "改")
    code, out = run_verify()
    assert code == 1 and "disclosure.body" in out


def test_a_held_publication_can_still_be_approved(cw):
    pub = decided_case(cw, penalty={"penalty_kinds": ["warning"], "fine_amount": None}).publication
    assert pub.state == PubState.HELD
    assert publication_actions.do_approve(pub, acting_user=cw["head"]).state == PubState.PUBLISHED


def test_inspection_result_and_seizure_decision_are_queued_and_published(cw, client):
    """Issue 18: inspection results and 查封/扣押 decisions reach the portal like decisions."""
    insp = case_at(cw, "closed", kind="inspection", party=factories.person_party("王富贵", address="七星关区麻园路9号"))
    pub = Publication.objects.get(case=insp)
    assert pub.kind == "inspection" and pub.state == PubState.DRAFT and pub.decision_number == insp.number
    assert "检查结果" in pub.public_body and "王富贵" not in pub.public_body and "王某" in pub.public_body
    assert pub.public_title.endswith("行政检查结果（王某）") and pub.due_on is not None
    seized = case_at(cw, "seized", kind="coercive")
    spub = Publication.objects.get(case=seized)
    assert spub.kind == "coercive" and "扣押决定书" in spub.source_text and "过期奶粉" in spub.public_body
    pub = publication_actions.do_approve(pub, acting_user=cw["head"], on=insp.closed_on)
    html = client.get(f"/gs/results/{pub.pk}/").content.decode()
    assert "行政检查结果" in html and "王富贵" not in html
