"""争议协调: the writers of Coordination and CoordinationParty. Each action runs in one transaction, takes
keyword-only acting_user, refuses with ActionRefused(rule, Chinese message, field) and leaves a change
log row and a ledger entry.

    do_open_coordination     a party's head (or a supervisor) brings a dispute to the justice bureau of the
                             lowest region containing every party
    do_submit_position       a party's head states its entity's position
    do_decide_coordination   the bureau's supervisor decides which party takes the matter on, why, and within
                             how many days
    do_take_on               the decided entity's head records that it has taken the matter on (late if past
                             the period); an untaken decision past its period is an alert (alerts.py)

Named rules:
  coordination.opener          a supervisor, or the head of one of the parties, brings the dispute
  coordination.kind            one of the kinds (跨领域 / 跨区域 / 乡镇综合执法 / 管辖 / 其他)
  coordination.title           the disputed matter is stated
  coordination.parties         at least two different entities, none of them a justice bureau
  coordination.cross_region    a cross-region dispute has parties in different regions
  coordination.township        a township dispute has a township (乡镇/街道) entity among its parties
  coordination.bureau          a justice bureau covers every party (the supervisor's own, when it opens it)
  coordination.case_party      the related case belongs to one of the parties
  coordination.state           positions and the decision while open; taking on once decided
  coordination.party_head      a position is submitted by a head of that party entity
  coordination.position_text   the position is stated
  coordination.coordinator     the decision is made by a supervisor of the coordinating bureau's region
  coordination.positions_heard every party's position is on file before the decision
  coordination.decided_entity  the matter is given to one of the parties
  coordination.decision_text   the decision states its reasons
  coordination.follow_up_days  the period to take the matter on is 1–60 days
  coordination.taker           the decided entity's head takes the matter on
  coordination.taken_note      taking on states what the entity has done (立案、受理、接收材料 …)
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, OutOfScope, log_change, snapshot
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity
from zhifa.ledger import log as ledger
from zhifa.orgs.models import Entity, Region
from zhifa.supervision.choices import COORDINATION_FOLLOW_UP_DAYS
from zhifa.supervision.models import Coordination, CoordinationParty

HEADS = (Role.AGENCY_HEAD, Role.UNIT_HEAD)


def _today(on):
    return on or timezone.localdate()


def _text(value):
    return (value or "").strip()


def common_region(entities) -> Region | None:
    """The lowest region containing every entity."""
    paths = [e.region.path.strip("/").split("/") for e in entities]
    shared = []
    for codes in zip(*paths):
        if len(set(codes)) != 1:
            break
        shared.append(codes[0])
    return Region.objects.filter(code=shared[-1]).first() if shared else None


def bureau_for(entities) -> Entity | None:
    """The justice bureau of the lowest region containing every party (or the nearest one above it)."""
    region = common_region(entities)
    while region is not None:
        bureau = Entity.objects.filter(region=region, is_justice_bureau=True, is_active=True).order_by("pk").first()
        if bureau is not None:
            return bureau
        region = region.parent
    return None


def _step(obj, event, *, acting_user, before=None, reason="", case=None, **data):
    log_change(obj, "update" if before else "create", acting_user=acting_user, before=before,
               after=snapshot(obj), reason=reason)
    ledger.append(event, subject=obj, actor=acting_user, case=case, data={"id": obj.pk, **data})


@transaction.atomic
def do_open_coordination(*, acting_user, kind: str, title: str, parties, description: str = "", case=None,
                         on=None) -> Coordination:
    if kind not in Coordination.Kind.values:
        raise ActionRefused("coordination.kind", "争议类别应为跨领域、跨区域、乡镇综合执法、管辖或其他执法争议", "kind")
    title = _text(title)[:120]
    if not title:
        raise ActionRefused("coordination.title", "请填写争议事项", "title")
    parties = list(dict.fromkeys(parties or []))
    if len(parties) < 2 or any(p.is_justice_bureau for p in parties):
        raise ActionRefused("coordination.parties", "请选择至少两个发生争议的执法主体（不含司法行政机关）", "parties")
    is_supervisor = acting_user.role == Role.SUPERVISOR and acting_user.entity_id is not None
    if not is_supervisor and not (acting_user.role in HEADS and acting_user.entity_id in {p.pk for p in parties}):
        raise ActionRefused("coordination.opener", "争议由争议一方的负责人或司法行政机关执法监督人员提请协调", "parties")
    if kind == Coordination.Kind.CROSS_REGION and len({p.region_id for p in parties}) < 2:
        raise ActionRefused("coordination.cross_region", "跨区域执法争议的各方应位于不同的行政区域", "parties")
    if kind == Coordination.Kind.TOWNSHIP and not any(p.region.level == Region.Level.TOWN for p in parties):
        raise ActionRefused("coordination.township", "乡镇综合执法争议应有乡镇人民政府（街道办事处）一方", "parties")
    if is_supervisor:
        bureau = acting_user.entity
        outside = [p.name for p in parties if not can_on_entity(acting_user, "change", Coordination, p)]
        if not bureau.is_justice_bureau or outside:
            raise ActionRefused("coordination.bureau", f"“{'、'.join(outside) or bureau.name}”不在本机关协调范围内",
                                "parties")
    else:
        bureau = bureau_for(parties)
        if bureau is None:
            raise ActionRefused("coordination.bureau", "争议各方共同所在区域没有司法行政机关，无法提请协调", "parties")
    if case is not None and case.entity_id not in {p.pk for p in parties}:
        raise ActionRefused("coordination.case_party", "相关案件应为争议一方的案件", "case")
    c = Coordination.objects.create(kind=kind, title=title, description=_text(description), case=case, bureau=bureau,
                                    opened_by=acting_user, opened_on=_today(on))
    for p in parties:
        party = CoordinationParty.objects.create(coordination=c, entity=p)
        log_change(party, "create", acting_user=acting_user, after=snapshot(party))
    _step(c, "supervision.coordination_opened", acting_user=acting_user, case=case, reason=title, kind=kind,
          bureau=bureau.pk, parties=sorted(p.pk for p in parties))
    return c


def _lock(c) -> Coordination:
    return Coordination.objects.select_for_update().select_related("bureau").get(pk=c.pk)


@transaction.atomic
def do_submit_position(c: Coordination, *, acting_user, position: str, on=None) -> CoordinationParty:
    c = _lock(c)
    if not Coordination.objects.restrict(acting_user).filter(pk=c.pk).exists():
        raise OutOfScope()
    if c.state != Coordination.State.OPEN:
        raise ActionRefused("coordination.state", "协调已作出决定，不能再提交意见", "position")
    party = c.parties.select_for_update().filter(entity_id=acting_user.entity_id).first()
    if party is None or acting_user.role not in HEADS:
        raise ActionRefused("coordination.party_head", "意见由争议一方的行政机关负责人或承办机构负责人提交", "position")
    position = _text(position)
    if not position:
        raise ActionRefused("coordination.position_text", "请填写本机关的意见及理由", "position")
    before = snapshot(party)
    party.position, party.submitted_by, party.submitted_on = position, acting_user, _today(on)
    party.save()
    _step(party, "supervision.coordination_position", acting_user=acting_user, before=before, case=c.case,
          reason=position, coordination=c.pk, entity=party.entity_id)
    return party


def may_decide(user, c: Coordination) -> bool:
    return user.role == Role.SUPERVISOR and can(user, "change", c)


@transaction.atomic
def do_decide_coordination(c: Coordination, *, acting_user, entity, decision: str,
                           follow_up_days=COORDINATION_FOLLOW_UP_DAYS, on=None) -> Coordination:
    c = _lock(c)
    if not may_decide(acting_user, c):
        raise ActionRefused("coordination.coordinator", "协调决定由协调机关（或其上级）司法行政机关的执法监督人员作出",
                            "decision")
    if c.state != Coordination.State.OPEN:
        raise ActionRefused("coordination.state", "该争议已作出协调决定", "decision")
    missing = [p.entity.name for p in c.parties.select_related("entity") if not p.position]
    if missing:
        raise ActionRefused("coordination.positions_heard", f"尚未收到{'、'.join(missing)}的意见，听取各方意见后再作决定",
                            "decision")
    if entity is None or not c.parties.filter(entity=entity).exists():
        raise ActionRefused("coordination.decided_entity", "请在争议各方中确定承办机关", "entity")
    decision = _text(decision)
    if not decision:
        raise ActionRefused("coordination.decision_text", "请填写协调意见（确定由该机关承办的理由）", "decision")
    try:
        days = int(follow_up_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 60:
        raise ActionRefused("coordination.follow_up_days", "承接期限应为1至60日", "follow_up_days")
    before = snapshot(c)
    today = _today(on)
    c.state, c.decided_entity, c.decision = Coordination.State.DECIDED, entity, decision
    c.decided_by, c.decided_on = acting_user, today
    c.follow_up_days, c.follow_up_due_on = days, today + dt.timedelta(days=days)
    c.save()
    _step(c, "supervision.coordination_decided", acting_user=acting_user, before=before, case=c.case, reason=decision,
          decided_entity=entity.pk, follow_up_due_on=c.follow_up_due_on.isoformat())
    return c


@transaction.atomic
def do_take_on(c: Coordination, *, acting_user, note: str, on=None) -> Coordination:
    c = _lock(c)
    if c.state != Coordination.State.DECIDED:
        raise ActionRefused("coordination.state", "只有已作出协调决定、尚未承接的争议可以登记承接", "note")
    if acting_user.role not in HEADS or acting_user.entity_id != c.decided_entity_id:
        raise ActionRefused("coordination.taker", "由协调确定的承办机关负责人登记承接", "note")
    note = _text(note)
    if not note:
        raise ActionRefused("coordination.taken_note", "请填写承接情况（如已立案、已接收材料）", "note")
    before = snapshot(c)
    today = _today(on)
    c.state, c.taken_on, c.taken_by, c.taken_note = Coordination.State.TAKEN, today, acting_user, note
    c.taken_late = c.follow_up_due_on is not None and today > c.follow_up_due_on
    c.save()
    _step(c, "supervision.coordination_taken", acting_user=acting_user, before=before, case=c.case, reason=note,
          taken_on=today.isoformat(), late=c.taken_late)
    return c
