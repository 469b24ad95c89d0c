"""执法指挥 pages: the command desk (tasks, the map layer, 派发/改派), a task's page (its timeline and the
assignee's reports) and the officer's 我的任务 (phone, 390 px; position from the phone's geolocation
or typed in)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity, get_or_deny
from zhifa.dispatch import actions, geo, sources
from zhifa.dispatch.choices import OPEN_STATES, OVERDUE_COLOUR, STATE_COLOURS, LimitUnit, SourceKind, TaskState
from zhifa.dispatch.models import DispatchTask, RegionOutline, TaskReport
from zhifa.dispatch.rules import ASSIGNABLE_ROLES


def _visible(user):
    return DispatchTask.objects.restrict(user, "view").select_related("assignee", "entity", "region", "escalated_to")


def may_dispatch(user) -> bool:
    if not user.entity_id:
        return False
    return can_on_entity(user, "change", DispatchTask, user.entity,
                         user.unit if user.role == Role.UNIT_HEAD else None)


def assignable(user):
    from zhifa.orgs.models import User

    qs = User.objects.filter(entity_id=user.entity_id, role__in=ASSIGNABLE_ROLES, is_active=True)
    if user.role == Role.UNIT_HEAD and not user.is_superuser:
        qs = qs.filter(unit_id=user.unit_id)
    return qs.select_related("unit").order_by("unit_id", "id")


def map_layer(user, tasks, now):
    """The SVG layer: the outlines of the user's entity's region and the regions under it (or all
    outlines for a user of no entity), and a marker per task at its reported position, else its place."""
    outlines = RegionOutline.objects.select_related("region")
    if user.entity_id:
        path = user.entity.region.path
        outlines = outlines.filter(region__path__startswith=path)
    rows = [(o.region.name, o.region.code, o.geometry) for o in outlines.order_by("region__level", "region__code")
            if not geo.check_geometry(o.geometry)]
    points, unplaced = [], []
    for t in tasks:
        lat = t.reported_latitude if t.reported_latitude is not None else t.latitude
        lon = t.reported_longitude if t.reported_longitude is not None else t.longitude
        colour = OVERDUE_COLOUR if t.overdue_at(now) else STATE_COLOURS[t.state]
        if lat is None:
            unplaced.append(t)
            continue
        points.append((float(lon), float(lat), colour, t, f"{t.title}（{t.get_state_display()}）"))
    return geo.build(rows, points, unplaced)


@login_required
def desk(request):
    """执法指挥台: open tasks first, the map of the entity's region, the overdue ones flagged."""
    user, now = request.user, timezone.now()
    qs = _visible(user)
    state, q, show = request.GET.get("state", ""), request.GET.get("q", "").strip(), request.GET.get("show", "")
    if state in TaskState.values:
        qs = qs.filter(state=state)
    elif show != "all":
        qs = qs.filter(Q(state__in=OPEN_STATES) | Q(finished_at__date=timezone.localdate()))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(place__icontains=q)
                       | Q(assignee__display_name__icontains=q))
    if show == "overdue":
        qs = qs.filter(state__in=OPEN_STATES, due_at__lt=now)
    tasks = list(qs.order_by("due_at", "-id")[:300])
    for t in tasks:
        t.overdue = t.overdue_at(now)
        t.colour = OVERDUE_COLOUR if t.overdue else STATE_COLOURS[t.state]
    counts = dict.fromkeys(TaskState.values, 0)
    for s in _visible(user).filter(state__in=OPEN_STATES).values_list("state", flat=True):
        counts[s] += 1
    overdue = _visible(user).filter(state__in=OPEN_STATES, due_at__lt=now).count()
    legend = [(TaskState(s).label, c) for s, c in STATE_COLOURS.items()] + [("超时", OVERDUE_COLOUR)]
    return render(request, "dispatch/desk.html", {
        "tasks": tasks, "layer": map_layer(user, tasks, now), "states": TaskState.choices, "state": state, "q": q,
        "show": show, "counts": [(TaskState(s).label, n) for s, n in counts.items() if s in OPEN_STATES],
        "overdue": overdue, "legend": legend, "may_dispatch": may_dispatch(user)})


def _source_options(user):
    out = []
    for kind in (SourceKind.COMPLAINT, SourceKind.ALERT, SourceKind.DRAW, SourceKind.CAMPAIGN):
        opts = sources.candidates(kind, user=user, entity=user.entity)
        if opts:
            out.append((kind.label, [(f"{kind.value}:{pk}", label) for pk, label in opts]))
    return out


NEW_FIELDS = ("title", "instructions", "place", "region", "latitude", "longitude", "assignee", "limit_unit",
              "limit_amount")


@login_required
def new(request):
    user = request.user
    if not may_dispatch(user):
        raise PermissionDenied("只有本机关负责人（指挥中心）或承办机构负责人可以派发任务")
    from zhifa.orgs.models import Region

    error, field = None, None
    post = {"limit_unit": LimitUnit.HOURS, "limit_amount": "4", "source": request.GET.get("source", "")}
    if request.method == "POST":
        post = {f: request.POST.get(f, "") for f in (*NEW_FIELDS, "source")}
        kind, _sep, sid = post["source"].partition(":")
        data = {k: post[k] for k in NEW_FIELDS}
        data.update(source_kind=kind or SourceKind.TEXT, source_id=sid)
        try:
            task = actions.do_dispatch(data, acting_user=user)
            messages.success(request, f"已派发任务{task.number}给{task.assignee}")
            return redirect("dispatch-detail", pk=task.pk)
        except ActionRefused as e:
            error, field = e.message, e.field
    regions = Region.objects.filter(path__startswith=user.entity.region.path).order_by("level", "code")[:300]
    return render(request, "dispatch/new.html", {
        "post": post, "error": error, "field": field, "people": assignable(user), "regions": regions,
        "source_groups": _source_options(user), "units": LimitUnit.choices},
        status=422 if error else 200)


OPS = {"accept", "arrive", "location", "finish", "return", "reassign"}


def _apply(op, task, user, post):
    pos = {"latitude": post.get("latitude", ""), "longitude": post.get("longitude", ""),
           "accuracy": post.get("accuracy", ""), "place": post.get("place", ""), "source": post.get("source", "")}
    if op == "accept":
        actions.do_accept(task, acting_user=user)
        return "已接收任务"
    if op == "arrive":
        actions.do_arrive(task, acting_user=user, note=post.get("note", ""), **pos)
        return "已报告到场"
    if op == "location":
        actions.do_report_location(task, acting_user=user, note=post.get("note", ""), **pos)
        return "已报告位置"
    if op == "finish":
        actions.do_finish(task, acting_user=user, result=post.get("result", ""), **pos)
        return "已报告处置完毕"
    if op == "return":
        actions.do_return(task, acting_user=user, reason=post.get("result", ""))
        return "已退回任务"
    if op == "reassign":
        actions.do_reassign(task, acting_user=user, assignee=post.get("assignee", ""), reason=post.get("note", ""))
        return "已改派任务"
    raise ActionRefused("validation", "未知的操作", "op")


@login_required
def detail(request, pk):
    user, now = request.user, timezone.now()
    task = get_or_deny(_visible(user).select_related("dispatched_by", "unit"), pk=pk)
    error, field, op = None, None, request.POST.get("op", "")
    if request.method == "POST":
        try:
            messages.success(request, _apply(op, task, user, request.POST))
            nxt = request.POST.get("next", "")
            return redirect("dispatch-mine" if nxt == "mine" else "dispatch-detail", **({} if nxt == "mine" else {"pk": task.pk}))
        except OutOfScope as e:  # visible but not the user's to change (改派 by an officer): 403
            raise PermissionDenied(e.message) from None
        except ActionRefused as e:
            error, field = getattr(e, "message", str(e)), getattr(e, "field", None)
            task.refresh_from_db()
    reports = TaskReport.objects.filter(task=task).select_related("by", "to_user")
    mine = task.assignee_id == user.pk
    may_change = can(user, "change", task)
    task.overdue = task.overdue_at(now)
    layer = map_layer(user, [task], now) if (task.latitude is not None or task.reported_latitude is not None) else None
    return render(request, "dispatch/detail.html", {
        "task": task, "reports": reports, "mine": mine, "may_change": may_change, "error": error, "field": field,
        "op": op, "post": request.POST, "people": assignable(user) if may_change else [], "layer": layer,
        "colour": OVERDUE_COLOUR if task.overdue else STATE_COLOURS[task.state]},
        status=422 if error else 200)


@login_required
def mine(request):
    """我的任务 (phone): the signed-in officer's open tasks, the nearest deadline first, with the next
    step's button; the last few finished or returned ones below."""
    user, now = request.user, timezone.now()
    base = DispatchTask.objects.filter(assignee=user).select_related("entity", "region")
    open_tasks = list(base.filter(state__in=OPEN_STATES).order_by("due_at", "id"))
    for t in open_tasks:
        t.overdue = t.overdue_at(now)
        t.colour = OVERDUE_COLOUR if t.overdue else STATE_COLOURS[t.state]
    closed = base.exclude(state__in=OPEN_STATES).order_by("-id")[:10]
    return render(request, "dispatch/mine.html", {"tasks": open_tasks, "closed": closed})
