"""A task's source by generic reference: the app and model a source kind points at, how it is labelled
and which entities it concerns. Looked up through the app registry, so neither this module nor the
source's app imports the other."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from zhifa.dispatch import rules
from zhifa.dispatch.choices import SourceKind


@dataclass(frozen=True)
class SourceSpec:
    model: str  # "app_label.Model"
    label: Callable[[Any], str]
    entity_ids: Callable[[Any], set[int]]


def _complaint(c) -> str:
    return f"{c.get_kind_display()} {c.tracking_code}：{c.content[:60]}"


SPECS: dict[str, SourceSpec] = {
    SourceKind.COMPLAINT: SourceSpec("disclosure.Complaint", _complaint, lambda c: {c.entity_id}),
    SourceKind.ALERT: SourceSpec("supervision.Alert", lambda a: f"预警：{a.text}", lambda a: {a.entity_id}),
    SourceKind.DRAW: SourceSpec("inspections.Task", lambda t: f"双随机抽查：{t.object_name}（{t.object_key}）",
                                lambda t: {t.entity_id}),
    SourceKind.CAMPAIGN: SourceSpec("supervision.Campaign", lambda c: f"专项行动：{c.name}",
                                    lambda c: set(c.entities.values_list("pk", flat=True))),
}


def model_of(kind: str):
    spec = SPECS.get(kind)
    if spec is None:
        return None
    try:
        return apps.get_model(spec.model)
    except LookupError:  # the source's app is not installed
        return None


def resolve(kind: str, source_id, *, user, entity) -> tuple[ContentType | None, str, str]:
    """(content type, id, label) of the source a task is dispatched from, checked (dispatch.source).
    Free text (SourceKind.TEXT) has no object: (None, "", "")."""
    if kind == SourceKind.TEXT or not kind:
        return None, "", ""
    if kind not in SourceKind.values:
        raise rules_refusal()
    label = SourceKind(kind).label
    model = model_of(kind)
    raw = str(source_id or "").strip()
    obj = model._default_manager.filter(pk=int(raw)).first() if model is not None and raw.isdigit() else None
    # A campaign belongs to the justice bureau that runs it; the entities it covers act on it.
    visible = obj is not None and (kind == SourceKind.CAMPAIGN
                                   or model._default_manager.restrict(user, "view").filter(pk=obj.pk).exists())
    spec = SPECS[kind]
    rules.source(obj, kind_label=str(label), entity_ids=spec.entity_ids(obj) if obj else set(), entity=entity,
                 visible=visible)
    assert obj is not None and model is not None  # rules.source refused otherwise
    return ContentType.objects.get_for_model(model), str(obj.pk), spec.label(obj)[:300]


def rules_refusal():
    from zhifa.common.actions import ActionRefused

    return ActionRefused("validation", "任务来源应为投诉举报、预警、双随机抽查任务、专项行动或文字说明", "source_kind")


def candidates(kind: str, *, user, entity, limit: int = 50) -> list[tuple[str, str]]:
    """Open sources of a kind the desk may dispatch from: [(id, label)]."""
    model = model_of(kind)
    if model is None:
        return []
    if kind == SourceKind.CAMPAIGN:
        qs = model._default_manager.filter(entities=entity) if entity else model._default_manager.none()
    else:
        qs = model._default_manager.restrict(user, "view")
        qs = qs.filter(entity=entity) if entity else qs.none()
    if kind == SourceKind.COMPLAINT:
        qs = qs.exclude(state="answered")
    elif kind == SourceKind.ALERT:
        qs = qs.exclude(state="closed")
    elif kind == SourceKind.DRAW:
        qs = qs.filter(done_on__isnull=True)
    elif kind == SourceKind.CAMPAIGN:
        qs = qs.exclude(state="finished")
    spec = SPECS[kind]
    return [(str(o.pk), spec.label(o)[:80]) for o in qs.order_by("-pk")[:limit]]
