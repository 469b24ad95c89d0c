"""预警: recompute_alerts(today) finds every condition that holds today and keeps one Alert row
per condition (its `key`) while it holds.

Idempotent: running twice on the same day changes nothing. A live alert whose condition no
longer holds closes itself (auto_closed). An alert a supervisor closed stays closed while its
condition holds (`holding`); once the condition has cleared, a new occurrence opens a new row.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum

from zhifa.cases import deadlines as dl_mod
from zhifa.cases.machine import TERMINAL_STATES
from zhifa.cases.models import Case, CaseOfficer, Deadline, Party
from zhifa.cases.models import Kind as CaseKind
from zhifa.common.actions import bulk_log_created, log_change, snapshot
from zhifa.orgs.models import Certificate, Entity, Officer
from zhifa.supervision.models import Alert

DUE_SOON_DAYS = 3
CERT_SOON_DAYS = 30
IDLE_DAYS = 60
REPEAT_WINDOW_DAYS = 30
AlertKind = Alert.Kind


@dataclass
class Found:
    key: str
    kind: str
    entity_id: int
    text: str
    case_id: int | None = None
    officer_id: int | None = None
    certificate_id: int | None = None


def check_deadlines(today):
    lapsed = Deadline.objects.filter(
        Q(state=Deadline.State.BREACHED, met_on__isnull=True)
        | Q(state=Deadline.State.RUNNING, known=True, due_on__lt=today)
    ).exclude(kind__in=dl_mod.PARTY_WINDOWS).select_related("case")
    for d in lapsed:
        yield Found(f"deadline:{d.pk}", AlertKind.DEADLINE_LAPSED, d.case.entity_id,
                    f"{d.case.number or d.case.title}：{d.label}已于{d.due_on:%Y-%m-%d}届满，尚未完成",
                    case_id=d.case_id)
    soon = (Deadline.objects.filter(state=Deadline.State.RUNNING, known=True, due_on__gte=today,
                                    due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
            .exclude(kind__in=dl_mod.PARTY_WINDOWS).select_related("case"))
    for d in soon:
        yield Found(f"deadline_due:{d.pk}", AlertKind.DEADLINE_DUE, d.case.entity_id,
                    f"{d.case.number or d.case.title}：{d.label}将于{d.due_on:%Y-%m-%d}届满", case_id=d.case_id)


def check_certificates(today):
    acting = CaseOfficer.objects.filter(active=True).exclude(case__state__in=TERMINAL_STATES).values("officer_id")
    certs = (Certificate.objects.filter(officer_id__in=acting, officer__status=Officer.Status.ACTIVE,
                                        expires_on__lte=today + dt.timedelta(days=CERT_SOON_DAYS))
             .select_related("officer"))
    for c in certs:
        expired = c.expires_on < today
        when = "已于" if expired else "将于"
        yield Found(f"certificate:{c.pk}:{'expired' if expired else 'expiring'}", AlertKind.CERTIFICATE, c.officer.entity_id,
                    f"{c.officer.name}的执法证{c.number}{when}{c.expires_on:%Y-%m-%d}到期，仍承办在办案件",
                    officer_id=c.officer_id, certificate_id=c.pk)


def check_training(today):
    need = Decimal(settings.ZHIFA_TRAINING_MIN_HOURS)
    rows = (Officer.objects.filter(status=Officer.Status.ACTIVE)
            .annotate(h=Sum("trainings__hours", filter=Q(trainings__year=today.year))))
    for o in rows:
        hours = o.h or Decimal(0)
        if hours < need:
            yield Found(f"training:{o.pk}:{today.year}", AlertKind.TRAINING, o.entity_id,
                        f"{o.name}{today.year}年培训{hours}学时，不足{need}学时", officer_id=o.pk)


def check_reviewers(today):
    from zhifa.review.catalogue import staffing

    for e in Entity.objects.filter(is_active=True, is_justice_bureau=False):
        s = staffing(e)
        if s["officers"] and s["below_floor"]:
            yield Found(f"reviewers:{e.pk}", AlertKind.REVIEWERS, e.pk,
                        f"{e.name}：法制审核人员{s['reviewers']}名，占执法人员{s['percent']}，低于{s['floor_percent']}")


def check_discretion(today):
    cases = Case.objects.exclude(discretion_deviations=[]).exclude(discretion_deviations__isnull=True)
    for c in cases.only("id", "entity_id", "number", "title", "discretion_deviations", "discretion_reason"):
        if not c.discretion_deviations:
            continue
        reason = "（已说明理由）" if c.discretion_reason else "（未说明理由）"
        yield Found(f"discretion:{c.pk}", AlertKind.DISCRETION, c.entity_id,
                    f"{c.number or c.title}：处罚偏离裁量基准{len(c.discretion_deviations)}项{reason}", case_id=c.pk)


def check_repeated(today):
    since = today - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    rows = (Party.objects.filter(case__kind=CaseKind.INSPECTION, case__registered_on__gte=since,
                                 case__registered_on__lte=today)
            .values_list("credit_code", "id_number", "name", "case_id", "case__entity_id", "case__entity__name"))
    by_target = defaultdict(dict)
    names = {}
    for credit, idn, name, case_id, entity_id, entity_name in rows:
        target = credit or idn
        if not target:
            continue
        names[target] = name
        prev = by_target[target].get(entity_id)
        by_target[target][entity_id] = (max(case_id, prev[0]) if prev else case_id, entity_name)
    for target, per_entity in by_target.items():
        if len(per_entity) < 2:
            continue
        depts = "、".join(sorted(n for _, n in per_entity.values()))
        for entity_id, (case_id, _) in per_entity.items():
            yield Found(f"repeated:{target}:{entity_id}", AlertKind.REPEATED_INSPECTION, entity_id,
                        f"{names[target]}在{REPEAT_WINDOW_DAYS}日内被{len(per_entity)}个部门检查：{depts}",
                        case_id=case_id)


def check_idle(today):
    cutoff = today - dt.timedelta(days=IDLE_DAYS)
    cases = (Case.objects.open().filter(suspended=False)
             .filter(Q(last_action_on__lt=cutoff) | Q(last_action_on__isnull=True, registered_on__lt=cutoff)))
    for c in cases.only("id", "entity_id", "number", "title", "last_action_on", "registered_on"):
        last = c.last_action_on or c.registered_on
        yield Found(f"idle:{c.pk}", AlertKind.IDLE, c.entity_id,
                    f"{c.number or c.title}：自{last:%Y-%m-%d}起{(today - last).days}日未办理", case_id=c.pk)


def check_orders(today):
    from zhifa.supervision.models import SupervisionOrder

    for o in SupervisionOrder.objects.filter(state=SupervisionOrder.State.OPEN, due_on__lt=today).select_related("entity"):
        yield Found(f"order:{o.pk}", AlertKind.ORDER_OVERDUE, o.entity_id,
                    f"{o.entity.name}：{o.get_kind_display()}（{o.issued_on:%Y-%m-%d}发出）已于{o.due_on:%Y-%m-%d}到期，尚未答复",
                    case_id=o.case_id)


def check_complaints(today):
    """投诉举报 not answered by their due date (zhifa.disclosure.complaints)."""
    from zhifa.disclosure.complaints import overdue

    for c in overdue(today).select_related("entity"):
        yield Found(f"complaint:{c.pk}", AlertKind.COMPLAINT_OVERDUE, c.entity_id,
                    f"{c.entity.name}：{c.get_kind_display()}{c.tracking_code}（{c.received_on:%Y-%m-%d}收到）"
                    f"已于{c.due_on:%Y-%m-%d}到期，尚未答复（{c.get_state_display()}）")


def check_social_leads(today):
    """Leads of social supervisors raised as alerts (zhifa.supervision.social): they stay until closed."""
    from zhifa.supervision.social import leads_raised_as_alerts

    for lead in leads_raised_as_alerts():
        yield Found(f"lead:{lead.pk}", AlertKind.SOCIAL_LEAD, lead.entity_id, lead.alert.text)


def check_annual_reports(today):
    """年度行政执法统计年报 of last year not published after 31 January (zhifa.supervision.reports)."""
    from zhifa.supervision.reports import deadline_of, unpublished_after_deadline

    for entity, year in unpublished_after_deadline(today):
        yield Found(f"annual_report:{entity.pk}:{year}", AlertKind.ANNUAL_REPORT, entity.pk,
                    f"{entity.name}：{year}年度行政执法统计年报应于{deadline_of(year):%Y-%m-%d}前公开，尚未公开")


def check_publications(today):
    """公示 (issue 6): a decision still not public after its publication due date (a draft awaiting the
    approver; entries held back by default are not due), and a published entry that had to be taken
    down (changed, revoked, illegal, void) still public after its withdrawal due date."""
    from zhifa.disclosure.models import WITHDRAWAL_GROUNDS, Publication
    from zhifa.disclosure.timeliness import overdue_withdrawals

    PubState = Publication.State
    late = Publication.objects.filter(state=PubState.DRAFT, due_on__lt=today).select_related("entity")
    for p in late.only("id", "case_id", "entity_id", "entity__name", "decision_number", "decided_on", "due_on"):
        yield Found(f"publication:{p.pk}", AlertKind.PUBLICATION_OVERDUE, p.entity_id,
                    f"{p.entity.name}：{p.decision_number or '执法决定'}（{p.decided_on:%Y-%m-%d}作出）应于"
                    f"{p.due_on:%Y-%m-%d}前公示，尚未公示", case_id=p.case_id)
    for p in overdue_withdrawals(Publication.objects.all(), today).select_related("entity"):
        yield Found(f"withdrawal:{p.pk}", AlertKind.WITHDRAWAL_OVERDUE, p.entity_id,
                    f"{p.entity.name}：{p.decision_number or '执法决定'}（{WITHDRAWAL_GROUNDS.get(p.withdrawal_ground, '')}）"
                    f"应于{p.withdrawal_due_on:%Y-%m-%d}前撤下公示，仍在公示", case_id=p.case_id)


CHECKS = (check_deadlines, check_certificates, check_training, check_reviewers, check_discretion, check_repeated, check_idle, check_orders, check_complaints,
          check_social_leads, check_publications)
CHECKS += (check_annual_reports,)  # 年度统计年报 (issue 6 item 11)


def check_crime_transfers(today):
    """两法衔接 periods lapsed (zhifa.transfers.checks)."""
    from zhifa.transfers.checks import crime_transfer_lapses

    yield from crime_transfer_lapses(today)


CHECKS += (check_crime_transfers,)


def find_conditions(today) -> dict[str, Found]:
    found = {}
    for check in CHECKS:
        for f in check(today):
            found[f.key] = f
    return found


@transaction.atomic
def recompute_alerts(today: dt.date) -> dict:
    """Bring the Alert table in line with the conditions holding on `today`.
    Returns counts {"opened", "still_open", "closed"}."""
    dl_mod.refresh_deadlines(today)
    found = find_conditions(today)
    live = {a.key: a for a in Alert.objects.exclude(state=Alert.State.CLOSED)}
    silenced = set(Alert.objects.filter(state=Alert.State.CLOSED, auto_closed=False, holding=True)
                   .values_list("key", flat=True))
    new = []
    for key, f in found.items():
        if key in live or key in silenced:
            continue
        new.append(Alert(key=key, kind=f.kind, entity_id=f.entity_id, case_id=f.case_id, officer_id=f.officer_id,
                         certificate_id=f.certificate_id, text=f.text[:300], first_seen=today, last_seen=today))
    Alert.objects.bulk_create(new)
    created = list(Alert.objects.filter(key__in=[a.key for a in new]).exclude(state=Alert.State.CLOSED))
    bulk_log_created(created, acting_user=None, reason="预警自动生成")
    held = [k for k in found if k in live or k in silenced]
    for i in range(0, len(held), 5000):
        chunk = held[i:i + 5000]
        Alert.objects.filter(key__in=chunk).exclude(state=Alert.State.CLOSED).update(last_seen=today)
        Alert.objects.filter(key__in=chunk, state=Alert.State.CLOSED, auto_closed=False).update(holding=True)
    closed = 0
    for key, a in live.items():
        if key in found:
            continue
        before = snapshot(a)
        a.state, a.auto_closed, a.holding, a.closed_on = Alert.State.CLOSED, True, False, today
        a.save(update_fields=["state", "auto_closed", "holding", "closed_on"])
        log_change(a, "update", acting_user=None, before=before, after=snapshot(a), reason="预警情形已消除，自动关闭")
        closed += 1
    gone = [k for k in silenced if k not in found]
    Alert.objects.filter(key__in=gone, state=Alert.State.CLOSED, auto_closed=False).update(holding=False)
    return {"opened": len(new), "still_open": len(live) - closed, "closed": closed}
