"""The demo cases of `zhifa seed` (zhifa.site.demo.cases): one county seeding per module, checked from
many angles, plus the fallback when today's year has no calendar data."""
import datetime as dt
import logging
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests import factories
from zhifa.cases import actions as case_actions
from zhifa.cases.models import Case, CaseEvent, Deadline, LegalReview, NumberCounter, Seizure
from zhifa.cases.numbering import DOC_TYPES
from zhifa.common.identifiers import check_credit_code, check_id_number
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.discretion.demo import HISTORY
from zhifa.documents.models import GeneratedDocument
from zhifa.legalcal import periods
from zhifa.orgs.models import Certificate, Entity, User
from zhifa.site.demo.cases import SCENARIOS, seed_demo_cases

pytestmark = pytest.mark.django_db
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAIN = "七星关区市场监督管理局"
EXPECTED = [  # the 聚福楼 case (听证, 吊销许可证件: a major decision filed for review) is a second closed one
    ("penalty_general", "closed"), ("penalty_general", "registered"), ("penalty_general", "filing_pending"), ("penalty_general", "investigating"),
    ("penalty_general", "notified"), ("penalty_general", "hearing"), ("penalty_general", "legal_review"),
    ("penalty_general", "decided"), ("penalty_general", "executing"), ("penalty_general", "closed"),
    ("penalty_general", "archived"), ("penalty_general", "not_filed"), ("penalty_general", "transferred"),
    ("penalty_simple", "recorded"), ("inspection", "result_recorded"), ("coercive", "seized"),
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    from zhifa.legalcal.actions import seed_from_chinesecalendar
    from zhifa.site.demo import seed

    data_dir = tmp_path_factory.mktemp("demo-data")  # evidence blobs and keys of this module
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST, DATA_DIR=data_dir):
        with transaction.atomic():
            seed_from_chinesecalendar()
            periods.clear_cache()
            builder = seed("county")
            yield builder
            transaction.set_rollback(True)
    periods.clear_cache()


def main_cases(*, history=False, tasks=False):
    # The transfer demo's own cases (zhifa.transfers.demo) are checked in test_transfer_demo below;
    # zhifa.discretion.demo's decided cases of two years ago (类案) only count for the numbers; the 行政检查
    # cases of the 双随机 demo's tasks are checked in tests/inspections/test_demo.py.
    cases = Case.objects.filter(entity__name=MAIN).exclude(agency_transfers__isnull=False)
    cases = cases if tasks else cases.exclude(inspection_task__isnull=False)
    return cases if history else cases.exclude(source_detail=HISTORY)


def today_known():
    return timezone.localdate().year in periods.known_years()


@pytest.mark.slow
def test_every_state_once_through_the_actions(seeded):
    cases = list(main_cases())
    assert len(seeded.cases) == len(cases) == len(SCENARIOS) + 1  # + the case the inspection registered
    assert Counter((c.kind, c.state) for c in cases) == Counter(EXPECTED)
    # only the main entity has demo cases (besides the one the transfer demo's receiver registered)
    assert Case.objects.exclude(agency_transfers__isnull=False).exclude(source="transfer").exclude(
        source_detail=HISTORY).exclude(inspection_task__isnull=False).count() == len(cases)
    derived = Case.objects.get(source_case__kind="inspection")
    assert derived.state == "registered" and derived.source == "inspection" and derived.parties.count() == 1


@pytest.mark.slow
def test_work_queues_show_cases(seeded):
    officer = User.objects.get(username="officer")
    queue = list(case_actions.work_queue(officer))
    assert len(queue) >= 8
    mine = set(main_cases().filter(officers__officer=officer.officer, officers__active=True)
               .values_list("pk", flat=True))
    assert len(mine) >= len(SCENARIOS) - 1  # on all but the 不予立案 one
    # The queue may also hold the officer's 双随机 task cases (on some days something of theirs is due).
    mine_and_tasks = set(main_cases(tasks=True).filter(officers__officer=officer.officer, officers__active=True)
                         .values_list("pk", flat=True))
    assert {c.pk for c in queue} <= mine_and_tasks
    for username in ("unithead", "head", "reviewer", "supervisor"):
        assert case_actions.work_queue(User.objects.get(username=username)).exists(), username
    # 法制审核中: assigned to the `reviewer` login, who may decide it today.
    reviewer = User.objects.get(username="reviewer")
    review = LegalReview.objects.get(outcome="")
    assert review.reviewer == reviewer and review.case.state == "legal_review" and review.case.hearing_held_on
    offers = {o.name: o for o in case_actions.allowed_transitions(review.case, reviewer)}
    assert offers["review_pass"].allowed, offers["review_pass"].message
    # the heads have something to approve and to decide
    pending = main_cases().get(state="filing_pending")
    assert {o.name for o in case_actions.allowed_transitions(pending, User.objects.get(username="unithead")) if o.allowed} \
        >= {"approve_filing"}


@pytest.mark.slow
def test_every_case_has_a_timeline(seeded):
    today = timezone.localdate()
    known = periods.known_years()
    for case in main_cases():
        events = list(CaseEvent.objects.filter(case=case).order_by("id"))
        assert events and events[0].from_state == "" and events[-1].to_state == case.state, case.title
        assert case.version == len(events)
        assert all(a.to_state == b.from_state for a, b in zip(events, events[1:]))
        dates = [e.on for e in events]
        assert dates == sorted(dates) and dates[-1] <= today and {d.year for d in dates} <= known
        assert all(e.actor_id for e in events)
        assert ChangeLog.objects.filter(content_type__model="case", object_id=str(case.pk)).count() == len(events)


@pytest.mark.slow
def test_numbers_are_consecutive_and_in_date_order(seeded):
    smj = Entity.objects.get(name=MAIN)
    issued = set(main_cases(history=True, tasks=True).exclude(number="").values_list("number", flat=True))
    issued |= set(main_cases(history=True, tasks=True).exclude(decision_number="").values_list("decision_number", flat=True))
    issued |= set(Seizure.objects.values_list("number", flat=True))
    # Documents with their own series (事先告知书 …), issued by the demo's documents step.
    issued |= set(GeneratedDocument.objects.filter(case__entity=smj).exclude(number="").values_list("number", flat=True))
    counters = list(NumberCounter.objects.filter(entity=smj))
    assert {c.doc_type for c in counters} >= {"filing", "decision", "simple_decision", "inspection", "seizure"}
    seen = 0
    for c in counters:
        prefix = f"{smj.short_code}{DOC_TYPES[c.doc_type][0]}〔{c.year}〕"
        numbers = sorted(int(n[len(prefix):-1]) for n in issued if n.startswith(prefix))
        assert numbers == list(range(1, c.last + 1)), c.doc_type
        seen += len(numbers)
    assert seen == len(issued)
    filed = list(main_cases().exclude(filed_on=None).order_by("filed_on", "pk").values_list("number", flat=True))
    # (the discretion demo's earlier decided cases were entered after these: their numbers come last)
    filed_numbers = [int(re.search(r"〕(\d+)号", n).group(1)) for n in filed]
    assert filed_numbers == list(range(1, len(filed) + 1)) or filed_numbers == sorted(set(filed_numbers))
    decided = list(main_cases().filter(kind="penalty_general").exclude(decided_on=None)
                   .order_by("decided_on", "pk").values_list("decision_number", flat=True))
    decided_numbers = [int(re.search(r"〕(\d+)号", n).group(1)) for n in decided]
    assert decided_numbers == list(range(1, len(decided) + 1)) or decided_numbers == sorted(set(decided_numbers))


@pytest.mark.slow
def test_handlers_are_certified_for_the_field(seeded):
    officer = User.objects.get(username="officer").officer
    for case in main_cases():
        first = case.events.order_by("id").first().on
        handlers = [co.officer for co in case.officers.filter(active=True)]
        assert len(handlers) == 2, case.title
        for o in handlers:
            assert o.certificates.filter(status=Certificate.Status.VALID, fields__contains=case.field,
                                         issued_on__lte=first, expires_on__gte=case.last_action_on).exists()
        assert case.field in case.entity.field_list
        if case.state != "not_filed":
            assert officer in handlers
    chair = main_cases().get(state="legal_review").hearing_chair
    assert chair is not None and not chair.is_legal_reviewer and chair.unit.is_legal_unit


@pytest.mark.slow
def test_parties_items_and_discretion(seeded):
    from zhifa.powers import discretion

    for case in main_cases():
        for p in case.parties.all():
            assert check_id_number(p.id_number) is None if p.kind == "person" else \
                check_credit_code(p.credit_code) is None, p.name
            assert "七星关区" in p.address
        if case.source_case_id is None:
            items = list(case.power_items.all())
            assert len(items) == 1 and items[0].status == "published" and items[0].entity_id == case.entity_id
        if case.proposed_on:
            item = case.power_items.get()
            assert case.discretion_level and case.discretion_deviations == []
            if discretion.benchmark_for(item, case.entity, case.proposed_on):
                assert discretion.check_penalty(item, case.entity, case.discretion_level,
                                                case.penalty_kinds, case.fine_amount,
                                                illegal_gains=case.illegal_gains, on=case.proposed_on) == []
    spot = main_cases().get(kind="penalty_simple")
    assert spot.fine_amount == Decimal("500") and spot.simple.filed_on


@pytest.mark.slow
def test_periods_are_running_today(seeded):
    if not today_known():
        pytest.skip("today's year has no calendar data: the demo is dated in the last known year")
    today = timezone.localdate()

    def running(state, kind):
        dl = Deadline.objects.get(case__in=main_cases().filter(state=state), kind=kind)
        assert dl.state == Deadline.State.RUNNING, (state, kind)
        if dl.known:
            assert dl.due_on >= today, (state, kind, dl.due_on)
        return dl

    running("notified", "statement_defence")
    running("decided", "service")
    running("executing", "payment")
    running("seized", "seizure")
    for state in ("investigating", "notified", "hearing", "legal_review"):
        running(state, "decision")
    executing = main_cases().get(state="executing")
    assert 0 < executing.paid_amount < executing.fine_amount
    hearing = main_cases().get(state="hearing")
    if hearing.hearing_scheduled_on is None:
        # Late December: the 7 working days' notice (Art. 64) reach a year not yet entered, so the
        # demo leaves the hearing to be scheduled rather than guess a lawful date.
        from zhifa.legalcal import periods

        assert not periods.add_working_days(today, 7).known
    else:
        assert hearing.hearing_scheduled_on > today and hearing.hearing_chair_id
    assert not Deadline.objects.filter(state=Deadline.State.BREACHED).exists()


@pytest.mark.slow
def test_the_notified_cases_notice_was_served_electronically(seeded):
    """The 已事先告知 case's party consented to 电子送达: its 告知书 went by e-mail and the arrival served it
    (zhifa.notify.demo.serve_notice_electronically); served on paper only where no PDF can be made."""
    import shutil

    from zhifa.notify.models import Service

    if not today_known() or shutil.which("soffice") is None:
        pytest.skip("no PDF without LibreOffice, or today's year unknown: served on paper")
    case = main_cases().get(state="notified")
    service = Service.objects.get(case=case, document__doc_type="penalty_notice")
    assert service.state == "arrived" and service.served_on == case.rights_notice_served_on
    assert service.consent.channels == ["email"] and service.message.state == "sent"


@pytest.mark.slow
def test_rerun_adds_nothing(seeded):
    before = Case.objects.count()
    assert seed_demo_cases(Entity.objects.get(name=MAIN), acting_user=User.objects.get(username="officer")) == []
    assert Case.objects.count() == before


def _small_world():
    """An entity of its own (no clash with the seeded module data) with the scenarios' items."""
    from zhifa.powers import actions as power_actions
    from zhifa.powers.models import PowerItem

    r = factories.region_tree()
    e = factories.entity(r["county"], "演示案件测试市场监管局", short_code="测市监")
    u = factories.unit(e, "执法稽查大队")
    legal = factories.unit(e, "法规科", is_legal_unit=True)
    justice = factories.entity(r["county"], "演示案件测试司法局", justice=True, short_code="测司")
    sup = factories.user(Role.SUPERVISOR, justice)
    hs = [factories.certified_officer(e, u, f"办案{i}", login_role=Role.OFFICER) for i in range(3)]
    factories.certified_officer(e, legal, "主持人")
    rev = factories.certified_officer(e, legal, "审核员", login_role=Role.LEGAL_REVIEWER, legal_qualification=True,
                                      legal_qualification_no="A2018520009", is_legal_reviewer=True)
    cats = {"general": "penalty", "simple": "penalty", "inspection": "inspection", "coercive": "coercion"}
    for n, spec in enumerate(SCENARIOS, 1):
        if PowerItem.objects.filter(entity=e, name=spec.item).exists():
            continue
        item = power_actions.do_create_versioned(PowerItem, {
            "entity": e, "unit": u, "code": f"T{n:04d}", "name": spec.item, "category": cats[spec.kind],
            "law": "某法", "article": "第一条"}, acting_user=factories.system_admin())
        power_actions.do_submit_versioned(item, acting_user=factories.system_admin())
        power_actions.do_confirm_versioned(item, acting_user=sup, note="同意")
    return {"entity": e, "officer": hs[0].user, "unit_head": factories.user(Role.UNIT_HEAD, e, u),
            "head": factories.user(Role.AGENCY_HEAD, e), "reviewer": rev.user}


def test_unknown_year_falls_back_to_the_last_known_day(caplog):
    """Today's year without calendar data: dated up to 31 December of the last known year, the
    steps that would need the unknown year are skipped with a warning, and nothing fails."""
    from zhifa.legalcal.models import CalendarYear

    w = _small_world()
    year = timezone.localdate().year
    CalendarYear.objects.filter(year__gte=year).delete()
    periods.clear_cache()
    try:
        with caplog.at_level(logging.WARNING, logger="zhifa.site.demo.cases"):
            cases = seed_demo_cases(w["entity"], acting_user=w["officer"], unit_head=w["unit_head"], head=w["head"],
                                    reviewer=w["reviewer"])
    finally:
        periods.clear_cache()
    last = dt.date(year - 1, 12, 31)
    assert any("尚未录入" in r.getMessage() for r in caplog.records)
    assert len(cases) == len(SCENARIOS) + 1
    assert max(CaseEvent.objects.filter(case__entity=w["entity"]).values_list("on", flat=True)) <= last
    states = Counter(c.state for c in Case.objects.filter(entity=w["entity"]))
    assert states["archived"] == states["legal_review"] == states["hearing"] == 1
    assert states["closed"] == 2  # 李光荣 and the 聚福楼 licence revocation
    # the hearing would fall into the unknown year: not scheduled, and said so
    assert Case.objects.get(entity=w["entity"], state="hearing").hearing_scheduled_on is None
    assert any("通知听证" in r.getMessage() or "schedule_hearing" in r.getMessage() for r in caplog.records)


def test_no_calendar_at_all_creates_nothing(caplog):
    from zhifa.legalcal.models import CalendarYear

    w = _small_world()
    CalendarYear.objects.all().delete()
    periods.clear_cache()
    try:
        with caplog.at_level(logging.WARNING, logger="zhifa.site.demo.cases"):
            assert seed_demo_cases(w["entity"], acting_user=w["officer"], unit_head=w["unit_head"], head=w["head"],
                                   reviewer=w["reviewer"]) == []
    finally:
        periods.clear_cache()
    assert not Case.objects.filter(entity=w["entity"]).exists()
    assert any("均未录入" in r.getMessage() for r in caplog.records)


@pytest.mark.slow
def test_demo_cases_carry_real_evidence_and_verify(seeded, settings):
    import io

    from django.core.management import call_command

    from zhifa.records.models import RecordItem

    kinds = set(RecordItem.objects.values_list("kind", flat=True))
    assert {"photo", "audio", "video", "text"} <= kinds
    seized = main_cases().get(kind="coercive")
    assert seized.records.filter(kind="video", step="seize").exists()  # the A/V list of the demo agency
    out = io.StringIO()
    with override_settings(DATA_DIR=settings.DATA_DIR):
        call_command("verify", stdout=out)  # raises CommandError on any discrepancy
    assert "0 处不一致" in out.getvalue()


@pytest.mark.slow
def test_demo_major_case_cannot_be_decided_without_agreement(seeded):
    """Issue 5's 'done when' on the demo data: the case under review is decided only after 同意."""
    from zhifa.common.actions import ActionRefused
    from zhifa.review import actions as review_actions
    from zhifa.review.catalogue import is_major, packet_defaults
    from zhifa.review.gate import latest_packet
    from zhifa.review.models import CHECKLIST

    case = main_cases().get(state="legal_review")
    assert is_major(case)[0]
    reviewer, head = User.objects.get(username="reviewer"), User.objects.get(username="head")
    officer = User.objects.get(username="officer")
    on = timezone.localdate()
    ok = {k: {"status": "ok", "note": ""} for k, _l in CHECKLIST}
    bad = {**ok, "facts": {"status": "problem", "note": "缺少检验报告"}}
    review_actions.do_review(case, outcome="problems", packet_version=latest_packet(case).version, checklist=bad,
                opinion="存在问题", corrections="补充检验报告", acting_user=reviewer,
                expected_version=case.version, on=on)
    case.refresh_from_db()
    with pytest.raises(ActionRefused) as e:
        case_actions.do_decide(case, acting_user=head, expected_version=case.version, on=on)
    assert e.value.rule == "review.passed_if_required"
    review_actions.do_submit_packet(case, reviewer=reviewer, packet={**packet_defaults(case), "discretion_reasoning": "补充"},
                       correction_note="已补充检验报告", acting_user=officer, expected_version=case.version, on=on)
    case.refresh_from_db()
    review_actions.do_review(case, outcome="agree", packet_version=latest_packet(case).version, checklist=ok, opinion="同意",
                acting_user=reviewer, expected_version=case.version, on=on)
    case.refresh_from_db()
    case_actions.do_decide(case, acting_user=head, expected_version=case.version, on=on)
    case.refresh_from_db()
    assert case.state == "decided"


@pytest.mark.slow
def test_transfer_demo(seeded):
    """zhifa.transfers.demo: transfers, 两法衔接, a discipline referral and a guiding case, through the actions."""
    from zhifa.guidance.models import published
    from zhifa.ledger.models import LedgerEntry
    from zhifa.transfers.models import CaseTransfer, CrimeTransfer, DisciplineReferral

    states = sorted(CaseTransfer.objects.values_list("state", flat=True))
    assert states == ["accepted", "pending"]  # one accepted, one refused then coordinated back to the receiver
    assert CaseTransfer.objects.get(state="pending").decided_entity is not None
    assert CaseTransfer.objects.get(state="accepted").new_case.source == "transfer"
    assert set(CrimeTransfer.objects.values_list("state", flat=True)) == {"reported", "handed_over"}
    assert DisciplineReferral.objects.count() == 1 and published().count() == 1
    assert LedgerEntry.objects.filter(event_type__in=["transfer.coordinated", "crime.reported", "guidance.published",
                                                      "discipline.referred"]).count() == 4



def test_permit_demo(seeded):
    """zhifa.permits.demo: 聚福楼's food business permit, published, revoked by its penalty decision; a new
    permit's publication waiting within its 7 working days."""
    from zhifa.permits.models import Permit

    revoked = Permit.objects.get(state=Permit.State.REVOKED)
    assert revoked.state_case.title.startswith("毕节市七星关区聚福楼餐饮有限公司")
    assert revoked.publication.state == "published"
    recent = Permit.objects.get(state=Permit.State.VALID)
    assert recent.publication.state == "draft"
