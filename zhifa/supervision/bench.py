"""`zhifa bench supervision`: supervision at province scale on PostgreSQL (issue 7, Performance).

    zhifa bench supervision [--sup-cases 1000000] [--sup-entities 2000] [--home-requests 20]

Fixture (not timed as a figure; its load time is reported): a province with 9 cities and 10 counties
each; `--sup-entities` enforcement entities spread over province, city and county level (plus a justice
bureau per region), 10 officers each with certificates and training; `--sup-cases` cases over three
years, loaded with COPY (psycopg) together with one party and two officers per case, statutory
deadlines (some lapsed), legal reviews and a few discretion deviations; then ANALYZE.

Measured:
(1) the supervision home `/supervision/` for the province's supervisor and for one county's, p95 server
    time through django.test.Client (targets < 300 ms and < 100 ms). Baseline: /healthz.
(2) recompute_alerts(today) over everything, first run (opens every alert) and a second run (steady
    state) (target < 60 s). Baseline: one COUNT(*) over cases joined to their deadlines.
(3) the yearly report for the province: figures.totals + by_child_region + by_entity for last year
    (target < 10 s). Baseline: COUNT(*) of the year's cases.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import time
from decimal import Decimal

from zhifa.common.registry import bench_suites

ARGUMENTS = [
    (("--sup-cases",), dict(type=int, default=1_000_000, help="supervision: 案件数")),
    (("--sup-entities",), dict(type=int, default=2000, help="supervision: 执法主体数")),
    (("--home-requests",), dict(type=int, default=20, help="supervision: 每个账号的首页请求次数")),
]
CITIES, COUNTIES = 9, 10
OFFICERS = 10
YEARS = 3


def _bench():
    from zhifa.common import benchkit as bench

    return bench


def copy_rows(model, rows, columns):
    """COPY `rows` (tuples in `columns` order) into the model's table; returns the count."""
    from django.db import connection

    table = model._meta.db_table
    n = 0
    with connection.cursor() as c:
        with c.cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as cp:
            for row in rows:
                cp.write_row(row)
                n += 1
    return n


def _full_columns(model, given: dict):
    """Every concrete column of `model`: the ones in `given` (name → position marker) and the rest
    filled with the field's default (COPY applies no Django defaults)."""
    from django.utils import timezone

    cols, fill = [], []
    for f in model._meta.concrete_fields:
        cols.append(f.column)
        if f.column in given or f.name in given:
            fill.append(("given", given.get(f.column, given.get(f.name))))
        elif getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            fill.append(("const", timezone.now()))
        elif f.null:
            fill.append(("const", None))
        else:
            d = f.get_default()
            if isinstance(d, (list, dict)):
                import json

                d = json.dumps(d)
            fill.append(("const", d))
    return cols, fill


def _rows(fill, values_iter):
    for values in values_iter:
        yield tuple(values[x] if kind == "given" else x for kind, x in fill)


def _setval(model):
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as c:
        c.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))")


@bench_suites.register("supervision", order=70)
class Supervision:
    """Issue 7: supervision home, alerts recompute and yearly report at 1 000 000 cases."""

    name = "supervision"
    default_url = "postgresql://postgres@127.0.0.1:5432/zhifa_bench_supervision"
    arguments = ARGUMENTS
    options = ("sup_cases", "sup_entities", "home_requests")

    def run(self, opts) -> dict:
        from django import get_version

        b = _bench()
        out = {"scale": "province", "db": b.db_version(), "django": get_version()}
        from zhifa.legalcal import periods
        from zhifa.legalcal.actions import seed_from_chinesecalendar

        seed_from_chinesecalendar()
        periods.clear_cache()
        self.today = min(dt.date.today(), dt.date(2026, 11, 20))
        from zhifa.cases.models import Case

        if os.environ.get("ZHIFA_BENCH_SUPERVISION_REUSE") and Case.objects.count() >= opts["sup_cases"]:
            out["org"], out["load"] = self.reuse()  # developing the measurements on a kept database
        else:
            t = time.perf_counter()
            out["org"] = self.build_org(opts["sup_entities"])
            out["org"]["seconds"] = time.perf_counter() - t
            t = time.perf_counter()
            out["load"] = self.load_cases(opts["sup_cases"])
            out["load"]["seconds"] = time.perf_counter() - t
            self.analyze()
        out["alerts"] = self.bench_alerts()  # also builds the figures rollup, as the background task does
        out["home"] = self.bench_home(opts["home_requests"])
        out["yearly"] = self.bench_yearly()
        return out

    # ---- fixture --------------------------------------------------------------------------------
    def reuse(self):
        """Pick up the users of a database kept by an earlier run (`--keep`)."""
        from zhifa.cases.models import Case
        from zhifa.orgs.models import Entity, Officer, Region, User

        self.sup_province = User.objects.get(username="sup_province")
        self.sup_county = User.objects.get(username="sup_county")
        self.county = self.sup_county.entity.region
        n = Case.objects.count()
        org = {"regions": Region.objects.count(), "entities": Entity.objects.filter(is_justice_bureau=False).count(),
               "officers": Officer.objects.count(), "seconds": 0, "reused": True}
        load = {"cases": n, "case_copy_seconds": 0, "children_seconds": 0, "parties": 0, "case_officers": 0,
                "deadlines": 0, "reviews": 0, "open": Case.objects.open().count(), "seconds": 0, "reused": True}
        return org, load

    def build_org(self, n_entities: int) -> dict:
        from zhifa.common.roles import Role
        from zhifa.orgs.models import Certificate, Entity, Officer, Region, Training, User

        prov = Region(code="530000", name="云岭省", level=1, path="/530000/")
        prov.save()
        regions = [prov]
        counties = []
        for i in range(1, CITIES + 1):
            city = Region(code=f"53{i:02d}00", name=f"第{i}市", level=2, parent=prov)
            city.save()
            regions.append(city)
            for j in range(1, COUNTIES + 1):
                county = Region(code=f"53{i:02d}{j:02d}", name=f"第{i}市第{j}县", level=3, parent=city)
                county.save()
                regions.append(county)
                counties.append(county)
        # Justice bureaus: one per region (not counted in n_entities, they handle no cases).
        justice = [Entity(name=f"{r.name}司法局", short_code=f"司{r.code}", credit_code=f"11{r.code}J{k:09d}",
                          region=r, is_justice_bureau=True, fields="行政执法监督")
                   for k, r in enumerate(regions)]
        fields = ["市场监管", "生态环境", "交通运输", "应急管理", "自然资源", "住房城乡建设", "农业农村", "文化旅游",
                  "卫生健康", "城市管理"]
        ents = []
        for k in range(n_entities):
            r = regions[k % len(regions)] if k < len(regions) * 2 else counties[k % len(counties)]
            f = fields[k % len(fields)]
            ents.append(Entity(name=f"{r.name}{f}执法主体{k}", short_code=f"E{k}", credit_code=f"11{r.code}E{k:09d}",
                               region=r, fields=f))
        Entity.objects.bulk_create(justice + ents, batch_size=2000)
        self.entities = list(Entity.objects.filter(is_justice_bureau=False).order_by("pk")
                             .values_list("pk", "region__path"))
        by_code = {e.region.code: e for e in Entity.objects.filter(is_justice_bureau=True).select_related("region")}
        self.sup_province = User.objects.create(username="sup_province", role=Role.SUPERVISOR,
                                                entity=by_code["530000"], display_name="省司法厅监督员")
        self.county = counties[0]
        self.sup_county = User.objects.create(username="sup_county", role=Role.SUPERVISOR,
                                              entity=by_code[self.county.code], display_name="县司法局监督员")
        self.reviewer = User.objects.create(username="bench_reviewer", role=Role.LEGAL_REVIEWER,
                                            entity_id=self.entities[0][0], display_name="审核员")
        rng = random.Random(7)
        officers = []
        for eid, _path in self.entities:
            for j in range(OFFICERS):
                n = len(officers)
                officers.append(Officer(entity_id=eid, name=f"执法员{n}", id_number=f"X{n:017d}",
                                        is_legal_reviewer=(j == 0 and rng.random() < 0.8),
                                        legal_qualification=(j == 0)))
        Officer.objects.bulk_create(officers, batch_size=5000)
        self.officers = {}
        for oid, eid in Officer.objects.values_list("pk", "entity_id"):
            self.officers.setdefault(eid, []).append(oid)
        today = self.today
        certs, trainings = [], []
        for oid in Officer.objects.values_list("pk", flat=True):
            soon = rng.random() < 0.01
            certs.append(Certificate(officer_id=oid, number=f"C{oid:010d}", fields="综合", issuing_authority="省政府",
                                     issued_on=today - dt.timedelta(days=1000),
                                     expires_on=today + dt.timedelta(days=10 if soon else 800)))
            if rng.random() < 0.97:
                trainings.append(Training(officer_id=oid, year=today.year, course="年度培训", hours=Decimal(60),
                                          finished_on=today - dt.timedelta(days=30)))
        Certificate.objects.bulk_create(certs, batch_size=5000)
        Training.objects.bulk_create(trainings, batch_size=5000)
        return {"regions": len(regions), "entities": len(self.entities), "justice_bureaus": len(justice),
                "officers": len(officers)}

    def load_cases(self, n: int) -> dict:
        from zhifa.cases.models import Case, CaseOfficer, Deadline, LegalReview, Party

        rng = random.Random(2026)
        today, span = self.today, YEARS * 365
        ents = [e for e, _ in self.entities]
        # Inspection targets: a pool so some are inspected by several departments within 30 days.
        targets = [f"9153{k:014d}" for k in range(60000)]
        case_cols, case_fill = _full_columns(Case, {c: c for c in (
            "id", "entity_id", "kind", "state", "number", "title", "field", "registered_on", "filed_on", "decided_on",
            "fine_amount", "hearing_held_on", "last_action_on", "closed_on", "discretion_deviations", "version",
            "discovered_on", "next_due_on")})
        parties, officers, deadlines, reviews = [], [], [], []

        def cases():
            for i in range(1, n + 1):
                eid = ents[i % len(ents)] if rng.random() < 0.5 else rng.choice(ents)
                r = rng.random()
                kind = ("penalty_general" if r < 0.5 else "penalty_simple" if r < 0.75
                        else "inspection" if r < 0.9 else "coercive")
                age = int(span * (rng.random() ** 0.9))
                reg = today - dt.timedelta(days=age)
                open_ = age < 100 and kind != "penalty_simple" and rng.random() < 0.7
                row = {"id": i, "entity_id": eid, "kind": kind, "number": f"E{eid}-{i}", "title": "案件",
                       "field": "", "registered_on": reg, "discovered_on": reg, "filed_on": None,
                       "decided_on": None, "fine_amount": None, "hearing_held_on": None, "closed_on": None,
                       "discretion_deviations": "[]", "version": 3, "next_due_on": None}
                last = reg
                if kind == "penalty_general":
                    filed = reg + dt.timedelta(days=rng.randint(0, 3))
                    row["filed_on"] = filed
                    due = filed + dt.timedelta(days=90)
                    if open_:
                        state = "investigating"
                        lapsed = rng.random() < 0.03
                        if lapsed:
                            due = today - dt.timedelta(days=rng.randint(1, 20))
                        deadlines.append((i, "decision", "作出行政处罚决定期限", "行政处罚法第六十条", filed, 90, False,
                                          due, True, "", "running", 0, 0, None, ""))
                        row["next_due_on"] = due
                    else:
                        state = "archived" if rng.random() < 0.6 else "closed"
                        dec = min(filed + dt.timedelta(days=rng.randint(20, 100)), today)
                        row["decided_on"] = dec
                        row["closed_on"] = min(dec + dt.timedelta(days=20), today)
                        late = dec > due
                        deadlines.append((i, "decision", "作出行政处罚决定期限", "行政处罚法第六十条", filed, 90, False,
                                          due, True, "", "breached" if late else "met", 0, 0, dec, ""))
                        if rng.random() < 0.6:
                            row["fine_amount"] = Decimal(rng.choice((500, 1000, 2000, 5000, 20000, 100000)))
                        if rng.random() < 0.03:
                            row["hearing_held_on"] = dec - dt.timedelta(days=5)
                        if rng.random() < 0.05:
                            reviews.append((i, dec - dt.timedelta(days=3)))
                        if rng.random() < 0.003:
                            row["discretion_deviations"] = '[{"item": "罚款", "note": "低于基准"}]'
                        last = row["closed_on"]
                elif kind == "penalty_simple":
                    state, row["decided_on"], row["closed_on"] = "closed", reg, reg
                    if rng.random() < 0.5:
                        row["fine_amount"] = Decimal(rng.choice((50, 100, 200)))
                elif kind == "inspection":
                    state = "inspecting" if open_ else "recorded"
                    last = reg + dt.timedelta(days=min(age, rng.randint(0, 10)))
                else:
                    state = "seized" if open_ else "closed"
                    due = reg + dt.timedelta(days=30)
                    deadlines.append((i, "seizure", "查封扣押期限", "行政强制法第二十五条", reg, 30, False, due, True, "",
                                      "running" if open_ and due >= today else "met" if not open_ else "running",
                                      0, 0, None if open_ else min(due, today), ""))
                    if open_:
                        row["next_due_on"] = due
                if open_ and state != "inspecting":
                    last = today - dt.timedelta(days=rng.randint(61, 99) if rng.random() < 0.03
                                                else rng.randint(0, min(age, 30)))
                    last = max(last, reg)
                row["state"], row["last_action_on"] = state, last
                target = rng.choice(targets) if kind == "inspection" else f"9153X{i:013d}"
                parties.append((i, "org", f"经营主体{target[-6:]}", "", target, "法人", "", "", False))
                officers_of = self.officers[eid]
                lead, assist = rng.sample(officers_of, 2)
                officers.append((i, lead, "lead", reg, True, None))
                officers.append((i, assist, "assist", reg, True, None))
                yield row

        t = time.perf_counter()
        copied = copy_rows(Case, _rows(case_fill, cases()), case_cols)
        case_seconds = time.perf_counter() - t
        t = time.perf_counter()
        copy_rows(Party, parties, ["case_id", "kind", "name", "id_number", "credit_code", "legal_representative",
                                   "address", "phone", "is_minor"])
        copy_rows(CaseOfficer, officers, ["case_id", "officer_id", "role", "assigned_on", "active", "removed_on"])
        copy_rows(Deadline, deadlines, ["case_id", "kind", "label", "basis", "started_on", "base_days",
                                        "working_days", "due_on", "known", "unknown_reason", "state", "paused_days",
                                        "extended_days", "met_on", "extension_ref"])
        copy_rows(LegalReview, ((c, self.reviewer.pk, "agree", "", on, on) for c, on in reviews),
                  ["case_id", "reviewer_id", "outcome", "opinion", "submitted_on", "decided_on"])
        for model in (Case, Party, CaseOfficer, Deadline, LegalReview):
            _setval(model)
        return {"cases": copied, "case_copy_seconds": case_seconds, "children_seconds": time.perf_counter() - t,
                "parties": len(parties), "case_officers": len(officers), "deadlines": len(deadlines),
                "reviews": len(reviews), "open": Case.objects.open().count()}

    def analyze(self):
        from django.db import connection

        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")

    # ---- measurements ---------------------------------------------------------------------------
    def _timed_get(self, client, url, n):
        times = []
        for _ in range(n):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (url, r.status_code)
        return times

    def _home_times(self, suffix: str, n: int, warm: int = 1) -> dict:
        """p50/p95 of the home for the province's and the county's supervisor: {"province<suffix>": …}."""
        from django.test import Client

        b, out = _bench(), {}
        for who, user in (("province", self.sup_province), ("county", self.sup_county)):
            c = Client()
            c.force_login(user)
            self._timed_get(c, "/supervision/", warm)  # warm (connection, templates, plans)
            times = self._timed_get(c, "/supervision/", n)
            out[who + suffix] = {"p50": b.percentile(times, 50), "p95": b.percentile(times, 95),
                                 "max": max(times), "requests": n}
        return out

    def bench_home(self, n: int) -> dict:
        from django.test import Client

        out = self._home_times("", n, warm=2)
        health = self._timed_get(Client(), "/healthz", max(n, 20))
        out["health_p95"] = _bench().percentile(health, 95)
        # Right after a transition in one entity (before the queued task rebuilds the rollup): the rollup
        # serves the other entities and that entity's cases are aggregated live. The event is appended
        # directly (a case of the bench has no real history to move on); the pages only see its id.
        from zhifa.cases.models import Case, CaseEvent
        from zhifa.supervision import figures

        case = Case.objects.filter(entity__region=self.county).order_by("-id").first()
        CaseEvent.objects.create(case=case, transition="bench", label="基准测试", from_state=case.state,
                                 to_state=case.state, on=self.today)
        assert figures.changed_entities(figures.rollup_state(figures.today())) == {case.entity_id}
        out.update(self._home_times("_after", n))
        # The next day, before the nightly rebuild: yesterday's rollup for every entity without a deadline
        # falling due since (and without a transition), the others live.
        real_today = figures.today
        figures.today = lambda: real_today() + dt.timedelta(days=1)
        try:
            out["next_day_changed"] = len(figures.changed_entities(figures.rollup_state(figures.today()), figures.today()))
            out.update(self._home_times("_next_day", n))
        finally:
            figures.today = real_today
        # No rollup at all (before the first build): everything aggregated live.
        figures.USE_ROLLUP = False
        try:
            out.update(self._home_times("_live", 3, warm=0))
        finally:
            figures.USE_ROLLUP = True
        return out

    def bench_alerts(self) -> dict:
        from django.db import connection

        from zhifa.supervision.alerts import recompute_alerts
        from zhifa.supervision.models import Alert

        t = time.perf_counter()
        first = recompute_alerts(self.today)
        first_s = time.perf_counter() - t
        t = time.perf_counter()
        second = recompute_alerts(self.today)
        second_s = time.perf_counter() - t
        from zhifa.supervision.figures import refresh_rollup
        from zhifa.supervision.figures import today as real_today

        rollup = refresh_rollup(real_today())  # the pages count overdue as of the real date
        t = time.perf_counter()
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM cases_case c LEFT JOIN cases_deadline d ON d.case_id = c.id")
            c.fetchone()
        baseline = time.perf_counter() - t
        kinds = {k: Alert.objects.filter(kind=k).count() for k in Alert.Kind.values}
        return {"first_seconds": first_s, "second_seconds": second_s, "first": first, "second": second,
                "rollup_seconds": rollup["seconds"], "rollup_rows": rollup["rows"],
                "baseline_seconds": baseline, "by_kind": {k: v for k, v in kinds.items() if v}}

    def bench_yearly(self) -> dict:
        from django.db import connection

        from zhifa.supervision import figures

        year = self.today.year - 1
        region = figures.home_region(self.sup_province)
        figures.USE_ROLLUP = False  # the report is computed from the cases themselves
        try:
            t = time.perf_counter()
            total = figures.totals(self.sup_province, self.today, region=region, year=year)
            children = figures.by_child_region(self.sup_province, self.today, region, year)
            entities = figures.by_entity(self.sup_province, self.today, region=region, year=year)
            seconds = time.perf_counter() - t
        finally:
            figures.USE_ROLLUP = True
        assert figures.totals(self.sup_province, self.today, region=region, year=year) == total  # rollup agrees
        t = time.perf_counter()
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM cases_case WHERE coalesce(filed_on, registered_on) "
                      "BETWEEN %s AND %s", [dt.date(year, 1, 1), dt.date(year, 12, 31)])
            baseline_count = c.fetchone()[0]
        baseline = time.perf_counter() - t
        # Province-level entities belong to no city: the cities add up to less than the total.
        assert sum(r["all"] for r in entities) == total["all"] >= sum(r["all"] for r in children)
        return {"year": year, "seconds": seconds, "cases": total["all"], "entities": len(entities),
                "children": len(children), "baseline_seconds": baseline, "baseline_count": baseline_count}

    # ---- report ---------------------------------------------------------------------------------
    def report(self, r: dict) -> list[list[str]]:
        ok = _bench().ok_mark
        h, a, y, ld = r["home"], r["alerts"], r["yearly"], r["load"]

        def home_rows(suffix, what):
            for who, target in (("province", 300), ("county", 100)):
                x = h[who + suffix]
                yield [f"{what}, {who} supervisor, p50 / p95 of {x['requests']}",
                       f"{x['p50']:.0f} / {x['p95']:.0f} ms", f"p95 < {target} ms",
                       f"/healthz p95 {h['health_p95']:.1f} ms", f"{x['p95'] / max(h['health_p95'], 1e-9):.0f}×",
                       ok(x["p95"] < target)]

        rows = list(home_rows("", f"supervision home `/supervision/` ({ld['cases']:,} cases, "
                                  f"{r['org']['entities']:,} entities)"))
        if "province_after" in h:
            rows += home_rows("_after", "the same, right after a transition in one entity of the county (rollup "
                                        "for the others, that entity live)")
        if "province_next_day" in h:
            rows += home_rows("_next_day", f"the same, the next day before the nightly rebuild (yesterday's rollup, "
                                           f"which carries the next day's overdue; {h['next_day_changed']:,} "
                                           f"changed entities live)")
        rows.append(["home with no rollup at all (before its first build: all live), "
                     "province / county, p50 of 3", f"{h['province_live']['p50']:.0f} / "
                     f"{h['county_live']['p50']:.0f} ms", "—", "—", "—", "—"])
        rows.append([f"recompute all alerts: first run (opens {a['first'].get('opened', 0):,}) / second run; "
                     f"then the figures rollup ({a['rollup_rows']:,} rows)",
                     f"{a['first_seconds']:.1f} / {a['second_seconds']:.1f} s; {a['rollup_seconds']:.1f} s", "< 60 s",
                     f"COUNT(*) cases ⟕ deadlines {a['baseline_seconds']:.2f} s",
                     f"{max(a['first_seconds'], a['second_seconds']) / max(a['baseline_seconds'], 1e-9):.0f}×",
                     ok(max(a["first_seconds"], a["second_seconds"]) < 60)])
        rows.append([f"yearly report {y['year']} for the province ({y['cases']:,} cases; totals, "
                     f"{y['children']} cities, {y['entities']:,} entities)", f"{y['seconds']:.2f} s", "< 10 s",
                     f"COUNT(*) of the year {y['baseline_seconds']:.2f} s",
                     f"{y['seconds'] / max(y['baseline_seconds'], 1e-9):.1f}×", ok(y["seconds"] < 10)])
        return rows

    @staticmethod
    def details(r: dict) -> list[str]:
        ld, a = r["load"], r["alerts"]
        return [f"fixture: {r['org']['regions']} regions, {r['org']['entities']:,} entities, "
                f"{r['org']['officers']:,} officers in {r['org']['seconds']:.1f} s; {ld['cases']:,} cases "
                f"({ld['open']:,} open) by COPY in {ld['case_copy_seconds']:.1f} s, {ld['parties']:,} parties, "
                f"{ld['case_officers']:,} case officers, {ld['deadlines']:,} deadlines, {ld['reviews']:,} reviews "
                f"in {ld['children_seconds']:.1f} s",
                "alerts by kind after the runs: " + ", ".join(f"{k} {v:,}" for k, v in a["by_kind"].items())]
