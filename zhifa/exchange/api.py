"""Data exchange over REST (`/api/v1/exchange`): the batches with their reconciliation (sent / accepted /
rejected / awaiting / refused per table) and their rows with each row's fate, as the /exchange/ page
shows them.

    GET /batches                       the batches, newest first (paginated)
    GET /batches/{batch_id}            one batch: its window, counts, reconciliation and files
    GET /batches/{batch_id}/rows       its rows (?table=&state=), refused ones with their reasons (paginated)
    GET /rows                          rows across batches (?table=&state=&batch=&waiting=1: not yet in a batch)

Like the page, for the 系统管理员 and the 执法监督人员 only (others: 403). A row belongs to the entity whose
case or publication it carries and is read through `Entity.objects.restrict(user, "view")`: a supervisor
sees the rows of the entities of their region's subtree. The records themselves (with a party's
行政相对人编码) stay in the batch files.
"""

import datetime as dt
from typing import Any, Optional

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from zhifa.common.actions import OutOfScope
from zhifa.common.api.base import (
    MAX_ID,
    F,
    Flag,
    InSchema,
    Pagination,
    RefOut,
    actor,
    choices,
    choices_text,
    get_visible,
    responses,
    visible,
)
from zhifa.exchange.actions.batches import files, may_run, reconciliation
from zhifa.exchange.choices import Feed, Operation, RowState, Table
from zhifa.exchange.models import Batch, Row
from zhifa.orgs.models import Entity

router = Router(tags=["数据交换"])


class ExchangeReconciliationOut(Schema):
    table: str = F(..., "交换表", choices_text(Table))
    label: str = F(..., "交换表名称")
    sent: int = F(..., "已发送")
    accepted: int = F(..., "已接收")
    rejected: int = F(..., "被退回")
    awaiting: int = F(..., "待回执")
    refused: int = F(..., "校验未通过", "未发送")


class ExchangeBatchOut(Schema):
    id: int = F(..., "编号")
    number: str = F(..., "批次号", "cd_batch")
    feed: str = F(..., "交换对象", choices_text(Feed))
    day: dt.date = F(..., "数据日期")
    source: str = F(..., "数据来源", "行政区划代码（cd_source）")
    changelog_from: int = F(..., "变更日志起（不含）")
    changelog_to: int = F(..., "变更日志止（含）")
    manifest_sha256: str = F(..., "清单SHA-256")
    created_at: dt.datetime = F(..., "生成时间")
    reconciled_at: Optional[dt.datetime] = F(None, "回执导入时间")
    reconciliation: list[ExchangeReconciliationOut] = F(..., "对账（按交换表）")

    @staticmethod
    def resolve_reconciliation(obj):
        return [{**t, "label": str(t["label"])} for t in reconciliation(obj)]


class ExchangeBatchDetailOut(ExchangeBatchOut):
    acceptance_sha256: str = F(..., "回执文件SHA-256")
    counts: dict[str, Any] = F(..., "各表条数")
    files: list[str] = F(..., "批次文件")

    @staticmethod
    def resolve_files(obj):
        return sorted(files(obj))


class ExchangeRowOut(Schema):
    id: int = F(..., "编号")
    batch_id: Optional[int] = F(None, "批次编号", "尚未编入批次时为空")
    table: str = F(..., "交换表", choices_text(Table))
    key: str = F(..., "数据对象", "case:案件编号 或 publication:公示编号")
    entity: RefOut = F(..., "执法主体")
    operation: str = F(..., "操作", choices_text(Operation))
    cd_id: str = F(..., "记录标识")
    digest: str = F(..., "内容摘要")
    state: str = F(..., "状态", choices_text(RowState))
    state_label: str = F(..., "状态说明")
    reason: str = F(..., "原因", "校验未通过或被退回的原因")
    queued_at: dt.datetime = F(..., "登记时间")

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()


class ExchangeRowFilter(InSchema):
    table: Optional[choices(Table)] = F(None, "交换表", choices_text(Table))
    state: Optional[choices(RowState)] = F(None, "状态", choices_text(RowState))


class ExchangeRowsFilter(ExchangeRowFilter):
    batch: Optional[int] = F(None, "批次", "按批次编号筛选", ge=1, le=MAX_ID)
    waiting: Flag = F(None, "尚未编入批次", "1：只看尚未编入批次的记录")


def _allowed(request):
    if not may_run(actor(request)):
        raise OutOfScope("数据交换仅供系统管理员和执法监督人员查看")


def _rows(request, filters: ExchangeRowFilter):
    qs = Row.objects.filter(entity__in=visible(Entity, request)).select_related("entity").order_by("id")
    if filters.table:
        qs = qs.filter(table=filters.table)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs


@router.get("/batches", response=responses(list[ExchangeBatchOut]),
            operation_id="zhifa_apiv1_exchange_batches", summary="交换批次及对账")
@paginate(Pagination)
def batches(request):
    _allowed(request)
    return Batch.objects.order_by("-id")


@router.get("/batches/{batch_id}", response=responses(ExchangeBatchDetailOut),
            operation_id="zhifa_apiv1_exchange_batch", summary="交换批次详情")
def batch(request, batch_id: int):
    _allowed(request)
    return get_visible(Batch.objects.all(), request, batch_id)


@router.get("/batches/{batch_id}/rows", response=responses(list[ExchangeRowOut]),
            operation_id="zhifa_apiv1_exchange_batch_rows", summary="交换批次的记录及状态")
@paginate(Pagination)
def batch_rows(request, batch_id: int, filters: Query[ExchangeRowFilter]):
    _allowed(request)
    b = get_visible(Batch.objects.all(), request, batch_id)
    return _rows(request, filters).filter(batch=b)


@router.get("/rows", response=responses(list[ExchangeRowOut]),
            operation_id="zhifa_apiv1_exchange_rows", summary="交换记录及状态（含尚未编入批次的）")
@paginate(Pagination)
def rows(request, filters: Query[ExchangeRowsFilter]):
    _allowed(request)
    qs = _rows(request, filters)
    if filters.batch:
        qs = qs.filter(batch_id=filters.batch)
    if filters.waiting:
        qs = qs.filter(batch__isnull=True)
    return qs
