"""Actions on transfers between agencies (案件移送、管辖争议协调) and discipline referrals (纪检监察).
The crime transfers (两法衔接) are in crime.py. Each action: one transaction, keyword-only
acting_user, scope check, named rules, a ChangeLog row and a ledger entry per step.

Named rules:
  transfer.pending               only a transfer waiting for receipt can be accepted or refused
  transfer.receiver_only         only the receiving entity's head accepts or refuses
  transfer.refusal_reason        a refusal states why the receiver lacks jurisdiction
  transfer.refusal_after_coordination  after the justice bureau's decision the receiver may not refuse again
  transfer.dispute_party         only the head of the sending or receiving entity raises a dispute
  transfer.dispute_state         a dispute is raised on a transfer waiting for or just given receipt
  transfer.dispute_reason        a dispute states its grounds
  transfer.needs_coordination    only a refused or disputed transfer is coordinated
  transfer.coordinator_region    the coordinating supervisor's region covers both entities
  transfer.decided_entity        jurisdiction is given to one of the two entities
  transfer.decision_reason       the coordination decision states its reasons
  discipline.facts               a referral states the facts
  discipline.organ               a referral names the discipline inspection organ
  discipline.case_officer        the related case belongs to the officer's entity
  discipline.outcome_text        the outcome is described
  discipline.concluded           an outcome is recorded once
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, OutOfScope, check_scope, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity
from zhifa.ledger import log as ledger
from zhifa.orgs.models import Region
from zhifa.transfers.models import CaseTransfer, DisciplineReferral

TransferState = CaseTransfer.State


def _today(on):
    return on or timezone.localdate()


def _text(value):
    return (value or "").strip()


def step(obj, event, *, acting_user, before=None, case=None, reason="", **data):
    """One transfer step: the ChangeLog row (itself a ledger "change" entry) and a typed ledger
    event naming the step, both in the caller's transaction."""
    log_change(obj, ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE, acting_user=acting_user,
               before=before, after=snapshot(obj), reason=reason)
    ledger.append(event, subject=obj, actor=acting_user, case=case, data={"id": obj.pk, **data})


def common_region(a, b) -> Region | None:
    """The lowest region containing both entities (their justice bureau coordinates)."""
    pa, pb = a.region.path.strip("/").split("/"), b.region.path.strip("/").split("/")
    shared = [x for x, y in zip(pa, pb) if x == y]
    return Region.objects.filter(code=shared[-1]).first() if shared else None


def record_sent(case, *, kind_label: str, to_name: str, reason: str, on, acting_user) -> CaseTransfer:
    """The CaseTransfer of an agency transfer (called on the case's 移送 transition, subscribers.py).
    The receiver is found by its full name (主体全称); another name is an agency outside the
    platform: the transfer is recorded without an online receipt."""
    from zhifa.orgs.models import Entity

    to_entity = Entity.objects.filter(name=to_name.strip(), is_active=True).exclude(pk=case.entity_id).first()
    t = CaseTransfer.objects.create(case=case, from_entity=case.entity, to_entity=to_entity, to_name=to_name.strip(),
                                    reason=reason, sent_on=on, sent_by=acting_user,
                                    state=TransferState.PENDING if to_entity else TransferState.EXTERNAL)
    step(t, "transfer.sent", acting_user=acting_user, case=case, reason=f"{kind_label}：{to_name}",
         to_entity=to_entity.pk if to_entity else None, to_name=t.to_name, sent_on=on)
    return t


def _lock(t):
    return CaseTransfer.objects.select_for_update().get(pk=t.pk)


def _receiver(t, user):
    check_scope(user, t, "view")
    if user.role != Role.AGENCY_HEAD or t.to_entity_id is None or user.entity_id != t.to_entity_id:
        raise ActionRefused("transfer.receiver_only", "只有接收机关的行政机关负责人可以接收或拒收移送的案件",
                            "to_entity")


@transaction.atomic
def do_accept_transfer(t: CaseTransfer, *, acting_user, note: str = "", open_case: bool = False, officers=(),
                       on=None) -> CaseTransfer:
    """接收: the receipt; optionally registers the case at the receiver (案源登记, source 其他机关移交)."""
    t = _lock(t)
    _receiver(t, acting_user)
    if t.state != TransferState.PENDING:
        raise ActionRefused("transfer.pending", f"该移送当前状态为“{t.get_state_display()}”，不能接收", "state")
    before = snapshot(t)
    on = _today(on)
    t.state, t.received_on, t.received_by, t.receipt_note = TransferState.ACCEPTED, on, acting_user, _text(note)
    if open_case:
        t.new_case = _register_at_receiver(t, acting_user, officers, on)
    t.save()
    step(t, "transfer.accepted", acting_user=acting_user, before=before, case=t.case, reason=t.receipt_note,
         received_on=on, new_case=t.new_case_id)
    return t


def _register_at_receiver(t, user, officers, on):
    from zhifa.cases.actions import do_register_case

    src = t.case
    parties = [{f: getattr(p, f) for f in ("kind", "name", "id_number", "credit_code", "legal_representative",
                                            "address", "phone", "is_minor")} for p in src.parties.all()]
    data = {"entity": t.to_entity, "title": src.title, "source": "transfer", "source_case": src,
            "source_detail": f"{t.from_entity.name}移送：{t.reason}"[:500], "facts": src.facts,
            "violation_on": src.violation_on, "discovered_on": src.discovered_on}
    return do_register_case(data, acting_user=user, parties=parties, officers=list(officers), on=on,
                            reason=f"接收{t.from_entity.name}移送的案件")


@transaction.atomic
def do_refuse_transfer(t: CaseTransfer, *, acting_user, reason: str, on=None) -> CaseTransfer:
    """拒收: goes to the justice bureau of the common region for coordination."""
    t = _lock(t)
    _receiver(t, acting_user)
    if t.state != TransferState.PENDING:
        raise ActionRefused("transfer.pending", f"该移送当前状态为“{t.get_state_display()}”，不能拒收", "state")
    if t.decided_entity_id:
        raise ActionRefused("transfer.refusal_after_coordination",
                            "司法行政机关已协调确定由本机关管辖，不能再拒收", "reason")
    if not _text(reason):
        raise ActionRefused("transfer.refusal_reason", "请填写拒收理由（为何不属于本机关管辖）", "reason")
    before = snapshot(t)
    t.state, t.refused_on, t.refusal_reason = TransferState.REFUSED, _today(on), _text(reason)
    t.coordination_region = common_region(t.from_entity, t.to_entity)
    t.save()
    step(t, "transfer.refused", acting_user=acting_user, before=before, case=t.case, reason=t.refusal_reason,
         coordination_region=t.coordination_region_id)
    return t


@transaction.atomic
def do_raise_dispute(t: CaseTransfer, *, acting_user, reason: str, on=None) -> CaseTransfer:
    """管辖争议: either end's head asks the justice bureau to decide who has jurisdiction."""
    t = _lock(t)
    check_scope(acting_user, t, "view")
    if acting_user.role != Role.AGENCY_HEAD or acting_user.entity_id not in (t.from_entity_id, t.to_entity_id):
        raise ActionRefused("transfer.dispute_party", "只有移送机关或接收机关的行政机关负责人可以提出管辖争议", "reason")
    if t.state not in (TransferState.PENDING, TransferState.ACCEPTED) or t.to_entity_id is None:
        raise ActionRefused("transfer.dispute_state", f"该移送当前状态为“{t.get_state_display()}”，不能提出管辖争议",
                            "state")
    if not _text(reason):
        raise ActionRefused("transfer.dispute_reason", "请填写管辖争议的理由", "reason")
    before = snapshot(t)
    t.state, t.dispute_reason, t.dispute_raised_by = TransferState.DISPUTED, _text(reason), acting_user
    t.coordination_region = common_region(t.from_entity, t.to_entity)
    t.save()
    step(t, "transfer.disputed", acting_user=acting_user, before=before, case=t.case, reason=t.dispute_reason,
         coordination_region=t.coordination_region_id)
    return t


def may_coordinate(user, t) -> bool:
    return (t.to_entity_id is not None and can_on_entity(user, "coordinate", CaseTransfer, t.from_entity)
            and can_on_entity(user, "coordinate", CaseTransfer, t.to_entity))


@transaction.atomic
def do_coordinate(t: CaseTransfer, *, acting_user, entity, reason: str, on=None) -> CaseTransfer:
    """协调决定: which entity has jurisdiction, and why. Given to the receiver, the transfer waits
    for its receipt again (no second refusal); given to the sender, it is returned."""
    t = _lock(t)
    check_scope(acting_user, t, "view")
    if not t.needs_coordination:
        raise ActionRefused("transfer.needs_coordination", "只有被拒收或存在管辖争议的移送需要协调", "state")
    if not may_coordinate(acting_user, t):
        raise ActionRefused("transfer.coordinator_region",
                            "应由移送机关和接收机关共同所在区域的司法行政机关执法监督人员协调", "entity")
    if entity is None or entity.pk not in (t.from_entity_id, t.to_entity_id):
        raise ActionRefused("transfer.decided_entity", "请在移送机关和接收机关中确定管辖机关", "entity")
    if not _text(reason):
        raise ActionRefused("transfer.decision_reason", "请填写协调意见（确定管辖的理由）", "reason")
    before = snapshot(t)
    t.decided_entity, t.decision_reason = entity, _text(reason)
    t.decided_by, t.decided_on = acting_user, _today(on)
    if entity.pk == t.to_entity_id:
        # Accepted before a dispute: stays accepted; otherwise the receiver must now give receipt.
        t.state = TransferState.ACCEPTED if t.received_on else TransferState.PENDING
    else:
        t.state = TransferState.RETURNED
    t.save()
    step(t, "transfer.coordinated", acting_user=acting_user, before=before, case=t.case, reason=t.decision_reason,
         decided_entity=entity.pk)
    return t


# ---- discipline inspection -----------------------------------------------------------------------

@transaction.atomic
def do_refer_discipline(*, acting_user, officer, facts: str, organ: str, case=None, on=None) -> DisciplineReferral:
    if acting_user.role != Role.SUPERVISOR and not acting_user.is_superuser:
        raise OutOfScope("只有执法监督人员可以移送违纪线索")
    if not can_on_entity(acting_user, "change", DisciplineReferral, officer.entity):
        raise OutOfScope()
    if not _text(facts):
        raise ActionRefused("discipline.facts", "请填写问题事实", "facts")
    if not _text(organ):
        raise ActionRefused("discipline.organ", "请填写接收的纪检监察机关", "organ")
    if case is not None and case.entity_id != officer.entity_id:
        raise ActionRefused("discipline.case_officer", "相关案件不属于该执法人员所在的执法主体", "case")
    r = DisciplineReferral.objects.create(officer=officer, entity=officer.entity, case=case, organ=_text(organ),
                                          facts=_text(facts), referred_on=_today(on), referred_by=acting_user)
    step(r, "discipline.referred", acting_user=acting_user, case=case, officer=officer.pk, organ=r.organ)
    return r


@transaction.atomic
def do_record_discipline_outcome(r: DisciplineReferral, *, acting_user, outcome: str, on=None) -> DisciplineReferral:
    r = DisciplineReferral.objects.select_for_update().get(pk=r.pk)
    if not can(acting_user, "change", r):
        raise OutOfScope()
    if r.state == DisciplineReferral.State.CONCLUDED:
        raise ActionRefused("discipline.concluded", "该线索已记录处理结果", "outcome")
    if not _text(outcome):
        raise ActionRefused("discipline.outcome_text", "请填写纪检监察机关反馈的处理结果", "outcome")
    before = snapshot(r)
    r.state, r.outcome, r.outcome_on = DisciplineReferral.State.CONCLUDED, _text(outcome), _today(on)
    r.save()
    step(r, "discipline.concluded", acting_user=acting_user, before=before, case=r.case, outcome=r.outcome)
    return r
