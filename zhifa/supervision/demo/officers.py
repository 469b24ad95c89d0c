"""Demo officers' management (issue 24 item 8), through the actions: one certificate of the demo entity
suspended (with its reason and end), one withdrawn, training of every tier (岗前 with its exam, 岗中, and
离岗 for an officer back on duty), and findings in the officer-level appraisal (a 复议 reversal, an upheld
complaint). Officers who handle open demo cases or sign in are left alone. Dates: the last weeks."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from zhifa.cases.models import CaseOfficer
from zhifa.orgs import actions as org_actions
from zhifa.orgs.models import Certificate, Officer, Training
from zhifa.supervision.actions import appraisal as appraisal_actions


def seed_demo_officers(entity, *, users, admin, log=None):
    log = log or (lambda msg: None)
    sup, head = users.get("supervisor"), users.get("head")
    if sup is None or head is None:
        log("  officers: 缺少监督或负责人演示账号，未生成执法证暂扣记录")
        return
    today = timezone.localdate()
    busy = set(CaseOfficer.objects.filter(case__entity=entity).values_list("officer_id", flat=True))
    spare = list(Officer.objects.filter(entity=entity, user__isnull=True, status=Officer.Status.ACTIVE,
                                        certificates__status=Certificate.Status.VALID)
                 .exclude(pk__in=busy).distinct().order_by("pk")[:3])
    if len(spare) < 3:
        log("  officers: 可用的执法人员不足，未生成执法证暂扣记录")
        return
    first, second, third = spare
    org_actions.do_suspend_certificate(first.certificates.filter(status="valid").first(), acting_user=sup,
                                       on=today - dt.timedelta(days=10), until=today + dt.timedelta(days=80),
                                       reason="群众投诉执法过程中态度粗暴、未出示执法证件，经调查属实，暂扣执法证三个月并参加离岗培训",
                                       basis="《贵州省行政执法证件管理办法》")
    org_actions.do_withdraw_certificate(second.certificates.filter(status="valid").first(), acting_user=sup,
                                        on=today - dt.timedelta(days=30), reason="调离行政执法岗位",
                                        basis="《贵州省行政执法证件管理办法》")
    year = today.year
    org_actions.do_update_officer(third, {"returned_on": today - dt.timedelta(days=20)}, acting_user=admin,
                                  reason="借调结束，重新上岗")
    for data in (
        {"officer": third, "tier": Training.Tier.LEAVING, "course": "离岗人员重新上岗培训（行政处罚法、执法规范）",
         "hours": Decimal(24), "exam_passed": True},
        {"officer": first, "tier": Training.Tier.PRE_JOB, "course": "行政执法人员岗前培训及执法资格考试",
         "hours": Decimal(60), "exam_passed": True},
        {"officer": first, "tier": Training.Tier.IN_SERVICE, "course": "2026年度岗中轮训：现场执法与全过程记录",
         "hours": Decimal(16), "exam_passed": None},
    ):
        on = today - dt.timedelta(days=25)
        org_actions.do_record_training({**data, "year": on.year, "finished_on": on}, acting_user=admin)
    handlers = list(CaseOfficer.objects.filter(case__entity=entity, case__decided_on__year=year, role="lead")
                    .select_related("officer", "case").order_by("case_id")[:2])
    if handlers:
        co = handlers[0]
        appraisal_actions.do_record_officer_finding(
            acting_user=sup, officer=co.officer, kind="reconsideration", case=co.case, found_on=today - dt.timedelta(days=5),
            note="县人民政府行政复议决定：认定事实不清，撤销原行政处罚决定")
        appraisal_actions.do_record_officer_finding(
            acting_user=head, officer=co.officer, kind="complaint", found_on=today - dt.timedelta(days=3),
            note="12345热线投诉检查时未出示执法证件，经核查属实")
    log(f"  officers: 暂扣执法证1张（{first.name}），注销1张（{second.name}），离岗培训1人，考核扣分事项{2 if handlers else 0}项")
