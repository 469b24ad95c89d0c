"""Public read-only API of the published annual reports (年度行政执法统计年报): no account.

    GET /public/reports?year=&entity=   published reports (no figures)
    GET /public/reports/{id}            one published report with its figures
"""
from typing import Optional

from django.http import Http404
from ninja import Router

from zhifa.common.api.base import id_query, responses, year_query
from zhifa.supervision.actions import reports as supervision_reports

router = Router(tags=["公示平台（公开）"], auth=None)


def _out(r, figures=False):
    out = {"id": r.pk, "entity_id": r.entity_id, "entity": r.entity.name, "region": r.entity.region.name,
           "year": r.year, "period_start": r.period_start.isoformat(), "period_end": r.period_end.isoformat(),
           "final": r.is_final, "published_on": r.published_on.isoformat(),
           "url": f"/gs/reports/{r.pk}/", "xlsx": f"/gs/reports/{r.pk}/report.xlsx", "pdf": f"/gs/reports/{r.pk}/report.pdf"}
    if figures:
        out["figures"] = r.figures
    return out


@router.get("", operation_id="zhifa_apiv1_reports_public_reports", response=responses(list[dict]), summary="已公开的年度行政执法统计年报")
def reports(request, year: Optional[int] = year_query(), entity: Optional[int] = id_query("执法主体")):
    qs = supervision_reports.public_reports().order_by("-year", "entity__name")
    if year is not None:
        qs = qs.filter(year=year)
    if entity is not None:
        qs = qs.filter(entity_id=entity)
    return [_out(r) for r in qs[:2000]]


@router.get("/{report_id}", operation_id="zhifa_apiv1_reports_public_report", response=responses(dict), summary="一份已公开的统计年报（含统计数据）")
def report(request, report_id: int):
    r = supervision_reports.public_reports().filter(pk=report_id).first()
    if r is None:
        raise Http404("该统计年报不存在或尚未公开")
    return _out(r, figures=True)
