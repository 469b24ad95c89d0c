"""双随机、一公开 over REST (zhifa.inspections).

Staff (/inspections):
    GET   /plans                      plans in scope            GET /plans/{id}   PATCH /plans/{id} {title}
    POST  /plans/{id}/file            报上级备案                 POST /plans/{id}/acknowledge {note}
    POST  /batches/{id}/draws         承诺 {source, beacon_round | lottery_name, lottery_issue, lottery_draw_on}
    GET   /draws/{id}                 POST /draws/{id}/reveal {signature}   POST /draws/{id}/lottery {value}
    POST  /draws/{id}/tasks           检查任务 (行政检查 cases)  POST /draws/{id}/publish
    GET   /draws/{id}/kit             the verification kit (JSON) for `zhifa verify-draw`
    GET   /tasks                      tasks in scope (an officer: their own)   POST /tasks/{id}/result {result, note}
    POST  /tasks/{id}/recusals        回避申报 {officer, reason}  POST /recusals/{id}/decide {approve, note}
    POST  /draws/{id}/results/publish 公示已录入的检查结果
Public (/public/inspections, no account): published draws and their kits.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from django.http import Http404, HttpResponse
from ninja import Router, Schema
from ninja.responses import Status

from zhifa.common.api.base import F, InSchema, actor, get_visible, responses, visible
from zhifa.common.roles import Role
from zhifa.inspections import actions as A
from zhifa.inspections.kit import kit_bytes
from zhifa.inspections.models import Batch, Draw, Plan, Recusal, Task
from zhifa.orgs.models import Officer

router = Router(tags=["双随机、一公开"])
public = Router(tags=["公示平台（公开）"])


class BatchOut(Schema):
    id: int
    name: str
    strata: list
    starts_on: dt.date
    ends_on: dt.date
    window_days: int
    inspectors_per_object: int


class PlanOut(Schema):
    id: int
    entity_id: int
    year: int
    title: str
    state: str
    filed_on: Optional[dt.date]
    acknowledged_on: Optional[dt.date]
    batches: list[BatchOut]

    @staticmethod
    def resolve_batches(obj):
        return list(obj.batches.all())


class PlanPatch(InSchema):
    title: str = F(..., "计划名称")


class AckIn(InSchema):
    note: str = F("", "备案意见")


class CommitIn(InSchema):
    source: str = F(..., "随机源", "drand 或 lottery")
    beacon_round: Optional[int] = F(None, "drand quicknet 轮次（将来的）", ge=1, le=2**62)
    lottery_name: str = F("", "彩票名称")
    lottery_issue: str = F("", "开奖期号")
    lottery_draw_on: Optional[dt.date] = F(None, "开奖日期")


class PublicDrawOut(Schema):
    id: int
    entity: str
    plan: str
    batch: str
    source: str
    algorithm: str
    commitment_sha256: str
    committed_at: dt.datetime
    drawn_at: Optional[dt.datetime]
    seed: str
    result_sha256: str
    selected_count: int

    @staticmethod
    def resolve_entity(obj):
        return obj.entity.name

    @staticmethod
    def resolve_plan(obj):
        return obj.batch.plan.title

    @staticmethod
    def resolve_batch(obj):
        return obj.batch.name

    @staticmethod
    def resolve_source(obj):
        return obj.source_label


class DrawOut(PublicDrawOut):
    state: str
    batch_id: int
    beacon_round: Optional[int]
    commit_seq: Optional[int]
    published: bool


class RevealIn(InSchema):
    signature: str = F(..., "drand 签名（十六进制）")


class LotteryIn(InSchema):
    value: str = F(..., "开奖号码")


class TaskOut(Schema):
    id: int
    draw_id: int
    object_key: str
    object_name: str
    risk: str
    case_id: Optional[int]
    due_on: dt.date
    result: str
    result_note: str
    done_on: Optional[dt.date]
    inspectors: list[int]

    @staticmethod
    def resolve_inspectors(obj):
        return sorted(o.pk for o in obj.inspectors.all())


class InspectionRecusalIn(InSchema):
    officer: int = F(..., "申请回避的检查人员（编号）", ge=1, le=2**62)
    reason: str = F(..., "回避理由")


class RecusalDecideIn(InSchema):
    approve: bool = F(..., "准予回避")
    note: str = F("", "决定意见")


class InspectionRecusalOut(Schema):
    id: int
    task_id: int
    officer_id: int
    reason: str
    state: str
    declared_on: dt.date
    decided_on: Optional[dt.date]
    index: Optional[int]
    replacement_id: Optional[int]


class ResultsPublishedOut(Schema):
    published: int


class ResultIn(InSchema):
    result: str = F(..., "检查结果", "no_problem、not_publicised、unreachable、corrected、obstructed、deregistered、problem_case")
    note: str = F(..., "检查情况")


@router.get("/plans", response=responses(list[PlanOut]), operation_id="zhifa_inspections_plan_list", summary="抽查工作计划")
def plan_list(request):
    return list(visible(Plan, request).prefetch_related("batches")[:500])


@router.get("/plans/{plan_id}", response=responses(PlanOut), operation_id="zhifa_inspections_plan_detail",
            summary="抽查工作计划详情")
def plan_detail(request, plan_id: int):
    return get_visible(Plan, request, plan_id)


@router.patch("/plans/{plan_id}", response=responses(PlanOut), operation_id="zhifa_inspections_plan_update",
              summary="修改抽查工作计划")
def plan_update(request, plan_id: int, body: PlanPatch):
    return A.do_update_plan(get_visible(Plan, request, plan_id), acting_user=actor(request), title=body.title)


@router.post("/plans/{plan_id}/file", response=responses(PlanOut), operation_id="zhifa_inspections_plan_file",
             summary="抽查计划报上级备案")
def plan_file(request, plan_id: int):
    return A.do_file_plan(get_visible(Plan, request, plan_id), acting_user=actor(request))


@router.post("/plans/{plan_id}/acknowledge", response=responses(PlanOut),
             operation_id="zhifa_inspections_plan_acknowledge", summary="确认备案")
def plan_acknowledge(request, plan_id: int, body: AckIn):
    return A.do_acknowledge_plan(get_visible(Plan, request, plan_id), acting_user=actor(request), note=body.note)


@router.post("/batches/{batch_id}/draws", response=responses(DrawOut, 201), operation_id="zhifa_inspections_commit",
             summary="承诺抽取（记入执法日志）")
def commit(request, batch_id: int, body: CommitIn):
    draw = A.do_commit_draw(get_visible(Batch, request, batch_id), acting_user=actor(request), source=body.source,
                            beacon_round=body.beacon_round, lottery_name=body.lottery_name,
                            lottery_issue=body.lottery_issue, lottery_draw_on=body.lottery_draw_on)
    return Status(201, draw)


@router.get("/draws/{draw_id}", response=responses(DrawOut), operation_id="zhifa_inspections_draw_detail",
            summary="抽取详情")
def draw_detail(request, draw_id: int):
    return get_visible(Draw, request, draw_id)


@router.post("/draws/{draw_id}/reveal", response=responses(DrawOut), operation_id="zhifa_inspections_reveal",
             summary="揭示 drand 随机值并抽取")
def reveal(request, draw_id: int, body: RevealIn):
    return A.do_reveal_beacon(get_visible(Draw, request, draw_id), signature=body.signature, acting_user=actor(request))


@router.post("/draws/{draw_id}/lottery", response=responses(DrawOut), operation_id="zhifa_inspections_lottery",
             summary="录入开奖号码（两人分别录入）")
def lottery(request, draw_id: int, body: LotteryIn):
    return A.do_enter_lottery(get_visible(Draw, request, draw_id), value=body.value, acting_user=actor(request))


@router.post("/draws/{draw_id}/tasks", response=responses(list[TaskOut], 201), operation_id="zhifa_inspections_tasks",
             summary="生成检查任务")
def make_tasks(request, draw_id: int):
    return Status(201, A.do_create_tasks(get_visible(Draw, request, draw_id), acting_user=actor(request)))


@router.post("/draws/{draw_id}/publish", response=responses(DrawOut), operation_id="zhifa_inspections_publish",
             summary="公示抽取结果")
def publish(request, draw_id: int):
    return A.do_publish_draw(get_visible(Draw, request, draw_id), acting_user=actor(request))


@router.get("/draws/{draw_id}/kit", operation_id="zhifa_inspections_kit", summary="抽取核验包（JSON）")
def kit(request, draw_id: int):
    draw = get_visible(Draw, request, draw_id)
    if draw.state != Draw.State.DRAWN:
        raise Http404("尚未抽取")
    return _kit_response(draw)


@router.get("/tasks", response=responses(list[TaskOut]), operation_id="zhifa_inspections_task_list", summary="检查任务")
def task_list(request):
    qs = visible(Task, request)
    user = actor(request)
    if user.role == Role.OFFICER and hasattr(user, "officer"):
        qs = qs.filter(inspectors=user.officer)
    return list(qs.prefetch_related("inspectors")[:1000])


@router.post("/tasks/{task_id}/result", response=responses(TaskOut), operation_id="zhifa_inspections_task_result",
             summary="记录检查结果")
def task_result(request, task_id: int, body: ResultIn):
    return A.do_record_task_result(get_visible(Task, request, task_id), result=body.result, note=body.note,
                                   acting_user=actor(request))


@router.post("/tasks/{task_id}/recusals", response=responses(InspectionRecusalOut, 201),
             operation_id="zhifa_inspections_recusal_declare", summary="申报回避")
def recusal_declare(request, task_id: int, body: InspectionRecusalIn):
    task = get_visible(Task, request, task_id)
    officer = task.inspectors.filter(pk=body.officer).first() or Officer.objects.filter(pk=body.officer).first()
    if officer is None:
        raise Http404("检查人员不存在")
    return Status(201, A.do_declare_recusal(task, officer=officer, reason=body.reason, acting_user=actor(request)))


@router.post("/recusals/{recusal_id}/decide", response=responses(InspectionRecusalOut),
             operation_id="zhifa_inspections_recusal_decide", summary="回避决定（准予则按公开算法重新抽取）")
def recusal_decide(request, recusal_id: int, body: RecusalDecideIn):
    return A.do_decide_recusal(get_visible(Recusal, request, recusal_id), approve=body.approve, note=body.note,
                               acting_user=actor(request))


@router.post("/draws/{draw_id}/results/publish", response=responses(ResultsPublishedOut),
             operation_id="zhifa_inspections_results_publish", summary="公示已录入的检查结果")
def results_publish(request, draw_id: int):
    return {"published": A.do_publish_results(get_visible(Draw, request, draw_id), acting_user=actor(request))}


def published_draws():
    return Draw.objects.filter(published=True, state=Draw.State.DRAWN).select_related("entity", "batch__plan")


def _kit_response(draw):
    response = HttpResponse(kit_bytes(draw), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}-kit.json"'
    return response


@public.get("", response=responses(list[PublicDrawOut]), auth=None, operation_id="zhifa_inspections_public_list",
            summary="双随机抽取结果（公开）")
def public_list(request):
    return list(published_draws().order_by("-drawn_at")[:500])


@public.get("/{draw_id}/kit", auth=None, operation_id="zhifa_inspections_public_kit", summary="抽取核验包（公开）")
def public_kit(request, draw_id: int):
    draw = published_draws().filter(pk=draw_id).first()
    if draw is None:
        raise Http404("抽取不存在或尚未公示")
    return _kit_response(draw)
