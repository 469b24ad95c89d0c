"""预警 conditions found in orgs: officers' training hours (registered in zhifa.common.registry.alert_checks; the supervision
app's alert engine opens, keeps and closes the alerts)."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum

from zhifa.common.registry import Finding, alert_checks
from zhifa.orgs.models import Officer


@alert_checks.register("training", order=30)
def check_training(today):
    need = Decimal(settings.ZHIFA_TRAINING_MIN_HOURS)
    rows = (Officer.objects.filter(status=Officer.Status.ACTIVE)
            .annotate(h=Sum("trainings__hours", filter=Q(trainings__year=today.year))))
    for o in rows:
        hours = o.h or Decimal(0)
        if hours < need:
            yield Finding(f"training:{o.pk}:{today.year}", "training", o.entity_id,
                          f"{o.name}{today.year}年培训{hours}学时，不足{need}学时", officer_id=o.pk)
