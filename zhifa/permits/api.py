"""行政许可 over REST (zhifa.permits).

    GET  /permits?holder=<统一社会信用代码>&state=      visible permits
    POST /permits                                      {holder_name, holder_credit_code, kind, number, scope,
                                                        decision_number, decided_on, valid_from, valid_until}
    GET  /permits/{id}
    POST /permits/{id}/suspend                         {reason, suspended_until}
    POST /permits/{id}/revoke                          {reason}
    POST /permits/case/{case_id}/name                  {permit}  (the permit a 暂扣/吊销 penalty acts on)

Refusals: {"rule", "message", "field"} with 409 (422 for "validation"), 403 out of scope.
"""
import datetime as dt
from typing import Optional

from ninja import Router, Schema
from ninja.responses import Status

from zhifa.cases.models import Case
from zhifa.common.api.base import F, InSchema, actor, get_visible, responses, visible
from zhifa.permits import actions
from zhifa.permits.models import Permit

router = Router(tags=["行政许可"])


class PermitOut(Schema):
    id: int
    entity_id: int
    holder_name: str
    holder_credit_code: str
    kind: str
    number: str
    scope: str
    decision_number: str
    decided_on: dt.date
    valid_from: dt.date
    valid_until: dt.date
    state: str
    state_label: str
    suspended_until: Optional[dt.date]
    state_reason: str
    state_case_id: Optional[int]
    publication_id: Optional[int]

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()


class PermitGrantIn(InSchema):
    holder_name: str = F(..., "被许可人")
    holder_credit_code: str = F(..., "被许可人统一社会信用代码")
    kind: str = F(..., "许可类别")
    number: str = F(..., "许可证编号")
    scope: str = F("", "许可范围")
    decision_number: str = F("", "许可决定书文号")
    decided_on: dt.date = F(..., "许可决定日期")
    valid_from: Optional[dt.date] = F(None, "有效期自（默认为决定日期）")
    valid_until: dt.date = F(..., "有效期至")


class PermitSuspendIn(InSchema):
    reason: str = F(..., "暂扣理由")
    suspended_until: Optional[dt.date] = F(None, "暂扣至")


class PermitRevokeIn(InSchema):
    reason: str = F(..., "吊销理由")


class PermitNameIn(InSchema):
    permit: int = F(..., "许可证件编号")


@router.get("", response=responses(list[PermitOut]), operation_id="zhifa_permits_list", summary="行政许可")
def permit_list(request, holder: str = "", state: str = ""):
    qs = visible(Permit, request)
    if holder:
        qs = qs.filter(holder_credit_code=holder.strip().upper())
    if state:
        qs = qs.filter(state=state)
    return list(qs[:1000])


@router.post("", response=responses(PermitOut, 201), operation_id="zhifa_permits_grant", summary="登记行政许可决定")
def grant(request, body: PermitGrantIn):
    data = {k: v for k, v in body.dict().items() if v is not None}
    return Status(201, actions.do_grant_permit(data, acting_user=actor(request)))


@router.get("/{permit_id}", response=responses(PermitOut), operation_id="zhifa_permits_detail", summary="行政许可详情")
def permit_detail(request, permit_id: int):
    return get_visible(Permit, request, permit_id)


@router.post("/{permit_id}/suspend", response=responses(PermitOut), operation_id="zhifa_permits_suspend", summary="暂扣许可证件")
def suspend(request, permit_id: int, body: PermitSuspendIn):
    return actions.do_suspend_permit(get_visible(Permit, request, permit_id), acting_user=actor(request),
                                     reason=body.reason, until=body.suspended_until)


@router.post("/{permit_id}/revoke", response=responses(PermitOut), operation_id="zhifa_permits_revoke", summary="吊销许可证件")
def revoke(request, permit_id: int, body: PermitRevokeIn):
    return actions.do_revoke_permit(get_visible(Permit, request, permit_id), acting_user=actor(request),
                                    reason=body.reason)


@router.post("/case/{case_id}/name", response=responses(PermitOut), operation_id="zhifa_permits_name", summary="指定处罚涉及的许可证件")
def name_permit(request, case_id: int, body: PermitNameIn):
    case = get_visible(Case, request, case_id)
    permit = get_visible(Permit, request, body.permit)
    actions.do_name_permit(case, permit, acting_user=actor(request))
    return permit
