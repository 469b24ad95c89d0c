"""重大行政处罚备案审查: a major penalty decision opens its filing (the `decide` subscriber), the agency
files it, the bureau reviews it (checklist, 予以备案 / 存在问题，责令纠正 with an order); every named
rule, the alerts for unfiled and unreviewed decisions, the bureau's periods, the pages and the API."""
import datetime as dt

import pytest
import time_machine

from tests import builders
from tests.api.conftest import ApiClient
from tests.worlds import built_once
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.ledger.models import LedgerEntry
from zhifa.legalcal import pending
from zhifa.supervision.actions import filing as filing_actions
from zhifa.supervision.alerts import check_major_filings
from zhifa.supervision.choices import FILING_CHECKLIST
from zhifa.supervision.models import MajorFiling, SupervisionOrder

pytestmark = pytest.mark.django_db

ALL_YES = {k: True for k, _label in FILING_CHECKLIST}


@pytest.fixture(scope="module")
def decided(cw_once, django_db_blocker):
    """Two decided cases of 七星关区市场监督管理局: one after a 听证 (major), one without (not major)."""
    with built_once(django_db_blocker):
        yield {"major": builders.case_at(cw_once, "decided", hearing=True),
               "plain": builders.case_at(cw_once, "decided")}


@pytest.fixture
def cw(shared_cw):
    return shared_cw


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def filing_of(decided):
    return MajorFiling.objects.get(case=decided["major"])


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, e.value
    return e.value


def test_a_major_decision_opens_its_filing_with_the_county_bureau(cw, decided):
    f = filing_of(decided)
    case = decided["major"]
    assert f.state == MajorFiling.State.PENDING and f.entity == cw["smj"] and f.bureau == cw["sfj_county"]
    assert "经过听证程序" in f.reasons and f.decided_on == case.decided_on == dt.date(2026, 4, 23)
    # 15 working days from 23 April 2026 over the May Day holiday (1–5 May; 9 May a working Saturday)
    assert f.days == 15 and f.due_on == dt.date(2026, 5, 18)
    assert LedgerEntry.objects.filter(event_type="supervision.filing_opened", case_id=case.pk).exists()
    assert not MajorFiling.objects.filter(case=decided["plain"]).exists()


def test_file_then_record(cw, decided):
    f = filing_actions.do_file_major(filing_of(decided), acting_user=cw["head"], note="随附决定书及法制审核意见书",
                                     on=dt.date(2026, 5, 6))
    assert f.state == MajorFiling.State.FILED and not f.filed_late and f.review_days == 20
    assert f.review_due_on == dt.date(2026, 6, 2)  # 9 May is a working Saturday
    f = filing_actions.do_review_filing(f, acting_user=cw["sup_county"], checklist=ALL_YES, opinion="record",
                                        on=dt.date(2026, 5, 8))
    assert f.state == MajorFiling.State.REVIEWED and f.opinion == "record" and f.order is None
    assert f.checklist == ALL_YES
    assert LedgerEntry.objects.filter(event_type="supervision.filing_reviewed", case_id=f.case_id).exists()


def test_a_problem_issues_a_rectification_order(cw, decided):
    f = filing_actions.do_file_major(filing_of(decided), acting_user=cw["rev"], on=dt.date(2026, 5, 6))
    f = filing_actions.do_review_filing(f, acting_user=cw["sup_county"], checklist={**ALL_YES, "discretion": False},
                                        opinion="problem", text="罚款数额未说明适用的裁量档次，请补正说理。",
                                        order_days=10, on=dt.date(2026, 5, 8))
    order = f.order
    assert order.kind == SupervisionOrder.Kind.RECTIFY and order.entity == cw["smj"] and order.case == f.case
    assert "处罚种类和幅度符合裁量基准" in order.text and order.days == 10 and order.number


def test_rules_of_filing(cw, decided):
    f = filing_of(decided)
    with pytest.raises(OutOfScope):
        filing_actions.do_file_major(f, acting_user=cw["u1"])  # an officer does not file
    refused("filing.state", filing_actions.do_review_filing, f, acting_user=cw["sup_county"], checklist=ALL_YES,
            opinion="record")
    f = filing_actions.do_file_major(f, acting_user=cw["head"])
    refused("filing.state", filing_actions.do_file_major, f, acting_user=cw["head"])


@pytest.mark.parametrize(("who", "checklist", "opinion", "text", "rule"), [
    ("sup_city", ALL_YES, "record", "", "filing.bureau"),
    ("sup_county", {**ALL_YES, "facts": None}, "record", "", "filing.checklist"),
    ("sup_county", {**ALL_YES, "facts": False}, "record", "", "filing.opinion"),
    ("sup_county", ALL_YES, "problem", "有问题", "filing.opinion"),
    ("sup_county", ALL_YES, "maybe", "", "filing.opinion"),
    ("sup_county", {**ALL_YES, "facts": False}, "problem", " ", "filing.opinion_text"),
])
def test_rules_of_review(cw, decided, who, checklist, opinion, text, rule):
    f = filing_actions.do_file_major(filing_of(decided), acting_user=cw["head"])
    refused(rule, filing_actions.do_review_filing, f, acting_user=cw[who], checklist=checklist, opinion=opinion,
            text=text)
    assert MajorFiling.objects.get(pk=f.pk).state == MajorFiling.State.FILED
    with pytest.raises(OutOfScope):  # another county's supervisor does not even see it
        filing_actions.do_review_filing(f, acting_user=cw["head"], checklist=ALL_YES, opinion="record")


def test_alerts_for_unfiled_and_unreviewed(cw, decided):
    f = filing_of(decided)
    assert not list(check_major_filings(dt.date(2026, 5, 18)))
    [late] = list(check_major_filings(dt.date(2026, 5, 19)))
    assert late.kind == "filing_unfiled" and late.entity_id == cw["smj"].pk and "尚未报送" in late.text
    f = filing_actions.do_file_major(f, acting_user=cw["head"], on=dt.date(2026, 5, 20))
    assert f.filed_late
    assert not list(check_major_filings(dt.date(2026, 5, 21)))
    [slow] = list(check_major_filings(f.review_due_on + dt.timedelta(days=1)))
    assert slow.kind == "filing_unreviewed" and slow.entity_id == cw["sfj_county"].pk


def test_the_bureau_sets_its_periods(cw, decided):
    refused("filing.periods", filing_actions.do_set_filing_periods, cw["sfj_county"], acting_user=cw["sup_county"],
            filing_days=0, review_days=10)
    with pytest.raises(OutOfScope):  # the city bureau does not set the county's
        filing_actions.do_set_filing_periods(cw["sfj_county"], acting_user=cw["sup_city"], filing_days=5, review_days=5)
    filing_actions.do_set_filing_periods(cw["sfj_county"], acting_user=cw["sup_county"], filing_days=10,
                                         review_days=5)
    assert filing_actions.periods_of(cw["sfj_county"]) == (10, 5)
    f = filing_actions.do_file_major(filing_of(decided), acting_user=cw["head"], on=dt.date(2026, 5, 6))
    assert f.review_days == 5 and f.review_due_on == dt.date(2026, 5, 12)


def test_pending_due_dates_are_registered():
    assert "supervision.filing" in pending.titles()


def test_pages(cw, decided, client):
    f = filing_of(decided)
    client.force_login(cw["head"])
    assert f.case.number in client.get("/supervision/filings/").content.decode()
    page = client.get(f"/supervision/filings/{f.pk}/").content.decode()
    assert 'data-testid="file"' in page and "review-form" not in page
    assert client.post(f"/supervision/filings/{f.pk}/", {"action": "file", "note": "报送"}).status_code == 302
    client.force_login(cw["sup_county"])
    page = client.get(f"/supervision/filings/{f.pk}/").content.decode()
    assert "review-form" in page
    data = {"action": "review", "opinion": "problem", "text": "", "order_kind": "rectify", "order_days": "10",
            **{f"point_{k}": "yes" for k in ALL_YES}, "point_documents": "no"}
    page = client.post(f"/supervision/filings/{f.pk}/", data).content.decode()
    assert "请写明存在的问题和纠正要求" in page
    data["text"] = "决定书未载明履行方式，请补正。"
    assert client.post(f"/supervision/filings/{f.pk}/", data).status_code == 302
    f.refresh_from_db()
    assert f.opinion == "problem" and f.order is not None
    client.force_login(cw["u1"])
    assert client.get("/supervision/filings/").status_code == 403


def test_api(cw, decided):
    f = filing_of(decided)
    head, sup = ApiClient(cw["head"]), ApiClient(cw["sup_county"])
    assert [x["id"] for x in sup.get("/filings", {"state": "pending"}).json()] == [f.pk]
    points = [p["key"] for p in sup.get("/filings/periods").json()["checklist"]]
    assert points == list(ALL_YES)
    r = sup.post(f"/filings/{f.pk}/file", {})
    assert r.status_code == 403
    r = head.post(f"/filings/{f.pk}/file", {"note": "报送"})
    assert r.status_code == 200 and r.json()["state"] == "filed"
    r = sup.post(f"/filings/{f.pk}/review", {"checklist": {**ALL_YES, "law": False}, "opinion": "record"})
    assert r.status_code == 409 and r.json()["rule"] == "filing.opinion"
    r = sup.post(f"/filings/{f.pk}/review", {"checklist": ALL_YES, "opinion": "record"})
    assert r.status_code == 200 and r.json()["opinion"] == "record"
    r = sup.send("put", "/filings/periods", {"filing_days": 99, "review_days": 5})
    assert r.status_code == 409 and r.json()["field"] == "filing_days"
    assert ApiClient(cw["sup_city"]).get(f"/filings/{f.pk}").status_code == 200
