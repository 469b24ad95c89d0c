"""The one way a case changes: apply_transition (and create_case for the kinds' first step).

Locks the row, checks the optimistic version, scope, role and every guard rule declared in
machine.py, applies the transition's effect, appends a CaseEvent and a ChangeLog row and bumps
the version — all in one transaction, so a refusal leaves nothing behind.
"""
from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable

from django.db import models, transaction
from django.utils import timezone

from zhifa.cases import deadlines, events, machine
from zhifa.cases.models import Case, CaseEvent, CaseOfficer, Party
from zhifa.cases.rules import RULES, Ctx, limitation_warning
from zhifa.common.actions import ActionRefused, check_scope, check_scope_new, jsonable, log_change, snapshot, validate
from zhifa.common.models import ChangeLog
from zhifa.ledger import log as ledger

EFFECTS: dict[tuple[str, str], Callable] = {}

CREATE_FIELDS = {
    "entity", "unit", "title", "field", "source", "source_detail", "source_case", "violation_on",
    "violation_continuing", "harms_life_health_finance", "discovered_on", "legal_basis", "facts",
    "major_public_interest", "complex", "major_violation", "law_requires_review", "penalty_kinds",
    "fine_amount", "confiscation_amount",
}


def effect(kind, *names):
    def register(fn):
        for name in names:
            EFFECTS[(kind, name)] = fn
        return fn
    return register


def _jsonish(value):
    if isinstance(value, dict):
        return {k: _jsonish(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonish(v) for v in value]
    if hasattr(value, "_meta"):
        return {"id": value.pk, "repr": str(value)}
    return jsonable(value)


def _check_actor(case, t, user):
    check_scope(user, case, "view")
    if user.role not in t.roles:
        from zhifa.common.roles import Role

        who = "、".join(str(Role(r).label) for r in t.roles)
        raise ActionRefused("case.role", f"“{t.label}”须由{who}办理")


def _transition(case, name):
    t = machine.transitions(case.kind).get(name)
    if t is None:
        raise ActionRefused("case.invalid_transition", f"{case.get_kind_display()}没有“{name}”这一环节")
    return t


def _run(case, name, user, expected_version, reason, on, payload):
    if case.version != expected_version:
        raise ActionRefused("case.stale", "案件已被他人修改，请刷新后重试")
    t = _transition(case, name)
    _check_actor(case, t, user)
    if case.state not in t.sources:
        raise ActionRefused("case.invalid_transition",
                            f"案件当前状态为“{machine.state_label(case.kind, case.state)}”，不能“{t.label}”")
    ctx = Ctx(case=case, user=user, on=on or timezone.localdate(), transition=t,
              payload={**payload, "reason": reason})
    with officer_ids_cached(case):
        for guard in t.all_guards:
            RULES[guard](ctx)
    before = snapshot(case) if case.version else None
    from_state = case.state
    deadline_writes = deadlines.writes()
    extra = EFFECTS.get((case.kind, name), lambda _ctx: None)(ctx) or {}
    case.state = machine.target_of(t, from_state)
    case.version += 1
    case.last_action_on = max(ctx.on, case.last_action_on or ctx.on)
    if not case.version > 1 or deadlines.writes() != deadline_writes:  # the cache of the running periods
        case.next_due_on = deadlines.next_due_of(case) if case.pk else None
    # The foreign keys the effect left unchanged were checked when they were set: no SELECT 1 for each.
    validate(case, exclude=[f.name for f in FK_FIELDS if before and before.get(f.name) == getattr(case, f.attname)])
    case.save()
    event_payload = {k: v for k, v in ctx.payload.items() if k != "reason" and v not in (None, "", [])}
    if ctx.warnings:
        event_payload["warnings"] = ctx.warnings
    event = CaseEvent.objects.create(case=case, transition=name, label=t.label, from_state=from_state,
                                     to_state=case.state, actor=user, on=ctx.on, reason=reason,
                                     payload=_jsonish({**event_payload, **extra}))
    ledger.append("case.transition", subject=event, actor=user, case=case,
                  data={"transition": name, "from": from_state, "to": case.state, "version": case.version})
    log_change(case, ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE, acting_user=user,
               before=before, after=snapshot(case), reason=f"{t.label}{'：' + reason if reason else ''}")
    written = deadlines.writes()
    events.publish(event, ctx)  # the apps built on cases react here (cases/events.py), after the entry above
    if deadlines.writes() != written:  # a subscriber opened or closed a period (review)
        nearest = deadlines.next_due_of(case)
        if nearest != case.next_due_on:
            Case.objects.filter(pk=case.pk).update(next_due_on=nearest)
            case.next_due_on = nearest
    return case


FK_FIELDS = [f for f in Case._meta.concrete_fields if f.is_relation]


def _as_stored(f, value):
    """The value as the database gives it back (a Decimal with the field's places: 3000 → 3000.00)."""
    if value is None:
        return value
    if isinstance(f, models.DecimalField):
        return decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-f.decimal_places))
    if isinstance(f, (models.DateField, models.TimeField)) and isinstance(value, str):
        return f.to_python(value)
    return value


def _copy_row(src: Case, dst: Case) -> None:
    """dst takes src's field values (what refresh_from_db would read back, without the query)."""
    for f in Case._meta.concrete_fields:
        old = getattr(dst, f.attname)
        setattr(src, f.attname, _as_stored(f, getattr(src, f.attname)))
        setattr(dst, f.attname, getattr(src, f.attname))
        if f.is_relation and old != getattr(src, f.attname):
            dst._state.fields_cache.pop(f.name, None)
    dst.__dict__.pop("_prefetched_objects_cache", None)
    dst._state.adding, dst._state.db = False, src._state.db


class officer_ids_cached:
    """While the guards run, rules.handler_ids / recused_ids are read once per case (nothing
    writes them until the effect runs)."""

    def __init__(self, case):
        self.case = case

    def __enter__(self):
        self.case.__dict__["_officer_ids_cache"] = {}

    def __exit__(self, *exc):
        self.case.__dict__.pop("_officer_ids_cache", None)
        return False


def apply_transition(case: Case, name: str, *, acting_user, expected_version: int, reason: str = "",
                     on: dt.date | None = None, **payload) -> Case:
    """Run transition `name` on `case`; raises ActionRefused naming the blocking rule."""
    with transaction.atomic(), ledger.batched():  # one ledger append for the transition and its subscribers
        # The entity (read by most rules) comes with the row; only the case row is locked.
        locked = (Case.objects.select_for_update(of=("self",)).select_related("entity")
                  .prefetch_related("power_items").get(pk=case.pk))
        _run(locked, name, acting_user, expected_version, reason, on, payload)
    if locked is not case:
        _copy_row(locked, case)
    return locked


def create_case(kind: str, name: str, data: dict, *, acting_user, parties=(), officers=(), power_items=(),
                reason: str = "", on: dt.date | None = None, **payload) -> Case:
    """First transition of a kind (sources ("",)): the case, its parties and officers, then guards."""
    on = on or timezone.localdate()
    bad = set(data) - CREATE_FIELDS
    if bad:
        raise ActionRefused("validation", f"不允许填写字段“{sorted(bad)[0]}”", field=sorted(bad)[0])
    with transaction.atomic(), ledger.batched():
        entity = data.get("entity") or acting_user.entity
        check_scope_new(acting_user, Case, entity, data.get("unit"), "view")
        t = machine.transitions(kind)[name]
        _check_actor_role(t, acting_user)
        case = Case(kind=kind, state="", version=0, created_by=acting_user, registered_on=on,
                    **{"field": (entity.field_list or [""])[0], **data, "entity": entity})
        validate(case)
        case.limitation_warning = limitation_warning(case) if kind == "penalty_general" else ""
        case.save()
        if power_items:
            case.power_items.set(power_items)
        for p in parties:
            party = Party(case=case, **p)
            validate(party)
            party.save()
        officers = [(o, r) for o, r in officers]
        for officer, role in officers:
            CaseOfficer.objects.create(case=case, officer=officer, role=role, assigned_on=on)
        _run(case, name, acting_user, 0, reason, on, {**payload, "officers": officers})
    return case


def _check_actor_role(t, user):
    if user.role not in t.roles:
        from zhifa.common.roles import Role

        who = "、".join(str(Role(r).label) for r in t.roles)
        raise ActionRefused("case.role", f"“{t.label}”须由{who}办理")


def allowed_transitions(case: Case, user, on: dt.date | None = None) -> list[machine.Offer]:
    """Transitions from the case's state the user holds the role for, each allowed or with the
    rule that blocks it now (rules needing input not yet given are assumed to pass)."""
    from zhifa.common.scope import can

    if not can(user, "view", case):
        return []
    on = on or timezone.localdate()
    offers = []
    for t in machine.transitions(case.kind).values():
        if case.state not in t.sources or user.role not in t.roles:
            continue
        ctx = Ctx(case=case, user=user, on=on, transition=t, payload={}, preview=True)
        try:
            with officer_ids_cached(case):
                for guard in t.all_guards:
                    RULES[guard](ctx)
        except ActionRefused as e:
            offers.append(machine.Offer(t.name, t.label, False, e.rule, e.message))
        else:
            offers.append(machine.Offer(t.name, t.label, True))
    return offers
