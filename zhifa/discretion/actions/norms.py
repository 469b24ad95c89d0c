"""Norms at the point of use (办案规范、执法用语指引), entered per entity or per region.

Named rules:
  norms.who      an agency head enters norms for the agency; a justice-bureau supervisor for a region
                 in their subtree; an administrator anywhere
  norms.fields   a norm has a kind, a title and its text
"""
from __future__ import annotations

from django.db import transaction

from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.discretion.choices import NormKind
from zhifa.discretion.models import Norm
from zhifa.ledger import log as ledger


def _may(user, entity, region) -> bool:
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if entity is not None:
        return user.role == Role.AGENCY_HEAD and user.entity_id == entity.pk
    if region is not None and user.role == Role.SUPERVISOR and user.entity_id:
        own, r = user.entity.region_id, region
        while r is not None:
            if r.pk == own:
                return True
            r = r.parent
    return False


@transaction.atomic
def do_add_norm(*, acting_user, kind: str, title: str, text: str, step: str = "", entity=None, region=None,
                field: str = "", basis: str = "") -> Norm:
    if entity is None and region is None and not (acting_user.is_superuser or acting_user.role == Role.ADMIN):
        raise ActionRefused("norms.who", "请指明适用的执法主体或行政区划", "entity")
    if not _may(acting_user, entity, region):
        raise ActionRefused("norms.who", "本机关负责人录入本机关的规范；司法局监督人员录入本辖区的规范", "entity")
    if kind not in NormKind.values:
        raise ActionRefused("norms.fields", "类别应为办案规范或执法用语", "kind")
    if not (title or "").strip():
        raise ActionRefused("norms.fields", "请填写标题", "title")
    if not (text or "").strip():
        raise ActionRefused("norms.fields", "请填写内容", "text")
    n = Norm.objects.create(kind=kind, title=title.strip()[:200], text=text.strip(), step=(step or "").strip()[:30],
                            entity=entity, region=region, field=(field or "").strip()[:50], basis=(basis or "").strip()[:300])
    log_change(n, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(n), reason="录入执法规范")
    ledger.append("norms.added", subject=n, actor=acting_user, data={"id": n.pk, "title": n.title})
    return n


def norms_for(case, state: str | None = None):
    """The active norms for the case's current step: its entity's, and its region's and above."""
    from django.db.models import Q

    state = state if state is not None else case.state
    region = case.entity.region
    regions = []
    r = region
    while r is not None:
        regions.append(r.pk)
        r = r.parent
    q = Q(entity=case.entity) | Q(entity__isnull=True, region_id__in=regions) | Q(entity__isnull=True, region__isnull=True)
    qs = Norm.objects.filter(q, active=True).filter(Q(step="") | Q(step=state))
    if case.field:
        qs = qs.filter(Q(field="") | Q(field=case.field))
    return list(qs.order_by("kind", "step", "id"))
