"""`zhifa bench foundation`: seeding at prefecture scale, the officer list, the officer import."""
from __future__ import annotations

import datetime as dt
import io
import random
import time

from zhifa.common.benchkit import db_version, percentile
from zhifa.common.benchkit import ok_mark as _ok
from zhifa.common.registry import bench_suites


@bench_suites.register("foundation", order=10)
class Foundation:
    """Issue 'foundation': seeding at prefecture scale, the officer list, the officer import."""

    name = "foundation"

    def run(self, opts) -> dict:
        from django import get_version

        out = {"scale": opts["scale"], "db": db_version(), "django": get_version()}
        out["seed"] = self.bench_seed(opts["scale"])
        out["list"] = self.bench_list(opts["requests"])
        out["import"] = self.bench_import(opts["import_rows"])
        return out

    # (a) seeding -----------------------------------------------------------------------------------
    def bench_seed(self, scale) -> dict:
        from django.apps import apps
        from django.db import connection

        from zhifa.site.demo import analyze, seed

        t = time.perf_counter()
        b = seed(scale)
        analyze()  # part of `zhifa seed` too: statistics for the planner after the bulk load
        seconds = time.perf_counter() - t
        rows = sum(m.objects.count() for m in apps.get_models()
                   if m._meta.app_label in ("orgs", "powers", "common"))
        # Baseline: the same number of rows of similar width in one INSERT … SELECT.
        with connection.cursor() as c:
            c.execute("CREATE TABLE bench_baseline (id bigint, name varchar(100), code varchar(40), body text)")
            t = time.perf_counter()
            if connection.vendor == "postgresql":
                c.execute("INSERT INTO bench_baseline SELECT g, '对违法行为' || g || '的行政处罚', md5(g::text), "
                          "repeat(md5(g::text), 8) FROM generate_series(1, %s) g", [rows])
            else:
                c.execute("INSERT INTO bench_baseline WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s "
                          "WHERE g < %s) SELECT g, '对违法行为' || g || '的行政处罚', hex(randomblob(16)), "
                          "hex(randomblob(128)) FROM s", [rows])
            baseline = time.perf_counter() - t
            c.execute("DROP TABLE bench_baseline")
        return {"seconds": seconds, "rows": rows, "baseline_seconds": baseline,
                "entities": len(b.entities), "officers": b.officer_count, "items": b.power_count,
                "steps": b.timings}

    # (b) officer list ------------------------------------------------------------------------------
    def bench_list(self, n_requests: int) -> dict:
        from django.test import Client

        from zhifa.orgs.models import Certificate, Officer, User

        sup = User.objects.get(username="citysupervisor")
        head = User.objects.select_related("entity").get(username="head")
        sample = Officer.objects.filter(entity=head.entity).order_by("pk").first()
        other = Officer.objects.exclude(entity=head.entity).order_by("-pk").first()
        cert = Certificate.objects.order_by("pk").values_list("number", flat=True).first() or "52"
        queries = [
            "", "q=王", f"q={sample.name[:2]}", "status=active", "cert=1", "cert=0&status=active",
            f"entity={head.entity_id}", "page=2", "status=active&cert=1&page=3", "q=张&status=active&page=2",
            f"entity={other.entity_id}&cert=1", "reviewer=1", f"q={sample.id_number[:10]}", f"q={cert[:10]}",
        ]
        timings = {"citysupervisor": [], "head": []}
        health = []
        per_query = {}
        rng = random.Random(7)
        for label, user in (("citysupervisor", sup), ("head", head)):
            client = Client()
            client.force_login(user)
            for q in queries[:4]:  # warm-up
                client.get("/orgs/officers/?" + q)
                client.get("/healthz")
            per_user = max(1, n_requests // 2)
            order = [queries[i % len(queries)] for i in range(per_user)]
            rng.shuffle(order)
            for q in order:
                t = time.perf_counter()
                r = client.get("/orgs/officers/?" + q)
                ms = (time.perf_counter() - t) * 1000
                if r.status_code != 200:
                    raise RuntimeError(f"/orgs/officers/?{q} → {r.status_code}")
                timings[label].append(ms)
                per_query.setdefault(q or "(无筛选)", []).append(ms)
                t = time.perf_counter()
                client.get("/healthz")
                health.append((time.perf_counter() - t) * 1000)
        all_ms = timings["citysupervisor"] + timings["head"]
        return {
            "requests": len(all_ms), "p50": percentile(all_ms, 50), "p95": percentile(all_ms, 95),
            "max": max(all_ms),
            "by_user": {k: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for k, v in timings.items()},
            "by_query": {k: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for k, v in per_query.items()},
            "health_p50": percentile(health, 50), "health_p95": percentile(health, 95),
            "officers_visible_to_supervisor": Officer.objects.restrict(sup).count(),
        }

    # (c) Excel import ---------------------------------------------------------------------------
    def bench_import(self, n_rows: int) -> dict:
        try:
            from zhifa.orgs.excel import OFFICER_HEADERS, import_officers
        except ImportError:
            return {"available": False}
        import openpyxl

        data = self.officer_xlsx(n_rows, OFFICER_HEADERS)
        t = time.perf_counter()
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        parsed = sum(1 for _ in wb.active.iter_rows(values_only=True)) - 1
        wb.close()
        baseline = time.perf_counter() - t
        from zhifa.orgs.models import Officer, User

        admin = User.objects.get(username="admin")
        before = Officer.objects.count()
        f = io.BytesIO(data)
        f.name = "执法人员导入.xlsx"
        t = time.perf_counter()
        report = import_officers(f, acting_user=admin)
        seconds = time.perf_counter() - t
        created = Officer.objects.count() - before
        errors = [f"第{e.row}行 {e.column}：{e.message}" for e in report.errors[:5]]
        return {"available": True, "rows": n_rows, "parsed": parsed, "seconds": seconds,
                "baseline_seconds": baseline, "created": created, "errors": errors,
                "bytes": len(data)}

    @staticmethod
    def officer_xlsx(n: int, headers) -> bytes:
        """n new officers spread over the seeded entities, in the importer's own layout."""
        import openpyxl

        from zhifa.common.identifiers import make_id_number
        from zhifa.orgs.models import Certificate, Entity, Officer, Unit
        from zhifa.site.demo.names import mobile, person_name

        rng = random.Random(2026)
        used = set(Officer.objects.values_list("id_number", flat=True))
        used_certs = set(Certificate.objects.values_list("number", flat=True))
        entities = list(Entity.objects.select_related("region").order_by("pk"))
        units = {}
        for u in Unit.objects.order_by("pk"):
            units.setdefault(u.entity_id, u.name)
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("执法人员")
        ws.append(list(headers))
        today = dt.date.today()
        for i in range(n):
            e = entities[i % len(entities)]
            gender = "M" if rng.random() < 0.6 else "F"
            while True:
                born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(13000))
                idn = make_id_number(e.region.code[:6], born, rng.randrange(500), gender)
                if idn not in used:
                    used.add(idn)
                    break
            number = f"IM{today.year}{i + 1:07d}"
            assert number not in used_certs
            issued = today - dt.timedelta(days=rng.randrange(30, 1500))
            row = {
                "执法主体": e.name, "内设机构": units.get(e.pk, ""), "姓名": person_name(rng, gender),
                "身份证号": idn, "性别": "男" if gender == "M" else "女", "手机号": mobile(rng), "职务": "执法队员",
                "状态": "在岗", "法律职业资格": "否", "法律职业资格证书编号": "", "是法制审核人员": "否",
                "执法证号": number, "执法领域": (e.fields.split("、")[0] or "综合行政执法"),
                "发证机关": "贵州省人民政府", "发证日期": issued, "有效期至": issued.replace(year=issued.year + 5)
                if not (issued.month == 2 and issued.day == 29) else dt.date(issued.year + 5, 2, 28),
                "证件状态": "有效",
            }
            ws.append([row.get(h, "") for h in headers])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    # report -------------------------------------------------------------------------------------------
    def report(self, r: dict) -> list[list[str]]:
        s, li, im = r["seed"], r["list"], r["import"]
        rows = [[
            f"seed `{r['scale']}` ({s['entities']} entities, {s['officers']:,} officers, {s['items']:,} items; "
            f"{s['rows']:,} rows incl. change log)",
            f"{s['seconds']:.1f} s", "< 60 s" if r["scale"] == "bijie" else "—",
            f"INSERT … SELECT {s['rows']:,} rows: {s['baseline_seconds']:.2f} s",
            f"{s['seconds'] / max(s['baseline_seconds'], 1e-9):.0f}×",
            _ok(s["seconds"] < 60) if r["scale"] == "bijie" else "—",
        ], [
            f"/orgs/officers/ with filters, {li['requests']} requests (city supervisor sees "
            f"{li['officers_visible_to_supervisor']:,}; agency head), p50 / p95",
            f"{li['p50']:.1f} / {li['p95']:.1f} ms", "p95 < 100 ms",
            f"/healthz p95 {li['health_p95']:.1f} ms", f"{li['p95'] / max(li['health_p95'], 1e-9):.0f}×",
            _ok(li["p95"] < 100),
        ]]
        if im.get("available"):
            ok = im["created"] == im["rows"]
            rows.append([
                f"import {im['rows']:,} officers from .xlsx ({im['bytes'] / 1e6:.1f} MB"
                + ("" if ok else f"; created {im['created']}, errors: {'; '.join(im['errors'])}") + ")",
                f"{im['seconds']:.1f} s", "< 20 s",
                f"openpyxl read-only parse: {im['baseline_seconds']:.2f} s",
                f"{im['seconds'] / max(im['baseline_seconds'], 1e-9):.1f}×", _ok(ok and im["seconds"] < 20),
            ])
        else:
            rows.append(["import officers from .xlsx", "importer not available", "< 20 s", "—", "—", "—"])
        return rows
