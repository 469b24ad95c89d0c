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
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity, get_or_deny
from zhifa.inspections import actions as A
from zhifa.inspections import algorithm as alg
from zhifa.inspections.actions.roster import ROSTER_COLUMNS, roster_template
from zhifa.inspections.choices import TaskResult
from zhifa.inspections.figures import figures
from zhifa.inspections.kit import kit_bytes
from zhifa.inspections.models import Batch, Draw, Plan, Recusal, RosterObject, Task
from zhifa.inspections.opendata import (
    DRAW_FIELDS,
    RESULT_FIELDS,
    as_csv,
    as_json,
    draw_row,
    published_draws,
    result_rows,
)
from zhifa.powers.models import InspectionItem

LEVELS = ("A", "B", "C", "D")
CYCLE = ("抽查计划", "抽查批次", "上级备案", "承诺抽取", "揭示并抽取", "检查任务与回避", "录入检查结果", "结果公示")


def _mine(user):
    officer = getattr(user, "officer", None)
    return Task.objects.restrict(user).filter(inspectors=officer) if officer else Task.objects.none()


@login_required
def index(request):
    user = request.user
    plans = Plan.objects.restrict(user).select_related("entity")[:200]
    to_ack = [p for p in Plan.objects.restrict(user, "acknowledge").filter(state=Plan.State.FILED).select_related("entity")
              if user.role == Role.SUPERVISOR and user.entity.region.level < p.entity.region.level]
    may_plan = user.is_superuser or user.role in (Role.UNIT_HEAD, Role.AGENCY_HEAD)
    recusals = (Recusal.objects.restrict(user, "change").filter(state=Recusal.State.PENDING)
                .select_related("task", "officer") if may_plan else Recusal.objects.none())
    return render(request, "inspections/index.html", {
        "plans": plans, "to_ack": to_ack, "tasks": _mine(user).select_related("case").order_by("due_on")[:200],
        "roster_count": RosterObject.objects.restrict(user).count(), "recusals": recusals[:100],
        "may_plan": may_plan and user.entity_id is not None, "columns": ROSTER_COLUMNS,
        "figures": figures(user, timezone.localdate()) if may_plan or user.role == Role.SUPERVISOR else [],
        "this_year": timezone.localdate().year})


@login_required
@require_POST
def plan_new(request):
    post = request.POST
    year = post.get("year", "")
    if not year.isdigit() or not (2000 <= int(year) <= 2100):
        messages.error(request, "年度：请填写四位年份，如2026")
        return redirect("inspections-index")
    try:
        plan = A.do_create_plan(entity=request.user.entity, year=int(year), title=post.get("title", ""),
                                acting_user=request.user)
    except OutOfScope as e:
        raise PermissionDenied(e.message) from e
    except ActionRefused as e:
        messages.error(request, e.message)
        return redirect("inspections-index")
    messages.success(request, "已新建抽查计划，请添加抽查批次")
    return redirect("inspections-plan", plan.pk)


def _date(post, name: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(post.get(name, ""))
    except ValueError as e:
        raise ActionRefused("validation", f"{label}：请填写日期（YYYY-MM-DD）", name) from e


def _int(post, name: str, label: str, default: int) -> int:
    value = (post.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ActionRefused("validation", f"{label}：应为非负整数", name)
    return int(value)


@login_required
@require_POST
def batch_new(request, pk):
    plan = get_or_deny(Plan.objects.restrict(request.user), pk=pk)
    post = request.POST

    def go():
        items = list(InspectionItem.objects.filter(pk__in=[i for i in post.getlist("items") if i.isdigit()]))
        strata = []
        for level in LEVELS:
            ratio, count = post.get(f"ratio_{level}", "").strip(), post.get(f"count_{level}", "").strip()
            if ratio and count:
                raise ActionRefused("batch.ratio", f"{level}类：抽取比例和抽取数量只填一项", "strata")
            if ratio:
                strata.append({"level": level, "ratio": ratio})
            elif count:
                strata.append({"level": level, "count": count})
        A.do_add_batch(plan, acting_user=request.user, name=post.get("name", ""), items=items, strata=strata,
                       starts_on=_date(post, "starts_on", "检查开始日期"), ends_on=_date(post, "ends_on", "检查结束日期"),
                       industry=post.get("industry", "").strip()[:60], area=post.get("area", "").strip()[:60],
                       field=post.get("field", "").strip()[:60],
                       window_days=_int(post, "window_days", "近期已检查对象的排除期", 0),
                       inspectors_per_object=_int(post, "inspectors_per_object", "每个对象的检查人员数", 2))
    return _act(request, go, "已添加抽查批次", ("inspections-plan", plan.pk))


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


def _stratum_sizes(plan) -> list[tuple[str, int]]:
    """Each credit-risk level with the number of active objects in the entity's roster (the levels imported
    by the exchange's 信用风险分类 import or entered), shown beside the strata of a new batch."""
    counts = dict(RosterObject.objects.filter(entity=plan.entity, is_active=True).order_by().values("risk")
                  .annotate(n=Count("id")).values_list("risk", "n"))
    return [(level, counts.get(level, 0)) for level in LEVELS]


@login_required
def plan_detail(request, pk):
    user = request.user
    plan = get_or_deny(Plan.objects.restrict(user).select_related("entity"), pk=pk)
    batches = list(plan.batches.prefetch_related("items", "draws__tasks__inspectors", "draws__recusals__officer",
                                                 "draws__recusals__replacement", "draws__recusals__task"))
    may_change = can(user, "change", plan)
    items = (InspectionItem.objects.published(timezone.localdate()).filter(entity=plan.entity)
             if may_change and plan.state == Plan.State.DRAFT else [])
    return render(request, "inspections/plan.html", {
        "plan": plan, "batches": batches, "may_change": may_change, "items": items, "levels": LEVELS,
        "cycle": _cycle(plan, batches), "stratum_sizes": _stratum_sizes(plan) if items else [],
        "next_round": alg.round_at(dt.datetime.now(dt.UTC).timestamp()) + 200})


def _cycle(plan, batches) -> list[dict]:
    """Where the plan stands in the cycle 计划 → 批次 → 备案 → 承诺 → 抽取 → 任务/回避 → 结果 → 公示."""
    draws = [d for b in batches for d in b.draws.all()]
    tasks = [t for d in draws for t in d.tasks.all()]
    done = [True, bool(batches), plan.state == Plan.State.ACKNOWLEDGED, bool(draws),
            any(d.state == Draw.State.DRAWN for d in draws), bool(tasks),
            bool(tasks) and all(t.result for t in tasks),
            bool(tasks) and all(t.published_on for t in tasks)]
    current = next((n for n, ok in enumerate(done) if not ok), len(done))
    return [{"n": n + 1, "label": label, "done": done[n], "current": n == current} for n, label in enumerate(CYCLE)]


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
    if action == "results":
        return _act(request, lambda: A.do_publish_results(draw, acting_user=user), "检查结果已在公示平台公示", back)
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
@require_POST
def recusal_declare(request, pk):
    task = get_or_deny(Task.objects.restrict(request.user), pk=pk)
    officer = task.inspectors.filter(pk=request.POST.get("officer") or 0).first()
    if officer is None:
        messages.error(request, "申请回避的检查人员：请选择本任务的一名检查人员")
        return redirect("inspections-task", task.pk)
    return _act(request, lambda: A.do_declare_recusal(task, officer=officer, reason=request.POST.get("reason", ""),
                                                      acting_user=request.user),
                "已申报回避，待负责人决定", ("inspections-task", task.pk))


@login_required
@require_POST
def recusal_decide(request, pk):
    rec = get_or_deny(Recusal.objects.restrict(request.user), pk=pk)
    approve = request.POST.get("approve") == "1"
    return _act(request, lambda: A.do_decide_recusal(rec, approve=approve, acting_user=request.user,
                                                     note=request.POST.get("note", "")),
                "已准予回避并重新抽取检查人员" if approve else "已决定不予回避", ("inspections-task", rec.task_id))


@login_required
def task_detail(request, pk):
    task = get_or_deny(Task.objects.restrict(request.user).select_related("case", "draw__batch__plan"), pk=pk)
    user = request.user
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
    inspectors = list(task.inspectors.all())
    own = getattr(user, "officer", None)
    is_head = user.role in (Role.UNIT_HEAD, Role.AGENCY_HEAD) and can_on_entity(user, "change", Recusal, task.entity)
    return render(request, "inspections/task.html", {
        "task": task, "results": TaskResult.choices, "inspectors": inspectors,
        "recusals": task.recusals.select_related("officer", "replacement", "decided_by"),
        "may_declare": not task.result and ((is_head and can(user, "change", task))
                                            or (own is not None and own in inspectors)),
        "declarable": inspectors if is_head else [o for o in inspectors if own and o.pk == own.pk],
        "may_decide": is_head and not task.result,
        "may_record": not task.result and own is not None and own in inspectors})


# ---- public (/gs/sjs/) ---------------------------------------------------------------------------

def _public(**kw):
    return {"module": "inspections", **kw}


VERIFY_STEPS = (
    "下载本次抽取的核验包（JSON）；",
    "安装 zhifa（开源，仅核验无需数据库和网络），或使用任何遵循公开算法说明自行实现的程序；",
    "运行 zhifa verify-draw 核验包文件：逐项核对两个名录库快照的默克尔根、承诺早于随机值产生、"
    "drand 签名（或彩票开奖号码）、抽取结果和回避的重新抽取，全部一致则退出码为0，任何不同则为1；",
    "也可核对承诺摘要与执法日志第N条（防篡改日志页面可查）一致。",
)


def public_list(request):
    """Published draws, optionally of one entity (?entity=id); ?key=统一社会信用代码: one enterprise's
    random inspections (its published results). A natural person's ID number is not searchable."""
    draws = published_draws()
    entity_id = request.GET.get("entity", "")
    if entity_id.isdigit():
        draws = draws.filter(entity_id=int(entity_id))
    key = request.GET.get("key", "").strip().upper()[:18]
    ctx = {"key": key, "entity_id": entity_id, "verify_steps": VERIFY_STEPS,
           "entities": (Draw.objects.filter(published=True, state=Draw.State.DRAWN)
                        .values_list("entity_id", "entity__name").distinct().order_by("entity__name"))}
    if key:
        from zhifa.common.identifiers import check_credit_code

        if check_credit_code(key):
            ctx["key_error"] = "统一社会信用代码：请输入18位有效的统一社会信用代码"
        else:
            ctx["enterprise"] = (Task.objects.filter(object_key=key, draw__published=True, draw__state=Draw.State.DRAWN)
                                 .select_related("draw__batch__plan", "entity").order_by("-draw__drawn_at", "-id")[:100])
    page = Paginator(draws, 20).get_page(request.GET.get("page"))
    return render(request, "inspections/public_list.html", _public(page=page, total=page.paginator.count, **ctx))


def public_detail(request, pk):
    draw = get_object_or_404(published_draws(), pk=pk)
    rows = result_rows(draw)
    shown = {r["_key"]: r for r in rows}
    recusals = [{"index": r.index, "officer": r.officer.name, "replacement": r.replacement.name, "on": r.decided_on,
                 "object": shown.get(r.task.object_key, {}).get("name", "（自然人）")}
                for r in draw.recusals.filter(state=Recusal.State.APPROVED)
                .select_related("task", "officer", "replacement").order_by("index")]
    return render(request, "inspections/public_detail.html",
                  _public(draw=draw, rows=rows, recusals=recusals, verify_steps=VERIFY_STEPS))


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    ctype = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def public_data(request, fmt):
    """开放数据: every published draw (CSV or JSON)."""
    if fmt not in ("csv", "json"):
        raise Http404
    base = request.build_absolute_uri("/")[:-1]
    rows = [draw_row(d, base) for d in published_draws().prefetch_related("batch__items")]
    if fmt == "csv":
        return _download(as_csv(DRAW_FIELDS, rows), fmt, "sjs-draws")
    return _download(as_json(DRAW_FIELDS, rows, title="双随机抽取公示", verify="zhifa verify-draw 核验包文件"),
                     fmt, "sjs-draws")


def public_results(request, pk, fmt):
    """开放数据: the drawn objects of one published draw with their published results."""
    if fmt not in ("csv", "json"):
        raise Http404
    draw = get_object_or_404(published_draws(), pk=pk)
    rows = result_rows(draw)
    if fmt == "csv":
        return _download(as_csv(RESULT_FIELDS, rows), fmt, f"sjs-draw-{draw.pk}-results")
    base = request.build_absolute_uri("/")[:-1]
    return _download(as_json(RESULT_FIELDS, rows, draw=draw_row(draw, base)), fmt, f"sjs-draw-{draw.pk}-results")


def public_kit(request, pk):
    return _kit(get_object_or_404(published_draws(), pk=pk))
