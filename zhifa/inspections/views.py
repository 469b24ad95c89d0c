"""双随机 pages. Staff (/inspections/): the planner's roster import, plans with their batches and
draws (commit, reveal, lottery entries, tasks, publication), the officer's tasks with the result
form (phone width), the head's 备案 and the supervisor's acknowledgement. Public (/gs/sjs/):
published draws, their results and the verification kit."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.roles import Role
from zhifa.common.scope import can, get_or_deny
from zhifa.inspections import actions as A
from zhifa.inspections import algorithm as alg
from zhifa.inspections.actions.roster import ROSTER_COLUMNS, roster_template
from zhifa.inspections.choices import KeyKind, TaskResult
from zhifa.inspections.kit import kit_bytes
from zhifa.inspections.models import Batch, Draw, Plan, RosterObject, Task


def _mine(user):
    officer = getattr(user, "officer", None)
    return Task.objects.restrict(user).filter(inspectors=officer) if officer else Task.objects.none()


@login_required
def index(request):
    user = request.user
    plans = Plan.objects.restrict(user).select_related("entity")[:200]
    to_ack = [p for p in Plan.objects.restrict(user, "acknowledge").filter(state=Plan.State.FILED).select_related("entity")
              if user.role == Role.SUPERVISOR and user.entity.region.level < p.entity.region.level]
    return render(request, "inspections/index.html", {
        "plans": plans, "to_ack": to_ack, "tasks": _mine(user).select_related("case").order_by("due_on")[:200],
        "roster_count": RosterObject.objects.restrict(user).count(),
        "may_plan": user.is_superuser or user.role in (Role.UNIT_HEAD, Role.AGENCY_HEAD),
        "columns": ROSTER_COLUMNS})


@login_required
def template(request):
    response = HttpResponse(roster_template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


@login_required
@require_POST
def import_roster(request):
    upload = request.FILES.get("file")
    if upload is None or request.user.entity is None:
        messages.error(request, "请选择要导入的 Excel 文件")
        return redirect("inspections-index")
    report = A.do_import_roster(upload, entity=request.user.entity, acting_user=request.user)
    if report.ok:
        messages.success(request, f"导入完成：新增{report.created}条，共读取{report.rows}行")
    else:
        for e in report.errors[:50]:
            messages.error(request, f"第{e.row}行 {e.column}：{e.message}" if e.row else e.message)
    return redirect("inspections-index")


@login_required
def plan_detail(request, pk):
    user = request.user
    plan = get_or_deny(Plan.objects.restrict(user).select_related("entity"), pk=pk)
    batches = plan.batches.prefetch_related("items", "draws")
    return render(request, "inspections/plan.html", {
        "plan": plan, "batches": batches, "may_change": can(user, "change", plan),
        "next_round": alg.round_at(dt.datetime.now(dt.UTC).timestamp()) + 200})


def _act(request, fn, ok: str, back):
    """Run an action; a refusal is shown on the page it came from, out of scope is 403."""
    try:
        fn()
        messages.success(request, ok)
    except OutOfScope as e:
        raise PermissionDenied(e.message) from e
    except ActionRefused as e:
        messages.error(request, e.message)
    return redirect(*back)


@login_required
@require_POST
def plan_action(request, pk, action):
    plan = get_or_deny(Plan.objects.restrict(request.user), pk=pk)
    back = ("inspections-plan", plan.pk)
    if action == "file":
        return _act(request, lambda: A.do_file_plan(plan, acting_user=request.user), "已报上级备案", back)
    if action == "acknowledge":
        return _act(request, lambda: A.do_acknowledge_plan(plan, acting_user=request.user,
                                                           note=request.POST.get("note", "")), "已确认备案", back)
    raise Http404


@login_required
@require_POST
def commit(request, pk):
    batch = get_or_deny(Batch.objects.restrict(request.user), pk=pk)
    post = request.POST

    def go():
        draw_on = dt.date.fromisoformat(post["lottery_draw_on"]) if post.get("lottery_draw_on") else None
        A.do_commit_draw(batch, acting_user=request.user, source=post.get("source", ""),
                         beacon_round=int(post["beacon_round"]) if post.get("beacon_round", "").isdigit() else None,
                         lottery_name=post.get("lottery_name", ""), lottery_issue=post.get("lottery_issue", ""),
                         lottery_draw_on=draw_on)
    try:
        return _act(request, go, "已承诺并记入执法日志", ("inspections-plan", batch.plan_id))
    except ValueError:
        messages.error(request, "开奖日期：格式应为YYYY-MM-DD")
        return redirect("inspections-plan", batch.plan_id)  # the date was not ISO


@login_required
@require_POST
def draw_action(request, pk, action):
    draw = get_or_deny(Draw.objects.restrict(request.user), pk=pk)
    back = ("inspections-plan", draw.batch.plan_id)
    user, post = request.user, request.POST
    if action == "reveal":
        return _act(request, lambda: A.do_reveal_beacon(draw, signature=post.get("signature", ""), acting_user=user),
                    "随机值核验通过，已完成抽取", back)
    if action == "lottery":
        return _act(request, lambda: A.do_enter_lottery(draw, value=post.get("value", ""), acting_user=user),
                    "已录入开奖号码", back)
    if action == "tasks":
        return _act(request, lambda: A.do_create_tasks(draw, acting_user=user), "已生成检查任务", back)
    if action == "publish":
        return _act(request, lambda: A.do_publish_draw(draw, acting_user=user), "已在公示平台公示", back)
    raise Http404


@login_required
def kit(request, pk):
    draw = get_or_deny(Draw.objects.restrict(request.user), pk=pk)
    if draw.state != Draw.State.DRAWN:
        raise Http404
    return _kit(draw)


def _kit(draw):
    response = HttpResponse(kit_bytes(draw), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}-kit.json"'
    return response


@login_required
def task_detail(request, pk):
    task = get_or_deny(Task.objects.restrict(request.user).select_related("case", "draw__batch__plan"), pk=pk)
    if request.method == "POST":
        try:
            A.do_record_task_result(task, result=request.POST.get("result", ""), note=request.POST.get("note", ""),
                                    acting_user=request.user)
            messages.success(request, "已记录检查结果")
            return redirect("inspections-task", task.pk)
        except OutOfScope as e:
            raise PermissionDenied(e.message) from e
        except ActionRefused as e:
            messages.error(request, e.message)
    return render(request, "inspections/task.html", {"task": task, "results": TaskResult.choices,
                                                     "inspectors": task.inspectors.all()})


# ---- public (/gs/sjs/) ---------------------------------------------------------------------------

def _public(**kw):
    return {"module": "inspections", **kw}


def published_draws():
    return (Draw.objects.filter(published=True, state=Draw.State.DRAWN)
            .select_related("entity", "batch__plan").order_by("-drawn_at", "-id"))


def masked(key: str, kind: str) -> str:
    return key[:6] + "********" + key[-4:] if kind == KeyKind.ID_NUMBER else key


def public_list(request):
    page = Paginator(published_draws(), 20).get_page(request.GET.get("page"))
    return render(request, "inspections/public_list.html", _public(page=page, total=page.paginator.count))


def public_detail(request, pk):
    draw = get_object_or_404(published_draws(), pk=pk)
    names = {r["key"]: r["name"] for r in draw.object_snapshot.rows}
    kinds = dict(RosterObject.objects.filter(entity=draw.entity).values_list("key", "key_kind"))
    results = {t.object_key: t for t in draw.tasks.all()}
    rows = [{"level": level, "key": masked(key, kinds.get(key, "")),
             "name": names.get(key, "")[:1] + "某" if kinds.get(key) == KeyKind.ID_NUMBER else names.get(key, ""),
             "task": results.get(key)} for level, key, _ in alg.selected(draw.result)]
    return render(request, "inspections/public_detail.html", _public(draw=draw, rows=rows))


def public_kit(request, pk):
    return _kit(get_object_or_404(published_draws(), pk=pk))
