"""Statistics (zhifa.supervision.stats / reports): every figure equals the cases counted one by one;
free queries by dimension; scope; the annual report's actions and rules; the 31 January alert."""
import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from tests import factories
from tests.cases.helpers import decide, to_notified
from tests.supervision.helpers import other_county_case, overdue_case
from tests.worlds import built_once, fresh
from zhifa.cases.deadlines import PARTY_WINDOWS
from zhifa.cases.machine import TERMINAL_STATES
from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.registry import alert_checks
from zhifa.disclosure.models import AnnualReport
from zhifa.supervision import alerts, stats
from zhifa.supervision.actions import reports

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


INSPECTED = ("result_recorded", "closed", "archived")


def outcome_of(c):
    """The 办理结果 of a case, decided in Python in the order stats.OUTCOMES lists them."""
    if c.decided_on and c.no_penalty:
        return "not_punished"
    if c.decided_on and c.kind in ("penalty_general", "penalty_simple"):
        return "penalty"
    for state in ("not_filed", "revoked", "transferred"):
        if c.state == state:
            return state
    if c.kind == "coercive" and c.state in ("converted", "released"):
        return c.state
    if c.kind == "inspection" and c.state in INSPECTED:
        return "problems" if c.problems_found else "no_problems"
    return "in_progress"


def expected(cases, today):
    """Every metric of stats.ORDER computed case by case, the slow obvious way."""
    out = dict.fromkeys(stats.ORDER, 0)
    for k in stats.MONEY:
        out[k] = Decimal("0")
    for c in cases:
        pub = getattr(c, "publication", None) if hasattr(c, "publication") else None
        active = pub is not None and pub.state != "held"
        penalised = c.decided_on is not None and not c.no_penalty and c.kind in ("penalty_general", "penalty_simple")
        o = outcome_of(c)
        checks = {
            "all": True, "open": c.state not in TERMINAL_STATES, "finished": c.state in TERMINAL_STATES,
            "decided": c.decided_on is not None, "fined": c.decided_on is not None and (c.fine_amount or 0) > 0,
            "hearing": c.hearing_held_on is not None, "hearing_asked": c.hearing_requested,
            "reviewed": c.reviews.exists(), "review_problems": c.reviews.filter(outcome="problems").exists(),
            "discussed": c.discussions.exists(), "seized": c.seizures.exists(),
            "overdue": any(d.state == "breached" or (d.state == "running" and d.known and d.due_on < today)
                           for d in c.deadlines.all() if d.kind not in PARTY_WINDOWS),
            "published": pub is not None and pub.published_on is not None,
            "transferred_crime": c.state == "transferred" and c.transfer_kind == "crime",
            "pub_total": active,
            "pub_on_time": active and pub.published_on is not None and pub.due_on is not None
            and pub.published_on <= pub.due_on,
            "pub_late": active and pub.published_on is not None and (pub.due_on is None or pub.published_on > pub.due_on),
            "pub_missing": active and pub.published_on is None and pub.due_on is not None and pub.due_on < today,
            "pub_held": pub is not None and pub.state == "held",
        }
        for kind in ("penalty_general", "penalty_simple", "inspection", "coercive"):
            checks[kind] = c.kind == kind
        for key in ("penalty", "not_punished", "not_filed", "revoked", "transferred", "converted", "released",
                    "problems", "no_problems"):
            checks[key] = o == key
        for pk in ("warning", "criticism", "fine", "confiscate_gains", "confiscate_property", "suspend_licence",
                   "lower_qualification", "revoke_licence", "limit_activity", "suspend_business", "close",
                   "restrict_practice"):
            checks[f"pk_{pk}"] = penalised and pk in (c.penalty_kinds or [])
        for k, ok in checks.items():
            out[k] += bool(ok)
        if c.decided_on is not None:
            out["fines"] += c.fine_amount if (c.fine_amount or 0) > 0 else 0
            out["confiscation"] += c.confiscation_amount if (c.confiscation_amount or 0) > 0 else 0
            out["paid"] += c.paid_amount or 0
    return out


def case_date(c):
    return c.filed_on or c.registered_on


@pytest.fixture(scope="module")
def cases_once(cw_once, django_db_blocker):
    """The module's cases, built once: fined, overdue, registered in July, and one in 大方县."""
    with built_once(django_db_blocker):
        fined = to_notified(cw_once, factories.case(cw_once), fine_amount="3000", penalty_kinds=["warning", "fine"])
        decide(cw_once, fined, dt.date(2026, 4, 15))
        yield {"fined": fined, "overdue": overdue_case(cw_once),
               "registered": factories.case(cw_once, on=dt.date(2026, 7, 1)), "df": other_county_case(cw_once)}


@pytest.fixture
def cases(cases_once, cw):
    return fresh(cases_once)


def test_region_report_and_query_match_cases_one_by_one(cw, cases):
    today = timezone.localdate()
    sup = cw["sup_city"]
    region = cw["regions"]["city"]
    mine = [c for c in Case.objects.all() if c.entity.region.path.startswith(region.path)
            and case_date(c).year == 2026]
    rep = reports.region_report(sup, stats.Spec(region=region, year=2026), today)
    want = expected(mine, today)
    assert {k: stats.jsonable(v) for k, v in want.items()} == rep["summary"]
    assert rep["summary"]["all"] == 4 and rep["summary"]["pk_fine"] == 1 and rep["summary"]["pk_warning"] == 1
    assert Decimal(rep["summary"]["fines"]) == Decimal("3000")
    # By month: the cases of each month; by entity: each entity's cases.
    months = {r["key"]: r["all"] for r in rep["tables"]["by_month"]}
    for m in range(1, 13):
        assert months[f"2026-{m}"] == sum(1 for c in mine if case_date(c).month == m)
    spec = stats.parse_spec(sup, {"dims": "entity,kind", "year": "2026", "metrics": ",".join(stats.ORDER)})
    res = stats.query(sup, spec, today)
    for row in res.rows:
        of = [c for c in mine if c.entity_id == row["keys"][0] and c.kind == row["keys"][1]]
        assert {k: row[k] for k in stats.ORDER} == expected(of, today)
    assert {k: res.total[k] for k in stats.ORDER} == want


def test_query_by_region_folds_into_child_regions(cw, cases):
    res = stats.query(cw["sup_city"], stats.parse_spec(cw["sup_city"], {"dims": "region", "year": "2026"}))
    assert {r["labels"][0]: r["all"] for r in res.rows} == {"七星关区": 3, "大方县": 1}
    q2 = stats.query(cw["sup_city"], stats.parse_spec(cw["sup_city"], {"dims": "month", "quarter": "1", "year": "2026"}))
    assert [(r["labels"][0], r["all"]) for r in q2.rows] == [("2026年3月", 3)]
    q3 = stats.query(cw["sup_city"], stats.parse_spec(cw["sup_city"], {"dims": "outcome", "year": "2026"}))
    assert {r["keys"][0]: r["all"] for r in q3.rows} == {"penalty": 1, "in_progress": 3}


def test_county_supervisor_cannot_query_another_county(cw, cases):
    sup = cw["sup_county"]
    with pytest.raises(Http404):
        stats.parse_spec(sup, {"region": str(cw["regions"]["county2"].pk)})
    with pytest.raises(Http404):
        stats.parse_spec(sup, {"entity": str(cw["df"].pk)})
    # Without a region, only the county's own cases.
    res = stats.query(sup, stats.parse_spec(sup, {"dims": "entity"}))
    assert {r["labels"][0] for r in res.rows} == {"七星关区市场监督管理局"} and res.total["all"] == 3


@pytest.mark.parametrize("params, field", [
    ({"dims": "colour"}, "dims"), ({"dims": "kind,kind"}, "dims"), ({"metrics": "nope"}, "metrics"),
    ({"quarter": "2"}, "year"), ({"year": "2026", "quarter": "2", "month": "5"}, "month"),
    ({"year": "1999"}, "year"), ({"month": "13", "year": "2026"}, "month"), ({"kind": "x"}, "kind"),
])
def test_bad_query_names_the_field(cw, params, field):
    with pytest.raises(ActionRefused) as e:
        stats.parse_spec(cw["sup_city"], params)
    assert e.value.field == field and e.value.rule == "validation"


# ---- annual report actions and rules --------------------------------------------------------------

def test_generate_and_publish_annual_report(cw, cases):
    on = dt.date(2026, 12, 1)  # before the year is over: a partial report, whatever the date the test runs
    rep = reports.do_generate_annual_report(cw["smj"], 2026, acting_user=cw["sup_county"], today=on)
    assert rep.figures["summary"]["all"] == 3 and rep.figures["entity"]["name"] == "七星关区市场监督管理局"
    assert rep.period_start == dt.date(2026, 1, 1) and rep.published_on is None
    # Only the agency publishes; the supervisor generates.
    with pytest.raises(ActionRefused) as e:
        reports.do_publish_annual_report(rep, acting_user=cw["sup_county"])
    assert e.value.rule == "scope"
    reports.do_publish_annual_report(rep, acting_user=cw["head"], on=on)
    with pytest.raises(ActionRefused) as e:
        reports.do_publish_annual_report(rep, acting_user=cw["head"])
    assert e.value.rule == "report.already_published"
    # Regenerating a partial (year not over) report is allowed and unpublishes it.
    again = reports.do_generate_annual_report(cw["smj"], 2026, acting_user=cw["head"], today=on)
    assert again.pk == rep.pk and again.version == 2 and again.published_on is None


def test_other_county_supervisor_cannot_generate(cw, cases):
    with pytest.raises(ActionRefused) as e:
        reports.do_generate_annual_report(cw["df"], 2026, acting_user=cw["sup_county"])
    assert e.value.rule == "scope"


def test_year_range_rule(cw):
    for year in (1999, timezone.localdate().year + 1, "abc"):
        with pytest.raises(ActionRefused) as e:
            reports.do_generate_annual_report(cw["smj"], year, acting_user=cw["head"])
        assert e.value.rule == "report.year_range" and e.value.field == "year"


def test_final_published_report_is_not_regenerated(cw, cases):
    jan = dt.date(2027, 1, 10)
    rep = reports.do_generate_annual_report(cw["smj"], 2026, acting_user=cw["head"], today=jan)
    assert rep.is_final and rep.period_end == dt.date(2026, 12, 31) and not rep.figures["partial"]
    reports.do_publish_annual_report(rep, acting_user=cw["head"], on=jan)
    with pytest.raises(ActionRefused) as e:
        reports.do_generate_annual_report(cw["smj"], 2026, acting_user=cw["head"], today=jan)
    assert e.value.rule == "report.final_published"
    counts = reports.generate_annual_reports(2026, today=jan)
    assert counts["skipped"] == 1 and counts["created"] >= 6  # every other active entity


def test_generate_annual_reports_for_every_entity_matches_one_by_one(cw, cases):
    today = dt.date(2027, 1, 5)
    counts = reports.generate_annual_reports(2026, today=today, publish=True)
    assert counts["published"] == counts["created"] == AnnualReport.objects.count()
    for rep in AnnualReport.objects.all():
        of = [c for c in Case.objects.filter(entity=rep.entity) if case_date(c).year == 2026]
        want = {k: stats.jsonable(v) for k, v in expected(of, today).items()}
        assert rep.figures["summary"] == want, rep.entity.name
    assert AnnualReport.objects.get(entity=cw["df"]).figures["summary"]["all"] == 1


def test_alert_when_last_years_report_is_not_published_after_31_january(cw, cases):
    def found(today):
        return {f.key: f for f in alerts.check_annual_reports(today)}

    assert alert_checks["annual_reports"] is alerts.check_annual_reports
    assert found(dt.date(2027, 1, 31)) == {}  # the deadline day itself
    late = found(dt.date(2027, 2, 1))
    keys = {f"annual_report:{cw['smj'].pk}:2026", f"annual_report:{cw['df'].pk}:2026"}
    assert set(late) == keys  # the entities with cases in 2026
    assert "2027-01-31" in late[f"annual_report:{cw['smj'].pk}:2026"].text
    rep = reports.do_generate_annual_report(cw["smj"], 2026, acting_user=cw["head"], today=dt.date(2027, 1, 20))
    assert set(found(dt.date(2027, 2, 1))) == keys  # generated is not published
    reports.do_publish_annual_report(rep, acting_user=cw["head"], on=dt.date(2027, 2, 3))
    assert set(found(dt.date(2027, 2, 4))) == {f"annual_report:{cw['df'].pk}:2026"}


def test_partial_report_does_not_satisfy_the_deadline(cw, cases):
    rep = reports.do_generate_annual_report(cw["smj"], 2026, acting_user=cw["head"], today=dt.date(2026, 11, 30))
    reports.do_publish_annual_report(rep, acting_user=cw["head"], on=dt.date(2026, 11, 30))
    assert not rep.is_final
    assert f"annual_report:{cw['smj'].pk}:2026" in {f.key for f in alerts.check_annual_reports(dt.date(2027, 2, 1))}


# ---- pages and API --------------------------------------------------------------------------------

def test_stats_page_query_and_exports(cw, cases, client):
    import io

    import openpyxl

    client.force_login(cw["sup_city"])
    r = client.get("/supervision/stats/?year=2026&dims=region&dims=kind")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-testid="query"' in html and "七星关区" in html and "大方县" in html and 'id="chart-query"' in html
    r = client.get("/supervision/stats/query.xlsx?year=2026&dims=entity&metrics=all,fines")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = [[c.value for c in row] for row in wb.active.iter_rows()]
    assert ["执法主体", "案件总数", "罚款金额（元）"] in rows
    assert ["七星关区市场监督管理局", 3, 3000] in rows and ["合计", 4, 3000] in rows
    r = client.get("/supervision/stats/report.xlsx?year=2026")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "按执法主体" in wb.sheetnames
    assert client.get("/supervision/stats/?dims=colour").content.decode().count("分组维度") >= 1
    assert client.get("/supervision/stats/query.doc?year=2026").status_code == 404


def test_stats_scope_on_pages_and_api(cw, cases, client):
    client.force_login(cw["sup_county"])
    other = cw["regions"]["county2"].pk
    assert client.get(f"/supervision/stats/?region={other}").status_code == 404
    assert client.get(f"/supervision/stats/query.xlsx?region={other}").status_code == 404
    assert client.get(f"/api/v1/supervision/stats/query?region={other}").status_code == 404
    data = client.get("/api/v1/supervision/stats/query?dims=entity&year=2026").json()
    assert [r["labels"][0] for r in data["rows"]] == ["七星关区市场监督管理局"] and data["total"]["all"] == 3
    bad = client.get("/api/v1/supervision/stats/query?dims=colour")
    assert bad.status_code == 422 and bad.json()["field"] == "dims"
    client.force_login(cw["officer"])
    assert client.get("/supervision/stats/").status_code == 403


def test_annual_report_api(cw, cases, client):
    client.force_login(cw["head"])
    r = client.post("/api/v1/supervision/annual-reports", {"entity": cw["smj"].pk, "year": 2026},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["figures"]["summary"]["all"] == 3
    pk = r.json()["id"]
    r = client.post(f"/api/v1/supervision/annual-reports/{pk}/publish")
    assert r.status_code == 200 and r.json()["published_on"]
    r = client.post(f"/api/v1/supervision/annual-reports/{pk}/publish")
    assert r.status_code == 409 and r.json()["rule"] == "report.already_published"
    assert client.get("/api/v1/supervision/stats/report?year=2026").json()["summary"]["all"] == 3
    client.force_login(cw["sup_county"])
    assert [x["id"] for x in client.get("/api/v1/supervision/annual-reports").json()] == [pk]
