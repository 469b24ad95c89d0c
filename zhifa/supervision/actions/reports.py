"""年度行政执法统计年报 (annual enforcement report) per entity: figures, generation, publication,
the 31 January deadline, and the region report supervisors read live.

Figures are computed by zhifa.supervision.stats (GROUP BY in the database): one query per table
for every entity at once, so `generate_annual_reports(year)` for a province is a handful of
queries, not one per entity. A stored report is a frozen JSON snapshot (AnnualReport.figures).

Named rules:
  report.year_range       the year is between 2000 and the current year
  report.final_published  a published report covering the whole year is not regenerated
  report.already_published a report is published once (regenerating makes it unpublished again)
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused, OutOfScope, log_change, snapshot
from zhifa.common.scope import can, can_on_entity
from zhifa.disclosure.models import AnnualReport
from zhifa.orgs.models import Entity
from zhifa.supervision import figures, stats

DEADLINE = (1, 31)  # published by 31 January of the following year
BASIS_NOTE = "案件按立案日期（未立案的按登记日期）归入统计期间；“在办”“期限超期”为生成时的状态。"
TABLES = [("by_kind", "按案件类别", "kind"), ("by_category", "按执法领域", "category"),
          ("by_outcome", "按办理结果", "outcome"), ("by_quarter", "按季度", "quarter"), ("by_month", "按月份", "month")]
TABLE_KEYS = ["all", "penalty", "not_punished", "fines", "confiscation", "hearing", "reviewed", "discussed"]
SUMMARY_SECTIONS = ["案件", "结果", "处罚种类", "金额", "程序", "公示"]


def deadline_of(year: int) -> dt.date:
    return dt.date(year + 1, *DEADLINE)


def _key(dim, key):
    if isinstance(key, tuple):
        return "-".join(str(x) for x in key)
    return key


def _fill_periods(rows, dim, year):
    """Every quarter / month of the year, zeros where nothing happened (charts need the gaps)."""
    have = {r["key"]: r for r in rows}
    n = 4 if dim == "quarter" else 12
    out = []
    for i in range(1, n + 1):
        k = f"{year}-{i}"
        out.append(have.get(k) or {"key": k, "label": f"第{i}季度" if dim == "quarter" else f"{i}月",
                                   **{m: "0.00" if m in stats.MONEY else 0 for m in TABLE_KEYS}})
        if k in have:
            out[-1]["label"] = f"第{i}季度" if dim == "quarter" else f"{i}月"
    return out


def compute(qs, today, *, year=None, split=False) -> dict:
    """{entity_id (or None): {"summary": {...}, "tables": {...}}} for the cases `qs` (already in
    the period). With split=True every query also groups by entity."""
    pre = ["entity"] if split else []
    out = defaultdict(lambda: {"summary": None, "tables": {name: [] for name, _, _ in TABLES}})
    for r in stats.grouped(qs, pre, today):
        out[r.get("entity_id")]["summary"] = {k: stats.jsonable(r[k]) for k in stats.ORDER}
    for name, _, dim in TABLES:
        for r in stats.grouped(qs, pre + [dim], today, TABLE_KEYS):
            key, label = stats.dim_value(dim, r)
            out[r.get("entity_id")]["tables"][name].append(
                {"key": _key(dim, key), "label": label, **{k: stats.jsonable(r[k]) for k in TABLE_KEYS}})
    for fig in out.values():
        if fig["summary"] is None:
            fig["summary"] = {k: stats.jsonable(v) for k, v in stats.clean_row({}, stats.ORDER).items()}
        if year:
            for name, _, dim in TABLES:
                if dim in ("quarter", "month"):
                    fig["tables"][name] = _fill_periods(fig["tables"][name], dim, year)
    return out


def _meta(today):
    m = stats.metrics(today)
    return {"labels": {k: v.label for k, v in m.items()}, "groups": {k: v.group for k, v in m.items()},
            "money": [k for k, v in m.items() if v.money], "table_keys": TABLE_KEYS,
            "table_titles": [[name, title] for name, title, _ in TABLES], "sections": SUMMARY_SECTIONS,
            "basis": BASIS_NOTE}


def _period(year, today):
    start, end = stats.period_bounds(year)
    return start, min(end, today)


def figures_for(entities, year: int, today=None) -> dict[int, dict]:
    """Annual figures of each of `entities` (a queryset) for `year`, in a few GROUP BY queries."""
    today = today or timezone.localdate()
    start, end = _period(year, today)
    qs = stats.in_period(Case.objects.filter(entity__in=entities), start, end)
    per = compute(qs, today, year=year, split=True)
    meta = _meta(today)
    out = {}
    for e in entities.select_related("region"):
        fig = per[e.pk] if e.pk in per else compute(qs.none(), today, year=year)[None]
        out[e.pk] = {"entity": {"id": e.pk, "name": e.name, "region": e.region.name}, "year": year,
                     "period": [start.isoformat(), end.isoformat()], "partial": end < dt.date(year, 12, 31),
                     "generated_on": today.isoformat(), **meta, **fig}
    return out


def region_report(user, spec: stats.Spec, today=None) -> dict:
    """The live report of a supervisor's region (or one entity) for the spec's period: summary,
    the standard tables, and per-entity figures."""
    today = today or figures.today()
    qs = stats.cases_for(user, spec)
    fig = compute(qs, today, year=spec.year if not (spec.quarter or spec.month) else None)[None]
    entities = stats.query(user, stats.Spec(dims=["entity"], metrics=TABLE_KEYS, region=spec.region, entity=spec.entity,
                                     year=spec.year, quarter=spec.quarter, month=spec.month), today)
    start, end = spec.bounds
    where = spec.entity or spec.region
    return {"title": f"{where.name if where else '全部区域'}{spec.period_label}行政执法统计",
            "period": [start.isoformat() if start else None, end.isoformat() if end else None],
            "generated_on": today.isoformat(), **_meta(today), **fig,
            "entities": [{"key": r["keys"][0], "label": r["labels"][0], **{k: stats.jsonable(r[k]) for k in TABLE_KEYS}}
                         for r in entities.rows]}


# ---- actions ----------------------------------------------------------------------------------

def _check_year(year, today):
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= today.year:
        raise ActionRefused("report.year_range", f"年度应为2000年至{today.year}年之间", "year")
    return year


def _store(entity, year, fig, *, acting_user, today, existing=None) -> AnnualReport:
    start, end = (dt.date.fromisoformat(d) for d in fig["period"])
    now = timezone.now()
    if existing is None:
        report = AnnualReport.objects.create(entity=entity, year=year, period_start=start, period_end=end,
                                             figures=fig, generated_at=now, generated_by=acting_user)
        log_change(report, "create", acting_user=acting_user, after=snapshot(report), reason="生成年度统计年报")
        return report
    before = snapshot(existing)
    existing.period_start, existing.period_end, existing.figures = start, end, fig
    existing.generated_at, existing.generated_by, existing.version = now, acting_user, existing.version + 1
    # New figures have not been seen by the agency: they are published again only by its decision.
    existing.published_on = existing.published_by = None
    existing.save()
    existing.refresh_from_db()
    log_change(existing, "update", acting_user=acting_user, before=before, after=snapshot(existing),
               reason="重新生成年度统计年报")
    return existing


def _refuse_if_final(report):
    if report is not None and report.published_on and report.is_final:
        raise ActionRefused("report.final_published",
                            f"{report.year}年度统计年报已于{report.published_on:%Y-%m-%d}公开，不能重新生成", "year")


@transaction.atomic
def do_generate_annual_report(entity, year, *, acting_user, today=None) -> AnnualReport:
    """Generate (or regenerate) `entity`'s report for `year`; a year not yet over gives figures
    up to today, marked partial."""
    today = today or timezone.localdate()
    if not can_on_entity(acting_user, "generate", AnnualReport, entity):
        raise OutOfScope()
    year = _check_year(year, today)
    existing = AnnualReport.objects.select_for_update().filter(entity=entity, year=year).first()
    _refuse_if_final(existing)
    fig = figures_for(Entity.objects.filter(pk=entity.pk), year, today)[entity.pk]
    return _store(entity, year, fig, acting_user=acting_user, today=today, existing=existing)


@transaction.atomic
def do_publish_annual_report(report: AnnualReport, *, acting_user, on=None) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if not can(acting_user, "publish", report):
        raise OutOfScope("只有该执法主体的行政机关负责人可以公开本主体的统计年报")
    if report.published_on:
        raise ActionRefused("report.already_published", f"该年报已于{report.published_on:%Y-%m-%d}公开", "published_on")
    before = snapshot(report)
    report.published_on, report.published_by = on or timezone.localdate(), acting_user
    report.save(update_fields=["published_on", "published_by"])
    log_change(report, "update", acting_user=acting_user, before=before, after=snapshot(report),
               reason="公开年度统计年报")
    return report


@transaction.atomic
def generate_annual_reports(year: int, *, today=None, publish: bool = False, entities=None) -> dict:
    """The system's yearly run (a background task calls it in January): a report for every active
    entity for `year`, skipping final reports already published. With publish=True the new reports
    are published at once (acting user: the system). Returns {"created", "updated", "skipped", "published"}."""
    today = today or timezone.localdate()
    year = _check_year(year, today)
    entities = entities if entities is not None else Entity.objects.filter(is_active=True)
    existing = {r.entity_id: r for r in AnnualReport.objects.select_for_update().filter(entity__in=entities, year=year)}
    figs = figures_for(entities, year, today)
    counts = {"created": 0, "updated": 0, "skipped": 0, "published": 0}
    for e in entities.order_by("pk"):
        old = existing.get(e.pk)
        if old is not None and old.published_on and old.is_final:
            counts["skipped"] += 1
            continue
        report = _store(e, year, figs[e.pk], acting_user=None, today=today, existing=old)
        counts["updated" if old else "created"] += 1
        if publish:
            before = snapshot(report)
            report.published_on = today
            report.save(update_fields=["published_on"])
            log_change(report, "update", acting_user=None, before=before, after=snapshot(report),
                       reason="自动公开年度统计年报")
            counts["published"] += 1
    return counts


# ---- the 31 January alert ----------------------------------------------------------------------

def unpublished_after_deadline(today):
    """(entity, year) of entities whose report for last year is not published (in full) after
    31 January. Concerned: active entities with cases that year or a report started for it
    (an entity the system knows nothing about for that year has nothing to report here)."""
    year = today.year - 1
    if today <= deadline_of(year):
        return []
    start, end = stats.period_bounds(year)
    acted = stats.in_period(Case.objects.all(), start, end).order_by().values_list("entity_id", flat=True).distinct()
    started = AnnualReport.objects.filter(year=year).values_list("entity_id", flat=True)
    done = AnnualReport.objects.filter(year=year, published_on__isnull=False, period_end=end).values_list(
        "entity_id", flat=True)
    ids = (set(acted) | set(started)) - set(done)
    return [(e, year) for e in Entity.objects.filter(is_active=True, pk__in=ids).order_by("pk")]


def public_reports():
    """Published reports: the only ones the public site and public API show."""
    return AnnualReport.objects.filter(published_on__isnull=False).select_related("entity", "entity__region")


# ---- demo --------------------------------------------------------------------------------------

def seed_demo_reports(entity, *, head, log=None) -> AnnualReport | None:
    """The demo entity's report for this year (partial, up to today) generated and published by
    its agency head; when the seed runs in January, last year's report too, and the report of the
    year its demo cases are dated in (the last year the legal calendar knows, when this one is not
    entered yet)."""
    today = timezone.localdate()
    years = {today.year} | ({today.year - 1} if today.month == 1 else set())
    years |= {d.year for d in Case.objects.filter(entity=entity).dates("registered_on", "year")}
    out = None
    for year in sorted(y for y in years if y <= today.year):
        report = do_generate_annual_report(entity, year, acting_user=head, today=today)
        out = do_publish_annual_report(report, acting_user=head, on=today)
    if log and out:
        log(f"  reports: {out}（{out.figures['summary']['all']}件案件）")
    return out
