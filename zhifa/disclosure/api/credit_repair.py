"""Staff API of 信用修复 (early stop of publication, 市场监督管理行政处罚信息公示规定 Art. 14).

    GET  /credit-repairs?state=            visible requests, newest first
    POST /credit-repairs                   {publication, applicant_kind, applicant, reason, fulfilled, …}
    GET  /credit-repairs/{id}
    POST /credit-repairs/{id}/approve      {note}   the entity head; the entry leaves public view
    POST /credit-repairs/{id}/reject       {note}

Refusals: {"rule", "message", "field"} with 409 (422 for "validation").
"""
import datetime as dt
from typing import Optional

from ninja import Router, Schema
from ninja.responses import Status

from zhifa.common.api.base import F, actor, get_visible, responses, visible
from zhifa.disclosure.actions import credit_repair as repair_actions
from zhifa.disclosure.models import CreditRepair, Publication

router = Router(tags=["信用修复"])


class RepairOut(Schema):
    id: int
    publication: int = F(..., "公示信息编号", alias="publication_id")
    applicant_kind: str = F(..., "申请方式")
    applicant: str = F(..., "申请人")
    reason: str = F(..., "申请理由")
    channel: str = F("staff", "申请渠道", "staff（窗口登记）| portal（当事人网上申请）")
    contact: str = F("", "联系方式", "网上申请时当事人留下的联系方式，仅供执法机关使用")
    fulfilled: bool
    harm_removed: bool
    no_repeat: bool
    not_listed: bool
    state: str = F(..., "状态")
    requested_on: dt.date
    decided_on: Optional[dt.date] = None
    decision_note: str = F("", "审批意见")


class RepairIn(Schema):
    publication: int = F(..., "公示信息编号")
    applicant_kind: str = F("party", "申请方式", "party（当事人申请）| staff（执法机关依职权）")
    applicant: str = F("", "申请人", max_length=200)
    reason: str = F(..., "申请理由", max_length=2000)
    fulfilled: bool = F(False, "已履行行政处罚决定规定的义务")
    harm_removed: bool = F(False, "已主动消除危害后果和不良影响")
    no_repeat: bool = F(False, "未因同一类违法行为再次受到行政处罚")
    not_listed: bool = F(False, "未列入经营异常名录和严重违法失信名单")


class CreditRepairNoteIn(Schema):
    note: str = F("", "审批意见", max_length=500)


@router.get("", operation_id="zhifa_apiv1_credit_repair_repairs", response=responses(list[RepairOut]), summary="信用修复申请列表")
def repairs(request, state: Optional[str] = None):
    qs = visible(CreditRepair, request).order_by("-requested_on", "-id")
    if state:
        qs = qs.filter(state=state)
    return list(qs[:500])


@router.post("", operation_id="zhifa_apiv1_credit_repair_create", response=responses(RepairOut, 201), summary="登记信用修复申请")
def create(request, data: RepairIn):
    pub = get_visible(Publication, request, data.publication)
    fields = data.dict()
    fields.pop("publication")
    return Status(201, repair_actions.do_request_repair(pub, acting_user=actor(request), **fields))


@router.get("/{pk}", operation_id="zhifa_apiv1_credit_repair_repair", response=responses(RepairOut), summary="信用修复申请详情")
def repair(request, pk: int):
    return get_visible(CreditRepair, request, pk)


@router.post("/{pk}/approve", operation_id="zhifa_apiv1_credit_repair_approve", response=responses(RepairOut), summary="批准信用修复（停止公示）")
def approve(request, pk: int, data: CreditRepairNoteIn):
    return repair_actions.do_approve_repair(get_visible(CreditRepair, request, pk), acting_user=actor(request), note=data.note)


@router.post("/{pk}/reject", operation_id="zhifa_apiv1_credit_repair_reject", response=responses(RepairOut), summary="不予批准信用修复")
def reject(request, pk: int, data: CreditRepairNoteIn):
    return repair_actions.do_reject_repair(get_visible(CreditRepair, request, pk), acting_user=actor(request), note=data.note)
