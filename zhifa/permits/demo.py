"""Demo data of permits (called by the seed after the demo cases and their publications): the food
business permit (食品经营许可证) of 聚福楼, granted two years before its penalty case and published,
then revoked by that case's decision (罚款并吊销许可证件); and a recent permit of another holder whose
publication waits for the head within its 7 working days.

The demo cases are seeded before the apps' demo steps, so 聚福楼's decision was made before its permit
was on the register: the decision's sanction is applied here through the subscriber's own function
(actions.apply_decision), on the decision's day and by its decider, as the subscriber would have."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.identifiers import make_credit_code
from zhifa.common.registry import demo_steps
from zhifa.common.roles import Role
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.orgs.models import User
from zhifa.permits import actions
from zhifa.permits.models import Permit

REVOKED_CASE = "毕节市七星关区聚福楼餐饮有限公司经营腐败变质食品案"
RECENT_HOLDER = ("毕节市七星关区味香源食品有限公司", "MA6H4K7X")  # name, organisation code


def _org_party(case):
    return case.parties.filter(kind="org").exclude(credit_code="").order_by("id").first()


def seed_demo_permits(entity, *, today: dt.date | None = None, log=None) -> dict:
    log = log or (lambda msg: None)
    today = today or timezone.localdate()
    if Permit.objects.filter(entity=entity).exists():
        return {}
    head = User.objects.filter(entity=entity, role=Role.AGENCY_HEAD, is_active=True).order_by("id").first()
    case = Case.objects.filter(entity=entity, title=REVOKED_CASE, decided_on__isnull=False).first()
    party = _org_party(case) if case else None
    if head is None or party is None:
        return {}
    made = {}
    try:
        with transaction.atomic():
            granted = case.decided_on - dt.timedelta(days=730)
            permit = actions.do_grant_permit(
                {"holder_name": party.name, "holder_credit_code": party.credit_code, "kind": "食品经营许可证",
                 "number": f"JY1520502{granted:%Y%m%d}01", "scope": "热食类食品制售、冷食类食品制售",
                 "decision_number": f"七市监食许〔{granted.year}〕37号", "decided_on": granted,
                 "valid_from": granted, "valid_until": granted + dt.timedelta(days=5 * 365)},
                acting_user=head, entity=entity, on=granted)
            pub = permit.publication
            publication_actions.do_approve(pub, acting_user=head, on=min(pub.due_on or granted, today))
            decider = case.decided_by or head
            actions.apply_decision(case, acting_user=decider, on=case.decided_on, permit_ids=[permit.pk])
            made["revoked"] = permit
            recent_on = today - dt.timedelta(days=1)
            made["recent"] = actions.do_grant_permit(
                {"holder_name": RECENT_HOLDER[0], "holder_credit_code": make_credit_code("520502", RECENT_HOLDER[1], authority="9"), "kind": "食品经营许可证",
                 "number": f"JY1520502{recent_on:%Y%m%d}02", "scope": "预包装食品销售（含冷藏冷冻食品）",
                 "decision_number": f"七市监食许〔{recent_on.year}〕118号", "decided_on": recent_on,
                 "valid_from": recent_on, "valid_until": recent_on + dt.timedelta(days=5 * 365)},
                acting_user=head, entity=entity, on=recent_on)
    except ActionRefused as e:
        log(f"  permits: 行政许可演示数据未生成（{e.message}）")
        return {}
    log(f"  permits: 行政许可 {len(made)} 件（{party.name}的食品经营许可证已被处罚决定吊销）")
    return made


@demo_steps.register("permits", order=12)  # after the demo cases and the publications step
def permits_step(demo) -> None:
    """行政许可: a permit revoked by a penalty decision, and a new permit waiting for publication."""
    if demo.cases:
        seed_demo_permits(demo.main_entity, log=demo.log)
