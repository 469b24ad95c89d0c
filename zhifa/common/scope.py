"""The one scope layer: every view, API endpoint, export and command reads through here.

Modelled on NetBox's RestrictedQuerySet: `Model.objects.restrict(user, action)` returns only
the rows `user` may perform `action` on. A model declares where its owning entity (and unit)
live with `scope_entity_path` / `scope_unit_path`; who may do what is one table, RULES below,
with per-model overrides in `scope_rules`.

Scope kinds:
  ALL       every row (administrator)
  SUBTREE   rows of entities in the user's region subtree (justice-bureau supervisor)
  REGION    rows of entities in exactly the user's region (same-level supervisor: confirmations)
  ENTITY    rows of the entity the user acts for
  UNIT      rows of the user's internal unit

Audit logs (三员分立, issue 16 item 4): a model with `audit_log = True` (the change log, the access
log, the ledger) is append-only — no action but "view" and "audit" is granted to anyone, superusers
included — and the system and security administrators get nothing on it, whatever the table says.
"audit" (reading the logs as logs: the audit-log page, its export) belongs to the audit administrator.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from zhifa.common.roles import Role, is_superuser_allowed, may_read_audit_logs

ALL, SUBTREE, REGION, ENTITY, UNIT = "all", "subtree", "region", "entity", "unit"

RULES: dict[str, dict[str, str]] = {
    "view": {
        Role.ADMIN: ALL,
        Role.SUPERVISOR: SUBTREE,
        Role.AGENCY_HEAD: ENTITY,
        Role.UNIT_HEAD: ENTITY,
        Role.LEGAL_REVIEWER: ENTITY,
        Role.OFFICER: ENTITY,
    },
    "change": {Role.ADMIN: ALL, Role.AGENCY_HEAD: ENTITY, Role.UNIT_HEAD: UNIT},
    "confirm": {Role.SUPERVISOR: REGION},
    "audit": {Role.AUDIT_ADMIN: ALL},
}


# Statutory acts that belong to a role, not to whoever administers the system.
NO_SUPERUSER_BYPASS = {"confirm"}
AUDIT_ACTIONS = {"view", "audit"}


def rule_for(model, user, action: str) -> str | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    if user.is_superuser and not is_superuser_allowed(user):
        return None  # production has no superuser: one that exists gets nothing (zhifa.accounts.checks)
    if getattr(model, "audit_log", False) and (action not in AUDIT_ACTIONS or not may_read_audit_logs(user)):
        return None
    rules = {**RULES.get(action, {}), **getattr(model, "scope_rules", {}).get(action, {})}
    if user.is_superuser and action not in NO_SUPERUSER_BYPASS:
        return ALL
    return rules.get(user.role)


def _path(prefix: str, field: str) -> str:
    return f"{prefix}__{field}" if prefix else field


def scope_q(model, user, action: str) -> Q | None:
    """Q object selecting what `user` may `action` on `model`; None means nothing."""
    kind = rule_for(model, user, action)
    if kind is None:
        return None
    if kind == ALL:
        return Q()
    entity_path = getattr(model, "scope_entity_path", None)
    if entity_path is None:  # reference data (regions): visible to all who may view anything
        return Q() if action == "view" else None
    if user.entity_id is None:
        return None
    if kind == SUBTREE:
        region = user.entity.region
        region_path = getattr(model, "scope_region_path", None)  # denormalised on the row: no join
        if region_path:
            return Q(**{f"{region_path}__startswith": region.path})
        return Q(**{_path(entity_path, "region__path__startswith"): region.path})
    if kind == REGION:
        return Q(**{_path(entity_path, "region_id"): user.entity.region_id})
    if kind == ENTITY:
        return Q(**{_path(entity_path, "pk"): user.entity_id})
    if kind == UNIT:
        unit_path = getattr(model, "scope_unit_path", None)
        if unit_path is None or user.unit_id is None:
            # Models without a unit fall back to nothing: unit heads only change unit rows.
            return None
        return Q(**{_path(entity_path, "pk"): user.entity_id}) & Q(**{unit_path: user.unit_id})
    raise ValueError(kind)


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        q = scope_q(self.model, user, action)
        if q is None:
            return self.none()
        return self.filter(q)


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)

# An audit-log model tied to no entity (the change log, the ledger): rows are read as logs only by
# the audit administrator ("audit"); business users see a record's history through the record
# (crud.changelog_for after the record's own scope check), never through this manager.
AUDIT_ONLY_RULES: dict[str, dict[str, str | None]] = {
    "view": {**dict.fromkeys(Role.values), Role.AUDIT_ADMIN: ALL}}


def can(user, action: str, obj) -> bool:
    """Object-level check via the same rules (one query; none when the row owns its entity and
    unit directly and the rule is per entity or unit: the ids are in hand)."""
    model = type(obj)
    kind = rule_for(model, user, action)
    direct = getattr(model, "scope_entity_path", None) == "entity" and (
        kind == ENTITY or (kind == UNIT and getattr(model, "scope_unit_path", None) == "unit"))
    if direct and obj.pk and type(model._default_manager.get_queryset()).restrict is RestrictedQuerySet.restrict:
        if user.entity_id is None or obj.entity_id != user.entity_id:
            return False
        return kind == ENTITY or (user.unit_id is not None and obj.unit_id == user.unit_id)
    return model._default_manager.restrict(user, action).filter(pk=obj.pk).exists()


def can_on_entity(user, action: str, model, entity, unit=None) -> bool:
    """May `user` do `action` on a (new) row of `model` owned by entity/unit?"""
    kind = rule_for(model, user, action)
    if kind is None or entity is None:
        return kind == ALL
    if kind == ALL:
        return True
    if user.entity_id is None:
        return False
    if kind == SUBTREE:
        return entity.region.path.startswith(user.entity.region.path)
    if kind == REGION:
        return entity.region_id == user.entity.region_id
    if kind == ENTITY:
        return entity.pk == user.entity_id
    if kind == UNIT:
        return entity.pk == user.entity_id and unit is not None and unit.pk == user.unit_id
    return False


def get_or_deny(queryset, **lookup):
    """Fetch one row from an already restricted queryset; outside scope reads as 404."""
    from django.http import Http404

    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def require(user, action: str, obj):
    if not can(user, action, obj):
        raise PermissionDenied
