"""争议协调: a dispute between enforcement entities beyond the 管辖争议 of one transfer (that one lives
with the transfer, zhifa.transfers): across fields (跨领域), across regions (跨区域) or between a township
government's integrated enforcement and a county department (乡镇综合执法). The coordination record holds
the parties and each one's position (submitted by that entity's heads), the coordinating justice
bureau's decision (which entity takes the matter on, and why) and the follow-up: the decided entity
takes it on within a period, or an alert is raised.

    Coordination        the matter, its kind, the coordinating bureau, the decision and the follow-up
    CoordinationParty   one entity of the dispute and its position

Rows are written only by zhifa.supervision.actions.coordination.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import SUBTREE, RestrictedManager, RestrictedQuerySet, scope_q
from zhifa.supervision.choices import CoordinationKind, CoordinationState

USER = settings.AUTH_USER_MODEL
PARTY_ROLES = (Role.AGENCY_HEAD, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.OFFICER)


class CoordinationQuerySet(RestrictedQuerySet):
    """A coordination belongs to its bureau (supervisors of the bureau's region and above) and to every
    party: the staff of a party entity see it ("view"); what they may do is decided by the actions."""

    def restrict(self, user, action: str = "view"):
        q = scope_q(self.model, user, action)
        if action == "view" and user.is_authenticated and user.entity_id and user.role in PARTY_ROLES:
            party = Q(pk__in=CoordinationParty.objects.filter(entity_id=user.entity_id).values("coordination_id"))
            q = party if q is None else (q | party)
        return self.none() if q is None else self.filter(q)


class Coordination(models.Model):
    Kind = CoordinationKind
    State = CoordinationState

    kind = models.CharField(_("争议类别"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("争议事项"), max_length=120)
    description = models.TextField(_("争议情况"), blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("相关案件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="coordinations")
    bureau = models.ForeignKey("orgs.Entity", verbose_name=_("协调机关"), on_delete=models.PROTECT,
                               related_name="coordinations_led")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    opened_by = models.ForeignKey(USER, verbose_name=_("提请人"), on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(_("提请日期"))
    decided_entity = models.ForeignKey("orgs.Entity", verbose_name=_("协调确定的承办机关"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    decision = models.TextField(_("协调意见"), blank=True)
    decided_by = models.ForeignKey(USER, verbose_name=_("协调人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField(_("协调日期"), null=True, blank=True)
    follow_up_days = models.PositiveSmallIntegerField(_("承接期限（日）"), null=True, blank=True)
    follow_up_due_on = models.DateField(_("承接截止日期"), null=True, blank=True, db_index=True)
    taken_on = models.DateField(_("承接日期"), null=True, blank=True)
    taken_by = models.ForeignKey(USER, verbose_name=_("承接人"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    taken_note = models.TextField(_("承接情况"), blank=True)
    taken_late = models.BooleanField(_("逾期承接"), default=False)

    objects = RestrictedManager.from_queryset(CoordinationQuerySet)()
    scope_entity_path = "bureau"
    scope_rules = {"change": {Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["state", "-opened_on", "-id"]
        verbose_name = _("争议协调")
        verbose_name_plural = _("争议协调")

    def __str__(self):
        return self.title

    def overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (self.state == self.State.DECIDED and self.follow_up_due_on is not None
                and self.follow_up_due_on < today)


class CoordinationParty(models.Model):
    coordination = models.ForeignKey(Coordination, verbose_name=_("争议协调"), on_delete=models.CASCADE,
                                     related_name="parties")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("争议方"), on_delete=models.PROTECT,
                               related_name="coordination_parts")
    position = models.TextField(_("意见"), blank=True)
    submitted_by = models.ForeignKey(USER, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"

    class Meta:
        ordering = ["coordination_id", "id"]
        constraints = [models.UniqueConstraint(fields=["coordination", "entity"], name="coordination_party_once")]
        verbose_name = _("争议方意见")
        verbose_name_plural = _("争议方意见")

    def __str__(self):
        return f"{self.coordination}：{self.entity}"
