"""预警 conditions (zhifa.common.registry.alert_checks) for lapsed 两法衔接 periods: the head's
3-working-day decision (Art. 5), the 24-hour hand-over (Art. 5) and the police's 3-day filing
decision after receipt (Arts. 8, 17)."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.common.registry import Finding, alert_checks
from zhifa.transfers.models import CrimeTransfer

POLICE_DAYS = 3


@alert_checks.register("crime_transfers", order=130)
def crime_transfer_lapses(today: dt.date):
    CrimeState, LAPSED = CrimeTransfer.State, "deadline_lapsed"
    qs = CrimeTransfer.objects.select_related("case")
    for ct in qs.filter(state=CrimeState.REPORTED, decide_due_on__lt=today):
        yield Finding(f"crime_decide:{ct.pk}", LAPSED, ct.entity_id,
                      f"{ct.case.number or ct.case.title}：移送涉嫌犯罪案件报告的审批期限已于{ct.decide_due_on:%Y-%m-%d}届满，"
                      f"负责人尚未作出批准或不批准的决定", case_id=ct.case_id)
    # The 24 hours lapse during the day: as of now when `today` is today, else by the end of `today`.
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    cutoff = min(end, timezone.now()) if today >= timezone.localdate() else end
    for ct in qs.filter(state=CrimeState.APPROVED, handover_due_at__lt=cutoff):
        yield Finding(f"crime_handover:{ct.pk}", LAPSED, ct.entity_id,
                      f"{ct.case.number or ct.case.title}：已批准移送涉嫌犯罪案件，超过24小时尚未移送{ct.police_name}",
                      case_id=ct.case_id)
    for ct in qs.filter(state=CrimeState.RECEIVED, police_received_on__lt=today - dt.timedelta(days=POLICE_DAYS)):
        yield Finding(f"crime_police:{ct.pk}", LAPSED, ct.entity_id,
                      f"{ct.case.number or ct.case.title}：{ct.police_name}于{ct.police_received_on:%Y-%m-%d}接收移送，"
                      f"逾3日尚未书面通知立案或不予立案", case_id=ct.case_id)
