"""执法监督 over REST (zhifa.supervision): figures, alerts (预警) and 督办/整改通知.

    GET  /supervision/figures?region=&year=     totals, per child region and per entity (scope: the caller's)
    GET  /supervision/cases?metric=&region=&entity=&officer=&year=   the cases behind one figure (ids, paginated by limit)
    GET  /supervision/alerts?state=&kind=       visible alerts with their age
    POST /supervision/alerts/{id}/action        {action: acknowledge|assign|close, note, assignee}
    GET  /supervision/orders?state=             visible orders
    GET  /supervision/orders/{id}/documents     its generated documents (督办通知书 …) with hashes
    GET  /supervision/order-documents/{id}/docx | /pdf   the files
    POST /supervision/orders                    {entity | case, kind: duban|rectify, text, days, alert}
    POST /supervision/orders/{id}/reply         {text}  (the entity's agency head)

Refusals: {"rule", "message", "field"} with 409 (422 for "validation"), 403 out of scope.
"""
import datetime as dt
from typing import Optional
from urllib.parse import quote

from django.http import FileResponse, Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import (
    MAX_ID,
    F,
    InSchema,
    actor,
    get_visible,
    id_query,
    responses,
    visible,
    year_query,
)
from zhifa.disclosure.models import AnnualReport
from zhifa.documents.models import storage
from zhifa.documents.render import DOCX_MIME
from zhifa.orgs.models import Entity, Officer, Region, User
from zhifa.supervision import figures as supervision_figures
from zhifa.supervision import stats
from zhifa.supervision.actions import orders as order_actions
from zhifa.supervision.actions import reports as report_actions
from zhifa.supervision.models import Alert, OrderDocument, SupervisionOrder

router = Router(tags=["执法监督"])


def _fig(row):
    metrics = supervision_figures.metrics(supervision_figures.today())
    return {k: (str(v) if k == "fines" else v) for k, v in row.items() if k in metrics or k == "fines"}


def _region(request, region_id):
    user = actor(request)
    if region_id is None:
        return supervision_figures.home_region(user)
    region = Region.objects.filter(pk=region_id).first()
    if region is None or not supervision_figures.region_allowed(user, region):
        raise Http404("记录不存在或不在您的数据范围内")
    return region


@router.get("/figures", operation_id="zhifa_apiv1_supervision_figures", response=responses(dict), summary="监督统计（按区划、执法主体）")
def figures(request, region: Optional[int] = id_query("区划"), year: Optional[int] = year_query()):
    user, today, r = actor(request), supervision_figures.today(), _region(request, region)
    if r is not None:  # one aggregation per entity gives all three
        total, children, entities = supervision_figures.region_figures(user, today, r, year)
    else:
        total, children, entities = supervision_figures.totals(user, today, year=year), [], supervision_figures.by_entity(user, today, year=year)
    return {"region": {"id": r.pk, "name": r.name} if r else None,
            "metrics": {k: v[0] for k, v in supervision_figures.metrics(today).items()},
            "year": year,
            "total": _fig(total),
            "regions": [{"id": x["region"].pk, "name": x["region"].name, **_fig(x)} for x in children],
            "entities": [{"id": x["entity_id"], "name": x["entity__name"], **_fig(x)} for x in entities]}


@router.get("/cases", operation_id="zhifa_apiv1_supervision_cases", response=responses(dict), summary="统计数字背后的案件")
def cases(request, metric: str = "all", region: Optional[int] = id_query("区划"),
          entity: Optional[int] = id_query("执法主体"), officer: Optional[int] = id_query("执法人员"),
          year: Optional[int] = year_query(), limit: int = Query(100, title="条数", ge=1, le=1000),
          offset: int = Query(0, title="起始位置", ge=0, le=MAX_ID)):
    user, today, where = actor(request), supervision_figures.today(), {}
    if year is not None:
        where["year"] = year
    if metric not in supervision_figures.metrics(today):
        raise ActionRefused("validation", "统计项不存在", "metric")
    if region is not None:
        where["region"] = _region(request, region)
    if entity is not None:
        where["entity"] = get_visible(Entity, request, entity)
    if officer is not None:
        where["officer"] = get_visible(Officer, request, officer)
    qs = supervision_figures.metric_cases(user, metric, today, **where).order_by("-id")
    limit = max(1, min(limit, 1000))
    return {"count": qs.count(), "items": [{"id": c.pk, "number": c.number, "title": c.title, "entity_id": c.entity_id,
                                            "kind": c.kind, "state": c.state}
                                           for c in qs[offset:offset + limit]]}


class AlertOut(Schema):
    id: int
    kind: str
    kind_label: str
    severity: str  # high | medium | low (zhifa.supervision.choices.ALERT_SEVERITY)
    text: str
    entity_id: int
    case_id: Optional[int]
    officer_id: Optional[int]
    certificate_id: Optional[int]
    first_seen: dt.date
    last_seen: dt.date
    age_days: int
    state: str
    note: str
    assignee_id: Optional[int]
    auto_closed: bool


def _alert_out(a):
    return {**{f: getattr(a, f) for f in ("id", "kind", "text", "entity_id", "case_id", "officer_id", "certificate_id",
                                          "first_seen", "last_seen", "state", "note", "assignee_id", "auto_closed")},
            "kind_label": a.get_kind_display(), "severity": a.severity, "age_days": a.age_days(supervision_figures.today())}


@router.get("/alerts", operation_id="zhifa_apiv1_supervision_alerts", response=responses(list[AlertOut]), summary="预警列表")
def alerts(request, state: str = "live", kind: str = ""):
    qs = visible(Alert, request)
    qs = qs.exclude(state=Alert.State.CLOSED) if state == "live" else qs.filter(state=state) if state != "all" else qs
    if kind:
        qs = qs.filter(kind=kind)
    return [_alert_out(a) for a in qs[:1000]]


class AlertActionIn(InSchema):
    action: str = F(..., "处理方式", "acknowledge（确认）、assign（分派）或 close（关闭）")
    note: str = F("", "处理意见")
    assignee: Optional[int] = F(None, "分派给（执法监督人员的用户编号）")


@router.post("/alerts/{alert_id}/action", operation_id="zhifa_apiv1_supervision_alert_action", response=responses(AlertOut), summary="确认、分派或关闭预警")
def alert_action(request, alert_id: int, body: AlertActionIn):
    alert = get_visible(Alert, request, alert_id)
    assignee = User.objects.filter(pk=body.assignee).first() if body.assignee else None
    return _alert_out(order_actions.do_alert_action(alert, body.action, acting_user=actor(request), note=body.note,
                                                    assignee=assignee))


class OrderOut(Schema):
    id: int
    kind: str
    number: str
    entity_id: int
    case_id: Optional[int]
    alert_id: Optional[int]
    text: str
    issued_on: dt.date
    days: int
    due_on: Optional[dt.date]
    due_pending_year: Optional[int] = Field(None, description="期限待定时：待录入节假日安排的年度")
    due_display: str = Field("", description="答复期限（或“待定：需录入YYYY年节假日安排”）")
    issued_by_id: int
    state: str
    reply_text: str
    replied_by_id: Optional[int]
    replied_on: Optional[dt.date]


class OrderIn(InSchema):
    entity: Optional[int] = F(None, "被监督主体（不填则取案件的主体）")
    case: Optional[int] = F(None, "案件")
    alert: Optional[int] = F(None, "来源预警")
    kind: str = F(..., "类别", "duban（督办通知）、rectify（整改通知）、suggestion（执法监督建议书）或 decision（执法监督决定书）")
    text: str = F(..., "督办/整改要求")
    days: int = F(..., "办理期限（工作日）")


class ReplyIn(InSchema):
    text: str = F(..., "答复内容")


@router.get("/orders", operation_id="zhifa_apiv1_supervision_orders", response=responses(list[OrderOut]), summary="督办/整改通知")
def orders(request, state: str = ""):
    qs = visible(SupervisionOrder, request)
    if state:
        qs = qs.filter(state=state)
    return list(qs[:1000])


@router.post("/orders", operation_id="zhifa_apiv1_supervision_issue", response=responses(OrderOut, 201), summary="发出督办/整改通知")
def issue(request, body: OrderIn):
    case = get_visible(Case, request, body.case) if body.case else None
    alert = get_visible(Alert, request, body.alert) if body.alert else None
    case = case or (alert.case if alert else None)
    entity = get_visible(Entity, request, body.entity) if body.entity else (case.entity if case else
                                                                               alert.entity if alert else None)
    if entity is None:
        raise ActionRefused("validation", "请指定被监督主体或案件", "entity")
    order = order_actions.do_issue_order(acting_user=actor(request), entity=entity, case=case, alert=alert, kind=body.kind,
                                         text=body.text, days=body.days)
    return Status(201, order)


@router.post("/orders/{order_id}/reply", operation_id="zhifa_apiv1_supervision_reply", response=responses(OrderOut), summary="被监督主体答复")
def reply(request, order_id: int, body: ReplyIn):
    order = get_visible(SupervisionOrder, request, order_id)
    return order_actions.do_reply_order(order, acting_user=actor(request), text=body.text)


# ---- the documents of an order (zhifa.supervision.actions.documents)---------------------------------------
class OrderDocumentOut(Schema):
    id: int
    order_id: int
    version: int
    number: str
    template_version: int
    docx_sha256: str
    docx_size: int
    pdf_status: str
    pdf_sha256: str
    pdf_error: str
    generated_at: dt.datetime


@router.get("/orders/{order_id}/documents", operation_id="zhifa_apiv1_supervision_order_documents", response=responses(list[OrderDocumentOut]), summary="监督文书文件")
def order_documents(request, order_id: int):
    order = get_visible(SupervisionOrder, request, order_id)
    return list(order.documents.all())


def _order_file(request, doc_id, ext):
    doc = get_visible(OrderDocument, request, doc_id)
    path = doc.docx_path if ext == "docx" else doc.pdf_path
    if not path:
        raise Http404(doc.pdf_error or "PDF尚未生成")
    resp = FileResponse(storage().open(path, "rb"), content_type=DOCX_MIME if ext == "docx" else "application/pdf")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(doc.download_name(ext))}"
    return resp


@router.get("/order-documents/{doc_id}/docx", operation_id="zhifa_apiv1_supervision_order_document_docx", summary="下载监督文书（Word）")
def order_document_docx(request, doc_id: int):
    return _order_file(request, doc_id, "docx")


@router.get("/order-documents/{doc_id}/pdf", operation_id="zhifa_apiv1_supervision_order_document_pdf", summary="下载监督文书（PDF）")
def order_document_pdf(request, doc_id: int):
    return _order_file(request, doc_id, "pdf")


# ---- 统计报表 and 年度统计年报 (zhifa.supervision.stats / reports) ---------------------------------
#   GET  /supervision/stats/query?dims=&metrics=&year=&quarter=&month=&region=&entity=&kind=&category=&outcome=
#   GET  /supervision/stats/report?region=&entity=&year=&quarter=&month=   the live report of a region / entity
#   GET  /supervision/annual-reports?year=           stored annual reports in scope
#   GET  /supervision/annual-reports/{id}            one, with its figures
#   POST /supervision/annual-reports                 {entity, year}  generate (or regenerate)
#   POST /supervision/annual-reports/{id}/publish    the entity's agency head


def _stats_spec(request, **params):
    user = actor(request)
    spec = stats.parse_spec(user, {k: ("" if v is None else str(v)) for k, v in params.items()})
    if spec.region is None and spec.entity is None:
        spec.region = supervision_figures.home_region(user)
    return user, spec


@router.get("/stats/query", operation_id="zhifa_apiv1_supervision_stats_query", response=responses(dict), summary="统计查询（按维度分组）")
def stats_query(request, dims: str = "", metrics: str = "", year: Optional[int] = year_query(),
                quarter: Optional[int] = Query(None, title="季度", ge=1, le=4),
                month: Optional[int] = Query(None, title="月份", ge=1, le=12), region: Optional[int] = id_query("区划"),
                entity: Optional[int] = id_query("执法主体"), kind: str = "", category: str = "", outcome: str = ""):
    """dims：region、entity、kind、category、outcome、source、year、quarter、month（最多3个，逗号分隔）；
    metrics：统计项（逗号分隔，缺省为常用项；全部统计项见返回的 available_metrics）。"""
    user, spec = _stats_spec(request, dims=dims, metrics=metrics, year=year, quarter=quarter, month=month,
                             region=region, entity=entity, kind=kind, category=category, outcome=outcome)
    res = stats.query(user, spec)
    keys = [m.key for m in res.metrics]
    return {"period": spec.period_label, "dimensions": [{"key": k, "label": label} for k, label in res.dims],
            "metrics": [{"key": m.key, "label": m.label, "money": m.money} for m in res.metrics],
            "rows": [{"keys": [list(k) if isinstance(k, tuple) else k for k in r["keys"]], "labels": r["labels"],
                      **{k: stats.jsonable(r[k]) for k in keys}} for r in res.rows],
            "total": {k: stats.jsonable(res.total[k]) for k in keys},
            "available_dimensions": stats.DIMENSIONS,
            "available_metrics": {m.key: m.label for m in stats.metrics(supervision_figures.today()).values()}}


@router.get("/stats/report", operation_id="zhifa_apiv1_supervision_stats_report", response=responses(dict), summary="区域或执法主体的年度/季度/月度统计")
def stats_report(request, year: Optional[int] = year_query(), quarter: Optional[int] = Query(None, title="季度", ge=1, le=4),
                 month: Optional[int] = Query(None, title="月份", ge=1, le=12), region: Optional[int] = id_query("区划"),
                 entity: Optional[int] = id_query("执法主体")):
    user, spec = _stats_spec(request, year=year, quarter=quarter, month=month, region=region, entity=entity)
    return report_actions.region_report(user, stats.Spec(region=spec.region, entity=spec.entity, year=spec.year,
                                                         quarter=spec.quarter, month=spec.month))


class AnnualReportOut(Schema):
    id: int
    entity_id: int
    entity: str
    year: int
    period_start: dt.date
    period_end: dt.date
    final: bool
    generated_at: dt.datetime
    published_on: Optional[dt.date]
    version: int
    figures: Optional[dict] = None


def _report_out(r, with_figures=False):
    return {"id": r.pk, "entity_id": r.entity_id, "entity": r.entity.name, "year": r.year,
            "period_start": r.period_start, "period_end": r.period_end, "final": r.is_final,
            "generated_at": r.generated_at, "published_on": r.published_on, "version": r.version,
            "figures": r.figures if with_figures else None}


class GenerateIn(InSchema):
    entity: int = F(..., "执法主体编号")
    year: int = F(..., "年度")


@router.get("/annual-reports", operation_id="zhifa_apiv1_supervision_annual_reports", response=responses(list[AnnualReportOut]), summary="年度行政执法统计年报")
def annual_reports(request, year: Optional[int] = year_query()):
    qs = visible(AnnualReport, request).select_related("entity")
    if year is not None:
        qs = qs.filter(year=year)
    return [_report_out(r) for r in qs[:1000]]


@router.get("/annual-reports/{report_id}", operation_id="zhifa_apiv1_supervision_annual_report", response=responses(AnnualReportOut), summary="一份统计年报（含统计数据）")
def annual_report(request, report_id: int):
    return _report_out(get_visible(AnnualReport, request, report_id), with_figures=True)


@router.post("/annual-reports", operation_id="zhifa_apiv1_supervision_generate_report", response=responses(AnnualReportOut, 201), summary="生成（或重新生成）统计年报")
def generate_report(request, body: GenerateIn):
    entity = get_visible(Entity, request, body.entity)
    return Status(201, _report_out(report_actions.do_generate_annual_report(entity, body.year, acting_user=actor(request)),
                                   with_figures=True))


@router.post("/annual-reports/{report_id}/publish", operation_id="zhifa_apiv1_supervision_publish_report", response=responses(AnnualReportOut), summary="公开统计年报")
def publish_report(request, report_id: int):
    report = get_visible(AnnualReport, request, report_id)
    return _report_out(report_actions.do_publish_annual_report(report, acting_user=actor(request)))
