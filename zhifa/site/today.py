"""What needs the signed-in user today: the first sections of the home page, by role.

Each section is bounded (at most LIMIT rows plus one count query) so the home stays fast at 毕节
scale; its `more` link opens the full list.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from zhifa.common.roles import Role

LIMIT = 8
DUE_SOON_DAYS = 7
# An agency head decides a general-procedure case once review (and discussion) is behind it.
DECIDING = ("reviewed", "collective_discussion")


def _deadline_rows(cases, today):
    from django.db.models import prefetch_related_objects

    from zhifa.cases.models import Deadline
    from zhifa.cases.views.display import days_text, queue_deadline

    cases = list(cases)
    prefetch_related_objects(cases, Prefetch(
        "deadlines", queryset=Deadline.objects.filter(state__in=(Deadline.State.RUNNING, Deadline.State.PAUSED,
                                                                 Deadline.State.BREACHED)),
        to_attr="open_deadlines"))
    rows = []
    for c in cases:
        dl = queue_deadline(c, today)
        sub, css = "", ""
        if dl:
            sub = f"{dl['dl'].label}：{dl['dl'].due_display} · {days_text(dl['days_left']) or dl['state']}"
            css = dl["css"]
        rows.append({"url": reverse("cases-detail", args=[c.pk]), "title": c.number or "（未编号）",
                     "text": c.title, "state": c.state_label, "sub": sub, "css": css})
    return rows


def officer_sections(user, today):
    from zhifa.cases.deadlines import work_queue
    from zhifa.cases.models import Deadline

    mine = work_queue(user)
    late = Deadline.objects.filter(Q(state=Deadline.State.BREACHED)
                                   | Q(state=Deadline.State.RUNNING, known=True, due_on__lt=today))
    soon = Deadline.objects.filter(state=Deadline.State.RUNNING, known=True, due_on__gte=today,
                                   due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    overdue = mine.filter(pk__in=late.values("case_id"))
    due = mine.filter(pk__in=soon.values("case_id")).exclude(pk__in=late.values("case_id"))
    queue = reverse("cases-queue")
    return [
        {"key": "overdue", "title": "已超期的案件", "css": "breached", "count": overdue.count(),
         "rows": _deadline_rows(overdue[:LIMIT], today), "more": reverse("cases-list") + "?due=overdue",
         "empty": "没有超期的案件"},
        {"key": "due_soon", "title": f"{DUE_SOON_DAYS}日内到期", "css": "soon", "count": due.count(),
         "rows": _deadline_rows(due[:LIMIT], today), "more": queue, "empty": "近期没有到期的法定期限"},
        {"key": "my_cases", "title": "我承办的在办案件", "count": mine.count(), "rows": [],
         "more": queue, "summary_only": True},
    ]


def approval_sections(user, today):
    """A head's 待我审批, oldest request first, with how long each has waited."""
    from zhifa.cases.views.lists import awaiting_approval

    count, found = awaiting_approval(user, today, limit=LIMIT)
    rows = [{"url": reverse("cases-detail", args=[r["case"].pk]), "title": r["case"].number or "（未编号）",
             "text": r["case"].title, "state": r["case"].state_label,
             "sub": f"{r['since']:%Y-%m-%d}提请 · 已等待{r['waited']}日" if r["since"] else "", "css": r["css"]}
            for r in found]
    return [{"key": "approvals", "title": "待我审批", "count": count, "rows": rows,
             "more": reverse("cases-queue"), "empty": "没有等待审批的案件"}]


def decision_sections(user, today):
    from zhifa.cases.models import Case

    qs = (Case.objects.restrict(user, "view").filter(kind="penalty_general", state__in=DECIDING)
          .select_related("entity", "unit").order_by("next_due_on", "id"))
    return [{"key": "decisions", "title": "待作出决定", "count": qs.count(),
             "rows": _deadline_rows(qs[:LIMIT], today), "more": reverse("cases-list") + "?state=reviewed",
             "empty": "没有等待决定的案件"}]


def reviewer_sections(user, today):
    from zhifa.review.queue import reviewer_queue

    queue = reviewer_queue(user)
    rows = []
    for r in queue[:LIMIT]:
        dl = r["deadline"]
        left = (r["due_on"] - today).days if r["due_on"] else None
        rows.append({"url": reverse("review-form", args=[r["review"].pk]), "title": r["case"].number or "（未编号）",
                     "text": r["case"].title, "state": f"{r['review'].submitted_on:%Y-%m-%d}送审",
                     "sub": f"审核期限：{dl.due_display}" if dl else "",
                     "css": "breached" if left is not None and left < 0 else "soon" if left is not None and left <= 2
                     else ""})
    return [{"key": "reviews", "title": "待我审核", "count": len(queue), "rows": rows,
             "more": reverse("review-queue"), "empty": "没有待审核的案件"}]


def supervisor_sections(user, today):
    from zhifa.supervision.models import Alert

    live = Alert.objects.restrict(user).exclude(state=Alert.State.CLOSED)
    counts = dict.fromkeys(Alert.Severity.values, 0)
    from zhifa.supervision.choices import ALERT_SEVERITY

    for kind, n in _count_by_kind(live):
        counts[ALERT_SEVERITY.get(kind, Alert.Severity.MEDIUM)] += n
    top = list(live.annotate(rank=Alert.severity_rank()).select_related("entity")
               .order_by("rank", "-last_seen", "-id")[:LIMIT])
    base = reverse("supervision-alerts")
    rows = [{"url": reverse("supervision-alert", args=[a.pk]), "title": a.get_kind_display(), "text": a.text,
             "state": a.entity.name, "sub": f"持续{a.age_days(today)}天", "severity": a.severity,
             "severity_label": a.get_severity_display(), "css": "breached" if a.severity == "high" else ""}
            for a in top]
    return [{"key": "alerts", "title": "未关闭的预警", "count": sum(counts.values()), "rows": rows, "more": base,
             "empty": "没有未关闭的预警",
             "levels": [{"label": str(label), "value": counts[v], "severity": v, "url": f"{base}?severity={v}"}
                        for v, label in Alert.Severity.choices]}]


def _count_by_kind(qs):
    from django.db.models import Count

    return qs.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n")


def sections_for(user, today=None) -> list[dict]:
    today = today or timezone.localdate()
    role = user.role
    out: list[dict] = []
    if role == Role.OFFICER:
        out += officer_sections(user, today)
    if role in (Role.UNIT_HEAD, Role.AGENCY_HEAD):
        out += approval_sections(user, today)
    if role == Role.AGENCY_HEAD:
        out += decision_sections(user, today)
    if role == Role.LEGAL_REVIEWER:
        out += reviewer_sections(user, today)
    if role == Role.SUPERVISOR or user.is_superuser:
        out += supervisor_sections(user, today)
    return out
