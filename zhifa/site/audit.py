"""审计日志 (三员分立, issue 16 item 4): the audit administrator's one page over the platform's audit
logs — the ledger's entries, the login audit (its auth.* entries), the change log and the access log
(调阅记录) — with filters, paging and a CSV export. Read through the scope layer's "audit" action, so
nobody else gets a row even if the view's own check were dropped; each export is itself ledgered
(audit.export). The system and security administrators cannot open it (nor any of the logs elsewhere).

Top floor: it reads the ledger, common and records side by side.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhifa.common.exports import row as safe_row
from zhifa.common.models import ChangeLog
from zhifa.common.retention import retention_days
from zhifa.common.roles import is_audit_admin
from zhifa.ledger import log as ledger
from zhifa.ledger.models import LedgerEntry
from zhifa.records.models import AccessLog

PAGE_SIZE = 50
EXPORT_MAX = 100_000


@dataclass(frozen=True)
class Kind:
    label: str
    headers: tuple[str, ...]


KINDS = {
    "login": Kind("登录审计", ("序号", "时间", "事件", "账号", "地址", "详情")),
    "ledger": Kind("防篡改日志", ("序号", "时间", "事件", "操作人", "对象", "案件", "详情")),
    "change": Kind("变更记录", ("编号", "时间", "操作", "操作人", "对象类型", "对象", "说明")),
    "access": Kind("调阅记录", ("编号", "时间", "方式", "调阅人", "单位", "案件", "理由")),
}


class BadFilter(ValueError):
    pass


def _date(value: str, label: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{label}：日期格式应为 YYYY-MM-DD") from None
    if not 1900 <= day.year <= 2999:
        raise BadFilter(f"{label}：年份超出范围")
    return day


def _bounds(params) -> tuple[dt.datetime | None, dt.datetime | None]:
    start, end = _date(params.get("from", ""), "起始日期"), _date(params.get("to", ""), "截止日期")
    if start and end and start > end:
        raise BadFilter("截止日期：不能早于起始日期")
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz) if start else None
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if end else None
    return lo, hi


def _text(params, name: str, label: str) -> str:
    value = (params.get(name) or "").strip()
    if "\x00" in value or len(value) > 100:
        raise BadFilter(f"{label}：不能超过100个字符")
    return value


def rows_for(user, kind: str, params) -> QuerySet[Any]:
    """The filtered rows of one log, through the scope layer ("audit": the audit administrator)."""
    lo, hi = _bounds(params)
    who = _text(params, "who", "人员")
    what = _text(params, "what", "事件/操作")
    qs: QuerySet[Any]
    if kind in ("ledger", "login"):
        qs = LedgerEntry.objects.restrict(user, "audit").select_related("actor", "subject_type").order_by("-seq")
        if kind == "login":
            qs = qs.filter(event_type__startswith="auth.")
        time_field = "created_at"
        if who:
            qs = qs.filter(Q(actor__username__icontains=who) | Q(actor__display_name__icontains=who)
                           | Q(body__contains=json.dumps(who, ensure_ascii=False)[1:-1]))
        if what:
            qs = qs.filter(event_type__icontains=what)
    elif kind == "change":
        qs = ChangeLog.objects.restrict(user, "audit").select_related("content_type").order_by("-time", "-id")
        time_field = "time"
        if who:
            qs = qs.filter(user_name__icontains=who)
        if what:
            qs = qs.filter(Q(action__icontains=what) | Q(object_repr__icontains=what))
    else:
        qs = AccessLog.objects.restrict(user, "audit").select_related("case").order_by("-time", "-id")
        time_field = "time"
        if who:
            qs = qs.filter(Q(user_name__icontains=who) | Q(entity_name__icontains=who))
        if what:
            qs = qs.filter(Q(action__icontains=what) | Q(reason__icontains=what))
    if lo:
        qs = qs.filter(**{f"{time_field}__gte": lo})
    if hi:
        qs = qs.filter(**{f"{time_field}__lt": hi})
    return qs


def _when(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def cells(kind: str, obj: Any) -> list[Any]:
    if kind in ("ledger", "login"):
        body = json.loads(obj.body)
        data = body.get("data") or {}
        actor = (obj.actor.display_name or obj.actor.username) if obj.actor_id else ""
        if kind == "login":
            rest = {k: v for k, v in data.items() if k not in ("username", "ip", "path")}
            return [obj.seq, _when(obj.created_at), obj.event_type, data.get("username") or actor, data.get("ip", ""),
                    json.dumps(rest, ensure_ascii=False)[:200] if rest else ""]
        subject = f"{obj.subject_type.model if obj.subject_type_id else ''} {obj.subject_id}".strip()
        return [obj.seq, _when(obj.created_at), obj.event_type, actor, subject, obj.case_id or "",
                json.dumps(data, ensure_ascii=False)[:200] if data else ""]
    if kind == "change":
        return [obj.pk, _when(obj.time), obj.get_action_display(), obj.user_name,
                str(obj.content_type.name), obj.object_repr, obj.reason]
    return [obj.pk, _when(obj.time), obj.get_action_display(), obj.user_name, obj.entity_name,
            obj.case.number if obj.case_id and getattr(obj.case, "number", "") else obj.case_id, obj.reason]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _export(request, kind: str, qs: QuerySet[Any]) -> StreamingHttpResponse:
    total = qs.count()
    with transaction.atomic():  # the export of an audit log is itself audited
        ledger.append("audit.export", actor=request.user,
                      data={"kind": kind, "rows": min(total, EXPORT_MAX),
                            "filters": {k: request.GET.get(k, "") for k in ("who", "what", "from", "to")}})
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel opens UTF-8 CSV with a BOM
        yield writer.writerow(KINDS[kind].headers)
        for obj in qs[:EXPORT_MAX].iterator(chunk_size=2000):
            yield writer.writerow(safe_row(cells(kind, obj)))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{kind}-{stamp}.csv"'
    return response


@login_required
def audit_log(request) -> HttpResponse:
    if not is_audit_admin(request.user):
        raise PermissionDenied("审计日志仅供安全审计员查看")
    kind = request.GET.get("kind") or "login"
    if kind not in KINDS:
        kind = "login"
    try:
        qs = rows_for(request.user, kind, request.GET)
    except BadFilter as e:
        return render(request, "audit_log.html", {"kinds": KINDS, "kind": kind, "error": str(e), "page": None,
                                                  "headers": KINDS[kind].headers, "rows": [],
                                                  "retention_days": retention_days()}, status=422)
    if request.GET.get("format") == "csv":
        return _export(request, kind, qs)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit_log.html", {
        "kinds": KINDS, "kind": kind, "page": page, "headers": KINDS[kind].headers,
        "rows": [cells(kind, obj) for obj in page.object_list], "error": None, "retention_days": retention_days()})
