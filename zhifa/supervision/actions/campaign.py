"""专项监督: the writers of Campaign and CampaignCase, and the campaign report. Each action runs in one
transaction, takes keyword-only acting_user and refuses with ActionRefused(rule, Chinese message, field).

    do_create_campaign    a justice bureau's supervisor starts a campaign over entities of its subtree
    do_sample_cases       draws cases decided in the period from the platform's own cases (seeded, repeatable)
    do_record_finding     the findings on one sampled case; a failed point needs the problem stated and
                          leads to an 整改通知 with its deadline (do_issue_order)
    do_finish_campaign    every sampled case checked, a summary written
    report(campaign)      the figures of the campaign report (page and .xlsx)

Named rules:
  campaign.bureau        campaigns are organised by a justice bureau's supervisors
  campaign.name          the theme is stated
  campaign.entities      at least one entity, each in the bureau's region
  campaign.period        the period's start is not after its end
  campaign.checklist     at least one point to check
  campaign.sample_size   1–200 cases
  campaign.state         a finished campaign takes no more sampling or findings
  campaign.no_cases      no case of the entities was decided in the period
  campaign.findings      every point of the checklist answered
  campaign.problems      a failed point: the problem and what must be corrected are stated
  campaign.unchecked     a campaign finishes once every sampled case is checked
  campaign.summary       a finished campaign has its summary
"""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused, OutOfScope, log_change, snapshot
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity
from zhifa.ledger import log as ledger
from zhifa.supervision.actions.orders import do_issue_order
from zhifa.supervision.choices import CAMPAIGN_CHECKLIST
from zhifa.supervision.models import Campaign, CampaignCase

MAX_SAMPLE = 200


def _today(on):
    return on or timezone.localdate()


def _date(value, field, label):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ActionRefused("validation", f"{label}：日期格式应为YYYY-MM-DD", field) from None


@transaction.atomic
def do_create_campaign(*, acting_user, name: str, entities, period_from, period_to, fields: str = "",
                       checklist=None, sample_size=10, on=None) -> Campaign:
    bureau = acting_user.entity
    if acting_user.role != Role.SUPERVISOR or bureau is None or not bureau.is_justice_bureau:
        raise ActionRefused("campaign.bureau", "专项监督由司法行政机关的执法监督人员组织", "owner")
    name = (name or "").strip()[:120]
    if not name:
        raise ActionRefused("campaign.name", "请填写专项监督主题", "name")
    entities = list(entities or [])
    if not entities:
        raise ActionRefused("campaign.entities", "请选择被监督主体", "entities")
    for e in entities:
        if not can_on_entity(acting_user, "change", Campaign, e):
            raise ActionRefused("campaign.entities", f"“{e.name}”不在本机关监督范围内", "entities")
    period_from, period_to = _date(period_from, "period_from", "案件决定日期自"), _date(period_to, "period_to", "案件决定日期至")
    if period_from > period_to:
        raise ActionRefused("campaign.period", "起始日期不能晚于截止日期", "period_to")
    points = [str(p).strip()[:100] for p in (checklist if checklist is not None else CAMPAIGN_CHECKLIST) if str(p).strip()]
    points = list(dict.fromkeys(points))
    if not points:
        raise ActionRefused("campaign.checklist", "请至少列出一个检查要点", "checklist")
    try:
        size = int(sample_size)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= MAX_SAMPLE:
        raise ActionRefused("campaign.sample_size", f"抽查案件数应为1至{MAX_SAMPLE}件", "sample_size")
    c = Campaign.objects.create(owner=bureau, name=name, fields="、".join(f.strip() for f in (fields or "").replace("，", "、").split("、") if f.strip()),
                                period_from=period_from, period_to=period_to, checklist=points, sample_size=size,
                                created_by=acting_user, created_on=_today(on))
    c.entities.set(entities)
    log_change(c, "create", acting_user=acting_user, after=snapshot(c))
    ledger.append("supervision.campaign", subject=c, actor=acting_user,
                  data={"name": name, "entities": sorted(e.pk for e in entities), "checklist": points})
    return c


def _lock(campaign, acting_user) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not can(acting_user, "change", campaign):
        raise OutOfScope()
    if campaign.state != Campaign.State.OPEN:
        raise ActionRefused("campaign.state", "该专项监督已完成", "state")
    return campaign


def candidates(campaign):
    qs = Case.objects.filter(entity__in=campaign.entities.all(), decided_on__gte=campaign.period_from,
                             decided_on__lte=campaign.period_to)
    if campaign.field_list:
        qs = qs.filter(field__in=campaign.field_list)
    return qs.exclude(pk__in=campaign.cases.values("case_id")).order_by("pk")


@transaction.atomic
def do_sample_cases(campaign: Campaign, *, acting_user) -> list[CampaignCase]:
    """Draw up to the sample size (less what is drawn already) at random; the seed is kept, so the
    draw can be repeated from the same cases."""
    campaign = _lock(campaign, acting_user)
    pool = list(candidates(campaign).values_list("pk", flat=True))
    want = campaign.sample_size - campaign.cases.count()
    if not pool and not campaign.cases.exists():
        raise ActionRefused("campaign.no_cases", "被监督主体在该期间内没有作出决定的案件", "period_from")
    if want <= 0 or not pool:
        return []
    seed = campaign.sample_seed or f"campaign-{campaign.pk}"
    chosen = sorted(random.Random(f"{seed}:{campaign.cases.count()}").sample(pool, min(want, len(pool))))
    rows = [CampaignCase.objects.create(campaign=campaign, case_id=pk) for pk in chosen]
    before = snapshot(campaign)
    campaign.sample_seed = seed
    campaign.save(update_fields=["sample_seed"])
    log_change(campaign, "update", acting_user=acting_user, before=before, after=snapshot(campaign),
               reason=f"随机抽取案件{len(rows)}件")
    ledger.append("supervision.campaign_sample", subject=campaign, actor=acting_user,
                  data={"seed": seed, "pool": len(pool), "cases": chosen})
    return rows


@transaction.atomic
def do_record_finding(row: CampaignCase, *, acting_user, findings, problems: str = "", order_days=15,
                      on=None) -> CampaignCase:
    campaign = _lock(row.campaign, acting_user)
    row = CampaignCase.objects.select_for_update().get(pk=row.pk)
    clean = {}
    for point in campaign.checklist:
        value = (findings or {}).get(point)
        if isinstance(value, str):
            value = {"yes": True, "no": False}.get(value)
        if not isinstance(value, bool):
            raise ActionRefused("campaign.findings", f"请对检查要点“{point}”作出判断", "findings")
        clean[point] = value
    failed = [p for p, ok in clean.items() if not ok]
    problems = (problems or "").strip()
    if failed and not problems:
        raise ActionRefused("campaign.problems", "请写明发现的问题和整改要求", "problems")
    before = snapshot(row)
    today = _today(on)
    if failed and row.order_id is None:
        row.order = do_issue_order(acting_user=acting_user, entity=row.case.entity, case=row.case, kind="rectify",
                                   days=order_days, on=today,
                                   text=f"“{campaign.name}”专项监督抽查发现：{'；'.join(failed)}。\n{problems}")
    row.findings, row.problems, row.state = clean, problems, CampaignCase.State.DONE
    row.checked_by, row.checked_on = acting_user, today
    row.save()
    log_change(row, "update", acting_user=acting_user, before=before, after=snapshot(row), reason="专项监督检查")
    ledger.append("supervision.campaign_finding", subject=row, actor=acting_user, case=row.case,
                  data={"campaign": campaign.pk, "findings": clean, "problems": problems, "order": row.order_id})
    return row


@transaction.atomic
def do_finish_campaign(campaign: Campaign, *, acting_user, summary: str, on=None) -> Campaign:
    campaign = _lock(campaign, acting_user)
    if not campaign.cases.exists() or campaign.cases.filter(state=CampaignCase.State.PENDING).exists():
        raise ActionRefused("campaign.unchecked", "尚有抽查案件未检查（或尚未抽取案件）", "state")
    summary = (summary or "").strip()
    if not summary:
        raise ActionRefused("campaign.summary", "请填写专项监督总结", "summary")
    before = snapshot(campaign)
    campaign.state, campaign.summary, campaign.finished_on = Campaign.State.FINISHED, summary, _today(on)
    campaign.save()
    log_change(campaign, "update", acting_user=acting_user, before=before, after=snapshot(campaign), reason="专项监督完成")
    ledger.append("supervision.campaign_finished", subject=campaign, actor=acting_user,
                  data={"summary": summary, "report": report(campaign)["totals"]})
    return campaign


def report(campaign: Campaign) -> dict:
    rows = list(campaign.cases.select_related("case__entity", "order"))
    checked = [r for r in rows if r.state == CampaignCase.State.DONE]
    by_point = Counter(p for r in checked for p in r.failed)
    entities: dict[int, dict] = {}
    for r in rows:
        e = entities.setdefault(r.case.entity_id, {"name": r.case.entity.name, "sampled": 0, "problems": 0, "orders": 0})
        e["sampled"] += 1
        e["problems"] += bool(r.failed)
        e["orders"] += r.order_id is not None
    orders = [r.order for r in rows if r.order_id]
    totals = {"sampled": len(rows), "checked": len(checked), "with_problems": sum(bool(r.failed) for r in checked),
              "orders": len(orders), "orders_replied": sum(o.state == "replied" for o in orders)}
    top = max(by_point.values(), default=0) or 1
    return {"totals": totals,
            "points": [{"label": p, "failed": by_point.get(p, 0), "width": round(100 * by_point.get(p, 0) / top)}
                       for p in campaign.checklist],
            "entities": sorted(entities.values(), key=lambda e: e["name"]), "rows": rows}
