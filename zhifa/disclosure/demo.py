"""Demo data of 公示期限 / 信用修复 / 开放数据 (called by the seed after the demo cases): the older
decisions are approved (so the portal, the downloads and the feed have content, each with its
public_until), and the party of the oldest one has a credit-repair request waiting for the head."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.common.actions import ActionRefused
from zhifa.common.registry import demo_steps
from zhifa.common.roles import Role
from zhifa.disclosure import expiry
from zhifa.disclosure.actions import credit_repair as repair_actions
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.models import Publication
from zhifa.orgs.models import User


def seed_demo_publications(entity, *, today: dt.date | None = None, log=None) -> dict:
    log = log or (lambda msg: None)
    today = today or timezone.localdate()
    head = User.objects.filter(entity=entity, role=Role.AGENCY_HEAD, is_active=True).order_by("id").first()
    if head is None:
        return {}
    approved = []
    drafts = Publication.objects.filter(entity=entity, state=Publication.State.DRAFT,
                                        decided_on__lte=today - dt.timedelta(days=30)).order_by("decided_on", "id")
    for pub in drafts:
        on = min(pub.due_on or pub.decided_on + dt.timedelta(days=5), today)
        try:
            approved.append(publication_actions.do_approve(pub, acting_user=head, on=on))
        except ActionRefused as e:
            log(f"  disclosure: {pub.decision_number} 未公示（{e.message}）")
    repairs = 0
    for pub in approved:
        earliest = repair_actions.earliest_repair_on(pub)
        if earliest and earliest <= today and not repair_actions.severe_kinds(pub):
            party = pub.case.parties.order_by("id").first()
            try:
                repair_actions.do_request_repair(
                    pub, acting_user=head, reason="当事人已缴清罚款并完成整改，申请提前停止公示", applicant_kind="party",
                    applicant=party.name if party else "", fulfilled=True, harm_removed=True, no_repeat=True,
                    not_listed=True, on=today)
                repairs += 1
                break
            except ActionRefused as e:
                log(f"  disclosure: 信用修复申请未生成（{e.message}）")
    expired = expiry.expire_publications(today)
    log(f"  disclosure: 公示 {len(approved)} 件，信用修复申请 {repairs} 件，期满停止公示 {expired} 件")
    return {"published": len(approved), "repairs": repairs, "expired": expired}


@demo_steps.register("publications", order=10)
def publications_step(demo) -> None:
    """公示 with its period and a credit-repair request, for the demo cases."""
    if demo.cases:
        seed_demo_publications(demo.main_entity, log=demo.log)
