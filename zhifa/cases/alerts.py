"""预警 conditions found in cases: statutory periods, 执法证 of acting officers, discretion, repeated inspections, idle cases (registered in zhifa.common.registry.alert_checks; the supervision
app's alert engine opens, keeps and closes the alerts)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q

from zhifa.cases import deadlines as dl_mod
from zhifa.cases.machine import TERMINAL_STATES
from zhifa.cases.models import Case, CaseOfficer, Deadline, Party
from zhifa.cases.models import Kind as CaseKind
from zhifa.common.registry import Finding, alert_checks
from zhifa.orgs.models import Certificate, Officer

DUE_SOON_DAYS = 3
CERT_SOON_DAYS = 30
IDLE_DAYS = 60
REPEAT_WINDOW_DAYS = 30


@alert_checks.register("deadlines", order=10)
def check_deadlines(today):
    lapsed = Deadline.objects.filter(
        Q(state=Deadline.State.BREACHED, met_on__isnull=True)
        | Q(state=Deadline.State.RUNNING, known=True, due_on__lt=today)
    ).exclude(kind__in=dl_mod.PARTY_WINDOWS).select_related("case")
    for d in lapsed:
        yield Finding(f"deadline:{d.pk}", "deadline_lapsed", d.case.entity_id,
                      f"{d.case.number or d.case.title}：{d.label}已于{d.due_on:%Y-%m-%d}届满，尚未完成",
                      case_id=d.case_id)
    soon = (Deadline.objects.filter(state=Deadline.State.RUNNING, known=True, due_on__gte=today,
                                    due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
            .exclude(kind__in=dl_mod.PARTY_WINDOWS).select_related("case"))
    for d in soon:
        yield Finding(f"deadline_due:{d.pk}", "deadline_due", d.case.entity_id,
                      f"{d.case.number or d.case.title}：{d.label}将于{d.due_on:%Y-%m-%d}届满", case_id=d.case_id)


@alert_checks.register("certificates", order=20)
def check_certificates(today):
    acting = CaseOfficer.objects.filter(active=True).exclude(case__state__in=TERMINAL_STATES).values("officer_id")
    certs = (Certificate.objects.filter(officer_id__in=acting, officer__status=Officer.Status.ACTIVE,
                                        expires_on__lte=today + dt.timedelta(days=CERT_SOON_DAYS))
             .select_related("officer"))
    for c in certs:
        expired = c.expires_on < today
        when = "已于" if expired else "将于"
        yield Finding(f"certificate:{c.pk}:{'expired' if expired else 'expiring'}", "certificate", c.officer.entity_id,
                      f"{c.officer.name}的执法证{c.number}{when}{c.expires_on:%Y-%m-%d}到期，仍承办在办案件",
                      officer_id=c.officer_id, certificate_id=c.pk)


@alert_checks.register("discretion", order=50)
def check_discretion(today):
    cases = Case.objects.exclude(discretion_deviations=[]).exclude(discretion_deviations__isnull=True)
    for c in cases.only("id", "entity_id", "number", "title", "discretion_deviations", "discretion_reason"):
        if not c.discretion_deviations:
            continue
        reason = "（已说明理由）" if c.discretion_reason else "（未说明理由）"
        yield Finding(f"discretion:{c.pk}", "discretion", c.entity_id,
                      f"{c.number or c.title}：处罚偏离裁量基准{len(c.discretion_deviations)}项{reason}", case_id=c.pk)


@alert_checks.register("repeated", order=60)
def check_repeated(today):
    since = today - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    rows = (Party.objects.filter(case__kind=CaseKind.INSPECTION, case__registered_on__gte=since,
                                 case__registered_on__lte=today)
            # A person by the blind index of the ID number: the alert's key never holds the number itself.
            .values_list("credit_code", "id_number_bidx", "name", "case_id", "case__entity_id", "case__entity__name"))
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
            yield Finding(f"repeated:{target}:{entity_id}", "repeated_inspection", entity_id,
                          f"{names[target]}在{REPEAT_WINDOW_DAYS}日内被{len(per_entity)}个部门检查：{depts}",
                          case_id=case_id)


@alert_checks.register("idle", order=70)
def check_idle(today):
    cutoff = today - dt.timedelta(days=IDLE_DAYS)
    cases = (Case.objects.open().filter(suspended=False)
             .filter(Q(last_action_on__lt=cutoff) | Q(last_action_on__isnull=True, registered_on__lt=cutoff)))
    for c in cases.only("id", "entity_id", "number", "title", "last_action_on", "registered_on"):
        last = c.last_action_on or c.registered_on
        yield Finding(f"idle:{c.pk}", "idle", c.entity_id,
                      f"{c.number or c.title}：自{last:%Y-%m-%d}起{(today - last).days}日未办理", case_id=c.pk)
