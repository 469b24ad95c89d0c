"""The permits app's vocabulary: the states of a permit and the sanctions a penalty may impose on it."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PermitState(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("吊销")
    EXPIRED = "expired", _("已过期")


class SanctionMeasure(models.TextChoices):
    SUSPEND = "suspend", _("暂扣许可证件")
    REVOKE = "revoke", _("吊销许可证件")


# The case engine's penalty kinds (zhifa.cases.models.PenaltyKind) that act on a permit.
PENALTY_MEASURES = {"suspend_licence": SanctionMeasure.SUSPEND, "revoke_licence": SanctionMeasure.REVOKE}
