"""执法监督 over REST (zhifa.supervision): figures, alerts (预警) and 督办/整改通知.

    GET  /supervision/figures?region=&year=     totals, per child region and per entity (scope: the caller's)
    GET  /supervision/cases?metric=&region=&entity=&officer=&year=   the cases behind one figure (ids, paginated by limit)
    GET  /supervision/alerts?state=&kind=       visible alerts with their age
    POST /supervision/alerts/{id}/action        {action: acknowledge|assign|close, note, assignee}
    GET  /supervision/orders?state=             visible orders
    POST /supervision/orders                    {entity | case, kind: duban|rectify, text, days, alert}
    POST /supervision/orders/{id}/reply         {text}  (the entity's agency head)

Refusals: {"rule", "message", "field"} with 409 (422 for "validation"), 403 out of scope.
"""
import datetime as dt
from typing import Optional

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from zhifa.apiv1.base import F, InSchema, actor, get_visible, responses, visible
from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.orgs.models import Entity, Officer, Region, User
from zhifa.supervision import actions as A
from zhifa.supervision import figures as FIG
from zhifa.supervision.models import Alert, SupervisionOrder

router = Router(tags=["执法监督"])


def _fig(row):
    return {k: (str(v) if k == "fines" else v) for k, v in row.items() if k in FIG.metrics(FIG.today()) or k == "fines"}


def _region(request, region_id):
    user = actor(request)
    if region_id is None:
        return FIG.home_region(user)
    region = Region.objects.filter(pk=region_id).first()
    if region is None or not FIG.region_allowed(user, region):
        raise Http404("记录不存在或不在您的数据范围内")
    return region


@router.get("/figures", response=responses(dict), summary="监督统计（按区划、执法主体）")
def figures(request, region: Optional[int] = None, year: Optional[int] = None):
    user, today, r = actor(request), FIG.today(), _region(request, region)
    return {"region": {"id": r.pk, "name": r.name} if r else None,
            "metrics": {k: v[0] for k, v in FIG.metrics(today).items()},
            "year": year,
            "total": _fig(FIG.totals(user, today, region=r, year=year)),
            "regions": [{"id": x["region"].pk, "name": x["region"].name, **_fig(x)}
                        for x in FIG.by_child_region(user, today, r, year)] if r else [],
            "entities": [{"id": x["entity_id"], "name": x["entity__name"], **_fig(x)}
                         for x in FIG.by_entity(user, today, region=r, year=year)]}


@router.get("/cases", response=responses(dict), summary="统计数字背后的案件")
def cases(request, metric: str = "all", region: Optional[int] = None, entity: Optional[int] = None,
          officer: Optional[int] = None, year: Optional[int] = None, limit: int = 100, offset: int = 0):
    user, today, where = actor(request), FIG.today(), {}
    if year is not None:
        where["year"] = year
    if metric not in FIG.metrics(today):
        raise ActionRefused("validation", "统计项不存在", "metric")
    if region is not None:
        where["region"] = _region(request, region)
    if entity is not None:
        where["entity"] = get_visible(Entity, request, entity)
    if officer is not None:
        where["officer"] = get_visible(Officer, request, officer)
    qs = FIG.metric_cases(user, metric, today, **where).order_by("-id")
    limit = max(1, min(limit, 1000))
    return {"count": qs.count(), "items": [{"id": c.pk, "number": c.number, "title": c.title, "entity_id": c.entity_id,
                                            "kind": c.kind, "state": c.state}
                                           for c in qs[offset:offset + limit]]}


class AlertOut(Schema):
    id: int
    kind: str
    kind_label: str
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
            "kind_label": a.get_kind_display(), "age_days": a.age_days(FIG.today())}


@router.get("/alerts", response=responses(list[AlertOut]), summary="预警列表")
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


@router.post("/alerts/{alert_id}/action", response=responses(AlertOut), summary="确认、分派或关闭预警")
def alert_action(request, alert_id: int, body: AlertActionIn):
    alert = get_visible(Alert, request, alert_id)
    assignee = User.objects.filter(pk=body.assignee).first() if body.assignee else None
    return _alert_out(A.do_alert_action(alert, body.action, acting_user=actor(request), note=body.note,
                                        assignee=assignee))


class OrderOut(Schema):
    id: int
    kind: str
    entity_id: int
    case_id: Optional[int]
    alert_id: Optional[int]
    text: str
    issued_on: dt.date
    days: int
    due_on: dt.date
    issued_by_id: int
    state: str
    reply_text: str
    replied_by_id: Optional[int]
    replied_on: Optional[dt.date]


class OrderIn(InSchema):
    entity: Optional[int] = F(None, "被监督主体（不填则取案件的主体）")
    case: Optional[int] = F(None, "案件")
    alert: Optional[int] = F(None, "来源预警")
    kind: str = F(..., "类别", "duban（督办通知）或 rectify（整改通知）")
    text: str = F(..., "督办/整改要求")
    days: int = F(..., "办理期限（工作日）")


class ReplyIn(InSchema):
    text: str = F(..., "答复内容")


@router.get("/orders", response=responses(list[OrderOut]), summary="督办/整改通知")
def orders(request, state: str = ""):
    qs = visible(SupervisionOrder, request)
    if state:
        qs = qs.filter(state=state)
    return list(qs[:1000])


@router.post("/orders", response=responses(OrderOut, 201), summary="发出督办/整改通知")
def issue(request, body: OrderIn):
    case = get_visible(Case, request, body.case) if body.case else None
    alert = get_visible(Alert, request, body.alert) if body.alert else None
    case = case or (alert.case if alert else None)
    entity = get_visible(Entity, request, body.entity) if body.entity else (case.entity if case else
                                                                               alert.entity if alert else None)
    if entity is None:
        raise ActionRefused("validation", "请指定被监督主体或案件", "entity")
    order = A.do_issue_order(acting_user=actor(request), entity=entity, case=case, alert=alert, kind=body.kind,
                             text=body.text, days=body.days)
    return Status(201, order)


@router.post("/orders/{order_id}/reply", response=responses(OrderOut), summary="被监督主体答复")
def reply(request, order_id: int, body: ReplyIn):
    order = get_visible(SupervisionOrder, request, order_id)
    return A.do_reply_order(order, acting_user=actor(request), text=body.text)
