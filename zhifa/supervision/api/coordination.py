"""争议协调 over REST (zhifa.supervision.actions.coordination).

    GET  /coordinations?state=&kind=     visible coordinations (a party's staff: its entity's; supervisors: their subtree)
    POST /coordinations                  {kind, title, description, parties: [entity ids], case}  bring a dispute
    GET  /coordinations/{id}             one coordination with the parties' positions
    POST /coordinations/{id}/position    {position}  a party's head states its position
    POST /coordinations/{id}/decide      {entity, decision, follow_up_days}  the bureau decides
    POST /coordinations/{id}/take        {note}  the decided entity's head takes the matter on

Refusals: {"rule", "message", "field"} with 409 (422 for "validation"), 403 out of scope.
"""
import datetime as dt
from typing import Optional

from ninja import Router, Schema
from ninja.responses import Status

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import F, InSchema, actor, get_visible, responses, visible
from zhifa.orgs.models import Entity
from zhifa.supervision.actions import coordination as coord_actions
from zhifa.supervision.choices import COORDINATION_FOLLOW_UP_DAYS
from zhifa.supervision.models import Coordination

router = Router(tags=["争议协调"])


class CoordinationPartyOut(Schema):
    entity_id: int
    entity: str
    position: str
    submitted_on: Optional[dt.date]


class CoordinationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    case_id: Optional[int]
    bureau_id: int
    state: str
    state_label: str
    opened_on: dt.date
    parties: list[CoordinationPartyOut]
    decided_entity_id: Optional[int]
    decision: str
    decided_on: Optional[dt.date]
    follow_up_days: Optional[int]
    follow_up_due_on: Optional[dt.date]
    overdue: bool
    taken_on: Optional[dt.date]
    taken_note: str
    taken_late: bool


def _out(c: Coordination) -> dict:
    return {**{k: getattr(c, k) for k in ("id", "kind", "title", "description", "case_id", "bureau_id", "state",
                                          "opened_on", "decided_entity_id", "decision", "decided_on", "follow_up_days",
                                          "follow_up_due_on", "taken_on", "taken_note", "taken_late")},
            "kind_label": c.get_kind_display(), "state_label": c.get_state_display(), "overdue": c.overdue(),
            "parties": [{"entity_id": p.entity_id, "entity": p.entity.name, "position": p.position,
                         "submitted_on": p.submitted_on} for p in c.parties.select_related("entity")]}


class CoordinationOpenIn(InSchema):
    kind: str = F(..., "争议类别", "cross_field（跨领域）、cross_region（跨区域）、township（乡镇综合执法）、jurisdiction（管辖）或 other")
    title: str = F(..., "争议事项")
    description: str = F("", "争议情况")
    parties: list[int] = F(..., "争议各方", "执法主体编号，至少两个")
    case: Optional[int] = F(None, "相关案件编号（id）")


class CoordinationPositionIn(InSchema):
    position: str = F(..., "本机关意见")


class CoordinationDecideIn(InSchema):
    entity: int = F(..., "承办机关", "争议一方的执法主体编号")
    decision: str = F(..., "协调意见")
    follow_up_days: int = F(COORDINATION_FOLLOW_UP_DAYS, "承接期限（日）")


class CoordinationTakeIn(InSchema):
    note: str = F(..., "承接情况")


@router.get("", operation_id="zhifa_apiv1_coordinations", response=responses(list[CoordinationOut]), summary="争议协调")
def coordinations(request, state: str = "", kind: str = ""):
    qs = visible(Coordination, request)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    return [_out(c) for c in qs[:1000]]


@router.post("", operation_id="zhifa_apiv1_coordination_open", response=responses(CoordinationOut, 201),
             summary="提请争议协调")
def open_(request, body: CoordinationOpenIn):
    user = actor(request)
    parties = list(Entity.objects.filter(pk__in=body.parties, is_active=True))
    if len(parties) != len(set(body.parties)):
        raise ActionRefused("validation", "争议各方：有执法主体编号不存在", "parties")
    case = None
    if body.case is not None:
        case = Case.objects.restrict(user).filter(pk=body.case).first()
        if case is None:
            raise ActionRefused("validation", "相关案件：未找到该案件（或不在您的范围内）", "case")
    c = coord_actions.do_open_coordination(acting_user=user, kind=body.kind, title=body.title,
                                           description=body.description, parties=parties, case=case)
    return Status(201, _out(c))


@router.get("/{coordination_id}", operation_id="zhifa_apiv1_coordination", response=responses(CoordinationOut),
            summary="一件争议协调")
def coordination(request, coordination_id: int):
    return _out(get_visible(Coordination, request, coordination_id))


@router.post("/{coordination_id}/position", operation_id="zhifa_apiv1_coordination_position",
             response=responses(CoordinationOut), summary="提交争议方意见")
def position(request, coordination_id: int, body: CoordinationPositionIn):
    c = get_visible(Coordination, request, coordination_id)
    coord_actions.do_submit_position(c, acting_user=actor(request), position=body.position)
    c.refresh_from_db()
    return _out(c)


@router.post("/{coordination_id}/decide", operation_id="zhifa_apiv1_coordination_decide",
             response=responses(CoordinationOut), summary="作出协调决定")
def decide(request, coordination_id: int, body: CoordinationDecideIn):
    c = get_visible(Coordination, request, coordination_id)
    entity = Entity.objects.filter(pk=body.entity).first()
    return _out(coord_actions.do_decide_coordination(c, acting_user=actor(request), entity=entity,
                                                     decision=body.decision, follow_up_days=body.follow_up_days))


@router.post("/{coordination_id}/take", operation_id="zhifa_apiv1_coordination_take",
             response=responses(CoordinationOut), summary="登记承接")
def take(request, coordination_id: int, body: CoordinationTakeIn):
    c = get_visible(Coordination, request, coordination_id)
    return _out(coord_actions.do_take_on(c, acting_user=actor(request), note=body.note))
