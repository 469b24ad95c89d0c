"""Home page figures, per role, all through the scope layer."""
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from zhifa.common.roles import Role
from zhifa.orgs.models import Certificate, Entity, Officer
from zhifa.powers.models import PowerItem, VersionStatus


def dashboard(user):
    today = timezone.localdate()
    officers = Officer.objects.restrict(user).filter(status=Officer.Status.ACTIVE)
    certs = Certificate.objects.restrict(user)
    powers = PowerItem.objects.restrict(user)
    cards = [
        {"label": "执法主体", "value": Entity.objects.restrict(user).count(), "url": reverse("entities-list")},
        {"label": "在岗执法人员", "value": officers.count(), "url": reverse("officers-list") + "?status=active"},
        {"label": "持有效执法证人员", "value": officers.with_cert_status().filter(has_valid_cert=True).count(),
         "url": reverse("officers-list") + "?cert=1"},
        {"label": "已发布权责事项", "value": powers.published().count(), "url": reverse("power-items-list") + "?status=published"},
    ]
    alerts = []
    soon = certs.filter(status=Certificate.Status.VALID, expires_on__gte=today,
                        expires_on__lte=today + dt.timedelta(days=60)).count()
    if soon:
        alerts.append({"text": f"{soon} 张执法证将在60天内到期", "url": reverse("certificates-list") + "?status=valid"})
    if user.role == Role.SUPERVISOR or user.is_superuser:
        pending = PowerItem.objects.restrict(user, "confirm").filter(status=VersionStatus.PENDING).count()
        cards.append({"label": "待确认权责事项", "value": pending,
                      "url": reverse("power-items-list") + "?status=pending"})
    else:
        drafts = powers.filter(is_head=True, status__in=[VersionStatus.DRAFT, VersionStatus.REJECTED]).count()
        cards.append({"label": "未提交/被退回的清单事项", "value": drafts, "url": reverse("power-items-list") + "?status=draft"})
    year = today.year
    short = officers.annotate(
        h=Coalesce(Sum("trainings__hours", filter=Q(trainings__year=year)), Value(Decimal(0)))
    ).filter(h__lt=settings.ZHIFA_TRAINING_MIN_HOURS).count()
    if short:
        alerts.append({"text": f"{short} 名在岗人员{year}年培训未满{settings.ZHIFA_TRAINING_MIN_HOURS}学时",
                       "url": reverse("officers-list")})
    if user.role in (Role.AGENCY_HEAD, Role.SUPERVISOR) or user.is_superuser:
        for e in _reviewer_shortfall(user)[:10]:
            alerts.append({"text": f"{e.name}：法制审核人员{e.reviewers}名，不足执法人员的"
                                   f"{settings.ZHIFA_REVIEWER_MIN_RATIO:.0%}（{e.n}名）",
                           "url": reverse("entities-detail", args=[e.pk])})
    heading = f"{user.entity or '全部区域'} · {user.get_role_display()}"
    return {"cards": cards, "alerts": alerts, "heading": heading}


def _reviewer_shortfall(user):
    """Entities whose legal reviewers are below the configured share of officers (118号 (十一))."""
    active = Q(officers__status=Officer.Status.ACTIVE)
    qs = Entity.objects.restrict(user).annotate(
        n=Count("officers", filter=active),
        reviewers=Count("officers", filter=active & Q(officers__is_legal_reviewer=True)),
    ).filter(n__gt=0)
    ratio = settings.ZHIFA_REVIEWER_MIN_RATIO
    return [e for e in qs.order_by("name") if e.reviewers < e.n * ratio]
